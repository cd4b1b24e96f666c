/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ll-session.c - a minimal login application for the tests: opens a real
 * PAM session with libpam (pam_start_confdir, so the service file lives in
 * a test directory and names the built module), then forks, becomes the
 * user (setgid, initgroups, setuid, HOME, cd home), ends PAM in the child
 * with PAM_DATA_SILENT as su and login do, and execs the command; the parent
 * waits and closes the session.  Whatever confines the child is the module's
 * fork hook.
 *
 *   ll-session [--reopen GATE] CONFDIR SERVICE USER -- COMMAND [ARG...]
 *
 * With "--reopen GATE" first: after the command has ended, prints "DONE",
 * waits (up to 30 s) until the file GATE exists, then opens a second
 * session in the same process and prints "SECOND=<pam_strerror>" before
 * closing the first one (a later line from the opener, for the syslog tests).
 *
 * Exit: the command's status; 125 when PAM or the identity change fails.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <security/pam_appl.h>

static int no_conv(int n, const struct pam_message **msg, struct pam_response **resp,
                   void *arg)
{
	(void)n;
	(void)msg;
	(void)resp;
	(void)arg;
	return PAM_CONV_ERR;
}

int main(int argc, char **argv)
{
	struct pam_conv conv = { no_conv, NULL };
	pam_handle_t *pamh = NULL;
	int rc, status;
	const char *gate = NULL;

	if (argc > 3 && strcmp(argv[1], "--reopen") == 0) {
		gate = argv[2];
		argc -= 2;
		argv += 2;
	}
	if (argc < 6 || strcmp(argv[4], "--") != 0) {
		fprintf(stderr, "usage: ll-session [--reopen GATE] CONFDIR SERVICE USER -- COMMAND "
		                "[ARG...]\n");
		return 125;
	}
	const char *dir = argv[1], *service = argv[2], *user = argv[3];
	struct passwd *pw = getpwnam(user);
	if (!pw) {
		fprintf(stderr, "ll-session: no user %s\n", user);
		return 125;
	}
	rc = pam_start_confdir(service, user, &conv, dir, &pamh);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "ll-session: pam_start_confdir: %s\n", pam_strerror(pamh, rc));
		return 125;
	}
	rc = pam_open_session(pamh, 0);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "ll-session: pam_open_session: %s\n", pam_strerror(pamh, rc));
		pam_end(pamh, rc);
		return 125;
	}
	fflush(NULL);
	pid_t pid = fork();
	if (pid < 0) {
		fprintf(stderr, "ll-session: fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) {
		if (setgid(pw->pw_gid) < 0 || initgroups(user, pw->pw_gid) < 0 ||
		    setuid(pw->pw_uid) < 0) {
			fprintf(stderr, "ll-session: cannot become %s: %s\n", user, strerror(errno));
			_exit(125);
		}
		pam_end(pamh, PAM_SUCCESS | PAM_DATA_SILENT);
		if (setenv("HOME", pw->pw_dir, 1) < 0 || setenv("USER", user, 1) < 0 ||
		    setenv("LOGNAME", user, 1) < 0 || chdir(pw->pw_dir) < 0) {
			fprintf(stderr, "ll-session: cannot enter %s: %s\n", pw->pw_dir,
			        strerror(errno));
			_exit(125);
		}
		execvp(argv[5], argv + 5);
		fprintf(stderr, "ll-session: cannot run %s: %s\n", argv[5], strerror(errno));
		_exit(errno == ENOENT ? 127 : 126);
	}
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	if (gate) {
		struct stat st;
		printf("DONE\n");
		fflush(stdout);
		for (int i = 0; i < 300 && stat(gate, &st) < 0; i++)
			usleep(100000);
		pam_handle_t *second = NULL;
		rc = pam_start_confdir(service, user, &conv, dir, &second);
		if (rc == PAM_SUCCESS)
			rc = pam_open_session(second, 0);
		printf("SECOND=%s\n", pam_strerror(second, rc));
		fflush(stdout);
		if (second)
			pam_end(second, rc);
	}
	rc = pam_close_session(pamh, 0);
	pam_end(pamh, rc);
	if (rc != PAM_SUCCESS) {
		fprintf(stderr, "ll-session: pam_close_session failed\n");
		return 125;
	}
	return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}
