/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-syslog-drops.c - through the real libpam, with confine=children and a
 * private /dev/log: the module never blocks on syslog, and a line it could
 * not send is counted and said by the next line of the same process ("(N
 * earlier pam_landlock syslog line(s) dropped)").  The count belongs to the
 * process that lost the lines: a forked child, whose only line is its
 * "confined" line, must not repeat the opener's count (under a syslog flood
 * every child of the session said "1 earlier line dropped" for one line its
 * opener lost), and the opener's own next line still says it.
 *
 * The catcher is stopped while the session opens with `debug` (the opener
 * then logs at least two lines, which find /dev/log full: 10 datagrams
 * queued).
 */
#include "config.h"

#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pamtest.h"

extern char **environ;

static int child_exits(struct pt *t, const void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

/* Fills the private /dev/log (its catcher stopped) until a send would
 * block; returns how many datagrams it queued. */
static int fill_dev_log(void)
{
	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "/dev/log"};
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0), n = 0;
	if (fd < 0)
		return -1;
	while (n < 10000 &&
	       sendto(fd, "<15>filler", 10, MSG_DONTWAIT, (struct sockaddr *)&sa, sizeof(sa)) == 10)
		n++;
	int e = errno;
	close(fd);
	return e == EAGAIN ? n : -1;
}

/* N of "(N earlier pam_landlock syslog line(s) dropped)" in LINE, or 0. */
static unsigned long earlier(const char *line)
{
	const char *p = strstr(line, " earlier pam_landlock syslog line(s) dropped)");
	while (p && p > line && p[-1] >= '0' && p[-1] <= '9')
		p--;
	return p && p > line && p[-1] == '(' ? strtoul(p, NULL, 10) : 0;
}

static int opener(struct pt *t, const void *arg)
{
	(void)arg;
	int before = pt_fails;
	char want[256];
	pam_handle_t *pamh = pt_start(t, "ll-drops", t->user);

	pt_syslog_hold(true);
	int queued = fill_dev_log();
	pt_check(queued > 0, "the stopped catcher's /dev/log is full after %d datagrams", queued);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session with /dev/log full: %s", pam_strerror(pamh, rc));
	pt_syslog_hold(false);
	usleep(200000);

	fflush(stdout);
	pid_t child = fork();
	if (child == 0)
		_exit(child_exits(t, NULL));
	int st;
	waitpid(child, &st, 0);
	pt_check(WIFEXITED(st) && WEXITSTATUS(st) == 0, "a child was forked and exited");

	/* A live child the hook did not see makes the opener log at close. */
	pid_t spawned;
	char a0[] = "sleep", a1[] = "30";
	char *argv[] = {a0, a1, NULL};
	if (posix_spawnp(&spawned, "sleep", NULL, NULL, argv, environ) != 0)
		spawned = -1;
	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "close_session: %s", pam_strerror(pamh, rc));
	if (spawned > 0) {
		kill(spawned, SIGKILL);
		waitpid(spawned, NULL, 0);
	}
	pam_end(pamh, rc);

	char *log = pt_syslog_read(t);
	char *line = NULL;
	snprintf(want, sizeof(want), "confined user=%s service=ll-drops ", t->user);
	for (char *l = log, *nl; *l; l = nl + 1) {
		nl = strchr(l, '\n');
		if (!nl)
			break;
		*nl = '\0';
		if (strstr(l, want))
			line = l;
		else if (strstr(l, "NOT confined"))
			pt_check(earlier(l) >= 2,
			         "the opener's next line says that its lines (2 debug lines, and "
			         "warnings) were dropped: %s",
			         l);
		else if (strstr(l, "pam_landlock(ll-drops:session): armed:") ||
		         strstr(l, "pam_landlock(ll-drops:session): opener "))
			pt_check(false, "a line sent while /dev/log was full arrived: %s", l);
	}
	if (pt_check(line != NULL, "the child's confined line was received"))
		pt_check(strstr(line, "earlier pam_landlock syslog") == NULL,
		         "the child's line does not repeat the opener's dropped count: %s", line);
	free(log);
	return pt_fails - before;
}

int main(void)
{
	static struct pt t;
	char args[4200];
	pt_init(&t, "d");
	pt_private_syslog(&t);
	snprintf(args, sizeof(args), "conf=%s confine=children debug", t.policy);
	pt_service(&t, "ll-drops", args);
	pt_sub(&t, opener, NULL);
	return pt_finish();
}
