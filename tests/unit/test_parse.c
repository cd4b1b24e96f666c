/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_parse.c - a full valid landlock.conf loads and the policy structures
 * hold exactly what was written (rights compared with rights.h); "extends"
 * chains resolve parents first with settings overridden by children; the
 * shipped default policy loads.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rights.h"
#include "unit.h"

/* Line numbers are asserted below: keep them in step. */
/* clang-format off */
static const char full_conf[] =
    "# a full policy\n"                                                           /* 1 */
    "version = 1;\n"                                                              /* 2 */
    "profiles = {\n"                                                              /* 3 */
    "  base = {\n"                                                                /* 4 */
    "    compatibility = \"best_effort\";\n"                                      /* 5 */
    "    no_new_privs = true;\n"                                                  /* 6 */
    "    logging = \"forced\";\n"                                                 /* 7 */
    "    filesystem = (\n"                                                        /* 8 */
    "      { path = \"/usr\"; access = \"read_exec\"; },\n"                       /* 9 */
    "      { path = \"/etc\"; access = \"read_only\"; },\n"                       /* 10 */
    "      { path = \"/dev/null\"; access = [\"read_file\", \"write_file\"]; },\n" /* 11 */
    "      { access = [\"read_file\", \"write_file\", \"read_dir\",\n"            /* 12 */
    "                  \"ioctl_dev\"];\n"                                         /* 13 */
    "        path = \"/dev/pts\"; },\n"                                           /* 14 */
    "      { path = \"/opt\"; access = \"read_write\"; missing = \"skip\"; },\n"  /* 15 */
    "      { path = \"/srv\"; access = \"read_only\"; missing = \"refuse\"; }\n"  /* 16 */
    "    );\n"                                                                    /* 17 */
    "    scope = \"signal\";\n"                                                   /* 18 */
    "  };\n"                                                                      /* 19 */
    "  shell = {\n"                                                               /* 20 */
    "    extends = \"base\";\n"                                                   /* 21 */
    "    filesystem = (\n"                                                        /* 22 */
    "      { path = \"${HOME}\"; access = \"read_write_exec\"; },\n"              /* 23 */
    "      { path = \"/tmp\"; access = \"read_write\"; },\n"                      /* 24 */
    "      { path = \"/var/mail/${USER}\";\n"                                     /* 25 */
    "        access = [\"read_file\", \"write_file\", \"truncate\"]; }\n"         /* 26 */
    "    );\n"                                                                    /* 27 */
    "    network = {\n"                                                           /* 28 */
    "      connect_tcp = [22, 80, 443];\n"                                        /* 29 */
    "      bind_tcp = [];\n"                                                      /* 30 */
    "    };\n"                                                                    /* 31 */
    "    scope = [\"abstract_unix_socket\"];\n"                                   /* 32 */
    "    min_abi = 3;\n"                                                          /* 33 */
    "    log_subdomains = false;\n"                                               /* 34 */
    "  };\n"                                                                      /* 35 */
    "  strict = {\n"                                                              /* 36 */
    "    extends = [\"shell\"];\n"                                                /* 37 */
    "    compatibility = \"hard_requirement\";\n"                                 /* 38 */
    "    logging = \"off\";\n"                                                    /* 39 */
    "    no_new_privs = false;\n"                                                 /* 40 */
    "    network = { bind_udp = [53]; connect_send_udp = [53, 123];\n"            /* 41 */
    "                connect_tcp = [443, 8443]; };\n"                             /* 42 */
    "    filesystem = ( { path = \"/srv/${UID}/${GID}\";\n"                       /* 43 */
    "      access = [\"refer\", \"resolve_unix\", \"make_block\", \"make_char\",\n" /* 44 */
    "                \"execute\", \"remove_dir\"]; } );\n"                        /* 45 */
    "  };\n"                                                                      /* 46 */
    "  quiet = { logging = \"kernel_default\"; min_abi = 10; };\n"                /* 47 */
    "};\n"                                                                        /* 48 */
    "match = (\n"                                                                 /* 49 */
    "  { user = \"root\"; profile = \"unconfined\"; },\n"                         /* 50 */
    "  { group = [\"wheel\", \"adm\"]; service = [\"sshd\"];\n"                   /* 51 */
    "    profile = \"strict\"; },\n"                                              /* 52 */
    "  { user = [\"alice\", \"bob\"]; profile = \"shell\"; },\n"                  /* 53 */
    "  { default = true; service = \"cron\"; profile = \"base\"; },\n"            /* 54 */
    "  { default = true; profile = \"shell\"; }\n"                                /* 55 */
    ");\n";                                                                       /* 56 */
/* clang-format on */

struct want_rule {
	const char *path;
	uint64_t access;
	bool skip;
	int line;
};

static void check_rules(const struct ll_fs_rule *fs, size_t n, const struct want_rule *w, size_t nw)
{
	assert_int_equal(n, nw);
	for (size_t i = 0; i < nw; i++) {
		assert_string_equal(fs[i].path, w[i].path);
		assert_int_equal(fs[i].access, w[i].access);
		assert_int_equal(fs[i].skip_missing, w[i].skip);
		assert_int_equal(fs[i].line, w[i].line);
	}
}

static void check_strv(char **v, size_t n, const char *const *want, size_t nwant)
{
	assert_int_equal(n, nwant);
	for (size_t i = 0; i < nwant; i++)
		assert_string_equal(v[i], want[i]);
}

static void check_ports(const struct ll_ports *p, const uint16_t *want, size_t n)
{
	assert_int_equal(p->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(p->port[i], want[i]);
}

static const struct want_rule base_rules[] = {
    {"/usr", LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_EXECUTE, false, 9},
    {"/etc", LL_FS_READ_FILE | LL_FS_READ_DIR, false, 10},
    {"/dev/null", LL_FS_READ_FILE | LL_FS_WRITE_FILE, false, 11},
    /* The rule's line is its path's line. */
    {"/dev/pts", LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_READ_DIR | LL_FS_IOCTL_DEV, false, 14},
    {"/opt",
     LL_FS_READ_FILE | LL_FS_READ_DIR | LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE |
         LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO | LL_FS_MAKE_SYM |
         LL_FS_REFER | LL_FS_TRUNCATE,
     true, 15},
    {"/srv", LL_FS_READ_ONLY, false, 16},
};
static const struct want_rule shell_rules[] = {
    {"${HOME}", LL_FS_READ_WRITE | LL_FS_EXECUTE, false, 23},
    {"/tmp", LL_FS_READ_WRITE, false, 24},
    {"/var/mail/${USER}", LL_FS_READ_FILE | LL_FS_WRITE_FILE | LL_FS_TRUNCATE, false, 25},
};
static const struct want_rule strict_rules[] = {
    {"/srv/${UID}/${GID}",
     LL_FS_REFER | LL_FS_RESOLVE_UNIX | LL_FS_MAKE_BLOCK | LL_FS_MAKE_CHAR | LL_FS_EXECUTE |
         LL_FS_REMOVE_DIR,
     false, 43},
};

static void test_profiles(void **state)
{
	char *path;
	struct ll_policy *pol = ut_load_ok(full_conf, &path);

	assert_string_equal(pol->file, path);
	assert_int_equal(pol->nprofiles, 4);
	const struct ll_profile *base = ll_policy_profile(pol, "base");
	const struct ll_profile *shell = ll_policy_profile(pol, "shell");
	const struct ll_profile *strict = ll_policy_profile(pol, "strict");
	const struct ll_profile *quiet = ll_policy_profile(pol, "quiet");
	assert_non_null(base);
	assert_non_null(shell);
	assert_non_null(strict);
	assert_non_null(quiet);
	assert_null(ll_policy_profile(pol, "nope"));
	assert_null(ll_policy_profile(pol, "unconfined"));
	/* File order. */
	assert_ptr_equal(base, &pol->profiles[0]);
	assert_ptr_equal(quiet, &pol->profiles[3]);

	/* base */
	assert_string_equal(base->name, "base");
	assert_int_equal(base->line, 4);
	assert_int_equal(base->nextends, 0);
	check_rules(base->fs, base->nfs, base_rules, 6);
	assert_int_equal(base->net_handled, 0);
	for (int i = 0; i < LL_NET_NRIGHTS; i++)
		assert_int_equal(base->ports[i].n, 0);
	assert_int_equal(base->scoped, LL_SCOPE_SIGNAL);
	assert_int_equal(base->compat, LL_COMPAT_BEST_EFFORT);
	assert_int_equal(base->setting_line[0], 5);
	assert_int_equal(base->min_abi, -1);
	assert_int_equal(base->nnp, 1);
	assert_int_equal(base->logging, LL_LOG_FORCED);
	assert_int_equal(base->log_subdomains, -1);

	/* shell */
	static const char *const shell_ext[] = {"base"};
	assert_int_equal(shell->line, 20);
	check_strv(shell->extends, shell->nextends, shell_ext, 1);
	check_rules(shell->fs, shell->nfs, shell_rules, 3);
	assert_int_equal(shell->net_handled, LL_NET_CONNECT_TCP | LL_NET_BIND_TCP);
	static const uint16_t p_conn[] = {22, 80, 443};
	check_ports(&shell->ports[1], p_conn, 3);
	check_ports(&shell->ports[0], NULL, 0);
	check_ports(&shell->ports[2], NULL, 0);
	check_ports(&shell->ports[3], NULL, 0);
	assert_int_equal(shell->scoped, LL_SCOPE_ABSTRACT_UNIX_SOCKET);
	assert_int_equal(shell->compat, -1);
	assert_int_equal(shell->min_abi, 3);
	assert_int_equal(shell->nnp, -1);
	assert_int_equal(shell->logging, -1);
	assert_int_equal(shell->log_subdomains, 0);

	/* strict */
	static const char *const strict_ext[] = {"shell"};
	check_strv(strict->extends, strict->nextends, strict_ext, 1);
	check_rules(strict->fs, strict->nfs, strict_rules, 1);
	assert_int_equal(strict->net_handled,
	                 LL_NET_BIND_UDP | LL_NET_CONNECT_SEND_UDP | LL_NET_CONNECT_TCP);
	static const uint16_t p53[] = {53}, p_udp[] = {53, 123}, p_tls[] = {443, 8443};
	check_ports(&strict->ports[2], p53, 1);
	check_ports(&strict->ports[3], p_udp, 2);
	check_ports(&strict->ports[1], p_tls, 2);
	assert_int_equal(strict->scoped, 0);
	assert_int_equal(strict->compat, LL_COMPAT_HARD);
	assert_int_equal(strict->setting_line[0], 38);
	assert_int_equal(strict->nnp, 0);
	assert_int_equal(strict->logging, LL_LOG_OFF);

	/* quiet */
	assert_int_equal(quiet->line, 47);
	assert_int_equal(quiet->nfs, 0);
	assert_int_equal(quiet->logging, LL_LOG_KERNEL_DEFAULT);
	assert_int_equal(quiet->min_abi, 10);

	ll_policy_free(pol);
	free(path);
}

static void test_matches(void **state)
{
	struct ll_policy *pol = ut_load_ok(full_conf, NULL);
	static const char *const root[] = {"root"}, *const groups[] = {"wheel", "adm"},
	                         *const sshd[] = {"sshd"}, *const users[] = {"alice", "bob"},
	                         *const cron[] = {"cron"};
	const struct ll_match *m = pol->matches;

	assert_int_equal(pol->nmatches, 5);
	assert_int_equal(m[0].line, 50);
	check_strv(m[0].users, m[0].nusers, root, 1);
	assert_int_equal(m[0].ngroups + m[0].nservices, 0);
	assert_false(m[0].is_default);
	assert_string_equal(m[0].profile, "unconfined");

	assert_int_equal(m[1].line, 51);
	assert_int_equal(m[1].nusers, 0);
	check_strv(m[1].groups, m[1].ngroups, groups, 2);
	check_strv(m[1].services, m[1].nservices, sshd, 1);
	assert_string_equal(m[1].profile, "strict");

	assert_int_equal(m[2].line, 53);
	check_strv(m[2].users, m[2].nusers, users, 2);
	assert_string_equal(m[2].profile, "shell");

	assert_int_equal(m[3].line, 54);
	assert_true(m[3].is_default);
	check_strv(m[3].services, m[3].nservices, cron, 1);
	assert_int_equal(m[3].nusers + m[3].ngroups, 0);
	assert_string_equal(m[3].profile, "base");

	assert_int_equal(m[4].line, 55);
	assert_true(m[4].is_default);
	assert_int_equal(m[4].nservices, 0);
	assert_string_equal(m[4].profile, "shell");
	ll_policy_free(pol);
}

/* extends: parents' rules first, ports merged without duplicates, settings
 * of the child override, unset settings take the defaults. */
static void test_resolve(void **state)
{
	struct ll_policy *pol = ut_load_ok(full_conf, NULL);
	struct ll_resolved r;
	struct ll_diag d = {0};

	assert_int_equal(ll_policy_resolve(pol, "strict", &r, &d), 0);
	assert_string_equal(r.name, "strict");
	assert_int_equal(r.nfs, 6 + 3 + 1);
	const struct ll_profile *base = ll_policy_profile(pol, "base");
	const struct ll_profile *shell = ll_policy_profile(pol, "shell");
	const struct ll_profile *strict = ll_policy_profile(pol, "strict");
	for (size_t i = 0; i < 6; i++)
		assert_ptr_equal(r.fs[i], &base->fs[i]);
	for (size_t i = 0; i < 3; i++)
		assert_ptr_equal(r.fs[6 + i], &shell->fs[i]);
	assert_ptr_equal(r.fs[9], &strict->fs[0]);
	assert_int_equal(r.net_handled, LL_NET_ALL);
	static const uint16_t conn[] = {22, 80, 443, 8443}, p53[] = {53}, udp[] = {53, 123};
	check_ports(&r.ports[0], NULL, 0);
	check_ports(&r.ports[1], conn, 4);
	check_ports(&r.ports[2], p53, 1);
	check_ports(&r.ports[3], udp, 2);
	assert_int_equal(r.scoped, LL_SCOPE_ALL);
	assert_int_equal(r.compat, LL_COMPAT_HARD);
	assert_int_equal(r.min_abi, 3);
	assert_false(r.nnp);
	assert_int_equal(r.logging, LL_LOG_OFF);
	assert_false(r.log_subdomains);
	ll_resolved_free(&r);

	assert_int_equal(ll_policy_resolve(pol, "shell", &r, &d), 0);
	assert_int_equal(r.nfs, 9);
	assert_int_equal(r.scoped, LL_SCOPE_ALL);
	assert_int_equal(r.net_handled, LL_NET_BIND_TCP | LL_NET_CONNECT_TCP);
	assert_int_equal(r.compat, LL_COMPAT_BEST_EFFORT);
	assert_true(r.nnp);
	assert_int_equal(r.logging, LL_LOG_FORCED);
	assert_false(r.log_subdomains);
	ll_resolved_free(&r);

	/* Defaults: best effort, no minimum ABI, no_new_privs, forced logging,
	 * subdomains logged. */
	assert_int_equal(ll_policy_resolve(pol, "quiet", &r, &d), 0);
	assert_int_equal(r.nfs, 0);
	assert_int_equal(r.net_handled, 0);
	assert_int_equal(r.scoped, 0);
	assert_int_equal(r.compat, LL_COMPAT_BEST_EFFORT);
	assert_int_equal(r.min_abi, 10);
	assert_true(r.nnp);
	assert_int_equal(r.logging, LL_LOG_KERNEL_DEFAULT);
	assert_true(r.log_subdomains);
	ll_resolved_free(&r);

	assert_int_equal(ll_policy_resolve(pol, "nope", &r, &d), -1);
	assert_string_equal(d.msg, "unknown profile 'nope'");
	ll_policy_free(pol);
}

/* A diamond: d extends b and c, both extend a.  Later parents override
 * earlier ones, the child overrides all. */
static void test_resolve_diamond(void **state)
{
	static const char conf[] =
	    "version = 1;\n"
	    "profiles = {\n"
	    "  a = { filesystem = ( { path = \"/a\"; access = \"read_only\"; } );\n"
	    "        network = { bind_tcp = [1, 2]; }; logging = \"off\"; min_abi = 1; };\n"
	    "  b = { extends = \"a\"; network = { bind_tcp = [2, 3]; }; min_abi = 2; };\n"
	    "  c = { extends = \"a\"; logging = \"kernel_default\"; min_abi = 3; };\n"
	    "  d = { extends = [\"b\", \"c\"];\n"
	    "        filesystem = ( { path = \"/d\"; access = \"execute\"; } ); min_abi = 4; };\n"
	    "  e = { extends = [\"c\", \"b\"]; };\n"
	    "};\n"
	    "match = ( { default = true; profile = \"d\"; } );\n";
	struct ll_policy *pol = ut_load_ok(conf, NULL);
	struct ll_resolved r;
	struct ll_diag d = {0};

	assert_int_equal(ll_policy_resolve(pol, "d", &r, &d), 0);
	assert_true(r.nfs >= 2);
	assert_string_equal(r.fs[0]->path, "/a");
	assert_string_equal(r.fs[r.nfs - 1]->path, "/d");
	assert_int_equal(r.fs[r.nfs - 1]->access, LL_FS_EXECUTE);
	static const uint16_t ports[] = {1, 2, 3};
	check_ports(&r.ports[0], ports, 3);
	assert_int_equal(r.logging, LL_LOG_KERNEL_DEFAULT);
	assert_int_equal(r.min_abi, 4);
	ll_resolved_free(&r);

	assert_int_equal(ll_policy_resolve(pol, "e", &r, &d), 0);
	/* b comes last, and b's logging is a's. */
	assert_int_equal(r.min_abi, 2);
	assert_int_equal(r.logging, LL_LOG_OFF);
	ll_resolved_free(&r);
	ll_policy_free(pol);
}

/* The shipped policy loads and its profiles resolve. */
static void test_shipped_policy(void **state)
{
	const char *top = getenv("top_srcdir");
	char path[4096];
	struct ll_policy *pol = NULL;
	struct ll_diag d = {0};
	struct ll_resolved r;

	snprintf(path, sizeof(path), "%s/conf/landlock.conf", top ? top : UT_TOP_SRCDIR);
	if (ll_policy_load(path, 0, &pol, NULL, &d, NULL) != 0)
		fail_msg("%s:%d: %s", d.file, d.line, d.msg);
	for (size_t i = 0; i < pol->nprofiles; i++) {
		assert_int_equal(ll_policy_resolve(pol, pol->profiles[i].name, &r, &d), 0);
		ll_resolved_free(&r);
	}
	assert_int_equal(ll_policy_resolve(pol, "shell", &r, &d), 0);
	assert_true(r.nfs > 0);
	assert_true(r.nnp);
	ll_resolved_free(&r);
	ll_policy_free(pol);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_profiles),       cmocka_unit_test(test_matches),
	    cmocka_unit_test(test_resolve),        cmocka_unit_test(test_resolve_diamond),
	    cmocka_unit_test(test_shipped_policy),
	};
	return cmocka_run_group_tests_name("parse", tests, ut_group_setup, ut_group_teardown);
}
