/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-small-stack.c - through the real libpam, with confine=children: the
 * fork hook runs on whatever stack fork() was called on, so it must fit in
 * small ones: a thread created with the smallest stack glibc allows
 * (PTHREAD_STACK_MIN, 16 KiB on x86_64) and a signal handler running on an
 * alternate signal stack of the size glibc recommends (sysconf(
 * _SC_SIGSTKSZ)).  Each stack has an inaccessible page below it, so an
 * overflow kills the child (SIGSEGV) instead of silently overwriting the
 * memory below; each child must be confined and exit normally.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pamtest.h"

static char probe[4200];

/* A stack of SIZE bytes above an inaccessible guard page. */
static void *guarded(size_t size)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t len = (size + (size_t)page - 1) / (size_t)page * (size_t)page;
	char *m = mmap(NULL, len + (size_t)page, PROT_READ | PROT_WRITE,
	               MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	if (m == MAP_FAILED || mprotect(m, (size_t)page, PROT_NONE) != 0)
		return NULL;
	return m + page + (len - size); /* SIZE bytes up to the end */
}

/* The child: confined (a write outside the profile is refused)? */
static __attribute__((noreturn)) void child(void)
{
	int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		unlink(probe);
		_exit(2);
	}
	_exit(errno == EACCES ? 0 : 3);
}

static const char *status_str(int st, char *buf, size_t len)
{
	if (st == -1)
		snprintf(buf, len, "hung");
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d", WTERMSIG(st));
	else
		snprintf(buf, len, "exit %d", WEXITSTATUS(st));
	return buf;
}

static void *fork_in_thread(void *arg)
{
	(void)arg;
	pid_t pid = fork();
	if (pid == 0)
		child();
	return (void *)(intptr_t)(pid > 0 ? pt_wait_deadline(pid, 5000) : -2);
}

static volatile pid_t handler_child;
static void on_usr1(int sig)
{
	(void)sig;
	int e = errno;
	pid_t pid = fork();
	if (pid == 0)
		child();
	handler_child = pid;
	errno = e;
}

static int opener(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails;
	char buf[64];
	pam_handle_t *pamh = pt_start(t, "ll-stack", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session: %s", pam_strerror(pamh, rc));

	size_t tsize = PTHREAD_STACK_MIN;
	void *stack = guarded(tsize);
	pthread_attr_t attr;
	pthread_t th;
	void *res = (void *)(intptr_t)-2;
	if (stack && pthread_attr_init(&attr) == 0 &&
	    pthread_attr_setstack(&attr, stack, tsize) == 0 &&
	    pthread_create(&th, &attr, fork_in_thread, NULL) == 0)
		pthread_join(th, &res);
	int st = (int)(intptr_t)res;
	pt_check(st != -2 && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	         "fork() in a thread with a %zu-byte stack: the child is confined and exits "
	         "normally (%s)",
	         tsize, status_str(st, buf, sizeof(buf)));

	size_t ssize = (size_t)sysconf(_SC_SIGSTKSZ);
	stack_t ss = {.ss_sp = guarded(ssize), .ss_size = ssize};
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_ONSTACK};
	sigemptyset(&sa.sa_mask);
	st = -2;
	if (ss.ss_sp && sigaltstack(&ss, NULL) == 0 && sigaction(SIGUSR1, &sa, NULL) == 0 &&
	    raise(SIGUSR1) == 0 && handler_child > 0)
		st = pt_wait_deadline(handler_child, 5000);
	pt_check(
	    st != -2 && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	    "fork() in a signal handler on a %zu-byte alternate stack (sysconf(_SC_SIGSTKSZ)): "
	    "the child is confined and exits normally (%s)",
	    ssize, status_str(st, buf, sizeof(buf)));
	pam_close_session(pamh, 0);
	pam_end(pamh, PAM_SUCCESS);
	return pt_fails - before;
}

int main(void)
{
	static struct pt t;
	char args[4200];
	pt_init(&t, "k");
	pt_private_syslog(&t);
	snprintf(probe, sizeof(probe), "%s/stack-probe", t.denied);
	snprintf(args, sizeof(args), "conf=%s confine=children", t.policy);
	pt_service(&t, "ll-stack", args);
	pt_sub(&t, opener, NULL);
	return pt_finish();
}
