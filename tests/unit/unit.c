/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unit.c - helpers shared by the cmocka unit tests (see unit.h): the private
 * temporary directory, policy files in it, a recording warning sink.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

static char dir[4096];

const char *ut_dir(void)
{
	return dir;
}

int ut_group_setup(void **state)
{
	const char *tmp = getenv("TMPDIR");
	if (!tmp || tmp[0] != '/')
		tmp = "/tmp";
	snprintf(dir, sizeof(dir), "%s/ll-unit-XXXXXX", tmp);
	if (!mkdtemp(dir)) {
		fprintf(stderr, "mkdtemp %s: %s\n", dir, strerror(errno));
		return -1;
	}
	return 0;
}

static int rm_one(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
	if (flag == FTW_DP)
		rmdir(path);
	else
		unlink(path);
	return 0;
}

int ut_group_teardown(void **state)
{
	if (dir[0])
		nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	dir[0] = '\0';
	return 0;
}

char *ut_path(const char *name)
{
	char *p = NULL;
	if (asprintf(&p, "%s/%s", dir, name) < 0)
		return NULL;
	return p;
}

char *ut_mkdir(const char *name)
{
	char *p = ut_path(name);
	assert_non_null(p);
	if (mkdir(p, 0755) < 0 && errno != EEXIST)
		fail_msg("mkdir %s: %s", p, strerror(errno));
	return p;
}

char *ut_write(const char *text, size_t len, mode_t mode)
{
	char *p = ut_path("policy-XXXXXX");
	assert_non_null(p);
	int fd = mkstemp(p);
	if (fd < 0)
		fail_msg("mkstemp %s: %s", p, strerror(errno));
	if (len == 0)
		len = strlen(text);
	for (size_t off = 0; off < len;) {
		ssize_t w = write(fd, text + off, len - off);
		if (w <= 0)
			fail_msg("write %s: %s", p, strerror(errno));
		off += (size_t)w;
	}
	assert_int_equal(fchmod(fd, mode), 0);
	assert_int_equal(close(fd), 0);
	return p;
}

unsigned ut_load_flags(void)
{
	return geteuid() == 0 ? LL_LOAD_TRUSTED : 0;
}

struct ll_policy *ut_load_ok(const char *text, char **path)
{
	struct ll_policy *pol = NULL;
	struct ll_diag d = {0};
	char *p = ut_write(text, 0, 0644);
	if (ll_policy_load(p, ut_load_flags(), &pol, NULL, &d, NULL) != 0)
		fail_msg("loading a valid policy failed: %s:%d: %s (%s)", d.file, d.line, d.msg,
		         d.hint);
	assert_non_null(pol);
	if (path)
		*path = p;
	else
		free(p);
	return pol;
}

void ut_need_root(const char *why)
{
	if (geteuid() == 0)
		return;
	const char *ci = getenv("CI");
	if (ci && strcmp(ci, "true") == 0)
		fail_msg("CI runs as root, but this test is not root (needed: %s)", why);
	print_message("skipped: not root (needed: %s)\n", why);
	skip();
}

void ut_warn_record(void *arg, const char *file, int line, const char *msg)
{
	struct ut_warnings *w = arg;
	if (w->n >= UT_MAXWARN)
		return;
	snprintf(w->file[w->n], sizeof(w->file[0]), "%s", file ? file : "");
	snprintf(w->msg[w->n], sizeof(w->msg[0]), "%s", msg);
	w->line[w->n] = line;
	w->n++;
}

int ut_count_fds(void)
{
	DIR *d = opendir("/proc/self/fd");
	int n = 0;
	if (!d)
		fail_msg("opendir /proc/self/fd: %s", strerror(errno));
	for (struct dirent *e; (e = readdir(d)) != NULL;)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n - 1; /* the directory's own fd */
}

void ut_check_diag(const struct ll_diag *d, const char *file, int line, const char *msg,
                   const char *src, int srcline)
{
	if (file)
		_assert_string_equal(d->file, file, src, srcline);
	_assert_string_equal(d->msg, msg, src, srcline);
	_assert_int_equal((LargestIntegralType)d->line, (LargestIntegralType)line, src, srcline);
	_assert_true(d->hint[0] != '\0', "the diagnostic has a hint", src, srcline);
}
