/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fstree.c - the file trees of the in-session benchmark, and the walk.
 *
 *   fstree make DIR FILES DEPTH [BYTES]
 *       Creates DIR and FILES regular files in it, every one exactly DEPTH
 *       path components below DIR (DIR/c01/.../d3/d7/f042 has DEPTH 6), in
 *       leaf directories of 100 files.  Above the leaves up to three levels
 *       branch (at most 10-way when there are three), and any remaining
 *       levels are a single chain shared by all files: so every depth has
 *       the same number of files and about the same number of directories,
 *       and only the length of each file's path changes.  With BYTES > 0
 *       each file holds that many bytes of text naming it (distinct
 *       contents, for git); otherwise files are empty.
 *   fstree walk DIR
 *       Walks DIR depth first the way find(1) and build tools do (openat,
 *       fstatat, getdents relative to each directory): stats every entry,
 *       opens (and closes) every regular file and every directory.  Prints
 *       "files=N dirs=N maxdepth=N" and exits 1 on the first error, so a
 *       denied open cannot pass for a fast walk.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define PER_DIR 100

static int fail(const char *what, const char *path)
{
	fprintf(stderr, "fstree: %s %s: %s\n", what, path, strerror(errno));
	return 1;
}

static long parse_num(const char *s, long min, long max, const char *what)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max) {
		fprintf(stderr, "fstree: %s must be a number from %ld to %ld, not '%s'\n", what,
		        min, max, s);
		exit(2);
	}
	return v;
}

/* mkdir that accepts an existing directory. */
static int mkdir_ok(const char *path)
{
	return mkdir(path, 0755) == 0 || errno == EEXIST ? 0 : -1;
}

static int make_file(const char *path, long bytes, long index)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	if (fd < 0)
		return -1;
	if (bytes > 0) {
		char buf[4096];
		int n = snprintf(buf, sizeof(buf), "file %ld %s\n", index, path);
		long left = bytes;
		while (left > 0) {
			size_t chunk = (size_t)(left < n ? left : n);
			if (write(fd, buf, chunk) != (ssize_t)chunk) {
				close(fd);
				return -1;
			}
			left -= (long)chunk;
		}
	}
	return close(fd);
}

static int tree_make(const char *dir, long files, int depth, long bytes)
{
	int levels = depth - 1; /* directory levels between DIR and the files */
	long leaves = (files + PER_DIR - 1) / PER_DIR;
	int branch_levels = levels < 3 ? levels : 3;
	long fan = 1;

	if (levels == 0 && files > 100000) {
		fprintf(stderr, "fstree: depth 1 puts every file in one directory: at most "
		                "100000; use depth >= 2\n");
		return 2;
	}
	/* The smallest fan-out whose power covers all leaves. */
	for (fan = 1; branch_levels > 0; fan++) {
		long cover = 1;
		for (int i = 0; i < branch_levels && cover < leaves; i++)
			cover *= fan;
		if (cover >= leaves)
			break;
	}
	if (levels == 0)
		leaves = 0;
	if (mkdir(dir, 0755) < 0)
		return fail("cannot create", dir);

	char path[PATH_MAX];
	long made = 0;
	if (levels == 0) {
		for (; made < files; made++) {
			snprintf(path, sizeof(path), "%s/f%05ld", dir, made);
			if (make_file(path, bytes, made) < 0)
				return fail("cannot create", path);
		}
	}
	for (long leaf = 0; levels > 0 && leaf < leaves; leaf++) {
		int len = snprintf(path, sizeof(path), "%s", dir);
		for (int c = 1; c <= levels - branch_levels; c++) {
			len += snprintf(path + len, sizeof(path) - (size_t)len, "/c%02d", c);
			if (leaf == 0 && mkdir_ok(path) < 0)
				return fail("cannot create", path);
		}
		long div = 1;
		for (int i = 1; i < branch_levels; i++)
			div *= fan;
		for (int i = 0; i < branch_levels; i++, div /= fan) {
			len += snprintf(path + len, sizeof(path) - (size_t)len, "/d%ld",
			                (leaf / div) % fan);
			if (mkdir_ok(path) < 0)
				return fail("cannot create", path);
		}
		if ((size_t)len + 16 >= sizeof(path)) {
			fprintf(stderr, "fstree: path too long at depth %d\n", depth);
			return 2;
		}
		for (int f = 0; f < PER_DIR && made < files; f++, made++) {
			snprintf(path + len, sizeof(path) - (size_t)len, "/f%03d", f);
			if (make_file(path, bytes, made) < 0)
				return fail("cannot create", path);
		}
	}
	printf("files=%ld depth=%d leaf_dirs=%ld fan_out=%ld\n", made, depth, leaves, fan);
	return 0;
}

struct walk {
	unsigned long files, dirs;
	int maxdepth;
	char path[PATH_MAX]; /* for messages */
};

/* Walks the directory open at FD (named w->path, of length LEN). */
static int walk_dir(struct walk *w, int fd, size_t len, int depth)
{
	DIR *d = fdopendir(fd);
	if (!d) {
		close(fd);
		return fail("cannot read", w->path);
	}
	w->dirs++;
	struct dirent *e;
	int rc = 0;
	errno = 0;
	while (rc == 0 && (e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(w->path + len, sizeof(w->path) - len, "/%s", e->d_name);
		size_t sublen = len + 1 + strlen(e->d_name);
		struct stat st;
		if (fstatat(dirfd(d), e->d_name, &st, AT_SYMLINK_NOFOLLOW) < 0) {
			rc = fail("cannot stat", w->path);
		} else if (S_ISDIR(st.st_mode)) {
			int sub = openat(dirfd(d), e->d_name,
			                 O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
			rc = sub < 0 ? fail("cannot open", w->path)
			             : walk_dir(w, sub, sublen, depth + 1);
		} else if (S_ISREG(st.st_mode)) {
			int f = openat(dirfd(d), e->d_name,
			               O_RDONLY | O_NOFOLLOW | O_NOCTTY | O_CLOEXEC);
			if (f < 0) {
				rc = fail("cannot open", w->path);
			} else {
				close(f);
				w->files++;
				if (depth > w->maxdepth)
					w->maxdepth = depth;
			}
		}
		w->path[len] = '\0';
		errno = 0;
	}
	if (rc == 0 && errno)
		rc = fail("cannot read", w->path);
	closedir(d);
	return rc;
}

static int tree_walk(const char *dir)
{
	static struct walk w;
	snprintf(w.path, sizeof(w.path), "%s", dir);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return fail("cannot open", dir);
	if (walk_dir(&w, fd, strlen(w.path), 1) != 0)
		return 1;
	printf("files=%lu dirs=%lu maxdepth=%d\n", w.files, w.dirs, w.maxdepth);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 5 && argc <= 6 && !strcmp(argv[1], "make"))
		return tree_make(argv[2], parse_num(argv[3], 1, 10000000, "FILES"),
		                 (int)parse_num(argv[4], 1, 200, "DEPTH"),
		                 argc == 6 ? parse_num(argv[5], 0, 1 << 20, "BYTES") : 0);
	if (argc == 3 && !strcmp(argv[1], "walk"))
		return tree_walk(argv[2]);
	fprintf(stderr, "usage: fstree make DIR FILES DEPTH [BYTES]\n"
	                "       fstree walk DIR\n");
	return 2;
}
