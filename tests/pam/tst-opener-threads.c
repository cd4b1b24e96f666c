/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-opener-threads.c - through the real libpam, confine=opener in a
 * process with a second thread.  Without Landlock TSYNC (ABI < 8) only the
 * thread that opened the session is confined; the fork hook stays armed so
 * that what the other threads fork is confined too, and skips the children
 * of the confined thread (they inherit its domain).
 *
 * - Both threads fork at the same time, many times.  glibc runs the handlers
 *   of concurrent forks concurrently (it releases its fork-handler lock
 *   around each handler), so the hook must tell in the child which thread
 *   forked it without a shared "last forking thread" variable.  Every child
 *   must be confined with exactly one layer: none unconfined (a child of the
 *   other thread taken for one of the confined thread), none with two.
 * - The other thread's children are still confined after close_session and
 *   after pam_end: the module must stay loaded, since unloading it would
 *   take its fork handler away while a thread is outside the domain.
 * - The session is opened by a thread that exits; a thread created later
 *   (glibc reuses the exited thread's stack and descriptor) is not taken for
 *   the confined one: its children are confined.
 *
 * With TSYNC every thread is confined and the hook is not armed; the
 * expectations are the same.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pamtest.h"

#define FORKS 1500 /* per thread; unconfined children showed in every run of 1500 */

static struct pt *T;
static char probe[2][4200];

struct tally {
	int which; /* probe file: 0 the confined (opening) thread, 1 another one */
	unsigned long forks, ok, unconfined, two, other;
};

static __attribute__((noreturn)) void child_check(int which)
{
	int fd = open(probe[which], O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int e = errno;
	if (fd >= 0) {
		close(fd);
		unlink(probe[which]);
	}
	int free_layers = pt_count_layers();
	if (fd >= 0 || free_layers == T->layers)
		_exit(2); /* unconfined */
	if (free_layers == T->layers - 2)
		_exit(3); /* two layers */
	_exit(free_layers == T->layers - 1 && e == EACCES ? 0 : 4);
}

static void forker(struct tally *r, int n)
{
	for (int i = 0; i < n; i++) {
		pid_t pid = fork();
		if (pid == 0)
			child_check(r->which);
		if (pid < 0)
			continue;
		r->forks++;
		int st = pt_wait_deadline(pid, 5000);
		int code = st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1;
		r->ok += code == 0;
		r->unconfined += code == 2;
		r->two += code == 3;
		r->other += code != 0 && code != 2 && code != 3;
	}
}

static void report(const char *who, const struct tally *r, int n)
{
	printf("# %s: %lu forks, %lu ok, %lu unconfined, %lu with two layers, %lu other\n", who,
	       r->forks, r->ok, r->unconfined, r->two, r->other);
	pt_check(r->forks == (unsigned long)n && r->ok == (unsigned long)n,
	         "%s: all %d children are confined with exactly one layer (%lu unconfined, %lu "
	         "with two layers, %lu other)",
	         who, n, r->unconfined, r->two, r->other);
}

/* The other thread: exists when the session opens, forks with the opener,
 * then again after close_session and after pam_end. */
static pthread_barrier_t step;
static struct tally other[3];

static void *other_thread(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&step); /* session open */
	forker(&other[0], FORKS);
	pthread_barrier_wait(&step); /* main is done forking */
	pthread_barrier_wait(&step); /* session closed */
	forker(&other[1], 100);
	pthread_barrier_wait(&step);
	pthread_barrier_wait(&step); /* PAM ended */
	forker(&other[2], 100);
	return NULL;
}

static int opener(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails;
	struct tally mine = {.which = 0};
	pthread_t th;
	pthread_barrier_init(&step, NULL, 2);
	for (int i = 0; i < 3; i++)
		other[i].which = 1;
	if (pthread_create(&th, NULL, other_thread, NULL) != 0)
		return pt_check(false, "pthread_create: %s", strerror(errno)) ? 0 : 1;
	pam_handle_t *pamh = pt_start(t, "ll-threads", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session (confine=opener) with a second thread: %s",
	         pam_strerror(pamh, rc));
	pthread_barrier_wait(&step);
	forker(&mine, FORKS);
	pthread_barrier_wait(&step);
	report("children of the confined thread, forking with the other", &mine, FORKS);
	report("children of the other thread, forking with the confined one", &other[0], FORKS);

	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "close_session: %s", pam_strerror(pamh, rc));
	pthread_barrier_wait(&step);
	pthread_barrier_wait(&step);
	report("children of the other thread after close_session", &other[1], 100);

	rc = pam_end(pamh, PAM_SUCCESS);
	pt_check(rc == PAM_SUCCESS, "pam_end: %s", pam_strerror(NULL, rc));
	pthread_barrier_wait(&step);
	pthread_join(th, NULL);
	report("children of the other thread after pam_end", &other[2], 100);
	return pt_fails - before;
}

static void *open_and_exit(void *arg)
{
	struct pt *t = arg;
	pam_handle_t *pamh = pt_start(t, "ll-threads", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session in a thread that then exits: %s",
	         pam_strerror(pamh, rc));
	return pamh;
}

static pthread_barrier_t idle;

static void *idle_thread(void *arg)
{
	(void)arg;
	pthread_barrier_wait(&idle);
	return NULL;
}

struct later {
	struct tally r;
	pthread_t self;
};

static void *fork_later(void *arg)
{
	struct later *l = arg;
	l->self = pthread_self();
	forker(&l->r, 100);
	return NULL;
}

static int opener_thread_exits(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails;
	pthread_t first, second;
	struct later l = {.r = {.which = 1}};
	/* A second thread alive when the session opens, so that the hook is
	 * armed (one of two threads confined). */
	pthread_barrier_init(&idle, NULL, 2);
	if (pthread_create(&second, NULL, idle_thread, NULL) != 0 ||
	    pthread_create(&first, NULL, open_and_exit, t) != 0 || pthread_join(first, NULL) != 0)
		return pt_check(false, "start the threads: %s", strerror(errno)) ? 0 : 1;
	pthread_t reused;
	if (pthread_create(&reused, NULL, fork_later, &l) != 0 || pthread_join(reused, NULL) != 0)
		return pt_check(false, "start the later thread: %s", strerror(errno)) ? 0 : 1;
	printf("# the later thread %s the exited opening thread's descriptor\n",
	       pthread_equal(l.self, first) ? "reuses" : "does not reuse");
	report("children of a thread created after the opening thread exited", &l.r, 100);
	pthread_barrier_wait(&idle);
	pthread_join(second, NULL);
	return pt_fails - before;
}

int main(void)
{
	static struct pt t;
	char args[4200];
	pt_init(&t, "t");
	T = &t;
	pt_private_syslog(&t);
	for (int i = 0; i < 2; i++)
		snprintf(probe[i], sizeof(probe[i]), "%s/thread-%d", t.denied, i);
	snprintf(args, sizeof(args), "conf=%s confine=opener", t.policy);
	pt_service(&t, "ll-threads", args);
	pt_sub(&t, opener, NULL);
	pt_sub(&t, opener_thread_exits, NULL);
	return pt_finish();
}
