/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_malformed.c - every malformed policy is refused with its exact
 * message at its exact line (one cmocka test per row of the table), and the
 * file checks of a trusted load: owner, mode, symlink, missing file, size,
 * not a regular file, relative path.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "unit.h"

struct row {
	const char *name;
	const char *text;
	size_t len; /* 0: strlen(text) */
	int line;   /* 0: not about a line */
	const char *msg;
};

/* Skeletons.  HEAD is line 1.  With PROF(body), "profiles = {" is line 2,
 * "p = {" line 3 and the body starts at line 4; with FS(entries) inside it,
 * "filesystem = (" is line 4 and the entries start at line 5.  With
 * MATCHES(entries), "match = (" is line 3 and the entries start at line 4. */
#define HEAD             "version = 1;\n"
#define PROF(body)       "profiles = {\n  p = {\n" body "  };\n};\n"
#define FS(entries)      "    filesystem = (\n" entries "    );\n"
#define MATCH_DEF        "match = ( { default = true; profile = \"p\"; } );\n"
#define P_CONF(body)     HEAD PROF(body) MATCH_DEF
#define FS_CONF(entries) P_CONF(FS(entries))
#define MATCHES(entries)                                                                           \
	HEAD "profiles = { p = { }; };\n"                                                          \
	     "match = (\n" entries ");\n"

/* clang-format off */
static struct row rows[] = {
	/* ---- syntax and top level ---- */
	{ "syntax error", HEAD "profiles = {\n  p = { logging = ; };\n};\n" MATCH_DEF, 0, 3,
	  "syntax error" },
	{ "stray brace", HEAD "profiles = {\n  p = { };\n}};\n" MATCH_DEF, 0, 4,
	  "syntax error" },
	{ "duplicate key", HEAD "version = 1;\n" PROF("") MATCH_DEF, 0, 2,
	  "syntax error: duplicate setting name" },
	{ "duplicate profile", HEAD "profiles = {\n  p = { };\n  p = { };\n};\n" MATCH_DEF, 0, 4,
	  "syntax error: duplicate setting name" },
	{ "missing version", PROF("") MATCH_DEF, 0, 0, "no 'version'" },
	{ "version 2", "version = 2;\n" PROF("") MATCH_DEF, 0, 1, "unsupported policy version" },
	{ "version 0", "\nversion = 0;\n" PROF("") MATCH_DEF, 0, 2, "unsupported policy version" },
	{ "version as string", "version = \"1\";\n" PROF("") MATCH_DEF, 0, 1,
	  "'version' must be a number, not a string" },
	{ "version as decimal", "version = 1.0;\n" PROF("") MATCH_DEF, 0, 1,
	  "'version' must be a number, not a decimal number" },
	{ "unknown top-level key", HEAD PROF("") MATCH_DEF "settings = { };\n", 0, 7,
	  "unknown key 'settings' in the top level" },
	{ "missing profiles", HEAD MATCH_DEF, 0, 0, "no 'profiles'" },
	{ "missing match", HEAD PROF(""), 0, 0, "no 'match'" },
	{ "profiles not a group", HEAD "profiles = ( );\n" MATCH_DEF, 0, 2,
	  "'profiles' must be a group { }, not a list ( )" },
	{ "match not a list", HEAD PROF("") "match = { default = true; profile = \"p\"; };\n", 0, 6,
	  "'match' must be a list ( ), not a group { }" },
	{ "@include", HEAD "  @include \"/etc/passwd\"\n" PROF("") MATCH_DEF, 0, 2,
	  "@include is not allowed in a policy" },
	{ "NUL byte", HEAD "\0" PROF("") MATCH_DEF, sizeof(HEAD "\0" PROF("") MATCH_DEF) - 1, 0,
	  "policy contains a NUL byte" },

	/* ---- profiles ---- */
	{ "unknown profile key", P_CONF("    filesystem = ( );\n    netwrok = { };\n"), 0, 5,
	  "unknown key 'netwrok' in a profile" },
	{ "profile not a group", HEAD "profiles = {\n  p = \"read_only\";\n};\n" MATCH_DEF, 0, 3,
	  "'p' must be a group { }, not a string" },
	{ "profile named unconfined", HEAD "profiles = {\n  p = { };\n  unconfined = { };\n};\n" MATCH_DEF,
	  0, 4, "profile name 'unconfined' is reserved for exemptions" },
	{ "bad compatibility", P_CONF("\n    compatibility = \"strict\";\n"), 0, 5,
	  "'compatibility' has unknown value \"strict\"" },
	{ "compatibility as boolean", P_CONF("    compatibility = true;\n"), 0, 4,
	  "'compatibility' must be a string, not a boolean" },
	{ "bad logging", P_CONF("    logging = \"verbose\";\n"), 0, 4,
	  "'logging' has unknown value \"verbose\"" },
	{ "min_abi 0", P_CONF("    min_abi = 0;\n"), 0, 4, "min_abi is out of range" },
	{ "min_abi 11", P_CONF("    min_abi = 11;\n"), 0, 4, "min_abi is out of range" },
	{ "min_abi as string", P_CONF("    min_abi = \"7\";\n"), 0, 4,
	  "'min_abi' must be a number, not a string" },
	{ "no_new_privs as string", P_CONF("    no_new_privs = \"yes\";\n"), 0, 4,
	  "'no_new_privs' must be a boolean, not a string" },
	{ "log_subdomains as number", P_CONF("    log_subdomains = 1;\n"), 0, 4,
	  "'log_subdomains' must be a boolean, not a number" },
	{ "extends not a name", P_CONF("    extends = 3;\n"), 0, 4,
	  "'extends' must be a string or a list of strings" },
	/* Errors about the extends chain are reported at the profile's line. */
	{ "extends unknown profile", P_CONF("    extends = \"nope\";\n"), 0, 4,
	  "profile 'p' extends unknown profile 'nope'" },
	{ "extends itself", P_CONF("    extends = [\"p\"];\n"), 0, 4,
	  "profile 'p' extends itself through a loop" },
	{ "extends 2-cycle",
	  HEAD "profiles = {\n  a = { extends = \"b\"; };\n  b = { extends = \"a\"; };\n};\n"
	       "match = ( { default = true; profile = \"a\"; } );\n",
	  0, 3, "profile 'a' extends itself through a loop" },
	{ "extends cycle below",
	  HEAD "profiles = {\n  a = { extends = \"b\"; };\n  b = { extends = \"c\"; };\n"
	       "  c = { extends = [\"a\", \"b\"]; };\n};\nmatch = ( { default = true; profile = \"a\"; } );\n",
	  0, 3, "profile 'a' extends itself through a loop" },
	{ "extends cycle not through the first",
	  HEAD "profiles = {\n  a = { extends = \"b\"; };\n  b = { extends = \"c\"; };\n"
	       "  c = { extends = [\"b\"]; };\n};\nmatch = ( { default = true; profile = \"a\"; } );\n",
	  0, 4, "profile 'b' extends itself through a loop" },

	/* ---- filesystem ---- */
	{ "filesystem not a list", P_CONF("    filesystem = { path = \"/usr\"; access = \"read_only\"; };\n"),
	  0, 4, "'filesystem' must be a list ( ) of { path, access } entries" },
	/* A string as the last element of a list gets the line of the token
	 * after it from libconfig: keep the closing bracket on its line. */
	{ "filesystem entry not a group",
	  P_CONF("    filesystem = (\n      { path = \"/usr\"; access = \"read_only\"; },\n"
	         "      \"/etc\" );\n"),
	  0, 6,
	  "'filesystem entry' must be a group { }, not a string" },
	{ "unknown filesystem key",
	  FS_CONF("      { path = \"/usr\";\n        access = \"read_exec\";\n        recursive = true; }\n"),
	  0, 7, "unknown key 'recursive' in a filesystem entry" },
	{ "missing path", FS_CONF("      {\n        access = \"read_only\";\n      }\n"), 0, 5,
	  "filesystem entry has no 'path'" },
	{ "missing access", FS_CONF("      { path = \"/usr\"; },\n      {\n        path = \"/etc\";\n      }\n"),
	  0, 5, "filesystem entry for '/usr' has no 'access'" },
	{ "path not a string", FS_CONF("      { path = [\"/usr\"]; access = \"read_only\"; }\n"), 0, 5,
	  "'path' must be a string, not an array [ ]" },
	{ "relative path", FS_CONF("      { access = \"read_only\";\n        path = \"usr/bin\"; }\n"), 0, 6,
	  "path 'usr/bin' is not absolute" },
	{ "empty path", FS_CONF("      { path = \"\"; access = \"read_only\"; }\n"), 0, 5,
	  "path '' is not absolute" },
	{ "path from a variable not absolute", FS_CONF("      { path = \"${USER}/x\"; access = \"read_only\"; }\n"),
	  0, 5, "path '${USER}/x' is not absolute" },
	{ "unknown variable", FS_CONF("      { path = \"/home/${LOGNAME}\"; access = \"read_only\"; }\n"),
	  0, 5, "unknown variable '${LOGNAME}' in path '/home/${LOGNAME}'" },
	{ "lower-case variable", FS_CONF("      { path = \"/home/${home}\"; access = \"read_only\"; }\n"),
	  0, 5, "unknown variable '${home}' in path '/home/${home}'" },
	{ "unterminated variable", FS_CONF("      { path = \"${HOME/x\"; access = \"read_only\"; }\n"), 0, 5,
	  "bad variable syntax in path '${HOME/x'" },
	{ "variable without braces", FS_CONF("      { path = \"/home/$USER\"; access = \"read_only\"; }\n"),
	  0, 5, "bad variable syntax in path '/home/$USER'" },
	{ "'..' in path", FS_CONF("      { path = \"/usr/../etc\"; access = \"read_only\"; }\n"), 0, 5,
	  "path '/usr/../etc' contains '..'" },
	{ "trailing '..'", FS_CONF("      { path = \"${HOME}/..\"; access = \"read_only\"; }\n"), 0, 5,
	  "path '${HOME}/..' contains '..'" },
	{ "unknown right",
	  FS_CONF("      { path = \"/usr\";\n        access = [\"read_file\",\n                  \"read_everything\"]; }\n"),
	  0, 7, "unknown right 'read_everything'" },
	{ "unknown shorthand", FS_CONF("      { path = \"/usr\"; access = \"readonly\"; }\n"), 0, 5,
	  "unknown right 'readonly'" },
	{ "rights are case-sensitive", FS_CONF("      { path = \"/usr\"; access = \"READ_FILE\"; }\n"), 0, 5,
	  "unknown right 'READ_FILE'" },
	{ "network right in access",
	  FS_CONF("      { path = \"/usr\";\n        access = [\"read_file\", \"connect_tcp\"]; }\n"), 0, 6,
	  "'connect_tcp' is not a filesystem right" },
	{ "scope in access", FS_CONF("      { path = \"/usr\";\n        access = \"signal\"; }\n"), 0, 6,
	  "'signal' is not a filesystem right" },
	{ "access as number", FS_CONF("      { path = \"/usr\"; access = 7; }\n"), 0, 5,
	  "'access' must be a string or a list of strings" },
	{ "empty access list", FS_CONF("      { path = \"/usr\"; access = []; }\n"), 0, 5,
	  "'access' is empty" },
	{ "access list with a number", FS_CONF("      { path = \"/usr\"; access = (\"read_file\", 4); }\n"), 0,
	  5, "'access' must hold only strings" },
	{ "bad missing value",
	  FS_CONF("      { path = \"/usr\"; access = \"read_only\";\n        missing = \"ignore\"; }\n"), 0, 6,
	  "'missing' is \"ignore\"" },
	{ "missing as boolean", FS_CONF("      { path = \"/usr\"; access = \"read_only\"; missing = true; }\n"),
	  0, 5, "'missing' must be a string, not a boolean" },

	/* ---- network and scope ---- */
	{ "network not a group", P_CONF("    network = ( \"connect_tcp\" );\n"), 0, 4,
	  "'network' must be a group { }, not a list ( )" },
	{ "unknown network key", P_CONF("    network = {\n      connect_udp = [53];\n    };\n"), 0, 5,
	  "unknown key 'connect_udp' in network" },
	{ "filesystem right as network key", P_CONF("    network = { read_file = [1]; };\n"), 0, 4,
	  "unknown key 'read_file' in network" },
	{ "port -1", P_CONF("    network = {\n      connect_tcp = [22,\n                     -1];\n    };\n"),
	  0, 6, "port -1 in 'connect_tcp' is out of range" },
	{ "port 70000", P_CONF("    network = { bind_tcp = [70000]; };\n"), 0, 4,
	  "port 70000 in 'bind_tcp' is out of range" },
	{ "port 65536", P_CONF("    network = { connect_send_udp = [65535, 65536]; };\n"), 0, 4,
	  "port 65536 in 'connect_send_udp' is out of range" },
	{ "port as string", P_CONF("    network = { connect_tcp = [\"22\"]; };\n"), 0, 4,
	  "'connect_tcp' holds something that is not a port number" },
	{ "port as decimal", P_CONF("    network = { bind_udp = (53, 22.5); };\n"), 0, 4,
	  "'bind_udp' holds something that is not a port number" },
	{ "port not in a list", P_CONF("    network = { connect_tcp = 22; };\n"), 0, 4,
	  "'connect_tcp' must be a list of port numbers" },
	{ "unknown scope", P_CONF("    scope = [\"signal\",\n             \"ptrace\"];\n"), 0, 5,
	  "unknown scope 'ptrace'" },
	{ "filesystem right as scope", P_CONF("    scope = \"read_file\";\n"), 0, 4,
	  "unknown scope 'read_file'" },
	{ "empty scope list", P_CONF("    scope = [];\n"), 0, 4, "'scope' is empty" },

	/* ---- match ---- */
	{ "match entry not a group", MATCHES("  { user = \"bob\"; profile = \"p\"; },\n  \"alice\""), 0, 5,
	  "'match entry' must be a group { }, not a string" },
	{ "user and group", MATCHES("  { user = \"a\";\n    group = \"b\"; profile = \"p\"; }\n"), 0, 4,
	  "match entry names more than one of user, group, default" },
	{ "group and default",
	  MATCHES("  { default = true; profile = \"p\"; },\n  { group = \"b\"; default = true; profile = \"p\"; }\n"),
	  0, 5, "match entry names more than one of user, group, default" },
	{ "neither user, group nor default", MATCHES("  { service = \"sshd\"; profile = \"p\"; }\n"), 0, 4,
	  "match entry names none of user, group, default" },
	{ "default = false", MATCHES("  { profile = \"p\";\n    default = false; }\n"), 0, 5,
	  "'default' can only be true" },
	{ "default as string", MATCHES("  { default = \"yes\"; profile = \"p\"; }\n"), 0, 4,
	  "'default' must be a boolean, not a string" },
	{ "missing profile", MATCHES("  {\n    user = \"alice\";\n  }\n"), 0, 4,
	  "match entry has no 'profile'" },
	{ "unknown profile", MATCHES("  { user = \"alice\";\n    profile = \"admin\"; }\n"), 0, 5,
	  "match entry names unknown profile 'admin'" },
	{ "profile not a string", MATCHES("  { user = \"alice\"; profile = [\"p\"]; }\n"), 0, 4,
	  "'profile' must be a string, not an array [ ]" },
	{ "unknown match key", MATCHES("  { users = \"alice\"; profile = \"p\"; }\n"), 0, 4,
	  "unknown key 'users' in a match entry" },
	{ "user list with a number", MATCHES("  { user = (\"alice\",\n            3); profile = \"p\"; }\n"),
	  0, 5, "'user' must hold only strings" },
	{ "empty user list", MATCHES("  { user = []; profile = \"p\"; }\n"), 0, 4, "'user' is empty" },
	{ "user as number", MATCHES("  { user = 0; profile = \"p\"; }\n"), 0, 4,
	  "'user' must be a string or a list of strings" },
	{ "empty group name in a list", MATCHES("  { group = [\"wheel\", \"\"]; profile = \"p\"; }\n"), 0, 4,
	  "'group' holds an empty name" },
	{ "empty service list", MATCHES("  { default = true; service = []; profile = \"p\"; }\n"), 0, 4,
	  "'service' is empty" },
	{ "from a host name", MATCHES("  { default = true; profile = \"p\";\n    from = \"office.example.com\"; }\n"),
	  0, 5, "bad address 'office.example.com' in 'from': host names are not accepted" },
	{ "from a host name in a list",
	  MATCHES("  { default = true; profile = \"p\"; from = [\"10.0.0.0/8\",\n    \"vpn.example.com\"]; }\n"),
	  0, 5, "bad address 'vpn.example.com' in 'from': host names are not accepted" },
	{ "from with host bits", MATCHES("  { default = true; profile = \"p\"; from = \"10.1.2.3/8\"; }\n"),
	  0, 4, "bad address '10.1.2.3/8' in 'from': bits are set after the prefix (did you mean 10.0.0.0/8?)" },
	{ "from prefix too long", MATCHES("  { default = true; profile = \"p\"; from = \"2001:db8::/129\"; }\n"),
	  0, 4, "bad address '2001:db8::/129' in 'from': the prefix length must be a number from 0 to 128" },
	{ "from as number", MATCHES("  { default = true; profile = \"p\"; from = 10; }\n"), 0, 4,
	  "'from' must be a string or a list of strings" },
	{ "empty from list", MATCHES("  { default = true; profile = \"p\"; from = []; }\n"), 0, 4,
	  "'from' is empty" },
	/* An empty name written as a single string must be refused like one in a
	 * list: it can never match, so the entry would silently do nothing. */
	{ "empty user name", MATCHES("  { profile = \"p\";\n    user = \"\"; }\n"), 0, 5,
	  "'user' holds an empty name" },
};
/* clang-format on */
#define NROWS (sizeof(rows) / sizeof(rows[0]))

static void test_row(void **state)
{
	const struct row *r = *state;
	size_t len = r->len ? r->len : strlen(r->text);
	char *path = ut_write(r->text, len, 0644);
	struct ll_policy *pol = (struct ll_policy *)1;
	struct ll_diag d;
	memset(&d, 0, sizeof(d));
	int rc = ll_policy_load(path, ut_load_flags(), &pol, NULL, &d, NULL);
	char file[4200];
	snprintf(file, sizeof(file), "%s", path);
	unlink(path);
	free(path);
	if (rc == 0) {
		ll_policy_free(pol);
		fail_msg("accepted: expected line %d: %s", r->line, r->msg);
	}
	assert_int_equal(rc, -1);
	assert_null(pol);
	if (strcmp(d.msg, r->msg) != 0 || d.line != r->line)
		print_error("got %s:%d: %s\n", d.file, d.line, d.msg);
	ut_assert_diag(&d, file, r->line, r->msg);
}

/* ---- the file itself ---- */

static const char valid[] = HEAD PROF("") MATCH_DEF;

static void expect_load_error(const char *path, unsigned flags, const char *msg)
{
	struct ll_policy *pol = NULL;
	struct ll_diag d = {0};
	assert_int_equal(ll_policy_load(path, flags, &pol, NULL, &d, NULL), -1);
	assert_null(pol);
	ut_assert_diag(&d, path, 0, msg);
}

static void expect_load_ok(const char *path, unsigned flags)
{
	struct ll_policy *pol = NULL;
	struct ll_diag d = {0};
	if (ll_policy_load(path, flags, &pol, NULL, &d, NULL) != 0)
		fail_msg("%s:%d: %s", d.file, d.line, d.msg);
	ll_policy_free(pol);
}

static void test_not_root_owned(void **state)
{
	ut_need_root("chown");
	char *p = ut_write(valid, 0, 0644);
	expect_load_ok(p, LL_LOAD_TRUSTED);
	assert_int_equal(chown(p, 65534, 0), 0);
	expect_load_error(p, LL_LOAD_TRUSTED, "policy is owned by uid 65534, not root");
	/* Only the trusted load checks the owner. */
	expect_load_ok(p, 0);
	free(p);
}

static void test_group_writable(void **state)
{
	ut_need_root("root-owned policy files");
	char *p = ut_write(valid, 0, 0664);
	expect_load_error(p, LL_LOAD_TRUSTED, "policy is writable by group or others (mode 0664)");
	expect_load_ok(p, 0);
	assert_int_equal(chmod(p, 0646), 0);
	expect_load_error(p, LL_LOAD_TRUSTED, "policy is writable by group or others (mode 0646)");
	assert_int_equal(chmod(p, 0444), 0);
	expect_load_ok(p, LL_LOAD_TRUSTED);
	free(p);
}

static void test_symlink(void **state)
{
	char *p = ut_write(valid, 0, 0644);
	char *link = ut_path("link.conf");
	assert_int_equal(symlink(p, link), 0);
	expect_load_error(link, ut_load_flags(),
	                  "cannot open policy: Too many levels of symbolic links");
	expect_load_error(link, 0, "cannot open policy: Too many levels of symbolic links");
	expect_load_ok(p, ut_load_flags());
	free(link);
	free(p);
}

static void test_nonexistent(void **state)
{
	char *p = ut_path("does-not-exist.conf");
	expect_load_error(p, ut_load_flags(), "cannot open policy: No such file or directory");
	free(p);
}

static void test_not_regular(void **state)
{
	char *p = ut_mkdir("policy-dir");
	expect_load_error(p, ut_load_flags(), "policy is not a regular file");
	free(p);
}

static void test_relative_path(void **state)
{
	expect_load_error("landlock.conf", LL_LOAD_TRUSTED, "policy path is not absolute");
}

/* At most 1 MiB: exactly 1 MiB loads, one byte more is refused. */
static void test_size_limit(void **state)
{
	size_t n = LL_POLICY_MAX_SIZE + 1;
	char *big = malloc(n + 1);
	assert_non_null(big);
	memset(big, ' ', n);
	memcpy(big, valid, sizeof(valid) - 1);
	big[n - 2] = '\n';
	char *p = ut_write(big, n - 1, 0644);
	expect_load_ok(p, ut_load_flags());
	free(p);
	p = ut_write(big, n, 0644);
	expect_load_error(p, ut_load_flags(), "policy is too large (1048577 bytes)");
	free(p);
	free(big);
}

int main(void)
{
	static const struct CMUnitTest files[] = {
	    cmocka_unit_test(test_not_root_owned), cmocka_unit_test(test_group_writable),
	    cmocka_unit_test(test_symlink),        cmocka_unit_test(test_nonexistent),
	    cmocka_unit_test(test_not_regular),    cmocka_unit_test(test_relative_path),
	    cmocka_unit_test(test_size_limit),
	};
	const size_t nfiles = sizeof(files) / sizeof(files[0]);
	struct CMUnitTest tests[NROWS + sizeof(files) / sizeof(files[0])];

	for (size_t i = 0; i < NROWS; i++)
		tests[i] = (struct CMUnitTest){
		    .name = rows[i].name, .test_func = test_row, .initial_state = (void *)&rows[i]};
	for (size_t i = 0; i < nfiles; i++)
		tests[NROWS + i] = files[i];
	return _cmocka_run_group_tests("malformed", tests, NROWS + nfiles, ut_group_setup,
	                               ut_group_teardown);
}
