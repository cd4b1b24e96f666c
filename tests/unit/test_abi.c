/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_abi.c - the plan (ll_plan_build) for every Landlock ABI 1..10 and
 * newer: what is handled and what is dropped, in masks and in the text the
 * logs carry; compatibility and min_abi refusals; Landlock missing; file
 * rules trimmed to file rights; missing paths; ${HOME} rules resolved
 * beneath the home directory.  ABIs are simulated: nothing is enforced.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ll_sys.h"
#include "sandbox.h"
#include "unit.h"

static char *conf_path, *dir, *file, *homedir;
static struct ll_policy *pol;
static char user[] = "alice";
/* The rule was opened on PATH's file (the plan keeps what it opened). */
static void same_file(const struct ll_plan_rule *rule, const char *path)
{
	struct stat b;
	assert_int_equal(stat(path, &b), 0);
	assert_int_equal(rule->dev, b.st_dev);
	assert_int_equal(rule->ino, b.st_ino);
}

static struct ll_identity id;

/* Line numbers are asserted below. */
/* clang-format off */
#define CONF_FMT \
    "version = 1;\n"                                                                     /* 1 */ \
    "profiles = {\n"                                                                     /* 2 */ \
    "  full = {\n"                                                                       /* 3 */ \
    "    filesystem = (\n"                                                               /* 4 */ \
    "      { path = \"%1$s\"; access = \"read_write_exec\"; },\n"                        /* 5 */ \
    "      { path = \"%2$s\"; access = \"read_write\"; },\n"                             /* 6 */ \
    "      { path = \"%1$s/nope\"; access = \"read_only\"; missing = \"skip\"; },\n"     /* 7 */ \
    "      { path = \"%2$s/sub\"; access = \"read_only\"; missing = \"skip\"; }\n"       /* 8 */ \
    "    );\n"                                                                           /* 9 */ \
    "    network = { bind_tcp = [8080]; connect_tcp = [22, 443];\n"                      /* 10 */ \
    "                bind_udp = [53]; connect_send_udp = [53, 123]; };\n"                /* 11 */ \
    "    scope = [\"abstract_unix_socket\", \"signal\"];\n"                              /* 12 */ \
    "    logging = \"forced\";\n"                                                        /* 13 */ \
    "  };\n"                                                                             /* 14 */ \
    "  hardfs = { compatibility = \"hard_requirement\";\n"                               /* 15 */ \
    "    filesystem = ( { path = \"%1$s\"; access = \"read_only\"; } ); };\n"            /* 16 */ \
    "  hardall = { extends = \"full\"; compatibility = \"hard_requirement\"; };\n"       /* 17 */ \
    "  needs8 = { extends = \"hardfs\"; compatibility = \"best_effort\"; min_abi = 8; };\n" /* 18 */ \
    "  missing = {\n"                                                                    /* 19 */ \
    "    filesystem = ( { path = \"%1$s/nope\"; access = \"read_only\"; } );\n"          /* 20 */ \
    "  };\n"                                                                             /* 21 */ \
    "  home = {\n"                                                                       /* 22 */ \
    "    filesystem = ( { path = \"${HOME}\"; access = \"read_only\"; },\n"              /* 23 */ \
    "      { path = \"${HOME}/inner/${USER}\"; access = \"read_write\"; },\n"            /* 24 */ \
    "      { path = \"${HOME}/inner2/${USER}/\"; access = \"read_only\"; },\n"           /* 25 */ \
    "      { path = \"%3$s/link\"; access = \"read_only\"; } );\n"                       /* 26 */ \
    "  };\n"                                                                             /* 27 */ \
    "  escape = {\n"                                                                     /* 28 */ \
    "    filesystem = ( { path = \"${HOME}/link\"; access = \"read_only\"; } );\n"       /* 29 */ \
    "  };\n"                                                                             /* 30 */ \
    "  escape_rel = {\n"                                                                 /* 31 */ \
    "    filesystem = ( { path = \"${HOME}/up/x\"; access = \"read_only\"; } );\n"       /* 32 */ \
    "  };\n"                                                                             /* 33 */ \
    "  quiet = { logging = \"off\"; log_subdomains = false; };\n"                        /* 34 */ \
    "  kdef = { logging = \"kernel_default\"; };\n"                                      /* 35 */ \
    "};\n"                                                                               /* 36 */ \
    "match = ( { default = true; profile = \"full\"; } );\n"                            /* 37 */
/* clang-format on */

static int setup(void **state)
{
	if (ut_group_setup(state) < 0)
		return -1;
	dir = ut_path("allowed");
	file = ut_path("file");
	homedir = ut_path("home");
	char *inner = ut_path("home/inner"), *inner_user = ut_path("home/inner/alice"),
	     *outside = ut_path("outside"), *link = ut_path("home/link"),
	     *inner2 = ut_path("home/inner2"), *up = ut_path("home/up");
	int fd;
	if (mkdir(dir, 0755) < 0 || mkdir(homedir, 0755) < 0 || mkdir(inner, 0755) < 0 ||
	    mkdir(inner_user, 0755) < 0 || mkdir(outside, 0755) < 0 ||
	    (fd = open(file, O_CREAT | O_WRONLY | O_CLOEXEC, 0644)) < 0 || close(fd) < 0 ||
	    symlink(dir, link) < 0 ||        /* absolute, leaves home */
	    symlink("inner", inner2) < 0 ||  /* relative, stays inside */
	    symlink("../outside", up) < 0) { /* relative, leaves home */
		perror("setup");
		return -1;
	}
	free(inner);
	free(inner_user);
	free(outside);
	free(link);
	free(inner2);
	free(up);

	char *text = NULL;
	struct ll_diag d = {0};
	if (asprintf(&text, CONF_FMT, dir, file, homedir) < 0)
		return -1;
	conf_path = ut_write(text, 0, 0644);
	free(text);
	if (ll_policy_load(conf_path, ut_load_flags(), &pol, NULL, &d, NULL) != 0) {
		fprintf(stderr, "%s:%d: %s\n", d.file, d.line, d.msg);
		return -1;
	}
	id = (struct ll_identity){.user = user, .uid = 1000, .gid = 1000, .home = homedir};
	return 0;
}

static int teardown(void **state)
{
	ll_policy_free(pol);
	free(conf_path);
	free(dir);
	free(file);
	free(homedir);
	return ut_group_teardown(state);
}

static void resolve(const char *name, struct ll_resolved *r)
{
	struct ll_diag d = {0};
	if (ll_policy_resolve(pol, name, r, &d) != 0)
		fail_msg("%s", d.msg);
}

/* Builds NAME's plan on ABI; asserts success. */
static void build(const char *name, int abi, struct ll_resolved *r, struct ll_plan *plan,
                  struct ut_warnings *w)
{
	struct ll_diag d = {0};
	struct ll_diag_sink sink = {ut_warn_record, w};
	resolve(name, r);
	memset(w, 0, sizeof(*w));
	if (ll_plan_build(r, &id, abi, conf_path, 0, plan, &d, &sink) != 0)
		fail_msg("%s on ABI %d: %s:%d: %s", name, abi, d.file, d.line, d.msg);
}

/* Builds NAME's plan on ABI; asserts the refusal; no descriptor is left open. */
static void refused(const char *name, int abi, int line, const char *msg, struct ll_diag *d)
{
	struct ll_resolved r;
	struct ll_plan plan;
	int fds = ut_count_fds();
	memset(d, 0, sizeof(*d));
	resolve(name, &r);
	assert_int_equal(ll_plan_build(&r, &id, abi, conf_path, 0, &plan, d, NULL), -1);
	assert_int_equal(plan.nrules, 0);
	assert_null(plan.rules);
	assert_int_equal(ut_count_fds(), fds);
	ll_resolved_free(&r);
	ut_assert_diag(d, conf_path, line, msg);
}

#define FS_V1 ((1ULL << 13) - 1) /* execute .. make_sym */
#define TCP   (LL_NET_BIND_TCP | LL_NET_CONNECT_TCP)
#define FLOG  LL_RESTRICT_SELF_LOG_NEW_EXEC_ON

static const struct {
	uint64_t fs, net, scope;
	uint32_t flags;
	const char *dropped;
} per_abi[] = {
    [1] = {FS_V1, 0, 0, 0,
           "fs.refer,fs.truncate,fs.ioctl_dev,fs.resolve_unix,net.bind_tcp,net.connect_tcp,"
           "net.bind_udp,net.connect_send_udp,scope.abstract_unix_socket,scope.signal,"
           "log_new_exec_on"},
    [2] = {FS_V1 | LL_FS_REFER, 0, 0, 0,
           "fs.truncate,fs.ioctl_dev,fs.resolve_unix,net.bind_tcp,net.connect_tcp,"
           "net.bind_udp,net.connect_send_udp,scope.abstract_unix_socket,scope.signal,"
           "log_new_exec_on"},
    [3] = {FS_V1 | LL_FS_REFER | LL_FS_TRUNCATE, 0, 0, 0,
           "fs.ioctl_dev,fs.resolve_unix,net.bind_tcp,net.connect_tcp,net.bind_udp,"
           "net.connect_send_udp,scope.abstract_unix_socket,scope.signal,log_new_exec_on"},
    [4] = {FS_V1 | LL_FS_REFER | LL_FS_TRUNCATE, TCP, 0, 0,
           "fs.ioctl_dev,fs.resolve_unix,net.bind_udp,net.connect_send_udp,"
           "scope.abstract_unix_socket,scope.signal,log_new_exec_on"},
    [5] = {FS_V1 | LL_FS_REFER | LL_FS_TRUNCATE | LL_FS_IOCTL_DEV, TCP, 0, 0,
           "fs.resolve_unix,net.bind_udp,net.connect_send_udp,scope.abstract_unix_socket,"
           "scope.signal,log_new_exec_on"},
    [6] = {LL_FS_ALL & ~LL_FS_RESOLVE_UNIX, TCP, LL_SCOPE_ALL, 0,
           "fs.resolve_unix,net.bind_udp,net.connect_send_udp,log_new_exec_on"},
    [7] = {LL_FS_ALL & ~LL_FS_RESOLVE_UNIX, TCP, LL_SCOPE_ALL, FLOG,
           "fs.resolve_unix,net.bind_udp,net.connect_send_udp"},
    [8] = {LL_FS_ALL & ~LL_FS_RESOLVE_UNIX, TCP, LL_SCOPE_ALL, FLOG,
           "fs.resolve_unix,net.bind_udp,net.connect_send_udp"},
    [9] = {LL_FS_ALL, TCP, LL_SCOPE_ALL, FLOG, "net.bind_udp,net.connect_send_udp"},
    [10] = {LL_FS_ALL, LL_NET_ALL, LL_SCOPE_ALL, FLOG, "none"},
    [11] = {LL_FS_ALL, LL_NET_ALL, LL_SCOPE_ALL, FLOG, "none"},
    [12] = {LL_FS_ALL, LL_NET_ALL, LL_SCOPE_ALL, FLOG, "none"},
};

static void check_ports(const struct ll_ports *p, const uint16_t *want, size_t n)
{
	assert_int_equal(p->n, n);
	for (size_t i = 0; i < n; i++)
		assert_int_equal(p->port[i], want[i]);
}

static void test_each_abi(void **state)
{
	static const uint16_t p8080[] = {8080}, p_conn[] = {22, 443}, p53[] = {53},
	                      p_udp[] = {53, 123};
	char buf[1024], want_warn[4200];
	/* One warning for all the rules skipped, not one each: a session's
	 * syslog lines are sent without blocking, and the line that says it
	 * was confined must not be crowded out by the notes before it. */
	snprintf(want_warn, sizeof(want_warn),
	         "rules skipped, their paths do not exist: line 7 '%s/nope', line 8 '%s/sub'", dir,
	         file);

	for (int abi = 1; abi <= 12; abi++) {
		struct ll_resolved r;
		struct ll_plan plan;
		struct ut_warnings w;
		print_message("ABI %d: dropped=%s\n", abi, per_abi[abi].dropped);
		build("full", abi, &r, &plan, &w);
		assert_int_equal(plan.kernel_abi, abi);
		assert_int_equal(plan.abi, abi > 10 ? 10 : abi);
		assert_int_equal(plan.want[LL_KIND_FS], LL_FS_ALL);
		assert_int_equal(plan.want[LL_KIND_NET], LL_NET_ALL);
		assert_int_equal(plan.want[LL_KIND_SCOPE], LL_SCOPE_ALL);
		assert_int_equal(plan.want_flags, FLOG);
		assert_int_equal(plan.have[LL_KIND_FS], per_abi[abi].fs);
		assert_int_equal(plan.have[LL_KIND_NET], per_abi[abi].net);
		assert_int_equal(plan.have[LL_KIND_SCOPE], per_abi[abi].scope);
		assert_int_equal(plan.have_flags, per_abi[abi].flags);
		assert_string_equal(ll_plan_dropped_str(&plan, buf, sizeof(buf)),
		                    per_abi[abi].dropped);
		assert_int_equal(ll_plan_partial(&plan), abi < 10);
		assert_true(plan.nnp);

		/* Ports only for the rights this ABI handles. */
		check_ports(&plan.ports[0], p8080, abi >= 4 ? 1 : 0);
		check_ports(&plan.ports[1], p_conn, abi >= 4 ? 2 : 0);
		check_ports(&plan.ports[2], p53, abi >= 10 ? 1 : 0);
		check_ports(&plan.ports[3], p_udp, abi >= 10 ? 2 : 0);

		/* Two rules; the missing paths are skipped with a warning each
		 * (one missing, one under a file). */
		assert_int_equal(plan.nrules, 2);
		assert_string_equal(plan.rules[0].path, dir);
		assert_true(plan.rules[0].is_dir);
		assert_int_equal(plan.rules[0].line, 5);
		assert_int_equal(plan.rules[0].asked, LL_FS_READ_WRITE_EXEC);
		assert_int_equal(plan.rules[0].access, LL_FS_READ_WRITE_EXEC & per_abi[abi].fs);
		same_file(&plan.rules[0], dir);
		/* A file keeps only file rights: read_write -> read_file, write_file,
		 * truncate (where the ABI has it). */
		assert_string_equal(plan.rules[1].path, file);
		assert_false(plan.rules[1].is_dir);
		assert_int_equal(plan.rules[1].line, 6);
		assert_int_equal(plan.rules[1].asked, LL_FS_READ_WRITE);
		assert_int_equal(plan.rules[1].access, LL_FS_READ_FILE | LL_FS_WRITE_FILE |
		                                           (abi >= 3 ? LL_FS_TRUNCATE : 0));
		same_file(&plan.rules[1], file);

		assert_int_equal(w.n, 1);
		assert_string_equal(w.file[0], conf_path);
		assert_int_equal(w.line[0], 0);
		assert_string_equal(w.msg[0], want_warn);
		ll_plan_free(&plan);
		ll_resolved_free(&r);
	}
}

/* The per-ABI tables of rights.c agree with the kernel's history. */
static void test_abi_masks(void **state)
{
	for (int abi = 1; abi <= 10; abi++) {
		assert_int_equal(ll_abi_mask(LL_KIND_FS, abi), per_abi[abi].fs);
		assert_int_equal(ll_abi_mask(LL_KIND_NET, abi), per_abi[abi].net);
		assert_int_equal(ll_abi_mask(LL_KIND_SCOPE, abi), per_abi[abi].scope);
		uint32_t f = ll_abi_restrict_flags(abi);
		assert_int_equal(f & FLOG, per_abi[abi].flags);
		assert_int_equal(!!(f & LL_RESTRICT_SELF_TSYNC), abi >= 8);
	}
	assert_int_equal(ll_abi_mask(LL_KIND_FS, 0), 0);
	assert_int_equal(ll_abi_restrict_flags(6), 0);
}

static void test_flags(void **state)
{
	struct ll_resolved r;
	struct ll_plan plan;
	struct ut_warnings w;
	char buf[512];
	const uint32_t quiet =
	    LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF | LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF;

	build("quiet", 6, &r, &plan, &w);
	assert_int_equal(plan.want_flags, quiet);
	assert_int_equal(plan.have_flags, 0);
	assert_int_equal(plan.nrules, 0);
	assert_string_equal(ll_plan_dropped_str(&plan, buf, sizeof(buf)),
	                    "fs.resolve_unix,log_same_exec_off,log_subdomains_off");
	ll_plan_free(&plan);
	ll_resolved_free(&r);

	build("quiet", 9, &r, &plan, &w);
	assert_int_equal(plan.have_flags, quiet);
	assert_false(ll_plan_partial(&plan));
	assert_string_equal(ll_plan_dropped_str(&plan, buf, sizeof(buf)), "none");
	ll_plan_free(&plan);
	ll_resolved_free(&r);

	build("kdef", 1, &r, &plan, &w);
	assert_int_equal(plan.want_flags, 0);
	assert_int_equal(plan.want[LL_KIND_NET], 0);
	assert_int_equal(plan.want[LL_KIND_SCOPE], 0);
	assert_string_equal(ll_plan_dropped_str(&plan, buf, sizeof(buf)),
	                    "fs.refer,fs.truncate,fs.ioctl_dev,fs.resolve_unix");
	ll_plan_free(&plan);
	ll_resolved_free(&r);

	assert_string_equal(ll_flags_str(0, buf, sizeof(buf)), "none");
	assert_string_equal(ll_flags_str(FLOG | LL_RESTRICT_SELF_TSYNC, buf, sizeof(buf)),
	                    "log_new_exec_on,tsync");
	assert_string_equal(ll_flags_str(quiet | FLOG, buf, sizeof(buf)),
	                    "log_same_exec_off,log_new_exec_on,log_subdomains_off");
}

static void test_hard_requirement(void **state)
{
	struct ll_diag d;
	struct ll_resolved r;
	struct ll_plan plan;
	struct ut_warnings w;

	refused("hardfs", 7, 15,
	        "profile 'hardfs' is a hard requirement but Landlock ABI 7 cannot enforce: "
	        "fs.resolve_unix",
	        &d);
	refused("hardfs", 4, 15,
	        "profile 'hardfs' is a hard requirement but Landlock ABI 4 cannot enforce: "
	        "fs.ioctl_dev,fs.resolve_unix,log_new_exec_on",
	        &d);
	build("hardfs", 9, &r, &plan, &w);
	assert_int_equal(plan.nrules, 1);
	ll_plan_free(&plan);
	ll_resolved_free(&r);

	refused("hardall", 9, 17,
	        "profile 'hardall' is a hard requirement but Landlock ABI 9 cannot enforce: "
	        "net.bind_udp,net.connect_send_udp",
	        &d);
	refused("hardall", 1, 17,
	        "profile 'hardall' is a hard requirement but Landlock ABI 1 cannot enforce: "
	        "fs.refer,fs.truncate,fs.ioctl_dev,fs.resolve_unix,net.bind_tcp,net.connect_tcp,"
	        "net.bind_udp,net.connect_send_udp,scope.abstract_unix_socket,scope.signal,"
	        "log_new_exec_on",
	        &d);
	build("hardall", 10, &r, &plan, &w);
	ll_plan_free(&plan);
	ll_resolved_free(&r);
	build("hardall", 11, &r, &plan, &w);
	ll_plan_free(&plan);
	ll_resolved_free(&r);
}

static void test_min_abi(void **state)
{
	struct ll_diag d;
	struct ll_resolved r;
	struct ll_plan plan;
	struct ut_warnings w;

	refused("needs8", 7, 18, "profile 'needs8' needs Landlock ABI 8, this kernel has 7", &d);
	refused("needs8", 1, 18, "profile 'needs8' needs Landlock ABI 8, this kernel has 1", &d);
	/* At or above the minimum, best effort applies. */
	build("needs8", 8, &r, &plan, &w);
	assert_true(ll_plan_partial(&plan));
	ll_plan_free(&plan);
	ll_resolved_free(&r);
	build("needs8", 12, &r, &plan, &w);
	ll_plan_free(&plan);
	ll_resolved_free(&r);
}

/* No Landlock: refused, whatever the compatibility. */
static void test_no_landlock(void **state)
{
	struct ll_diag d;
	refused("full", -ENOSYS, 3,
	        "Landlock is not available (Function not implemented); profile 'full' cannot be "
	        "enforced",
	        &d);
	assert_non_null(strstr(d.hint, "CONFIG_SECURITY_LANDLOCK"));
	refused("full", -EOPNOTSUPP, 3,
	        "Landlock is not available (Operation not supported); profile 'full' cannot be "
	        "enforced",
	        &d);
	assert_non_null(strstr(d.hint, "lsm="));
	refused("kdef", -ENOSYS, 35,
	        "Landlock is not available (Function not implemented); profile 'kdef' cannot be "
	        "enforced",
	        &d);
}

static void test_missing_path(void **state)
{
	struct ll_diag d;
	char msg[4200];
	snprintf(msg, sizeof(msg), "cannot open '%s/nope': No such file or directory", dir);
	refused("missing", 7, 20, msg, &d);
	assert_string_equal(d.hint, "create it, or add missing = \"skip\"; to the rule");
}


/* Many rules skipped: still one warning, as many as fit named, the rest
 * counted. */
static void test_many_skipped(void **state)
{
	enum { N = 40 };
	char *text = NULL, *rules = NULL, *path = NULL;
	for (int i = 0; i < N; i++) {
		char *prev = rules;
		if (asprintf(&rules, "%s%s{ path = \"%s/missing-%02d-of-a-longer-name\"; access = "
		                     "\"read_only\"; missing = \"skip\"; }",
		             prev ? prev : "", prev ? ",\n" : "", dir, i) < 0)
			fail();
		free(prev);
	}
	if (asprintf(&text,
	             "version = 1;\nprofiles = { p = { filesystem = (\n%s\n); }; };\n"
	             "match = ( { default = true; profile = \"p\"; } );\n",
	             rules) < 0)
		fail();
	struct ll_policy *many = ut_load_ok(text, &path);
	struct ll_resolved r;
	struct ll_plan plan;
	struct ut_warnings w;
	struct ll_diag d = {0};
	struct ll_diag_sink sink = {ut_warn_record, &w};
	memset(&w, 0, sizeof(w));
	assert_int_equal(ll_policy_resolve(many, "p", &r, &d), 0);
	assert_int_equal(ll_plan_build(&r, &id, 7, path, 0, &plan, &d, &sink), 0);
	assert_int_equal(plan.nrules, 0);
	assert_int_equal(w.n, 1);
	assert_int_equal(w.line[0], 0);
	const char *m = w.msg[0];
	assert_true(strncmp(m, "rules skipped, their paths do not exist: line 3 '", 49) == 0);
	int named = 0, more = -1;
	for (const char *q = m; (q = strstr(q, "/missing-")); q++)
		named++;
	const char *tail = strstr(m, ", and ");
	assert_non_null(tail);
	assert_int_equal(sscanf(tail, ", and %d more", &more), 1);
	assert_true(named > 2);
	assert_int_equal(named + more, N);
	assert_true(strlen(m) < sizeof(w.msg[0]) - 1);
	ll_plan_free(&plan);
	ll_resolved_free(&r);
	ll_policy_free(many);
	free(path);
	free(rules);
	free(text);
}

static void test_home(void **state)
{
	struct ll_resolved r;
	struct ll_plan plan;
	struct ut_warnings w;
	char p[4200];

	build("home", 7, &r, &plan, &w);
	assert_int_equal(w.n, 0);
	assert_int_equal(plan.nrules, 4);
	assert_string_equal(plan.rules[0].path, homedir);
	same_file(&plan.rules[0], homedir);
	snprintf(p, sizeof(p), "%s/inner/alice", homedir);
	assert_string_equal(plan.rules[1].path, p);
	assert_true(plan.rules[1].is_dir);
	same_file(&plan.rules[1], p);
	/* A symlink that stays inside the home is followed. */
	snprintf(p, sizeof(p), "%s/inner2/alice/", homedir);
	assert_string_equal(plan.rules[2].path, p);
	same_file(&plan.rules[2], p);
	/* Written without ${HOME}, a symlink is an ordinary path. */
	snprintf(p, sizeof(p), "%s/link", homedir);
	assert_string_equal(plan.rules[3].path, p);
	same_file(&plan.rules[3], dir);
	ll_plan_free(&plan);
	ll_resolved_free(&r);

	/* Under ${HOME}, a symlink leaving the home is refused. */
	struct ll_diag d;
	char msg[4300];
	snprintf(msg, sizeof(msg), "cannot open '%s/link': Invalid cross-device link", homedir);
	refused("escape", 7, 29, msg, &d);
	assert_non_null(strstr(d.hint, "symlink"));
	snprintf(msg, sizeof(msg), "cannot open '%s/up/x': Invalid cross-device link", homedir);
	refused("escape_rel", 7, 32, msg, &d);
	assert_non_null(strstr(d.hint, "symlink"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_each_abi),     cmocka_unit_test(test_abi_masks),
	    cmocka_unit_test(test_flags),        cmocka_unit_test(test_hard_requirement),
	    cmocka_unit_test(test_min_abi),      cmocka_unit_test(test_no_landlock),
	    cmocka_unit_test(test_missing_path), cmocka_unit_test(test_home),
	    cmocka_unit_test(test_many_skipped),
	};
	return cmocka_run_group_tests_name("abi", tests, setup, teardown);
}
