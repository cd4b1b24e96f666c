/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-stress.c - the fork hook never hangs a login (issue 16).  Through the
 * real libpam, with the built module and confine=children, PAM_RHOST set to
 * a numeric address and PAM_TTY to "ssh" (as sshd sets them), an opener
 * forks a fixed number of children while other threads hold the locks a
 * forked child could inherit: localtime_r (the time-zone lock), syslog(3),
 * getaddrinfo (numeric, with and without AI_ADDRCONFIG), malloc/free, stdio
 * (fprintf to a file), NSS (getpwnam_r, getgrnam_r, getgrouplist); each
 * alone, then all at once.  Last, a single-threaded opener that is busy in
 * all of them forks from a SIGALRM handler (an interval timer), so the fork
 * interrupts it in the middle of any of those calls.
 *
 * Each child checks, with async-signal-safe calls only, that errno after
 * fork() is the value the parent set just before it, that creating a file in
 * a directory outside the profile fails with EACCES, and that exactly one
 * Landlock layer is stacked (pt_count_layers: the layers it can still stack
 * are one fewer than an unconfined process can).  A child that has not
 * exited LL_STRESS_DEADLINE_MS (5 s) after fork() is hung: it is killed and
 * counted.  Every case must end with all its children checked: 0 hung,
 * 0 unconfined, 0 with another layer count, errno preserved in all.
 *
 * The count is fixed, not a time: LL_STRESS_FORKS children per case, 2,000
 * by default (16,000 forks in all; about 45 s on the 2-CPU test VM, so make
 * check runs the full count).  Measured there with the module of main@6e91bbd:
 * every case 2,000 forks, 0 hung, 0 unconfined, 0 other layer count, errno
 * preserved in all.  The module before that rewrite (0.1.0) hung in the
 * localtime_r, getaddrinfo, all-at-once and signal cases within the first
 * 5-25 forks, and changed errno in almost every child.
 *
 * With LL_STRESS_RECORDS=FILE the test writes one line per child ("child
 * CASE PID RHOST STATUS") and uses the system's /dev/log: the end-to-end
 * tests/e2e/stress-records.sh checks the syslog line and audit record of
 * every child against it.  Otherwise it gives itself a private /dev/log
 * (pt_private_syslog), so that the system's log is spared.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <netdb.h>
#include <pthread.h>
#include <pwd.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "pamtest.h"

#define LL_STRESS_DEADLINE_MS 5000
#define MAX_HUNG              3 /* a case stops after this many: each costs a deadline */

enum busy {
	B_TIME = 1 << 0,
	B_SYSLOG = 1 << 1,
	B_GAI = 1 << 2,
	B_MALLOC = 1 << 3,
	B_STDIO = 1 << 4,
	B_NSS = 1 << 5,
	B_ALL = (1 << 6) - 1,
};

struct stress_case {
	const char *name;
	unsigned busy;
	bool from_signal; /* single-threaded opener, fork from a SIGALRM handler */
	const char *rhost;
};

static const struct stress_case cases[] = {
    {"a thread busy in localtime_r", B_TIME, false, "192.0.2.11"},
    {"a thread busy in syslog(3)", B_SYSLOG, false, "192.0.2.12"},
    {"a thread busy in getaddrinfo (numeric, AI_ADDRCONFIG)", B_GAI, false, "192.0.2.13"},
    {"a thread busy in malloc/free", B_MALLOC, false, "192.0.2.14"},
    {"a thread busy in stdio (fprintf to a file)", B_STDIO, false, "192.0.2.15"},
    {"a thread busy in NSS (getpwnam_r, getgrnam_r, getgrouplist)", B_NSS, false, "2001:db8::16"},
    {"six threads, one busy in each of the above", B_ALL, false, "192.0.2.17"},
    {"single-threaded opener busy in all of them, forking from a SIGALRM handler", B_ALL, true,
     "2001:db8::18"},
};
#define NCASES (sizeof(cases) / sizeof(cases[0]))

/* What one case saw. */
struct tally {
	unsigned long forks, ok, hung, unconfined, layers, errno_child, errno_parent, refused,
	    other, fork_failed;
};

/* Set before the case's opener starts (copied into every process). */
static struct pt *T;
static unsigned long nforks;
static const char *records;
static char probe[4200]; /* a file to create outside the profile */
static FILE *stdio_out;  /* B_STDIO writes here */
static volatile int stop_busy;

/* ---- the child: async-signal-safe only ----------------------------------- */

#define C_ERRNO      1
#define C_UNCONFINED 2
#define C_LAYERS     4
#define C_PROBE      8

static __attribute__((noreturn)) void child_check(int want_errno)
{
	int code = 0;
	if (errno != want_errno)
		code |= C_ERRNO;
	int fd = open(probe, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd >= 0) {
		close(fd);
		unlink(probe);
		code |= C_UNCONFINED;
	} else if (errno != EACCES) {
		code |= C_PROBE;
	}
	int free_layers = pt_count_layers();
	if (free_layers == T->layers)
		code |= C_UNCONFINED;
	else if (free_layers != T->layers - 1)
		code |= C_LAYERS;
	_exit(code ? 64 | code : 0);
}

static void tally_status(struct tally *r, int st)
{
	if (st == -1) {
		r->hung++;
		return;
	}
	int code = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	if (code == 0) {
		r->ok++;
	} else if (code > 64 && code < 128) {
		r->errno_child += (code & C_ERRNO) != 0;
		r->unconfined += (code & C_UNCONFINED) != 0;
		r->layers += (code & C_LAYERS) != 0;
		r->other += (code & C_PROBE) != 0;
	} else if (code == 1) {
		r->refused++; /* the module's child exits 1 when it cannot enforce */
	} else {
		r->other++;
	}
}

static void record(const struct stress_case *c, pid_t pid, int st)
{
	if (!records)
		return;
	FILE *f = fopen(records, "a");
	if (!f)
		return;
	fprintf(f, "child %d %d %s %d\n", (int)(c - cases), (int)pid, c->rhost, st);
	fclose(f);
}

/* ---- busy work ------------------------------------------------------------- */

static void busy_time(unsigned long i)
{
	time_t when = time(NULL) + (time_t)(i % 86400);
	struct tm tm;
	localtime_r(&when, &tm);
}

static void busy_syslog(unsigned long i)
{
	syslog(LOG_DEBUG, "tst-stress busy line %lu", i);
}

static void busy_gai(unsigned long i)
{
	static const char *const hosts[] = {"127.0.0.1", "::1", "192.0.2.1", "2001:db8::1"};
	struct addrinfo hints = {.ai_family = AF_UNSPEC,
	                         .ai_socktype = SOCK_STREAM,
	                         .ai_flags = AI_NUMERICHOST | (i % 2 ? AI_ADDRCONFIG : 0)};
	struct addrinfo *res = NULL;
	if (getaddrinfo(hosts[i % 4], "22", &hints, &res) == 0)
		freeaddrinfo(res);
}

static void busy_malloc(unsigned long i)
{
	/* Small sizes from the arenas, and now and then one above the mmap
	 * threshold. */
	size_t sz = i % 9 == 0 ? 300000 : 16 + (i * 2654435761UL) % 4000;
	char *p = malloc(sz);
	if (!p)
		return;
	p[0] = p[sz - 1] = 1;
	char *q = realloc(p, sz / 2 + 8);
	free(q ? q : p);
}

static void busy_stdio(unsigned long i)
{
	fprintf(stdio_out, "busy line %lu %s\n", i, "stdio");
	if (i % 4096 == 0) {
		fflush(stdio_out);
		rewind(stdio_out);
	}
}

static void busy_nss(unsigned long i)
{
	char buf[16384];
	struct passwd pw, *pwp;
	struct group gr, *grp;
	gid_t groups[64];
	int n = 64;
	switch (i % 3) {
	case 0:
		getpwnam_r(T->user, &pw, buf, sizeof(buf), &pwp);
		break;
	case 1:
		getgrnam_r("root", &gr, buf, sizeof(buf), &grp);
		break;
	default:
		getgrouplist(T->user, T->gid, groups, &n);
		break;
	}
}

static void (*const busy_fn[])(unsigned long) = {busy_time,   busy_syslog, busy_gai,
                                                 busy_malloc, busy_stdio,  busy_nss};
#define NBUSY (sizeof(busy_fn) / sizeof(busy_fn[0]))

static void *busy_thread(void *arg)
{
	void (*fn)(unsigned long) = busy_fn[(uintptr_t)arg];
	for (unsigned long i = 0; !__atomic_load_n(&stop_busy, __ATOMIC_RELAXED); i++)
		fn(i);
	return NULL;
}

static void busy_all(unsigned long i)
{
	for (size_t k = 0; k < NBUSY; k++)
		busy_fn[k](i);
}

/* ---- forking from the main thread ------------------------------------------ */

static void fork_from_main(const struct stress_case *c, struct tally *r)
{
	for (unsigned long i = 0; i < nforks && r->hung < MAX_HUNG; i++) {
		int mark = 4000 + (int)(i % 1000); /* no errno has such a value */
		errno = mark;
		pid_t pid = fork();
		int after = errno;
		if (pid == 0)
			child_check(mark);
		if (pid < 0) {
			r->fork_failed++;
			continue;
		}
		r->forks++;
		r->errno_parent += after != mark;
		int st = pt_wait_deadline(pid, LL_STRESS_DEADLINE_MS);
		tally_status(r, st);
		record(c, pid, st);
	}
}

/* ---- forking from a signal handler ----------------------------------------- */

static volatile sig_atomic_t sig_on;
static volatile pid_t sig_pid; /* the child not yet reaped, or 0 */
static struct timespec sig_t0;
static unsigned long sig_forks, sig_fork_failed, sig_errno_parent;

static void on_alarm(int sig)
{
	(void)sig;
	int saved = errno;
	if (sig_on && !sig_pid && sig_forks < nforks) {
		int mark = 4000 + (int)(sig_forks % 1000);
		errno = mark;
		pid_t pid = fork();
		int after = errno;
		if (pid == 0)
			child_check(mark);
		if (pid > 0) {
			clock_gettime(CLOCK_MONOTONIC, &sig_t0);
			sig_forks++;
			sig_errno_parent += after != mark;
			sig_pid = pid;
		} else {
			sig_fork_failed++;
		}
	}
	errno = saved;
}

static long ms_since(const struct timespec *t0)
{
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	return (now.tv_sec - t0->tv_sec) * 1000 + (now.tv_nsec - t0->tv_nsec) / 1000000;
}

static void fork_from_signal(const struct stress_case *c, struct tally *r)
{
	struct sigaction sa = {.sa_handler = on_alarm, .sa_flags = SA_RESTART};
	sigemptyset(&sa.sa_mask);
	sigaction(SIGALRM, &sa, NULL);
	struct itimerval it = {{0, 200}, {0, 200}};
	sig_on = 1;
	setitimer(ITIMER_REAL, &it, NULL);
	for (unsigned long i = 0; sig_forks < nforks || sig_pid; i++) {
		busy_all(i);
		pid_t pid = sig_pid;
		if (!pid)
			continue;
		int st;
		if (waitpid(pid, &st, WNOHANG) == pid) {
			tally_status(r, st);
		} else if (ms_since(&sig_t0) > LL_STRESS_DEADLINE_MS) {
			kill(pid, SIGKILL);
			waitpid(pid, &st, 0);
			st = -1;
			tally_status(r, st);
		} else {
			continue;
		}
		record(c, pid, st);
		sig_pid = 0;
		if (r->hung >= MAX_HUNG)
			break;
	}
	sig_on = 0;
	memset(&it, 0, sizeof(it));
	setitimer(ITIMER_REAL, &it, NULL);
	signal(SIGALRM, SIG_IGN);
	if (sig_pid) { /* stopped early: the last child is not reaped yet */
		int st = pt_wait_deadline(sig_pid, LL_STRESS_DEADLINE_MS);
		tally_status(r, st);
		record(c, sig_pid, st);
		sig_pid = 0;
	}
	r->forks = sig_forks;
	r->fork_failed = sig_fork_failed;
	r->errno_parent = sig_errno_parent;
}

/* ---- one case: a fresh opener ---------------------------------------------- */

static int run_case(struct pt *t, const void *arg)
{
	const struct stress_case *c = arg;
	int before = pt_fails;
	struct tally r = {0};
	pthread_t th[NBUSY];
	size_t nth = 0;
	char path[PATH_MAX];

	snprintf(probe, sizeof(probe), "%s/stress-probe", t->denied);
	snprintf(path, sizeof(path), "%s/stdio-%d.out", t->dir, (int)getpid());
	stdio_out = fopen(path, "w");
	if (!stdio_out)
		return pt_check(false, "open %s: %m", path) ? 0 : 1;
	openlog("tst-stress", LOG_PID | LOG_NDELAY, LOG_USER);

	/* The busy threads run before the session opens, as in a daemon. */
	if (!c->from_signal)
		for (size_t k = 0; k < NBUSY; k++)
			if ((c->busy & (1u << k)) &&
			    pthread_create(&th[nth], NULL, busy_thread, (void *)(uintptr_t)k) == 0)
				nth++;

	pam_handle_t *pamh = pt_start(t, "ll-stress", t->user);
	pam_set_item(pamh, PAM_RHOST, c->rhost);
	pam_set_item(pamh, PAM_TTY, "ssh");
	int rc = pam_open_session(pamh, 0);
	if (!pt_check(rc == PAM_SUCCESS, "%s: open_session: %s", c->name, pam_strerror(pamh, rc)))
		return 1;
	if (c->from_signal)
		fork_from_signal(c, &r);
	else
		fork_from_main(c, &r);
	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "%s: close_session: %s", c->name, pam_strerror(pamh, rc));
	pam_end(pamh, rc);
	__atomic_store_n(&stop_busy, 1, __ATOMIC_RELAXED);
	for (size_t k = 0; k < nth; k++)
		pthread_join(th[k], NULL);
	fclose(stdio_out);
	unlink(path);

	if (!c->from_signal)
		pt_check(nth == (size_t)__builtin_popcount(c->busy), "%s: %zu busy thread(s) ran",
		         c->name, nth);
	printf("# %s: %lu forks, %lu ok, %lu hung, %lu unconfined, %lu other layer count, "
	       "errno changed in %lu child(ren) and %lu parent(s), %lu refused, %lu other, "
	       "%lu fork() failures\n",
	       c->name, r.forks, r.ok, r.hung, r.unconfined, r.layers, r.errno_child,
	       r.errno_parent, r.refused, r.other, r.fork_failed);
	pt_check(r.forks == nforks && r.fork_failed == 0, "%s: %lu of %lu forks done", c->name,
	         r.forks, nforks);
	pt_check(r.hung == 0, "%s: no child hung (%lu did not exit within %d ms)", c->name, r.hung,
	         LL_STRESS_DEADLINE_MS);
	pt_check(r.unconfined == 0, "%s: no child ran unconfined (%lu did)", c->name, r.unconfined);
	pt_check(r.layers == 0 && r.other == 0 && r.refused == 0,
	         "%s: every child was confined with exactly one layer (%lu other count, %lu "
	         "refused, %lu other failures)",
	         c->name, r.layers, r.refused, r.other);
	pt_check(r.errno_child == 0 && r.errno_parent == 0,
	         "%s: errno after fork() is the value before it, in %lu children and their parent "
	         "(changed in %lu children, %lu times in the parent)",
	         c->name, r.forks, r.errno_child, r.errno_parent);
	pt_check(r.ok == nforks, "%s: %lu of %lu children passed every check", c->name, r.ok,
	         nforks);
	return pt_fails - before;
}

int main(void)
{
	static struct pt t;
	char args[4200];
	const char *n = getenv("LL_STRESS_FORKS");

	pt_init(&t, "s");
	T = &t;
	nforks = n && *n ? strtoul(n, NULL, 10) : 2000;
	records = getenv("LL_STRESS_RECORDS");
	if (records && *records) {
		FILE *f = fopen(records, "w");
		if (!f || fprintf(f, "user %s\n", t.user) < 0 || fclose(f) != 0)
			return pt_check(false, "write %s: %m", records), pt_finish();
	} else {
		records = NULL;
		pt_private_syslog(&t);
	}
	snprintf(args, sizeof(args), "conf=%s confine=children", t.policy);
	pt_service(&t, "ll-stress", args);
	printf("# %lu forks in each of %zu cases, a child is hung after %d ms\n", nforks, NCASES,
	       LL_STRESS_DEADLINE_MS);
	for (size_t i = 0; i < NCASES; i++) {
		/* Each case is an opener of its own, under a deadline too. */
		fflush(stdout);
		pid_t pid = fork();
		if (pid == 0)
			_exit(run_case(&t, &cases[i]));
		int st = pt_wait_deadline(pid, (int)(nforks * 100 + 120000));
		if (st == -1)
			pt_check(false, "%s: the opener itself hung (killed)", cases[i].name);
		else if (!WIFEXITED(st))
			pt_check(false, "%s: the opener died (status %d)", cases[i].name, st);
		else
			pt_fails += WEXITSTATUS(st);
	}
	return pt_finish();
}
