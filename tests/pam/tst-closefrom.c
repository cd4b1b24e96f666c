/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-closefrom.c - through the real libpam, with confine=children: an
 * opener that closes every descriptor from 3 up after open_session
 * (closefrom(3), as daemons do before they start a child) takes the
 * prepared ruleset away from the fork hook.  Then, whatever the number is
 * reused for - nothing, a regular file dup2()ed onto it, a file that the
 * lowest-free-number rule puts there, an eventfd (an anonymous inode, as a
 * ruleset is), or a Landlock ruleset of the application's own - every
 * child it forks must fail closed: exit non-zero before fork() returns in
 * it, saying on stderr and in syslog that the ruleset's descriptor was
 * closed or replaced (closefrom?), and never run, confined by the wrong
 * ruleset or not at all.  close_session must leave the application's
 * descriptor alone: still open, still the same file.
 *
 * And when the child's stderr is a pipe that nobody reads and that is full
 * (a stuck logger), the refusal must not wait to be written there: the
 * child still exits at once and says why in syslog.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pamtest.h"

enum reuse { R_NONE, R_DUP2_FILE, R_LOWEST_FREE, R_EVENTFD, R_OWN_RULESET };

static const char *const reuse_name[] = {
    "the number is not reused",
    "a regular file is dup2()ed onto the number",
    "files are opened until the lowest free number is the ruleset's",
    "an eventfd is dup2()ed onto the number",
    "a Landlock ruleset of the application's own is dup2()ed onto the number",
};

#define WANT "the Landlock ruleset's file descriptor was closed or replaced"

/* Whether process PID logged the refusal for the test user (syslog). */
static bool said_why(struct pt *t, pid_t pid)
{
	char *log = pt_syslog_read(t), pidword[64];
	snprintf(pidword, sizeof(pidword), "[%d]: ", (int)pid);
	bool said = false;
	for (char *l = log, *nl; (nl = strchr(l, '\n')); l = nl + 1) {
		*nl = '\0';
		said |= strstr(l, pidword) && strstr(l, WANT) && strstr(l, t->user);
	}
	free(log);
	return said;
}

/* The descriptor of the module's ruleset in this process, or -1. */
static int ruleset_fd(void)
{
	DIR *d = opendir("/proc/self/fd");
	int found = -1;
	for (struct dirent *e; d && (e = readdir(d));) {
		char p[300], target[128];
		snprintf(p, sizeof(p), "/proc/self/fd/%s", e->d_name);
		ssize_t n = readlink(p, target, sizeof(target) - 1);
		target[n > 0 ? n : 0] = '\0';
		if (strcmp(target, "anon_inode:[landlock-ruleset]") == 0)
			found = atoi(e->d_name);
	}
	if (d)
		closedir(d);
	return found;
}

/* The application's own ruleset: one that handles nothing it would miss. */
static int own_ruleset(void)
{
	uint64_t handled = 1ULL << 11; /* make_block */
	return (int)syscall(SYS_landlock_create_ruleset, &handled, sizeof(handled), 0U);
}

/* Puts something of the application's at number N; returns the fd or -1. */
static int reuse_number(struct pt *t, enum reuse how, int n)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/app-file", t->dir);
	int fd = -1;
	switch (how) {
	case R_NONE:
		return -1;
	case R_DUP2_FILE:
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		break;
	case R_LOWEST_FREE:
		for (int f; (f = open(path, O_RDWR | O_CREAT, 0600)) >= 0 && f < n;)
			;
		return fcntl(n, F_GETFD) >= 0 ? n : -1;
	case R_EVENTFD:
		fd = eventfd(7, EFD_CLOEXEC);
		break;
	case R_OWN_RULESET:
		fd = own_ruleset();
		break;
	}
	if (fd < 0 || dup2(fd, n) != n)
		return -1;
	close(fd);
	return n;
}

static int opener(struct pt *t, const void *arg)
{
	enum reuse how = (enum reuse)(intptr_t)arg;
	const char *what = reuse_name[how];
	int before = pt_fails;
	char errpath[PATH_MAX], msg[8192] = "";
	struct stat app_st = {0};

	pam_handle_t *pamh = pt_start(t, "ll-closefrom", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "%s: open_session: %s", what, pam_strerror(pamh, rc));
	int n = ruleset_fd();
	pt_check(n >= 3, "%s: the opener holds the ruleset at fd %d", what, n);
	closefrom(3);
	int app = reuse_number(t, how, n);
	pt_check(how == R_NONE || app == n, "%s: fd %d is the application's now", what, n);
	if (app >= 0)
		fstat(app, &app_st);

	/* The child's stderr goes to a file; the opener's is kept. */
	snprintf(errpath, sizeof(errpath), "%s/child-stderr-%d", t->dir, (int)how);
	int err = open(errpath, O_RDWR | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	int saved = dup(2);
	fflush(stdout);
	dup2(err, 2);
	pid_t pid = fork();
	if (pid == 0)
		_exit(42); /* fork() returned in the child: it ran */
	dup2(saved, 2);
	close(saved);
	int st = pid > 0 ? pt_wait_deadline(pid, 5000) : -1;
	ssize_t len = pread(err, msg, sizeof(msg) - 1, 0);
	msg[len > 0 ? len : 0] = '\0';
	msg[strcspn(msg, "\n")] = '\0';
	close(err);
	pt_check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 42,
	         "%s: the child failed closed (exit %d; 42 would mean it ran)", what,
	         st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	pt_check(strstr(msg, "pam_landlock: session refused for ") && strstr(msg, WANT),
	         "%s: the child said why on stderr: %s", what, msg);

	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "%s: close_session: %s", what, pam_strerror(pamh, rc));
	if (app >= 0) {
		struct stat now;
		bool open_same = fstat(app, &now) == 0 && now.st_dev == app_st.st_dev &&
		                 now.st_ino == app_st.st_ino;
		pt_check(open_same, "%s: close_session left the application's fd %d open", what,
		         app);
		if (how == R_EVENTFD) {
			uint64_t v = 0;
			ssize_t got = read(app, &v, sizeof(v));
			pt_check(got == sizeof(v) && v == 7,
			         "%s: the eventfd still holds its value (%llu)", what,
			         (unsigned long long)v);
		}
		if (how == R_OWN_RULESET)
			pt_check(ruleset_fd() == app,
			         "%s: fd %d is still the application's ruleset", what, app);
	}
	pam_end(pamh, rc);

	pt_check(said_why(t, pid), "%s: the child (pid %d) said why in syslog", what, (int)pid);
	return pt_fails - before;
}

/* The check must not refuse the true ruleset: here the session is opened
 * by a thread that exits before the fork (a thread's F_SETOWN ownership
 * would read as 0 by then). */
static void *open_in_thread(void *arg)
{
	struct pt *t = arg;
	pam_handle_t *pamh = pt_start(t, "ll-closefrom", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session in a thread that then exits: %s",
	         pam_strerror(pamh, rc));
	return pamh;
}

static int opened_by_exited_thread(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails;
	pthread_t th;
	void *pamh = NULL;
	if (pthread_create(&th, NULL, open_in_thread, t) != 0 || pthread_join(th, &pamh) != 0)
		return pt_check(false, "run the opening thread: %s", strerror(errno)) ? 0 : 1;
	pid_t pid = fork();
	if (pid == 0)
		_exit(pt_try_create(t->denied, "exited-opener") == EACCES ? 0 : 3);
	int st = pid > 0 ? pt_wait_deadline(pid, 5000) : -1;
	pt_check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) == 0,
	         "nothing closed, the opening thread gone: the child is confined, not refused "
	         "(exit %d)",
	         st != -1 && WIFEXITED(st) ? WEXITSTATUS(st) : -1);
	pam_close_session(pamh, 0);
	pam_end(pamh, PAM_SUCCESS);
	return pt_fails - before;
}

static int stderr_full(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails, p[2];
	pam_handle_t *pamh = pt_start(t, "ll-closefrom", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "stderr full: open_session: %s", pam_strerror(pamh, rc));
	closefrom(3);
	if (pipe(p) != 0)
		return pt_check(false, "pipe: %s", strerror(errno)) ? 0 : 1;
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	static char page[4096];
	int pages = 0;
	while (write(p[1], page, sizeof(page)) > 0)
		pages++;
	fcntl(p[1], F_SETFL, 0);
	int saved = dup(2);
	fflush(stdout);
	dup2(p[1], 2);
	pid_t pid = fork();
	if (pid == 0)
		_exit(42);
	dup2(saved, 2);
	close(saved);
	int st = pid > 0 ? pt_wait_deadline(pid, 5000) : -1;
	pt_check(st != -1 && WIFEXITED(st) && WEXITSTATUS(st) != 0 && WEXITSTATUS(st) != 42,
	         "stderr a full pipe (%d pages, never read): the child failed closed at once (%s)",
	         pages, st == -1 ? "it hung" : "it exited");
	pam_close_session(pamh, 0);
	pam_end(pamh, PAM_SUCCESS);
	pt_check(said_why(t, pid), "stderr a full pipe: the child (pid %d) said why in syslog",
	         (int)pid);
	close(p[0]);
	close(p[1]);
	return pt_fails - before;
}

int main(void)
{
	static struct pt t;
	char args[4200];
	pt_init(&t, "c");
	pt_private_syslog(&t);
	snprintf(args, sizeof(args), "conf=%s confine=children", t.policy);
	pt_service(&t, "ll-closefrom", args);
	for (intptr_t how = R_NONE; how <= R_OWN_RULESET; how++)
		pt_sub(&t, opener, (const void *)how);
	pt_sub(&t, stderr_full, NULL);
	pt_sub(&t, opened_by_exited_thread, NULL);
	return pt_finish();
}
