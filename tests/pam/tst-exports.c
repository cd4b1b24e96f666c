/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-exports.c - the built module exports exactly the PAM session hooks.
 *
 * Reads the dynamic symbol table of pam_landlock.so itself (<elf.h>, no
 * binutils): the defined, non-local symbols must be exactly
 * pam_sm_open_session and pam_sm_close_session.  Then dlopen(RTLD_NOW)
 * finds both, and none of the internal ll_* functions.  Needs no root.
 */
#include "config.h"

#include <dlfcn.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const wanted[] = {"pam_sm_open_session", "pam_sm_close_session"};
#define NWANTED (sizeof(wanted) / sizeof(wanted[0]))

static int fails;

static void check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void check(bool cond, const char *fmt, ...)
{
	va_list ap;
	printf("%s - ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	if (!cond)
		fails++;
}

/* Calls found() for each defined global or weak symbol of every dynamic
 * symbol table in MAP (SIZE bytes), counting the tables in NDYNSYM; returns
 * -1 from the enclosing function on a malformed file.  A macro, so that one
 * body serves both ELF classes. */
#define WALK_DYNSYM(Ehdr, Shdr, Sym, ST_BIND, ST_TYPE)                                             \
	do {                                                                                       \
		const Ehdr *eh = (const Ehdr *)map;                                                \
		if (eh->e_shoff == 0 || eh->e_shentsize != sizeof(Shdr) ||                         \
		    eh->e_shoff + (size_t)eh->e_shnum * sizeof(Shdr) > size)                       \
			return -1;                                                                 \
		const Shdr *sh = (const Shdr *)(map + eh->e_shoff);                                \
		for (size_t i = 0; i < eh->e_shnum; i++) {                                         \
			if (sh[i].sh_type != SHT_DYNSYM)                                           \
				continue;                                                          \
			ndynsym++;                                                                 \
			if (sh[i].sh_link >= eh->e_shnum || sh[i].sh_entsize != sizeof(Sym) ||     \
			    sh[i].sh_offset + sh[i].sh_size > size)                                \
				return -1;                                                         \
			const Shdr *str = &sh[sh[i].sh_link];                                      \
			if (str->sh_offset + str->sh_size > size)                                  \
				return -1;                                                         \
			const char *strtab = map + str->sh_offset;                                 \
			const Sym *sym = (const Sym *)(map + sh[i].sh_offset);                     \
			size_t n = sh[i].sh_size / sizeof(Sym);                                    \
			for (size_t j = 1; j < n; j++) {                                           \
				if (sym[j].st_shndx == SHN_UNDEF ||                                \
				    ST_BIND(sym[j].st_info) == STB_LOCAL)                          \
					continue;                                                  \
				if (sym[j].st_name >= str->sh_size)                                \
					return -1;                                                 \
				found(strtab + sym[j].st_name, ST_TYPE(sym[j].st_info));           \
			}                                                                          \
		}                                                                                  \
	} while (0)

static char exported[64][128];
static int nexported;

static void found(const char *name, int type)
{
	printf("# exported: %s (type %d)\n", name, type);
	if (nexported < 64)
		snprintf(exported[nexported++], sizeof(exported[0]), "%s", name);
}

static int read_exports(const char *path)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0)
		return -1;
	size_t size = (size_t)st.st_size;
	char *map = mmap(NULL, size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED || size < EI_NIDENT || memcmp(map, ELFMAG, SELFMAG) != 0)
		return -1;
	int ndynsym = 0;
	if (map[EI_CLASS] == ELFCLASS64 && size >= sizeof(Elf64_Ehdr))
		WALK_DYNSYM(Elf64_Ehdr, Elf64_Shdr, Elf64_Sym, ELF64_ST_BIND, ELF64_ST_TYPE);
	else if (map[EI_CLASS] == ELFCLASS32 && size >= sizeof(Elf32_Ehdr))
		WALK_DYNSYM(Elf32_Ehdr, Elf32_Shdr, Elf32_Sym, ELF32_ST_BIND, ELF32_ST_TYPE);
	else
		return -1;
	munmap(map, size);
	return ndynsym;
}

int main(void)
{
	char path[PATH_MAX];
	const char *b = getenv("top_builddir");
	snprintf(path, sizeof(path), "%s/pam_landlock/.libs/pam_landlock.so", b ? b : ".");
	setvbuf(stdout, NULL, _IOLBF, 0);

	if (access(path, R_OK) != 0) {
		printf("not ok - module %s not found: %s (run make)\nFAIL\n", path,
		       strerror(errno));
		return 1;
	}
	int nsec = read_exports(path);
	check(nsec == 1, "%s: one readable dynamic symbol table (%d)", path, nsec);
	check(nexported == (int)NWANTED, "exactly %zu defined dynamic symbols (found %d)", NWANTED,
	      nexported);
	for (int i = 0; i < nexported; i++) {
		bool ok = false;
		for (size_t w = 0; w < NWANTED; w++)
			ok = ok || strcmp(exported[i], wanted[w]) == 0;
		check(ok, "exported symbol %s is a session hook", exported[i]);
	}
	for (size_t w = 0; w < NWANTED; w++) {
		bool ok = false;
		for (int i = 0; i < nexported; i++)
			ok = ok || strcmp(exported[i], wanted[w]) == 0;
		check(ok, "%s is in the dynamic symbol table", wanted[w]);
	}

	void *h = dlopen(path, RTLD_NOW | RTLD_LOCAL);
	check(h != NULL, "dlopen(RTLD_NOW) resolves every reference (%s)", h ? "ok" : dlerror());
	if (h) {
		for (size_t w = 0; w < NWANTED; w++)
			check(dlsym(h, wanted[w]) != NULL, "dlsym finds %s", wanted[w]);
		static const char *const hidden[] = {"pam_sm_authenticate", "pam_sm_setcred",
		                                     "ll_session_prepare",  "ll_apply",
		                                     "ll_policy_load",      "ll_abi_probe"};
		for (size_t i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++)
			check(dlsym(h, hidden[i]) == NULL, "dlsym does not find %s", hidden[i]);
		dlclose(h);
	}
	if (fails) {
		printf("FAIL: %d check(s) failed\n", fails);
		return 1;
	}
	printf("PASS\n");
	return 0;
}
