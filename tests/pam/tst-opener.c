/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-opener.c - through the real libpam, confine=opener: the mode the module
 * uses for an application it does not know (this test program is one: no
 * confine= argument is given).  After open_session the opener itself is
 * confined with exactly one layer and NoNewPrivs; every child it makes -
 * fork, vfork, posix_spawn, system(3), popen(3), a raw clone(2), clone3 and
 * _Fork, none of which but fork runs fork handlers - is confined and adds no
 * layer; a second open_session in the process is refused; close_session
 * does not release the opener.
 *
 * A multi-threaded opener on a kernel without Landlock TSYNC (ABI < 8): the
 * thread that opened the session is confined, the other thread (created
 * before open_session) is not - documented as dropped=tsync - and neither is
 * a child it starts without fork(2) (posix_spawn); a child it forks is
 * confined with exactly one layer by the fork hook, and a child forked by
 * the confined thread has one layer too, not two.  With TSYNC (ABI >= 8)
 * every thread, and so every child, is confined.
 *
 * Children that exec run this program again ("--probe"): the test policy is
 * the shipped one plus read_exec on the directory of this program.
 */
#define _GNU_SOURCE
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <linux/sched.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pamtest.h"

extern char **environ;

static char self[PATH_MAX]; /* this program, resolved */

/* ---- the probe: a child that exec'd this program --------------------------- */

static int probe_main(int argc, char **argv)
{
	struct pt t = {0};
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (argc != 9) {
		printf("not ok - probe: %d arguments\n", argc);
		return 1;
	}
	snprintf(t.user, sizeof(t.user), "%s", argv[3]);
	t.uid = (uid_t)strtoul(argv[4], NULL, 10);
	t.gid = (gid_t)strtoul(argv[5], NULL, 10);
	snprintf(t.home, sizeof(t.home), "%s", argv[6]);
	snprintf(t.denied, sizeof(t.denied), "%s", argv[7]);
	t.layers = atoi(argv[8]);
	return pt_expect_confined(&t, argv[2]);
}

/* argv for "SELF --probe WHO USER UID GID HOME DENIED LAYERS" (static
 * storage, for one call at a time). */
static char **probe_argv(const struct pt *t, const char *who)
{
	static char buf[8][PATH_MAX];
	static char *argv[10];
	snprintf(buf[0], PATH_MAX, "%s", who);
	snprintf(buf[1], PATH_MAX, "%s", t->user);
	snprintf(buf[2], PATH_MAX, "%u", (unsigned)t->uid);
	snprintf(buf[3], PATH_MAX, "%u", (unsigned)t->gid);
	snprintf(buf[4], PATH_MAX, "%s", t->home);
	snprintf(buf[5], PATH_MAX, "%s", t->denied);
	snprintf(buf[6], PATH_MAX, "%d", t->layers);
	snprintf(buf[7], PATH_MAX, "--probe");
	argv[0] = self;
	argv[1] = buf[7];
	for (int i = 0; i < 7; i++)
		argv[i + 2] = buf[i];
	argv[9] = NULL;
	return argv;
}

/* The same as one shell command line (paths have no quote). */
static const char *probe_cmd(const struct pt *t, const char *who)
{
	static char cmd[PATH_MAX * 4];
	char **v = probe_argv(t, who);
	size_t off = 0;
	for (int i = 0; v[i]; i++)
		off += (size_t)snprintf(cmd + off, sizeof(cmd) - off, "%s'%s'", i ? " " : "", v[i]);
	return cmd;
}

/* A child's failed checks from its wait status (a crash counts as one). */
static int fails_of(int st)
{
	return WIFEXITED(st) ? WEXITSTATUS(st) : 1;
}

static int wait_fails(pid_t pid, const char *how)
{
	int st;
	if (pid < 0) {
		pt_check(false, "%s: could not start the child: %s", how, strerror(errno));
		return 1;
	}
	if (waitpid(pid, &st, 0) != pid) {
		pt_check(false, "%s: waitpid: %s", how, strerror(errno));
		return 1;
	}
	return fails_of(st);
}

/* ---- the children of a confined opener ------------------------------------ */

static int confined_child(struct pt *t, const void *who)
{
	return pt_expect_confined(t, who);
}

static void by_vfork(struct pt *t)
{
	char **argv = probe_argv(t, "vfork child");
	fflush(stdout);
	pid_t pid = vfork();
	if (pid == 0) {
		execve(self, argv, environ);
		_exit(127);
	}
	pt_fails += wait_fails(pid, "vfork");
}

static void by_posix_spawn(struct pt *t, const char *who)
{
	pid_t pid = -1;
	fflush(stdout);
	int rc = posix_spawn(&pid, self, NULL, NULL, probe_argv(t, who), environ);
	if (rc)
		errno = rc;
	pt_fails += wait_fails(rc ? -1 : pid, who);
}

static void by_system(struct pt *t)
{
	fflush(stdout);
	int st = system(probe_cmd(t, "system(3) child"));
	if (!pt_check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) != 127,
	              "system(3) ran the probe (status %d)", st))
		return;
	pt_fails += fails_of(st);
}

static void by_popen(struct pt *t)
{
	char line[1024];
	fflush(stdout);
	FILE *p = popen(probe_cmd(t, "popen(3) child"), "r");
	if (!pt_check(p != NULL, "popen(3): %s", p ? "ok" : strerror(errno)))
		return;
	while (fgets(line, sizeof(line), p))
		fputs(line, stdout); /* the probe's own ok/not ok lines */
	int st = pclose(p);
	pt_fails += st == -1 ? 1 : fails_of(st);
}

/* Raw clone(2), clone3 and _Fork run no fork handlers: the child is a copy
 * of this single-threaded process and checks itself. */
static void by_clone(struct pt *t)
{
	fflush(stdout);
	pid_t pid = (pid_t)syscall(SYS_clone, (unsigned long)SIGCHLD, NULL, NULL, NULL, 0UL);
	if (pid == 0)
		_exit(pt_expect_confined(t, "raw clone(2) child"));
	pt_fails += wait_fails(pid, "raw clone(2)");
}

static void by_clone3(struct pt *t)
{
	struct clone_args ca;
	memset(&ca, 0, sizeof(ca));
	ca.exit_signal = SIGCHLD;
	fflush(stdout);
	pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca));
	if (pid == 0)
		_exit(pt_expect_confined(t, "clone3 child"));
	pt_fails += wait_fails(pid, "clone3");
}

static void by_Fork(struct pt *t)
{
	fflush(stdout);
	pid_t pid = _Fork();
	if (pid == 0)
		_exit(pt_expect_confined(t, "_Fork child"));
	pt_fails += wait_fails(pid, "_Fork");
}

static int nnp(void)
{
	char line[256];
	int v = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "NoNewPrivs: %d", &v) == 1)
			break;
	if (f)
		fclose(f);
	return v;
}

/* The test policy: the shipped one, and this program's directory
 * executable in the shell profile. */
static void write_policy(struct pt *t, char *path, size_t len)
{
	static char conf[96 * 1024], out[96 * 1024];
	char dir[PATH_MAX];
	FILE *f = fopen(t->policy, "r");
	size_t n = f ? fread(conf, 1, sizeof(conf) - 1, f) : 0;
	if (f)
		fclose(f);
	conf[n] = '\0';
	snprintf(dir, sizeof(dir), "%s", self);
	*strrchr(dir, '/') = '\0';
	const char *shell = strstr(conf, "\n  shell = {");
	const char *fs = shell ? strstr(shell, "filesystem = (\n") : NULL;
	if (!fs) {
		printf("not ok - fixture: the shipped policy has no shell profile with a "
		       "filesystem list\n");
		exit(99);
	}
	fs += strlen("filesystem = (\n");
	snprintf(out, sizeof(out), "%.*s      { path = \"%s\"; access = \"read_exec\"; },\n%s",
	         (int)(fs - conf), conf, dir, fs);
	snprintf(path, len, "%s", pt_file(t, "opener.conf", out, 0644));
}

/* Runs in a child of the test process: this child is the opener. */
static int single(struct pt *tp, const void *arg)
{
	struct pt t = *tp;
	char args[PATH_MAX + 16], conf[PATH_MAX];
	int rc;
	(void)arg;

	write_policy(&t, conf, sizeof(conf));
	snprintf(args, sizeof(args), "conf=%s", conf);
	pt_service(&t, "ll-opener", args);
	pam_handle_t *pamh = pt_start(&t, "ll-opener", t.user);
	pt_check(nnp() == 0, "before open_session NoNewPrivs is 0");
	rc = pam_open_session(pamh, 0);
	if (!pt_check(rc == PAM_SUCCESS, "open_session (confine=auto, an unknown application): %s",
	              pam_strerror(pamh, rc)))
		return pt_fails;
	pt_check(nnp() == 1, "the opener has NoNewPrivs 1");
	rc = pt_try_create(t.denied, "opener-root");
	pt_check(rc == EACCES,
	         "the opener itself is confined: as root, creating in %s fails with "
	         "EACCES (%s)",
	         t.denied, rc ? strerror(rc) : "success");
	pt_check(!pt_holds_ruleset_fd(), "the opener keeps no ruleset fd (nothing left to arm)");

	pt_sub(&t, confined_child, "fork child");
	by_vfork(&t);
	by_posix_spawn(&t, "posix_spawn child");
	by_system(&t);
	by_popen(&t);
	by_clone(&t);
	by_clone3(&t);
	by_Fork(&t);

	pt_expect_second_refused(&t, "ll-opener", "the confined opener");
	pt_sub(&t, confined_child, "fork child after the refused second session");

	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "close_session: %s", pam_strerror(pamh, rc));
	pam_end(pamh, PAM_SUCCESS);
	pt_sub(&t, confined_child, "fork child after close_session and pam_end");
	/* Last: counting layers uses the process up. */
	pt_expect_confined(&t, "the opener, after close_session");
	return pt_fails;
}

/* ---- a multi-threaded opener ---------------------------------------------- */

struct other {
	pthread_t th;
	int cmd[2], res[2];
	struct pt *t;
};

/* The other thread: runs what it is sent, answers a number. */
static void *other_main(void *arg)
{
	struct other *o = arg;
	char c;
	while (read(o->cmd[0], &c, 1) == 1) {
		int r = 0;
		if (c == 'c') {
			r = pt_try_create(o->t->denied, "other-thread");
		} else if (c == 'f') {
			fflush(stdout);
			pid_t pid = fork();
			if (pid == 0)
				_exit(pt_expect_confined(o->t, "child forked by the other thread"));
			r = wait_fails(pid, "fork from the other thread");
		} else if (c == 's') {
			/* Expected unconfined: count what would show it confined. */
			pid_t pid = -1;
			fflush(stdout);
			static char sh[] = "sh", dash_c[] = "-c",
			            script[] = "exec >/dev/null 2>&1; : >\"$0\"/spawned-$$ && rm "
			                       "\"$0\"/spawned-$$";
			char *argv[] = {sh, dash_c, script, o->t->denied, NULL};
			r = posix_spawn(&pid, "/bin/sh", NULL, NULL, argv, environ);
			int st;
			r = r                                              ? -r
			    : waitpid(pid, &st, 0) == pid && WIFEXITED(st) ? WEXITSTATUS(st)
			                                                   : -1;
		} else {
			break;
		}
		if (write(o->res[1], &r, sizeof(r)) != sizeof(r))
			break;
	}
	return NULL;
}

static int ask(struct other *o, char c)
{
	int r = -999;
	if (write(o->cmd[1], &c, 1) != 1 || read(o->res[0], &r, sizeof(r)) != sizeof(r))
		pt_check(false, "talking to the other thread: %s", strerror(errno));
	return r;
}

static int threaded(struct pt *tp, const void *arg)
{
	struct pt t = *tp;
	bool tsync = *(const int *)arg >= 8;
	struct other o = {.t = &t};
	char args[PATH_MAX + 16], conf[PATH_MAX];
	int rc;

	write_policy(&t, conf, sizeof(conf));
	snprintf(args, sizeof(args), "conf=%s", conf);
	pt_service(&t, "ll-opener-mt", args);
	pam_handle_t *pamh = pt_start(&t, "ll-opener-mt", t.user);
	if (pipe(o.cmd) || pipe(o.res) || pthread_create(&o.th, NULL, other_main, &o)) {
		pt_check(false, "start the other thread: %s", strerror(errno));
		return pt_fails;
	}
	rc = pam_open_session(pamh, 0);
	if (!pt_check(rc == PAM_SUCCESS, "multi-threaded opener: open_session: %s",
	              pam_strerror(pamh, rc)))
		return pt_fails;
	rc = pt_try_create(t.denied, "confined-thread");
	pt_check(rc == EACCES, "the thread that opened the session is confined (EACCES in %s: %s)",
	         t.denied, rc ? strerror(rc) : "success");
	rc = ask(&o, 'c');
	if (tsync)
		pt_check(rc == EACCES, "TSYNC: the other thread is confined too (%s)",
		         rc ? strerror(rc) : "success");
	else
		pt_check(
		    rc == 0,
		    "the other thread stays unconfined on this ABI (dropped=tsync): as root it "
		    "creates in %s (%s)",
		    t.denied, rc ? strerror(rc) : "ok");
	rc = ask(&o, 'f');
	pt_check(rc == 0,
	         "a child forked from the other thread is confined with one layer (%d "
	         "failed checks)",
	         rc);
	rc = ask(&o, 's');
	if (tsync)
		pt_check(rc == 1,
		         "TSYNC: a child the other thread starts with posix_spawn is confined "
		         "(status %d)",
		         rc);
	else
		pt_check(
		    rc == 0,
		    "documented gap (dropped=tsync): a child the other thread starts without "
		    "fork(2) (posix_spawn) runs no fork handler and is NOT confined: it creates "
		    "in %s (status %d)",
		    t.denied, rc);
	pt_sub(&t, confined_child, "child forked from the confined thread (one layer, not two)");
	char q = 'q';
	if (write(o.cmd[1], &q, 1) != 1 || pthread_join(o.th, NULL))
		pt_check(false, "stop the other thread");
	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "multi-threaded opener: close_session: %s",
	         pam_strerror(pamh, rc));
	pam_end(pamh, PAM_SUCCESS);
	return pt_fails;
}

static int kernel_abi(void)
{
	long v = syscall(SYS_landlock_create_ruleset, NULL, 0, 1U /* VERSION */);
	return v < 0 ? 0 : (int)v;
}

int main(int argc, char **argv)
{
	static struct pt t;
	if (argc > 1 && strcmp(argv[1], "--probe") == 0)
		return probe_main(argc, argv);
	if (!realpath("/proc/self/exe", self)) {
		printf("not ok - realpath /proc/self/exe: %s\nERROR\n", strerror(errno));
		return 99;
	}
	pt_init(&t, "o");
	pt_sub(&t, single, NULL);
	int abi = kernel_abi();
	printf("# multi-threaded opener on Landlock ABI %d (%s)\n", abi,
	       abi >= 8 ? "TSYNC: every thread is confined" : "no TSYNC");
	pt_sub(&t, threaded, &abi);
	return pt_finish();
}
