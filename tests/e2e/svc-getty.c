/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * svc-getty - what getty and init do to utmp around login(1).
 *
 * usage: svc-getty PROGRAM [ARGS...]   (stdin is the terminal)
 *        svc-getty --dead PID
 *
 * The first form writes a LOGIN_PROCESS entry for the terminal with its own
 * pid, as agetty does, prints "SVC-GETTY-PID=pid" and execs PROGRAM (login):
 * login finds the entry by pid and turns it into the user's USER_PROCESS
 * entry.  The second form is
 * init's part when that process has ended: the entry of PID becomes
 * DEAD_PROCESS, so the test leaves no live entry behind.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>
#include <unistd.h>
#include <utmpx.h>

static int dead(pid_t pid)
{
	struct utmpx *ut;
	int found = 0;
	setutxent();
	while ((ut = getutxent()) != NULL) {
		if (ut->ut_pid != pid || ut->ut_type == DEAD_PROCESS)
			continue;
		struct utmpx d = *ut;
		struct timeval tv;
		gettimeofday(&tv, NULL);
		d.ut_type = DEAD_PROCESS;
		memset(d.ut_user, 0, sizeof(d.ut_user));
		d.ut_tv.tv_sec = tv.tv_sec;
		d.ut_tv.tv_usec = tv.tv_usec;
		if (!pututxline(&d)) {
			perror("svc-getty: pututxline");
			return 1;
		}
		found = 1;
		break;
	}
	endutxent();
	return found ? 0 : 3;
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "--dead") == 0)
		return dead((pid_t)atoi(argv[2]));
	if (argc < 2) {
		fprintf(stderr, "usage: svc-getty PROGRAM [ARGS...] | --dead PID\n");
		return 2;
	}
	const char *tty = ttyname(0);
	if (!tty || strncmp(tty, "/dev/", 5) != 0) {
		fprintf(stderr, "svc-getty: stdin is not a terminal\n");
		return 2;
	}
	struct utmpx ut;
	struct timeval tv;
	memset(&ut, 0, sizeof(ut));
	ut.ut_type = LOGIN_PROCESS;
	ut.ut_pid = getpid();
	const char *line = tty + 5;
	strncpy(ut.ut_line, line, sizeof(ut.ut_line));
	/* agetty's id: the line without its "tty"/"pts" prefix, at most 4 bytes. */
	size_t len = strlen(line);
	const char *id = strncmp(line, "pts/", 4) == 0 ? line + 3 : line + (len > 4 ? len - 4 : 0);
	strncpy(ut.ut_id, id, sizeof(ut.ut_id));
	strncpy(ut.ut_user, "LOGIN", sizeof(ut.ut_user));
	gettimeofday(&tv, NULL);
	ut.ut_tv.tv_sec = tv.tv_sec;
	ut.ut_tv.tv_usec = tv.tv_usec;
	setutxent();
	if (!pututxline(&ut)) {
		perror("svc-getty: pututxline");
		return 1;
	}
	endutxent();
	printf("SVC-GETTY-PID=%d\n", (int)getpid());
	fflush(stdout);
	execv(argv[1], argv + 1);
	fprintf(stderr, "svc-getty: %s: %s\n", argv[1], strerror(errno));
	return 127;
}
