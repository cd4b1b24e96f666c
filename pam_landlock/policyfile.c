/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * policyfile.c - opening landlock.conf safely: absolute path, no symlink,
 * regular file, owned by root and not writable by group or others (when
 * trusted), at most 1 MiB, no NUL byte and no @include (libconfig would read
 * the included file without any of these checks).
 *
 * When trusted, every directory on the way to the file is checked as sshd's
 * StrictModes does: owned by root, not writable by group or others, not a
 * symlink - whoever can write a directory on the path can rename another
 * file over the policy.  One exception: a root-owned directory with the
 * sticky bit (such as /tmp), where other users cannot rename or remove
 * entries they do not own.  The walk opens each directory from the one
 * before it (O_NOFOLLOW), so what is checked is what is read.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"

static int dir_trusted(const char *policy, const char *dir, int fd, struct ll_diag *diag)
{
	struct stat st;
	if (fstat(fd, &st) < 0) {
		ll_diag_set(diag, policy, 0, "check the directory", "cannot stat directory %s: %s",
		            dir, strerror(errno));
		return -1;
	}
	if (st.st_uid != 0) {
		char hint[PATH_MAX + 32];
		snprintf(hint, sizeof(hint), "run: chown root %s", dir);
		ll_diag_set(diag, policy, 0, hint,
		            "directory %s of the policy is owned by uid %u, not root: its owner can "
		            "put another file in the policy's place",
		            dir, (unsigned)st.st_uid);
		return -1;
	}
	if ((st.st_mode & (S_IWGRP | S_IWOTH)) && !(st.st_mode & S_ISVTX)) {
		char hint[PATH_MAX + 32];
		snprintf(hint, sizeof(hint), "run: chmod go-w %s", dir);
		ll_diag_set(diag, policy, 0, hint,
		            "directory %s of the policy is writable by group or others (mode %04o): "
		            "whoever can write it can put another file in the policy's place",
		            dir, (unsigned)(st.st_mode & 07777));
		return -1;
	}
	return 0;
}

/* Opens PATH (absolute) for reading: each directory on the way is opened
 * from the previous one without following symlinks and checked. */
static int open_trusted(const char *path, struct ll_diag *diag)
{
	char dir[PATH_MAX];
	size_t dlen = 1;
	int fd = open("/", O_PATH | O_DIRECTORY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	snprintf(dir, sizeof(dir), "/");
	if (dir_trusted(path, dir, fd, diag) < 0) {
		close(fd);
		errno = 0;
		return -1;
	}
	const char *c = path;
	for (;;) {
		while (*c == '/')
			c++;
		size_t n = strcspn(c, "/");
		if (c[n] == '\0')
			break; /* the file itself */
		if (n >= sizeof(dir) - dlen - 1) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		char comp[NAME_MAX + 1];
		if (n > NAME_MAX) {
			close(fd);
			errno = ENAMETOOLONG;
			return -1;
		}
		memcpy(comp, c, n);
		comp[n] = '\0';
		if (dlen > 1)
			dir[dlen++] = '/';
		memcpy(dir + dlen, comp, n + 1);
		dlen += n;
		int next = openat(fd, comp, O_PATH | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
		int e = errno;
		close(fd);
		if (next < 0) {
			if (e == ELOOP || e == ENOTDIR) {
				char hint[PATH_MAX + 64];
				snprintf(hint, sizeof(hint), "give the real path of the policy in conf= (see "
				                             "realpath %s)", path);
				ll_diag_set(diag, path, 0, hint,
				            "%s on the way to the policy is a symbolic link or not a directory",
				            dir);
				errno = 0;
			} else {
				errno = e;
			}
			return -1;
		}
		fd = next;
		if (dir_trusted(path, dir, fd, diag) < 0) {
			close(fd);
			errno = 0;
			return -1;
		}
		c += n;
	}
	int file = openat(fd, c, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	int e = errno;
	close(fd);
	errno = e;
	return file;
}

int ll_policy_open(const char *path, unsigned flags, struct stat *st, struct ll_diag *diag)
{
	int fd;

	if (flags & LL_LOAD_TRUSTED && path[0] != '/') {
		ll_diag_set(diag, path, 0, "give an absolute path in conf=",
		            "policy path is not absolute");
		return -1;
	}
	if (flags & LL_LOAD_TRUSTED) {
		fd = open_trusted(path, diag);
		if (fd < 0 && errno == 0)
			return -1; /* DIAG says why */
	} else {
		fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	}
	if (fd < 0) {
		int e = errno;
		ll_diag_set(diag, path, 0,
		            e == ENOENT ? "install a policy (see landlock.conf(5)) or fix conf="
		            : e == ELOOP ? "the policy must be a regular file, not a symlink"
		                         : "check the file's permissions",
		            "cannot open policy: %s", strerror(e));
		return -1;
	}
	if (fstat(fd, st) < 0 || !S_ISREG(st->st_mode)) {
		ll_diag_set(diag, path, 0, "the policy must be a regular file",
		            "policy is not a regular file");
		close(fd);
		return -1;
	}
	if (flags & LL_LOAD_TRUSTED) {
		if (st->st_uid != 0) {
			ll_diag_set(diag, path, 0, "run: chown root: FILE",
			            "policy is owned by uid %u, not root", (unsigned)st->st_uid);
			close(fd);
			return -1;
		}
		if (st->st_mode & (S_IWGRP | S_IWOTH)) {
			ll_diag_set(diag, path, 0, "run: chmod go-w FILE",
			            "policy is writable by group or others (mode %04o)",
			            (unsigned)(st->st_mode & 07777));
			close(fd);
			return -1;
		}
	}
	if (st->st_size > LL_POLICY_MAX_SIZE) {
		ll_diag_set(diag, path, 0, "a policy is at most 1 MiB", "policy is too large (%lld bytes)",
		            (long long)st->st_size);
		close(fd);
		return -1;
	}
	return fd;
}

char *ll_policy_read_fd(int fd, const struct stat *st, const char *path, struct ll_diag *diag)
{
	char *buf = malloc((size_t)st->st_size + 1);
	size_t got = 0;
	while (buf && got < (size_t)st->st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st->st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	if (!buf || got != (size_t)st->st_size) {
		ll_diag_set(diag, path, 0, NULL, "cannot read policy");
		free(buf);
		return NULL;
	}
	buf[got] = '\0';
	if (memchr(buf, '\0', got)) {
		ll_diag_set(diag, path, 0, "the policy must be text", "policy contains a NUL byte");
		free(buf);
		return NULL;
	}
	/* @include would read files this function has not checked. */
	int line = 1;
	for (const char *c = buf; *c; c++) {
		if (*c == '\n') {
			line++;
			continue;
		}
		if ((c == buf || c[-1] == '\n')) {
			const char *q = c;
			while (*q == ' ' || *q == '\t')
				q++;
			if (strncmp(q, "@include", 8) == 0) {
				ll_diag_set(diag, path, line, "put the whole policy in one file",
				            "@include is not allowed in a policy");
				free(buf);
				return NULL;
			}
		}
	}
	return buf;
}

char *ll_policy_read_file(const char *path, unsigned flags, struct ll_diag *diag)
{
	struct stat st;
	int fd = ll_policy_open(path, flags, &st, diag);
	if (fd < 0)
		return NULL;
	char *buf = ll_policy_read_fd(fd, &st, path, diag);
	close(fd);
	return buf;
}
