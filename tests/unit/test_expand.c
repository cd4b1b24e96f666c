/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_expand.c - path variables (ll_expand): each variable, several in one
 * path, unknown variables, bad syntax, empty values, results that are not
 * absolute, '..' components refused while '...' and 'a..b' are names.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

static char user[] = "alice", home[] = "/home/alice", svc[] = "sshd";

static struct ll_identity alice(void)
{
	return (struct ll_identity){
	    .user = user, .uid = 1234, .gid = 5678, .home = home, .service = svc};
}

static void expect(const struct ll_identity *id, const char *in, const char *out)
{
	struct ll_diag d = {0};
	char *got = ll_expand(in, id, "f.conf", 7, &d);
	if (!got)
		fail_msg("'%s' refused: %s", in, d.msg);
	assert_string_equal(got, out);
	free(got);
}

static void expect_error(const struct ll_identity *id, const char *in, const char *msg)
{
	struct ll_diag d = {0};
	char *got = ll_expand(in, id, "f.conf", 7, &d);
	if (got) {
		print_error("'%s' accepted as '%s'\n", in, got);
		free(got);
		fail();
	}
	ut_assert_diag(&d, "f.conf", 7, msg);
}

static void test_each_variable(void **state)
{
	struct ll_identity id = alice();
	expect(&id, "${HOME}", "/home/alice");
	expect(&id, "${HOME}/.cache", "/home/alice/.cache");
	expect(&id, "/var/mail/${USER}", "/var/mail/alice");
	expect(&id, "/run/user/${UID}", "/run/user/1234");
	expect(&id, "/srv/gid-${GID}/x", "/srv/gid-5678/x");
	expect(&id, "/plain/path", "/plain/path");
	expect(&id, "/", "/");
}

static void test_several(void **state)
{
	struct ll_identity id = alice();
	expect(&id, "${HOME}/${USER}/${UID}:${GID}", "/home/alice/alice/1234:5678");
	expect(&id, "/x/${USER}${USER}", "/x/alicealice");
	expect(&id, "/${UID}${GID}${UID}", "/123456781234");
	id.uid = 0;
	id.gid = 4294967294U;
	expect(&id, "/u${UID}/g${GID}", "/u0/g4294967294");
}

/* Without an identity (load time) only the syntax is checked. */
static void test_syntax_only(void **state)
{
	expect(NULL, "${HOME}/x", "/home/x/x");
	expect(NULL, "/var/mail/${USER}", "/var/mail/x");
	expect(NULL, "/run/user/${UID}/${GID}", "/run/user/0/0");
	expect_error(NULL, "/x/${SHELL}", "unknown variable '${SHELL}' in path '/x/${SHELL}'");
	expect_error(NULL, "${USER}", "path '${USER}' is not absolute");
}

static void test_unknown(void **state)
{
	struct ll_identity id = alice();
	expect_error(&id, "/x/${SHELL}", "unknown variable '${SHELL}' in path '/x/${SHELL}'");
	expect_error(&id, "${home}/x", "unknown variable '${home}' in path '${home}/x'");
	expect_error(&id, "/x/${}", "unknown variable '${}' in path '/x/${}'");
	expect_error(&id, "/x/${HOME }", "unknown variable '${HOME }' in path '/x/${HOME }'");
	expect_error(&id, "/x/${USERNAME}",
	             "unknown variable '${USERNAME}' in path '/x/${USERNAME}'");
}

static void test_bad_syntax(void **state)
{
	struct ll_identity id = alice();
	expect_error(&id, "${HOME", "bad variable syntax in path '${HOME'");
	expect_error(&id, "/x/${USER/y", "bad variable syntax in path '/x/${USER/y'");
	expect_error(&id, "/x/$HOME", "bad variable syntax in path '/x/$HOME'");
	expect_error(&id, "/x/$", "bad variable syntax in path '/x/$'");
	expect_error(&id, "/x/${HOME}/$(id)", "bad variable syntax in path '/x/${HOME}/$(id)'");
}

static void test_empty_value(void **state)
{
	struct ll_identity id = alice();
	char empty[] = "";
	id.home = empty;
	expect_error(&id, "${HOME}/x", "'${HOME}' is empty for this user (path '${HOME}/x')");
	id.home = NULL;
	expect_error(&id, "${HOME}", "'${HOME}' is empty for this user (path '${HOME}')");
	id = alice();
	id.user = empty;
	expect_error(&id, "/var/mail/${USER}",
	             "'${USER}' is empty for this user (path '/var/mail/${USER}')");
	/* An empty value is refused even where the path would not need it. */
	id = alice();
	id.home = empty;
	expect_error(&id, "/x/${HOME}", "'${HOME}' is empty for this user (path '/x/${HOME}')");
}

static void test_not_absolute(void **state)
{
	struct ll_identity id = alice();
	expect_error(&id, "", "path '' is not absolute");
	expect_error(&id, "home/alice", "path 'home/alice' is not absolute");
	expect_error(&id, "${USER}/x", "path '${USER}/x' is not absolute");
	expect_error(&id, "${UID}", "path '${UID}' is not absolute");
	/* A home that is not absolute makes ${HOME} paths relative. */
	char rel[] = "home/alice";
	id.home = rel;
	expect_error(&id, "${HOME}/x", "path '${HOME}/x' is not absolute");
}

static void test_dotdot(void **state)
{
	struct ll_identity id = alice();
	expect_error(&id, "/usr/../etc", "path '/usr/../etc' contains '..'");
	expect_error(&id, "/..", "path '/..' contains '..'");
	expect_error(&id, "/usr/..", "path '/usr/..' contains '..'");
	expect_error(&id, "${HOME}/../bob", "path '${HOME}/../bob' contains '..'");
	expect_error(&id, "/a/b/c/../../d", "path '/a/b/c/../../d' contains '..'");
	/* A '..' that comes from a variable's value is refused too. */
	char evil[] = "/home/../etc";
	id.home = evil;
	expect_error(&id, "${HOME}/x", "path '${HOME}/x' contains '..'");
	id = alice();
	char dots[] = "..";
	id.user = dots;
	expect_error(&id, "/var/mail/${USER}", "path '/var/mail/${USER}' contains '..'");

	/* Names that contain dots are not '..' components. */
	expect(&id, "/x/...", "/x/...");
	expect(&id, "/x/a..b", "/x/a..b");
	expect(&id, "/x/..a", "/x/..a");
	expect(&id, "/x/a..", "/x/a..");
	expect(&id, "/x/.../y", "/x/.../y");
	expect(&id, "/x/./y", "/x/./y");
	expect(&id, "/x/.", "/x/.");
	expect(&id, "/.hidden/..../z", "/.hidden/..../z");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_variable), cmocka_unit_test(test_several),
	    cmocka_unit_test(test_syntax_only),   cmocka_unit_test(test_unknown),
	    cmocka_unit_test(test_bad_syntax),    cmocka_unit_test(test_empty_value),
	    cmocka_unit_test(test_not_absolute),  cmocka_unit_test(test_dotdot),
	};
	return cmocka_run_group_tests_name("expand", tests, NULL, NULL);
}
