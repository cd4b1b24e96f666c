/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_varpath.c - the part of a rule's path that comes from a variable is
 * resolved beneath the fixed part before it, with no symlink: a user cannot
 * point "/base/${USER}" at another place by making /base/<user> a link.
 * A fixed path (no variable) is an ordinary path: its symlinks are followed.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sandbox.h"
#include "unit.h"

static char *base, *elsewhere, *conf;
static struct ll_policy *pol;

/* clang-format off */
#define CONF_FMT \
    "version = 1;\n"                                                              /* 1 */ \
    "profiles = {\n"                                                              /* 2 */ \
    "  user_dir = { filesystem = (\n"                                             /* 3 */ \
    "      { path = \"%1$s/${USER}\"; access = \"read_write\"; } ); };\n"         /* 4 */ \
    "  user_sub = { filesystem = (\n"                                             /* 5 */ \
    "      { path = \"%1$s/${USER}/sub\"; access = \"read_only\"; } ); };\n"      /* 6 */ \
    "  fixed = { filesystem = (\n"                                                /* 7 */ \
    "      { path = \"%1$s/fixedlink\"; access = \"read_only\"; } ); };\n"        /* 8 */ \
    "};\n"                                                                        /* 9 */ \
    "match = ( { default = true; profile = \"user_dir\"; } );\n"                  /* 10 */
/* clang-format on */

static int setup(void **state)
{
	char text[8192], p[4200];
	if (ut_group_setup(state) < 0)
		return -1;
	base = ut_mkdir("base");
	elsewhere = ut_mkdir("elsewhere");
	snprintf(p, sizeof(p), "%s/alice", base); /* a real directory */
	if (mkdir(p, 0755) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/alice/sub", base); /* a link inside it */
	if (symlink(elsewhere, p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/mallory", base); /* a planted link */
	if (symlink(elsewhere, p) < 0)
		return -1;
	snprintf(p, sizeof(p), "%s/fixedlink", base);
	if (symlink(elsewhere, p) < 0)
		return -1;
	snprintf(text, sizeof(text), CONF_FMT, base);
	pol = ut_load_ok(text, &conf);
	return 0;
}

static int teardown(void **state)
{
	ll_policy_free(pol);
	free(base);
	free(elsewhere);
	free(conf);
	return ut_group_teardown(state);
}

static int plan_for(const char *profile, const char *user, struct ll_plan *plan,
                    struct ll_diag *d)
{
	struct ll_resolved r;
	char name[64], home[] = "/nonexistent";
	snprintf(name, sizeof(name), "%s", user);
	struct ll_identity id = { .user = name, .uid = 4242, .gid = 4242, .home = home };
	assert_int_equal(ll_policy_resolve(pol, profile, &r, d), 0);
	int rc = ll_plan_build(&r, &id, 7, conf, 0, plan, d, NULL);
	if (rc == 0)
		ll_plan_free(plan);
	ll_resolved_free(&r);
	return rc;
}

static void test_real_directory(void **state)
{
	struct ll_plan plan;
	struct ll_diag d;
	(void)state;
	assert_int_equal(plan_for("user_dir", "alice", &plan, &d), 0);
}

static void test_planted_link_refused(void **state)
{
	struct ll_plan plan;
	struct ll_diag d;
	char msg[4300];
	(void)state;
	assert_int_equal(plan_for("user_dir", "mallory", &plan, &d), -1);
	snprintf(msg, sizeof(msg), "cannot open '%s/mallory': Too many levels of symbolic links",
	         base);
	ut_assert_diag(&d, conf, 4, msg);
	assert_non_null(strstr(d.hint, "must not contain a symlink"));
}

static void test_link_below_variable_refused(void **state)
{
	struct ll_plan plan;
	struct ll_diag d;
	char msg[4300];
	(void)state;
	assert_int_equal(plan_for("user_sub", "alice", &plan, &d), -1);
	snprintf(msg, sizeof(msg),
	         "cannot open '%s/alice/sub': Too many levels of symbolic links", base);
	ut_assert_diag(&d, conf, 6, msg);
}

static void test_fixed_path_follows_links(void **state)
{
	struct ll_plan plan;
	struct ll_diag d;
	(void)state;
	assert_int_equal(plan_for("fixed", "alice", &plan, &d), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_real_directory),
		cmocka_unit_test(test_planted_link_refused),
		cmocka_unit_test(test_link_below_variable_refused),
		cmocka_unit_test(test_fixed_path_follows_links),
	};
	return cmocka_run_group_tests_name("varpath", tests, setup, teardown);
}
