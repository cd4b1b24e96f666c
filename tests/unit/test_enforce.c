/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_enforce.c - the real thing on this kernel: a plan that allows one
 * temporary directory becomes a ruleset (O_CLOEXEC, each path descriptor
 * closed as soon as its rule is added) and ll_enforce_apply() confines a
 * forked child: it can write in that directory and nowhere else, cannot bind
 * TCP ports or signal its parent, and has no_new_privs.  A profile with more
 * rules than the process may hold descriptors still builds.  The test
 * process itself is never confined.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ll_sys.h"
#include "sandbox.h"
#include "unit.h"

static int abi;

static int setup(void **state)
{
	abi = ll_abi_probe();
	return ut_group_setup(state);
}

/* Landlock is needed: fails in CI, skips elsewhere. */
static void need_landlock(void)
{
	if (abi >= 1)
		return;
	const char *ci = getenv("CI");
	if (ci && strcmp(ci, "true") == 0)
		fail_msg("Landlock is not available on this kernel (%s)", strerror(-abi));
	print_message("skipped: Landlock is not available (%s)\n", strerror(-abi));
	skip();
}

static int failures;

static void check(int ok, const char *what)
{
	if (!ok) {
		fprintf(stderr, "child: FAILED: %s (errno %d: %s)\n", what, errno, strerror(errno));
		failures++;
	}
}

/* Expects open() of PATH with FLAGS to fail with EACCES. */
static void denied(const char *path, int flags, const char *what)
{
	int fd = open(path, flags | O_CLOEXEC, 0644);
	if (fd >= 0)
		close(fd);
	errno = fd >= 0 ? 0 : errno;
	check(fd < 0 && errno == EACCES, what);
}

/* Runs in the child: confines itself and checks.  Returns the number of
 * failed checks. */
static int child(const struct ll_enforce *e, const struct ll_plan *plan, const char *allowed,
                 const char *other)
{
	char p[4200];
	int rc = ll_enforce_apply(e, false, NULL);
	errno = rc < 0 ? -rc : 0;
	check(rc == 0, "ll_enforce_apply");
	if (rc < 0)
		return failures;
	close(e->ruleset_fd);
	check(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0) == 1, "no_new_privs is set");

	/* Inside the allowed directory: create, write, read, make a dir. */
	snprintf(p, sizeof(p), "%s/written", allowed);
	int fd = open(p, O_CREAT | O_WRONLY | O_TRUNC | O_CLOEXEC, 0644);
	check(fd >= 0, "create a file in the allowed directory");
	if (fd >= 0) {
		check(write(fd, "ok\n", 3) == 3, "write in the allowed directory");
		close(fd);
	}
	fd = open(p, O_RDONLY | O_CLOEXEC);
	check(fd >= 0, "read a file in the allowed directory");
	if (fd >= 0)
		close(fd);
	snprintf(p, sizeof(p), "%s/subdir", allowed);
	check(mkdir(p, 0755) == 0, "mkdir in the allowed directory");

	/* Anywhere else: denied. */
	snprintf(p, sizeof(p), "%s/written", other);
	denied(p, O_CREAT | O_WRONLY, "create a file in the other directory is denied");
	snprintf(p, sizeof(p), "%s/existing", other);
	denied(p, O_WRONLY, "write an existing file in the other directory is denied");
	denied(p, O_RDONLY, "read a file in the other directory is denied");
	denied(other, O_RDONLY | O_DIRECTORY, "list the other directory is denied");
	denied("/etc/passwd", O_RDONLY, "read /etc/passwd is denied");
	snprintf(p, sizeof(p), "%s/newdir", other);
	errno = 0;
	check(mkdir(p, 0755) < 0 && errno == EACCES, "mkdir in the other directory is denied");

	/* Network (ABI 4): binding a TCP port without a rule is denied. */
	if (plan->have[LL_KIND_NET] & LL_NET_BIND_TCP) {
		int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		struct sockaddr_in a = {.sin_family = AF_INET,
		                        .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
		errno = 0;
		check(s >= 0 && bind(s, (struct sockaddr *)&a, sizeof(a)) < 0 && errno == EACCES,
		      "bind a TCP port is denied");
		if (s >= 0)
			close(s);
	}
	/* Signal scope (ABI 6): the parent is outside the domain. */
	if (plan->have[LL_KIND_SCOPE] & LL_SCOPE_SIGNAL) {
		errno = 0;
		check(kill(getppid(), 0) < 0 && errno == EPERM, "signal the parent is denied");
	}
	return failures;
}

static char *write_conf(const char *allowed)
{
	char *text = NULL;
	if (asprintf(&text,
	             "version = 1;\n"
	             "profiles = {\n"
	             "  only_tmp = {\n"
	             "    filesystem = ( { path = \"%s\"; access = \"read_write\"; } );\n"
	             "    network = { bind_tcp = []; };\n"
	             "    scope = [\"signal\"];\n"
	             "    logging = \"off\";\n" /* no audit records from the tests */
	             "  };\n"
	             "};\n"
	             "match = ( { default = true; profile = \"only_tmp\"; } );\n",
	             allowed) < 0)
		fail();
	char *path = ut_write(text, 0, 0644);
	free(text);
	return path;
}

static void test_enforce(void **state)
{
	need_landlock();
	char *allowed = ut_mkdir("allowed"), *other = ut_mkdir("other");
	char *existing = ut_path("other/existing");
	int efd = open(existing, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	assert_true(efd >= 0);
	close(efd);

	char *conf = write_conf(allowed);
	struct ll_policy *pol = NULL;
	struct ll_diag d = {0};
	struct ll_resolved r;
	struct ll_plan plan;
	struct ll_identity id = {0};
	if (ll_policy_load(conf, ut_load_flags(), &pol, NULL, &d, NULL) != 0)
		fail_msg("%s:%d: %s", d.file, d.line, d.msg);
	assert_int_equal(ll_policy_resolve(pol, "only_tmp", &r, &d), 0);

	int fds0 = ut_count_fds();
	if (ll_plan_build(&r, &id, abi, conf, LL_PLAN_RULESET, &plan, &d, NULL) != 0)
		fail_msg("plan: %s", d.msg);
	assert_int_equal(plan.nrules, 1);
	/* The path descriptor is closed, the ruleset is close-on-exec. */
	assert_int_equal(ut_count_fds(), fds0 + 1);
	struct ll_enforce e;
	if (ll_enforce_prepare(&plan, &e, NULL, &d) != 0)
		fail_msg("enforce: %s", d.msg);
	int rs = e.ruleset_fd;
	assert_true(rs >= 0);
	assert_int_equal(plan.ruleset_fd, -1);
	assert_int_equal(ut_count_fds(), fds0 + 1);
	int fdflags = fcntl(rs, F_GETFD);
	assert_true(fdflags >= 0 && (fdflags & FD_CLOEXEC));

	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0)
		_exit(child(&e, &plan, allowed, other));
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);

	/* What the child did, seen from outside; this process is not confined. */
	char p[4200];
	struct stat st;
	snprintf(p, sizeof(p), "%s/written", allowed);
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_size, 3);
	snprintf(p, sizeof(p), "%s/written", other);
	assert_int_equal(stat(p, &st), -1);
	assert_int_equal(errno, ENOENT);
	int fd = open(p, O_CREAT | O_WRONLY | O_CLOEXEC, 0644);
	assert_true(fd >= 0);
	close(fd);
	assert_int_equal(prctl(PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0), 0);

	ll_enforce_free(&e);
	assert_int_equal(ut_count_fds(), fds0);
	ll_plan_free(&plan);
	ll_resolved_free(&r);
	ll_policy_free(pol);
	free(conf);
	free(existing);
	free(allowed);
	free(other);
}

/* A profile of 1,100 rules builds under a limit of 64 descriptors: each
 * path's descriptor is closed as soon as its rule is in the ruleset. */
static void test_many_rules(void **state)
{
	need_landlock();
	enum { N = 1100 };
	char *base = ut_mkdir("many");
	size_t cap = 256 + (size_t)N * 128, off = 0;
	char *text = malloc(cap);
	assert_non_null(text);
	off += (size_t)snprintf(text + off, cap - off,
	                        "version = 1;\nprofiles = { many = {\n  logging = \"off\";\n"
	                        "  filesystem = (\n");
	for (int i = 0; i < N; i++) {
		char d[4200];
		snprintf(d, sizeof(d), "%s/d%d", base, i);
		assert_int_equal(mkdir(d, 0755), 0);
		off += (size_t)snprintf(text + off, cap - off,
		                        "    { path = \"%s\"; access = \"read_only\"; }%s\n", d,
		                        i + 1 < N ? "," : "");
	}
	snprintf(text + off, cap - off,
	         "  );\n}; };\nmatch = ( { default = true; profile = \"many\"; } );\n");
	char *conf = ut_write(text, 0, 0644);
	struct ll_policy *pol = NULL;
	struct ll_diag d = {0};
	struct ll_resolved r;
	struct ll_plan plan;
	struct ll_identity id = {0};
	if (ll_policy_load(conf, ut_load_flags(), &pol, NULL, &d, NULL) != 0)
		fail_msg("%s:%d: %s", d.file, d.line, d.msg);
	assert_int_equal(ll_policy_resolve(pol, "many", &r, &d), 0);

	struct rlimit old, low;
	assert_int_equal(getrlimit(RLIMIT_NOFILE, &old), 0);
	low = (struct rlimit){64, old.rlim_max};
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &low), 0);
	int rc = ll_plan_build(&r, &id, abi, conf, LL_PLAN_RULESET, &plan, &d, NULL);
	assert_int_equal(setrlimit(RLIMIT_NOFILE, &old), 0);
	if (rc != 0)
		fail_msg("1,100 rules under 64 fds: %s", d.msg);
	assert_int_equal(plan.nrules, N);
	assert_true(plan.ruleset_fd >= 0);
	ll_plan_free(&plan);
	ll_resolved_free(&r);
	ll_policy_free(pol);
	free(conf);
	free(text);
	free(base);
}

/* ll_enforce_apply() reports the kernel's error (a bad fd) as -errno, and
 * which step failed. */
static void test_apply_error(void **state)
{
	need_landlock();
	fflush(NULL);
	pid_t pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct ll_enforce e = {.ruleset_fd = -1, .nnp = true};
		enum ll_enforce_step step = LL_STEP_NNP;
		_exit(ll_enforce_apply(&e, false, &step) == -EBADF && step == LL_STEP_LANDLOCK ? 0 : 1);
	}
	int status = 0;
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_enforce),
	    cmocka_unit_test(test_many_rules),
	    cmocka_unit_test(test_apply_error),
	};
	return cmocka_run_group_tests_name("enforce", tests, setup, ut_group_teardown);
}
