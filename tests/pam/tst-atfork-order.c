/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-atfork-order.c - through the real libpam, with confine=children: what
 * runs in a forked child before the hook has confined it.  glibc runs the
 * child handlers of pthread_atfork(3) in the order they were registered,
 * and the module registers its hook when it is loaded, so:
 *
 * 1. a handler registered before pam_start (which loads the module) runs
 *    first, outside the domain; handlers registered after pam_start, before
 *    or after open_session, run after the hook, inside it;
 * 2. it is the load that counts: once a session has opened, the module stays
 *    loaded (RTLD_NODELETE), so a handler registered after pam_end and before
 *    the next pam_start runs after the hook; but if the module was unloaded
 *    (pam_end before any session opened) and is loaded again, a handler
 *    registered in between runs before it;
 * 3. the application's signal handlers never run in the child before the
 *    hook: a process group flooded with SIGUSR1 while the opener forks; the
 *    handler tries a write outside the profile in every child it runs in
 *    and must always be refused (before the hook blocked signals from the
 *    prepare handler to the end of the child handler, the handler ran in
 *    children before they were confined).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pamtest.h"

static char probe[4200];

/* In a child: 1 if a write outside the profile is refused (confined), 0 if
 * it works, -errno on another error.  Async-signal-safe. */
static int confined_now(void)
{
	int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		unlink(probe);
		return 0;
	}
	return errno == EACCES ? 1 : -errno;
}

/* What each child handler saw: its place among the handlers, confinement. */
#define NH 4
static struct seen {
	int seq, confined;
} seen[NH];
static int nseq;

#define HANDLER(i)                                                                                 \
	static void h##i(void)                                                                     \
	{                                                                                          \
		seen[i].seq = ++nseq;                                                              \
		seen[i].confined = confined_now();                                                 \
	}
HANDLER(0)
HANDLER(1)
HANDLER(2)
HANDLER(3)
static void (*const handler[NH])(void) = {h0, h1, h2, h3};

static void reg(int i)
{
	if (pthread_atfork(NULL, NULL, handler[i]) != 0)
		pt_check(false, "pthread_atfork: %s", strerror(errno));
}

/* Forks a child that sends back what its handlers saw and whether it is
 * confined itself. */
static bool fork_and_look(struct seen out[NH], int *child_confined)
{
	int p[2];
	if (pipe(p) != 0)
		return false;
	memset(seen, 0, sizeof(seen));
	nseq = 0;
	pid_t pid = fork();
	if (pid == 0) {
		int c = confined_now();
		if (write(p[1], seen, sizeof(seen)) != sizeof(seen) ||
		    write(p[1], &c, sizeof(c)) != sizeof(c))
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	bool ok = read(p[0], out, sizeof(seen)) == sizeof(seen) &&
	          read(p[0], child_confined, sizeof(int)) == sizeof(int);
	close(p[0]);
	int st = pid > 0 ? pt_wait_deadline(pid, 5000) : -1;
	return ok && st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
}

static pam_handle_t *open_session(struct pt *t)
{
	pam_handle_t *pamh = pt_start(t, "ll-atfork", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session: %s", pam_strerror(pamh, rc));
	return pamh;
}

static void end_session(pam_handle_t *pamh)
{
	pam_close_session(pamh, 0);
	pam_end(pamh, PAM_SUCCESS);
}

static void expect(const struct seen *s, int i, bool confined, const char *what)
{
	pt_check(s[i].seq > 0 && s[i].confined == (confined ? 1 : 0),
	         "%s: runs in the child (place %d) %s the domain (%d)", what, s[i].seq,
	         confined ? "inside" : "OUTSIDE", s[i].confined);
}

/* 1. */
static int order(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails, c;
	struct seen s[NH];
	reg(0);
	pam_handle_t *pamh = pt_start(t, "ll-atfork", t->user);
	reg(1);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session: %s", pam_strerror(pamh, rc));
	reg(2);
	if (!pt_check(fork_and_look(s, &c), "a child reported what its fork handlers saw"))
		return pt_fails - before;
	pt_check(c == 1, "the child is confined when fork() returns in it");
	expect(s, 0, false, "a handler registered before pam_start");
	expect(s, 1, true, "a handler registered after pam_start, before open_session");
	expect(s, 2, true, "a handler registered after open_session");
	pt_check(s[0].seq < s[1].seq && s[1].seq < s[2].seq,
	         "the child handlers run in the order they were registered (%d, %d, %d)", s[0].seq,
	         s[1].seq, s[2].seq);
	end_session(pamh);
	return pt_fails - before;
}

/* 2a. The module stays loaded after a session. */
static int stays_loaded(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails, c;
	struct seen s[NH];
	end_session(open_session(t));
	reg(3);
	pam_handle_t *pamh = open_session(t);
	if (pt_check(fork_and_look(s, &c), "a child reported what its fork handlers saw"))
		expect(s, 3, true,
		       "a handler registered between a closed session's pam_end and the next "
		       "pam_start (the module stayed loaded)");
	end_session(pamh);
	return pt_fails - before;
}

/* 2b. The module is unloaded by a pam_end before any session, and loaded
 * again by the next pam_start: its hook is registered anew. */
static int reloaded(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails, c;
	struct seen s[NH];
	pam_end(pt_start(t, "ll-atfork", t->user), PAM_SUCCESS);
	reg(3);
	pam_handle_t *pamh = open_session(t);
	if (pt_check(fork_and_look(s, &c), "a child reported what its fork handlers saw"))
		expect(s, 3, false,
		       "a handler registered after a pam_end that unloaded the module (no session "
		       "yet), before the pam_start that loads it again");
	end_session(pamh);
	return pt_fails - before;
}

/* 3. Signals. */
#define SIG_FORKS 300
static pid_t opener_pid;
static unsigned long *ran; /* MAP_SHARED: [0] unconfined, [1] confined */

static void on_usr1(int sig)
{
	(void)sig;
	int e = errno;
	if (getpid() != opener_pid) {
		int c = confined_now();
		__atomic_add_fetch(&ran[c == 1], 1, __ATOMIC_RELAXED);
	}
	errno = e;
}

static int signals(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails;
	ran =
	    mmap(NULL, 2 * sizeof(*ran), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (ran == MAP_FAILED)
		return pt_check(false, "mmap: %s", strerror(errno)) ? 0 : 1;
	setpgid(0, 0);
	opener_pid = getpid();
	struct sigaction sa = {.sa_handler = on_usr1, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGUSR1, &sa, NULL);
	/* The sender is forked before the session opens: it is not confined
	 * (a domain's scoped signals could not reach the opener). */
	pid_t sender = fork();
	if (sender == 0) {
		setpgid(0, 0);
		for (;;)
			kill(-opener_pid, SIGUSR1);
	}
	pam_handle_t *pamh = open_session(t);
	unsigned long children = 0, confined = 0;
	for (int i = 0; i < SIG_FORKS; i++) {
		pid_t pid = fork();
		if (pid == 0)
			_exit(confined_now() == 1 ? 0 : 2);
		int st = pid > 0 ? pt_wait_deadline(pid, 20000) : -1;
		children += pid > 0;
		confined += st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0;
	}
	kill(sender, SIGKILL);
	waitpid(sender, NULL, 0);
	end_session(pamh);
	printf("# %lu children forked under a SIGUSR1 flood; the handler ran %lu times in them "
	       "before they were confined, %lu times after\n",
	       children, ran[0], ran[1]);
	pt_check(children == SIG_FORKS && confined == children,
	         "every child forked under the flood is confined (%lu of %lu)", confined, children);
	pt_check(ran[1] > 0, "the flood reached the children (their handler ran %lu times)",
	         ran[1]);
	pt_check(ran[0] == 0,
	         "the application's signal handler never ran in a child before the hook (%lu "
	         "times)",
	         ran[0]);
	return pt_fails - before;
}

int main(void)
{
	static struct pt t;
	char args[4200];
	pt_init(&t, "a");
	pt_private_syslog(&t);
	snprintf(probe, sizeof(probe), "%s/atfork-probe", t.denied);
	snprintf(args, sizeof(args), "conf=%s confine=children", t.policy);
	pt_service(&t, "ll-atfork", args);
	pt_sub(&t, order, NULL);
	pt_sub(&t, stays_loaded, NULL);
	pt_sub(&t, reloaded, NULL);
	pt_sub(&t, signals, NULL);
	return pt_finish();
}
