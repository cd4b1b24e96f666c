/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * input.c - log discovery and the fast line reader (see input.h).  Plain
 * files are read with read(2) in 4 MiB blocks and split with memchr; gzip
 * files (magic 1f 8b) and stdin go through zlib, which passes plain data
 * through unchanged.
 */
#include "config.h"

#include "input.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define BLOCK (4 * 1024 * 1024)

static void set_err(struct llr_input_err *e, const char *path, int err, const char *what)
{
	snprintf(e->path, sizeof(e->path), "%s", path);
	e->err = err;
	e->what = what;
}

static void push(char ***v, int *n, const char *s)
{
	*v = llr_xrealloc(*v, (size_t)(*n + 1) * sizeof(**v));
	(*v)[(*n)++] = llr_xstrdup(s);
}

void llr_input_free_list(char **v, int n)
{
	for (int i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Rotation number of name relative to base: base -> 0, base.N[.gz] -> N, else -1. */
static long rotation(const char *name, const char *base)
{
	size_t bl = strlen(base);
	char *e;
	if (strncmp(name, base, bl))
		return -1;
	if (!name[bl])
		return 0;
	if (name[bl] != '.' || !name[bl + 1])
		return -1;
	long n = strtol(name + bl + 1, &e, 10);
	if (e == name + bl + 1 || n <= 0 || (*e && strcmp(e, ".gz")))
		return -1;
	return n;
}

struct ent {
	char *name;
	long rot;
};

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (x->rot >= 0 && y->rot >= 0)
		return x->rot != y->rot ? (x->rot > y->rot ? -1 : 1) : c;
	return c;
}

/* Files of dir; with base, only base and its rotations, oldest first. */
static int list_dir(const char *dir, const char *base, char ***out, int *n, struct llr_input_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct ent *v = NULL;
	size_t nv = 0;
	char path[4096];

	if (!d) {
		set_err(e, dir, errno, "cannot open directory");
		return -1;
	}
	while ((de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		long rot = base ? rotation(de->d_name, base) : -1;
		if (base && rot < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		if (!base) { /* any rotation-looking name sorts with its base */
			char *dot = strrchr(de->d_name, '.');
			if (dot && !strcmp(dot, ".gz"))
				dot = memrchr(de->d_name, '.', (size_t)(dot - de->d_name));
			if (dot && strtol(dot + 1, NULL, 10) > 0) {
				char b[256];
				snprintf(b, sizeof(b), "%.*s", (int)(dot - de->d_name), de->d_name);
				rot = rotation(de->d_name, b);
			} else {
				rot = 0;
			}
		}
		v = llr_xrealloc(v, (nv + 1) * sizeof(*v));
		v[nv].name = llr_xstrdup(de->d_name);
		v[nv++].rot = rot;
	}
	closedir(d);
	if (!base) { /* group by stem: sort by stem name, then rotation desc */
		for (size_t i = 0; i < nv; i++)
			if (v[i].rot < 0)
				v[i].rot = 0;
	}
	qsort(v, nv, sizeof(*v), cmp_ent);
	for (size_t i = 0; i < nv; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, v[i].name);
		push(out, n, path);
		free(v[i].name);
	}
	free(v);
	return 0;
}

static void log_file_path(char *buf, size_t n)
{
	FILE *f = fopen("/etc/audit/auditd.conf", "re");
	char line[1024];
	snprintf(buf, n, "/var/log/audit/audit.log");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "log_file", 8))
			continue;
		p += 8;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != '=')
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		p[strcspn(p, " \t\r\n")] = '\0';
		if (*p == '/')
			snprintf(buf, n, "%s", p);
	}
	fclose(f);
}

int llr_input_system_logs(char ***out, struct llr_input_err *e)
{
	char path[1024];
	int n = 0;
	log_file_path(path, sizeof(path));
	char *slash = strrchr(path, '/');
	*slash = '\0';
	*out = NULL;
	if (list_dir(path[0] ? path : "/", slash + 1, out, &n, e))
		return -1;
	if (!n) {
		*slash = '/';
		set_err(e, path, ENOENT, "no audit log found");
		return -1;
	}
	return n;
}

int llr_input_expand(const char **inputs, int ninputs, int use_stdin, char ***out,
                     struct llr_input_err *e)
{
	int n = 0;
	*out = NULL;
	if (!ninputs && !use_stdin)
		return llr_input_system_logs(out, e);
	if (use_stdin)
		push(out, &n, "-");
	for (int i = 0; i < ninputs; i++) {
		struct stat st;
		if (!strcmp(inputs[i], "-")) {
			push(out, &n, "-");
			continue;
		}
		if (stat(inputs[i], &st)) {
			set_err(e, inputs[i], errno, "cannot read input");
			llr_input_free_list(*out, n);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			char base[256];
			int before = n;
			/* a log directory: audit.log and rotations if present, else all files */
			snprintf(base, sizeof(base), "audit.log");
			if (list_dir(inputs[i], base, out, &n, e) ||
			    (n == before && list_dir(inputs[i], NULL, out, &n, e))) {
				llr_input_free_list(*out, n);
				return -1;
			}
		} else {
			push(out, &n, inputs[i]);
		}
	}
	return n;
}

void llr_input_lines(const char *buf, size_t len, llr_line_cb cb, void *arg)
{
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		cb(arg, p, l);
		p += l + 1;
	}
}

struct reader {
	int fd;
	gzFile gz;
};

static ssize_t rd(struct reader *r, char *buf, size_t n)
{
	if (r->gz) {
		int k = gzread(r->gz, buf, (unsigned)n);
		if (k < 0) {
			errno = EIO;
			return -1;
		}
		return k;
	}
	for (;;) {
		ssize_t k = read(r->fd, buf, n);
		if (k < 0 && errno == EINTR)
			continue;
		return k;
	}
}

/*
 * Plain regular files: map a window at a time (no copy into a buffer), and
 * unmap it before the next so the resident set stays at one window.  A line
 * crossing a window boundary is carried in a small heap buffer.
 */
#define WINDOW ((off_t)8 * 1024 * 1024)

static int read_mapped(int fd, off_t size, llr_line_cb cb, void *arg,
                       unsigned long long *long_lines)
{
	char *carry = NULL;
	size_t clen = 0, ccap = 0;
	int skipping = 0;
	for (off_t off = 0; off < size; off += WINDOW) {
		size_t len = (size_t)(size - off < WINDOW ? size - off : WINDOW);
		char *m = mmap(NULL, len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, off);
		if (m == MAP_FAILED) {
			free(carry);
			return -1;
		}
		madvise(m, len, MADV_SEQUENTIAL | MADV_WILLNEED);
		const char *p = m, *end = m + len;
		const char *nl = memchr(p, '\n', len);
		if (clen || skipping) { /* finish the carried line */
			size_t head = nl ? (size_t)(nl - p) : len;
			if (!skipping && clen + head > LLR_MAX_LINE) {
				skipping = 1;
				if (long_lines)
					(*long_lines)++;
			}
			if (!skipping) {
				if (clen + head > ccap) {
					ccap = clen + head + 4096;
					carry = llr_xrealloc(carry, ccap);
				}
				memcpy(carry + clen, p, head);
				clen += head;
			}
			if (!nl) {
				munmap(m, len);
				continue;
			}
			if (!skipping)
				cb(arg, carry, clen);
			clen = 0;
			skipping = 0;
			p = nl + 1;
			nl = memchr(p, '\n', (size_t)(end - p));
		}
		while (nl) {
			cb(arg, p, (size_t)(nl - p));
			p = nl + 1;
			nl = memchr(p, '\n', (size_t)(end - p));
		}
		if (p < end) {
			size_t rest = (size_t)(end - p);
			if (rest > LLR_MAX_LINE) {
				skipping = 1;
				if (long_lines)
					(*long_lines)++;
			} else {
				if (rest > ccap) {
					ccap = rest + 4096;
					carry = llr_xrealloc(carry, ccap);
				}
				memcpy(carry, p, rest);
				clen = rest;
			}
		}
		munmap(m, len);
	}
	if (clen && !skipping)
		cb(arg, carry, clen);
	free(carry);
	return 0;
}

int llr_input_read(const char *path, llr_line_cb cb, llr_chunk_cb chunk, void *arg,
                   struct llr_input_err *e, unsigned long long *long_lines)
{
	struct reader r = {-1, NULL};
	int is_stdin = !strcmp(path, "-");
	unsigned char magic[2];

	r.fd = is_stdin ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
	if (r.fd < 0) {
		set_err(e, is_stdin ? "stdin" : path, errno, "cannot open input");
		return -1;
	}
	if (is_stdin || (pread(r.fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b)) {
		r.gz = gzdopen(r.fd, "rb");
		if (!r.gz) {
			close(r.fd);
			set_err(e, path, ENOMEM, "cannot start gzip reader");
			return -1;
		}
		gzbuffer(r.gz, 256 * 1024);
	} else {
		struct stat st;
		posix_fadvise(r.fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		if (!chunk && fstat(r.fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0) {
			int rc = read_mapped(r.fd, st.st_size, cb, arg, long_lines);
			if (rc)
				set_err(e, path, errno, "read error");
			close(r.fd);
			return rc;
		}
	}

	size_t cap = BLOCK, have = 0;
	char *buf = llr_xmalloc(cap);
	int skipping = 0, rc = 0;
	for (;;) {
		ssize_t k = rd(&r, buf + have, cap - have);
		if (k < 0) {
			set_err(e, is_stdin ? "stdin" : path, errno, "read error");
			rc = -1;
			break;
		}
		if (chunk) {
			if (k == 0)
				break;
			chunk(arg, buf, (size_t)k);
			continue;
		}
		if (k == 0) {
			if (have && !skipping)
				cb(arg, buf, have);
			break;
		}
		size_t len = have + (size_t)k;
		const char *p = buf, *end = buf + len;
		for (;;) {
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			if (!nl)
				break;
			if (!skipping)
				cb(arg, p, (size_t)(nl - p));
			skipping = 0;
			p = nl + 1;
		}
		have = (size_t)(end - p);
		if (have == cap) { /* one line fills the buffer */
			if (cap < LLR_MAX_LINE * 2 && cap * 2 <= (size_t)LLR_MAX_LINE * 4) {
				cap *= 2;
				buf = llr_xrealloc(buf, cap);
			} else {
				if (!skipping && long_lines)
					(*long_lines)++;
				skipping = 1;
				have = 0;
			}
		} else if (have && p != buf) {
			memmove(buf, p, have);
		}
	}
	free(buf);
	if (r.gz)
		gzclose(r.gz);
	else
		close(r.fd);
	return rc;
}

FILE *llr_open_output(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "a");
	if (!f)
		close(fd);
	return f;
}
