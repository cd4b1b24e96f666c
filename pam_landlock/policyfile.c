/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * policyfile.c - opening landlock.conf safely: absolute path, no symlink,
 * regular file, owned by root and not writable by group or others (when
 * trusted), at most 1 MiB, no NUL byte and no @include (libconfig would read
 * the included file without any of these checks).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"

/* Opens PATH without following a final symlink and reads it whole. */
char *ll_policy_read_file(const char *path, unsigned flags, struct ll_diag *diag)
{
	struct stat st;
	int fd;
	char *buf;

	if (flags & LL_LOAD_TRUSTED && path[0] != '/') {
		ll_diag_set(diag, path, 0, "give an absolute path in conf=",
		            "policy path is not absolute");
		return NULL;
	}
	fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	if (fd < 0) {
		int e = errno;
		ll_diag_set(diag, path, 0,
		            e == ENOENT ? "install a policy (see landlock.conf(5)) or fix conf="
		            : e == ELOOP ? "the policy must be a regular file, not a symlink"
		                         : "check the file's permissions",
		            "cannot open policy: %s", strerror(e));
		return NULL;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		ll_diag_set(diag, path, 0, "the policy must be a regular file",
		            "policy is not a regular file");
		close(fd);
		return NULL;
	}
	if (flags & LL_LOAD_TRUSTED) {
		if (st.st_uid != 0) {
			ll_diag_set(diag, path, 0, "run: chown root: FILE",
			            "policy is owned by uid %u, not root", (unsigned)st.st_uid);
			close(fd);
			return NULL;
		}
		if (st.st_mode & (S_IWGRP | S_IWOTH)) {
			ll_diag_set(diag, path, 0, "run: chmod go-w FILE",
			            "policy is writable by group or others (mode %04o)",
			            (unsigned)(st.st_mode & 07777));
			close(fd);
			return NULL;
		}
	}
	if (st.st_size > LL_POLICY_MAX_SIZE) {
		ll_diag_set(diag, path, 0, "a policy is at most 1 MiB", "policy is too large (%lld bytes)",
		            (long long)st.st_size);
		close(fd);
		return NULL;
	}
	buf = malloc((size_t)st.st_size + 1);
	size_t got = 0;
	while (buf && got < (size_t)st.st_size) {
		ssize_t r = read(fd, buf + got, (size_t)st.st_size - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	if (!buf || got != (size_t)st.st_size) {
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

