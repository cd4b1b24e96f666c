/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * unit.h - helpers shared by the cmocka unit tests: a private temporary
 * directory per test program, policy files written into it (mkstemp, root's
 * own when run as root), loading with the flags the module uses, a warning
 * sink that records, and the root/CI rule for tests that need privileges.
 */
#ifndef LL_UNIT_H
#define LL_UNIT_H

#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include <cmocka.h>

#include "policy.h"

/* Group fixtures: create / remove (recursively) the private directory. */
int ut_group_setup(void **state);
int ut_group_teardown(void **state);

/* The private directory (mode 0700), valid between the fixtures. */
const char *ut_dir(void);

/* A new path "DIR/NAME" (malloc'd); nothing is created. */
char *ut_path(const char *name);
/* mkdir DIR/NAME (0755) and return its path (malloc'd). */
char *ut_mkdir(const char *name);

/* Writes LEN bytes (strlen(TEXT) if LEN is 0) to a new mkstemp file in the
 * private directory with MODE; returns its path (malloc'd). */
char *ut_write(const char *text, size_t len, mode_t mode);

/* What the module passes to ll_policy_load(): LL_LOAD_TRUSTED as root.  Not
 * as root the temporary files are not root's, so the trusted checks are left
 * to the tests that need root. */
unsigned ut_load_flags(void);

/* Writes TEXT and loads it; asserts success (the diagnostic is printed on
 * failure).  *PATH (if not NULL) receives the file's path (malloc'd). */
struct ll_policy *ut_load_ok(const char *text, char **path);

/* Root is needed: returns when root; otherwise fails when CI=true, else
 * skips with the reason. */
void ut_need_root(const char *why);

/* A sink that records the warnings it receives. */
#define UT_MAXWARN 8
struct ut_warnings {
	int n;
	int line[UT_MAXWARN];
	char file[UT_MAXWARN][256];
	char msg[UT_MAXWARN][512];
};
void ut_warn_record(void *arg, const char *file, int line, const char *msg);

/* Number of open file descriptors of this process. */
int ut_count_fds(void);

/* Asserts that D holds FILE (unless NULL), LINE, exactly MSG, and a hint;
 * failures are reported at the caller's line. */
void ut_check_diag(const struct ll_diag *d, const char *file, int line, const char *msg,
                   const char *src, int srcline);
#define ut_assert_diag(d, file, line, msg)                                                         \
	ut_check_diag((d), (file), (line), (msg), __FILE__, __LINE__)

#endif /* LL_UNIT_H */
