/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-refuse.c - through the real libpam: every bad configuration refuses
 * the session (PAM_PERM_DENIED; PAM_SERVICE_ERR for a bad module argument)
 * and confines nothing; an unknown user is refused; a user the policy
 * exempts gets PAM_SUCCESS and an unconfined child.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pamtest.h"

static int unconfined_child(struct pt *t, const void *who)
{
	return pt_expect_unconfined(t, who);
}

static char *read_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return NULL;
	char *buf = calloc(1, 256 * 1024);
	if (buf)
		fread(buf, 1, 256 * 1024 - 1, f);
	fclose(f);
	return buf;
}

/* Opens a session of SERVICE (module arguments ARGS) for USER, checks the
 * return code is WANT (or WANT2 when not -1), then that a child forked
 * afterwards is not confined. */
static void refused(struct pt *t, const char *what, const char *args, const char *user, int want,
                    int want2)
{
	char service[64], who[512];
	snprintf(service, sizeof(service), "ll-%d", (int)(random() % 100000));
	pt_service(t, service, args);
	pam_handle_t *pamh = pt_start(t, service, user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == want || (want2 != -1 && rc == want2),
	         "%s: open_session returns %s (got %d: %s)", what, pam_strerror(pamh, want), rc,
	         pam_strerror(pamh, rc));
	snprintf(who, sizeof(who), "child after %s", what);
	pt_sub(t, unconfined_child, who);
	if (rc == PAM_SUCCESS)
		pam_close_session(pamh, 0);
	pam_end(pamh, rc);
}

/* Runs in a child of the test process, so that a module that wrongly
 * confines its caller cannot keep the test process from cleaning up. */
static int body(struct pt *tp, const void *arg)
{
	struct pt t = *tp;
	char args[8400], path[4200], conf[512];
	const char *p;

	(void)arg;
	srandom((unsigned)getpid());
	char *shipped = read_file(t.policy);
	if (!pt_check(shipped != NULL, "read the installed shipped policy %s", t.policy))
		return pt_fails;

	p = pt_file(&t, "syntax.conf",
	            "version = 1;\nprofiles = {\n  shell = { filesystem = ( { path = \"/usr\" ;\n",
	            0644);
	snprintf(args, sizeof(args), "conf=%s", p);
	refused(&t, "a policy with a syntax error", args, t.user, PAM_PERM_DENIED, -1);

	p = pt_file(
	    &t, "unknown-right.conf",
	    "version = 1;\nprofiles = { p = { filesystem = ( { path = \"/usr\"; access = "
	    "\"write_everything\"; } ); }; };\nmatch = ( { default = true; profile = \"p\"; } );\n",
	    0644);
	snprintf(args, sizeof(args), "conf=%s", p);
	refused(&t, "a policy naming an unknown right", args, t.user, PAM_PERM_DENIED, -1);

	snprintf(args, sizeof(args), "conf=%s/missing.conf", t.dir);
	refused(&t, "a missing policy file", args, t.user, PAM_PERM_DENIED, -1);

	p = pt_file(&t, "group-writable.conf", shipped, 0664);
	snprintf(args, sizeof(args), "conf=%s", p);
	refused(&t, "a group-writable policy", args, t.user, PAM_PERM_DENIED, -1);

	p = pt_file(&t, "world-writable.conf", shipped, 0646);
	snprintf(args, sizeof(args), "conf=%s", p);
	refused(&t, "a world-writable policy", args, t.user, PAM_PERM_DENIED, -1);

	snprintf(path, sizeof(path), "%s", pt_file(&t, "user-owned.conf", shipped, 0644));
	pt_check(chown(path, t.uid, t.gid) == 0, "chown %s to %s", path, t.user);
	snprintf(args, sizeof(args), "conf=%s", path);
	refused(&t, "a policy not owned by root", args, t.user, PAM_PERM_DENIED, -1);

	snprintf(args, sizeof(args), "conf=%s bogus", t.policy);
	refused(&t, "an unknown module argument", args, t.user, PAM_SERVICE_ERR, -1);

	refused(&t, "a relative conf= path", "conf=landlock.conf", t.user, PAM_SERVICE_ERR, -1);

	/* Unknown user: both codes are documented refusals. */
	snprintf(args, sizeof(args), "conf=%s", t.policy);
	refused(&t, "a user that does not exist", args, "llp-no-such-user", PAM_PERM_DENIED,
	        PAM_USER_UNKNOWN);

	/* Exemptions: root by the shipped policy, the test user by a match. */
	refused(&t, "root, exempt by the shipped policy", args, "root", PAM_SUCCESS, -1);
	snprintf(conf, sizeof(conf),
	         "version = 1;\nprofiles = { p = { filesystem = ( { path = \"/usr\"; access = "
	         "\"read_exec\"; } ); }; };\nmatch = ( { user = \"%s\"; profile = \"unconfined\"; "
	         "},\n          { default = true; profile = \"p\"; } );\n",
	         t.user);
	p = pt_file(&t, "exempt.conf", conf, 0644);
	snprintf(args, sizeof(args), "conf=%s", p);
	refused(&t, "a user exempt by a match entry", args, t.user, PAM_SUCCESS, -1);

	free(shipped);
	return pt_fails;
}

int main(void)
{
	static struct pt t;
	pt_init(&t, "r");
	pt_sub(&t, body, NULL);
	return pt_finish();
}
