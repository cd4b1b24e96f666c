/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-unseen.c - through the real libpam, with confine=children: processes
 * the opener starts without fork(2) run no fork handler, so the hook never
 * sees them and they run unconfined.  close_session must warn, in syslog,
 * about each one still alive (the module reads the opener's
 * /proc/self/task/TID/children):
 *
 *   vfork(2), posix_spawn(3), system(3) (from another thread: it waits),
 *   popen(3), clone(2) and clone3(2) as raw system calls, _Fork(3).
 *
 * A child made with fork(2) is confined and is not named.  What the check
 * cannot see, asserted as such so that a change shows: a child made with
 * clone(CLONE_PARENT) (the opener's parent's child), a grandchild whose
 * parent exited (reparented to init), and a child that has already exited.
 * After more than the 256 children whose pids the module records, it can no
 * longer tell its own from the others: it must still name a live child it
 * does not know (as not checked), not stay silent.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
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

#ifndef CLONE_PARENT
#define CLONE_PARENT 0x00008000
#endif

/* clone3's argument (linux/sched.h, 5.3). */
struct ll_clone_args {
	uint64_t flags, pidfd, child_tid, parent_tid, exit_signal, stack, stack_size, tls;
};

enum kind { K_FORK, K_VFORK, K_SPAWN, K_SYSTEM, K_POPEN, K_CLONE, K_CLONE3, K_FORK_, NKINDS };
static const char *const kind_name[NKINDS] = {"fork(2)",  "vfork(2)", "posix_spawn(3)", "system(3)",
                                              "popen(3)", "clone(2)", "clone3(2)",      "_Fork(3)"};

static struct pt *T;
static char cmd[NKINDS + 4][8192];

/* The shell line each process runs: its pid and whether it is confined
 * into DIR/N.pid and DIR/N.state, then TAIL (wait to be killed, or exit). */
static void make_cmd(int n, const char *tail)
{
	snprintf(cmd[n], sizeof(cmd[n]),
	         "echo $$ >%s/%d.pid.tmp && mv %s/%d.pid.tmp %s/%d.pid; "
	         "if true 2>/dev/null >%s/unseen-%d; then s=unconfined; else s=confined; fi; "
	         "echo $s >%s/%d.state.tmp && mv %s/%d.state.tmp %s/%d.state; %s",
	         T->dir, n, T->dir, n, T->dir, n, T->denied, n, T->dir, n, T->dir, n, T->dir, n,
	         tail);
}

static __attribute__((noreturn)) void exec_cmd(int n)
{
	char a0[] = "sh", a1[] = "-c";
	char *argv[] = {a0, a1, cmd[n], NULL};
	execve("/bin/sh", argv, environ);
	_exit(127);
}

static void *run_system(void *arg)
{
	return (void *)(intptr_t)system(cmd[(intptr_t)arg]);
}

/* Reads DIR/N.NAME (waits up to 10 s for it); "" if it never came. */
static const char *result(int n, const char *name)
{
	static char buf[64];
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%d.%s", T->dir, n, name);
	buf[0] = '\0';
	for (int i = 0; i < 200; i++) {
		FILE *f = fopen(path, "r");
		if (f) {
			if (!fgets(buf, sizeof(buf), f))
				buf[0] = '\0';
			fclose(f);
			buf[strcspn(buf, "\n")] = '\0';
			break;
		}
		usleep(50000);
	}
	return buf;
}

/* Whether the syslog LOG names PID as started without fork(2). */
static bool warned(const char *log, pid_t pid)
{
	char want[128];
	snprintf(want, sizeof(want), ": process %d was started by the opener without fork(2)",
	         (int)pid);
	return strstr(log, want) != NULL;
}

static void start(int n, pid_t *pid, FILE **popened, pthread_t *sys)
{
	switch ((enum kind)(n < NKINDS ? n : K_SPAWN)) {
	case K_FORK:
		if ((*pid = fork()) == 0)
			exec_cmd(n);
		break;
	case K_VFORK:
		if ((*pid = vfork()) == 0)
			exec_cmd(n);
		break;
	case K_SPAWN: {
		char a0[] = "sh", a1[] = "-c";
		char *argv[] = {a0, a1, cmd[n], NULL};
		if (posix_spawn(pid, "/bin/sh", NULL, NULL, argv, environ) != 0)
			*pid = -1;
		break;
	}
	case K_SYSTEM:
		if (pthread_create(sys, NULL, run_system, (void *)(intptr_t)n) != 0)
			*pid = -1;
		break;
	case K_POPEN:
		*popened = popen(cmd[n], "r");
		break;
	case K_CLONE:
		if ((*pid = (pid_t)syscall(SYS_clone, SIGCHLD, 0, 0, 0, 0)) == 0)
			exec_cmd(n);
		break;
	case K_CLONE3: {
		struct ll_clone_args ca = {.exit_signal = SIGCHLD};
		if ((*pid = (pid_t)syscall(SYS_clone3, &ca, sizeof(ca))) == 0)
			exec_cmd(n);
		break;
	}
	case K_FORK_:
		if ((*pid = _Fork()) == 0)
			exec_cmd(n);
		break;
	case NKINDS:
		break;
	}
}

static int opener(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails;
	pid_t pid[NKINDS + 3], real[NKINDS + 3];
	FILE *popened = NULL;
	pthread_t sys = 0;
	const int parent_kid = NKINDS, orphan = NKINDS + 1, exited = NKINDS + 2;

	pam_handle_t *pamh = pt_start(t, "ll-unseen", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session: %s", pam_strerror(pamh, rc));
	for (int n = 0; n < NKINDS; n++) {
		make_cmd(n, "exec sleep 60");
		start(n, &pid[n], &popened, &sys);
	}

	/* Beyond the check: a clone(CLONE_PARENT) child, an orphaned grandchild,
	 * a child that is gone by close_session. */
	make_cmd(parent_kid, "exec sleep 60");
	if ((pid[parent_kid] = (pid_t)syscall(SYS_clone, CLONE_PARENT | SIGCHLD, 0, 0, 0, 0)) == 0)
		exec_cmd(parent_kid);
	char script[512];
	make_cmd(orphan, "exec sleep 60");
	snprintf(script, sizeof(script), "%s/orphan.sh", t->dir);
	FILE *f = fopen(script, "w");
	if (f) {
		fprintf(f, "%s\n", cmd[orphan]);
		fclose(f);
	}
	snprintf(cmd[orphan], sizeof(cmd[orphan]), "sh %s </dev/null >/dev/null 2>&1 & exit 0",
	         script);
	start(orphan, &pid[orphan], &popened, &sys);
	make_cmd(exited, "exit 0");
	start(exited, &pid[exited], &popened, &sys);
	if (pid[exited] > 0)
		waitpid(pid[exited], NULL, 0);
	if (pid[orphan] > 0)
		waitpid(pid[orphan], NULL, 0);

	for (int n = 0; n < NKINDS + 3; n++) {
		const char *p = result(n, "pid");
		real[n] = *p ? (pid_t)atoi(p) : -1;
		const char *state = result(n, "state");
		const char *what = n < NKINDS    ? kind_name[n]
		                   : n == orphan ? "an orphaned grandchild"
		                   : n == exited ? "a child that has exited"
		                                 : "clone(CLONE_PARENT)";
		pt_check(strcmp(state, n == K_FORK ? "confined" : "unconfined") == 0,
		         "%s: process %d runs %s", what, (int)real[n], state);
	}
	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "close_session: %s", pam_strerror(pamh, rc));
	char *log = pt_syslog_read(t);
	pt_check(!warned(log, real[K_FORK]),
	         "fork(2): process %d (confined) is not named at close_session", (int)real[K_FORK]);
	for (int n = 1; n < NKINDS; n++)
		pt_check(
		    warned(log, real[n]),
		    "%s: close_session warns that process %d was started without fork(2) and is "
		    "not confined",
		    kind_name[n], (int)real[n]);
	pt_check(!warned(log, real[parent_kid]),
	         "known gap: a clone(CLONE_PARENT) child (%d) is not the opener's: not named",
	         (int)real[parent_kid]);
	pt_check(!warned(log, real[orphan]),
	         "known gap: an orphaned grandchild (%d) is not the opener's: not named",
	         (int)real[orphan]);
	pt_check(!warned(log, real[exited]),
	         "known gap: a child that exited before close_session (%d) is not named",
	         (int)real[exited]);
	free(log);

	for (int n = 0; n < NKINDS + 3; n++)
		if (real[n] > 0)
			kill(real[n], SIGKILL);
	for (int n = 0; n < NKINDS; n++)
		if (pid[n] > 0 && n != K_SYSTEM && n != K_POPEN)
			waitpid(pid[n], NULL, 0);
	if (popened)
		pclose(popened);
	if (sys)
		pthread_join(sys, NULL);
	pam_end(pamh, rc);
	return pt_fails - before;
}

/* More forked children than the module records pids for, then one it did
 * not see. */
#define MANY 300
static int many(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails;
	pam_handle_t *pamh = pt_start(t, "ll-unseen", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session: %s", pam_strerror(pamh, rc));
	int forked = 0;
	for (int i = 0; i < MANY; i++) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		forked += p > 0 && waitpid(p, NULL, 0) == p;
	}
	int n = NKINDS + 3;
	pid_t sp, real;
	make_cmd(n, "exec sleep 60");
	char a0[] = "sh", a1[] = "-c";
	char *argv[] = {a0, a1, cmd[n], NULL};
	if (posix_spawn(&sp, "/bin/sh", NULL, NULL, argv, environ) != 0)
		sp = -1;
	const char *p = result(n, "pid");
	real = *p ? (pid_t)atoi(p) : -1;
	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "close_session: %s", pam_strerror(pamh, rc));
	char *log = pt_syslog_read(t);
	char maybe[128];
	snprintf(maybe, sizeof(maybe), ": process %d of the opener could not be checked",
	         (int)real);
	pt_check(warned(log, real) || strstr(log, maybe),
	         "after %d forked children, close_session still names a posix_spawn child (%d): "
	         "as not confined, or as not checked",
	         forked, (int)real);
	free(log);
	if (sp > 0) {
		kill(sp, SIGKILL);
		waitpid(sp, NULL, 0);
	}
	pam_end(pamh, rc);
	return pt_fails - before;
}

int main(void)
{
	static struct pt t;
	char args[4200];
	pt_init(&t, "u");
	T = &t;
	pt_private_syslog(&t);
	snprintf(args, sizeof(args), "conf=%s confine=children", t.policy);
	pt_service(&t, "ll-unseen", args);
	pt_sub(&t, opener, NULL);
	pt_sub(&t, many, NULL);
	return pt_finish();
}
