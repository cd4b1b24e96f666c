/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vocab.c - blocker and object-kind names.  The known list follows the
 * kernel's security/landlock/audit.c (ABI 1..10); later names are appended
 * at run time.
 */
#include "config.h"

#include "vocab.h"
#include "util.h"

#include <string.h>

static const char *const known[] = {
    "fs.execute",
    "fs.write_file",
    "fs.read_file",
    "fs.read_dir",
    "fs.remove_dir",
    "fs.remove_file",
    "fs.make_char",
    "fs.make_dir",
    "fs.make_reg",
    "fs.make_sock",
    "fs.make_fifo",
    "fs.make_block",
    "fs.make_sym",
    "fs.refer",
    "fs.truncate",
    "fs.ioctl_dev",
    "fs.resolve_unix",
    "net.bind_tcp",
    "net.connect_tcp",
    "net.bind_udp",
    "net.connect_send_udp",
    "scope.abstract_unix_socket",
    "scope.signal",
    "fs.change_topology",
    "ptrace",
};
#define NKNOWN (int)(sizeof(known) / sizeof(known[0]))

static char *extra[LLR_MAX_BLOCKERS];
static int nextra;

int llr_blocker_count(void)
{
	return NKNOWN + nextra;
}

const char *llr_blocker_name(int id)
{
	if (id < 0 || id >= NKNOWN + nextra)
		return "?";
	return id < NKNOWN ? known[id] : extra[id - NKNOWN];
}

static int find(const char *name, size_t len)
{
	for (int i = 0; i < NKNOWN + nextra; i++) {
		const char *n = llr_blocker_name(i);
		if (strlen(n) == len && !memcmp(n, name, len))
			return i;
	}
	return -1;
}

int llr_blocker_find(const char *name)
{
	return find(name, strlen(name));
}

int llr_blocker_id(const char *name, size_t len)
{
	int id = find(name, len);
	if (id >= 0 || !len)
		return id;
	if (NKNOWN + nextra >= LLR_MAX_BLOCKERS)
		return -1;
	extra[nextra] = llr_xstrndup(name, len);
	return NKNOWN + nextra++;
}

enum llr_bclass llr_blocker_class(int id)
{
	const char *n = llr_blocker_name(id);
	if (!strncmp(n, "fs.", 3))
		return LLR_BC_FS;
	if (!strncmp(n, "net.", 4))
		return LLR_BC_NET;
	if (!strncmp(n, "scope.", 6))
		return LLR_BC_SCOPE;
	return LLR_BC_OTHER;
}

const char *llr_blocker_right(int id)
{
	const char *n = llr_blocker_name(id), *dot = strchr(n, '.');
	return dot ? dot + 1 : n;
}

int llr_blocker_is_dir_right(int id)
{
	static const char *const dir_rights[] = {
	    "read_dir",  "remove_dir", "remove_file", "make_char", "make_dir", "make_reg",
	    "make_sock", "make_fifo",  "make_block",  "make_sym",  "refer",
	};
	if (llr_blocker_class(id) != LLR_BC_FS)
		return 0;
	for (size_t i = 0; i < sizeof(dir_rights) / sizeof(dir_rights[0]); i++)
		if (!strcmp(llr_blocker_right(id), dir_rights[i]))
			return 1;
	return 0;
}

const char *llr_objkind_name(enum llr_objkind k)
{
	static const char *const names[LLR_OBJ_KINDS] = {
	    "none", "path", "dentry", "ioctl", "bind", "connect", "unix", "task",
	};
	return (unsigned)k < LLR_OBJ_KINDS ? names[k] : "none";
}

uint64_t llr_parse_blockers(const char *s, size_t len)
{
	uint64_t mask = 0;
	const char *p = s, *end = s + len;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			c = end;
		int id = llr_blocker_id(p, (size_t)(c - p));
		if (id >= 0)
			mask |= 1ULL << id;
		p = c + 1;
	}
	return mask;
}
