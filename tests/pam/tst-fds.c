/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-fds.c - through the real libpam: a child forked by the armed opener
 * holds, before it execs anything, no file descriptor that a child forked
 * by the same opener without the session holds (the ruleset fd, path fds,
 * audit or syslog sockets the fork hook used).
 *
 * Exit codes: 1 only for an extra descriptor (the one assertion here); 99
 * (a hard error, never an expected failure) for anything else going wrong.
 */
#include "config.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <syslog.h>

#include "pamtest.h"

static char without[16384];

static int list_to_file(struct pt *t, const void *arg)
{
	char buf[sizeof(without)], path[512];
	(void)arg;
	pt_list_fds(buf, sizeof(buf));
	snprintf(path, sizeof(path), "%s/fds-without", t->dir);
	FILE *f = fopen(path, "w");
	if (!f || fputs(buf, f) < 0 || fclose(f) != 0)
		return 1;
	return 0;
}

/* Exit status: the number of extra fds. */
static int compare(struct pt *t, const void *arg)
{
	char with[sizeof(without)];
	int extra = 0;
	(void)t;
	(void)arg;
	pt_list_fds(with, sizeof(with));
	for (char *l = with, *nl; *l && (nl = strchr(l, '\n')); l = nl + 1) {
		*nl = '\0';
		bool ok = pt_has_line(without, l);
		pt_check(ok,
		         "before exec, a child of the session holds fd %s, as one without it does",
		         l);
		extra += !ok;
	}
	return extra;
}

/* Runs in a child of the test process, so that a module that wrongly
 * confines its caller cannot keep the test process from cleaning up. */
static int body(struct pt *tp, const void *arg)
{
	struct pt t = *tp;
	char args[4200], path[512];

	(void)arg;
	snprintf(args, sizeof(args), "conf=%s", t.policy);
	pt_service(&t, "ll-fds", args);
	pam_handle_t *pamh = pt_start(&t, "ll-fds", t.user);

	/* Modules are loaded by pam_start: the two children below differ only
	 * by what the session adds.  A PAM host has its syslog connection open
	 * (every real stack logs, pam_unix's "session opened" at least), and
	 * the module's own warnings in the opener (a skipped missing path) use
	 * it: open it now so that the baseline has it too. */
	openlog(NULL, LOG_NDELAY | LOG_PID, LOG_AUTHPRIV);
	if (pt_run(&t, list_to_file, NULL) != 0)
		return printf("ERROR: could not list the fds of a child\n"), 99;
	snprintf(path, sizeof(path), "%s/fds-without", t.dir);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(without, 1, sizeof(without) - 1, f) : 0;
	without[n] = '\0';
	if (f)
		fclose(f);
	if (n == 0)
		return printf("ERROR: empty fd listing\n"), 99;
	printf("# fds of a child forked without the session:\n");
	for (char *l = without, *nl; *l && (nl = strchr(l, '\n')); l = nl + 1)
		printf("#   %.*s\n", (int)(nl - l), l);

	int rc = pam_open_session(pamh, 0);
	if (!pt_check(rc == PAM_SUCCESS, "open_session: %s", pam_strerror(pamh, rc)))
		return 99;
	rc = pt_run(&t, compare, NULL);
	pam_close_session(pamh, 0);
	pam_end(pamh, PAM_SUCCESS);
	if (rc == 255)
		return printf("ERROR: the comparing child died\n"), 99;
	if (pt_fails > 0)
		return printf("ERROR: %d fixture check(s) failed\n", pt_fails), 99;
	pt_check(rc == 0, "no extra file descriptor in a child of the session (%d extra)", rc);
	return pt_finish();
}

int main(void)
{
	static struct pt t;
	pt_init(&t, "d");
	int rc = pt_run(&t, body, NULL);
	return rc == 255 ? 99 : rc;
}
