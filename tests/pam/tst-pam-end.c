/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-pam-end.c - through the real libpam, with confine=children: an opener
 * that ends PAM with PAM_DATA_SILENT (it is about to become the session, as
 * systemd's user manager does, after forking its helper or not) is confined
 * itself; one that ends PAM without it while the session is open (Samba's
 * order) stays unconfined but armed: the module stays loaded and what it
 * forks later is confined; after close_session nothing is confined.  Each
 * opener is a process forked for the purpose, so that the test runner stays
 * unconfined.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "pamtest.h"

struct how {
	const char *what;
	int end_status;
	bool close_first;
	bool fork_first; /* fork a helper first, as systemd forks (sd-pam) */
	bool confined;
	bool armed_after; /* children forked after pam_end are confined */
};

static int confined_child(struct pt *t, const void *who)
{
	return pt_expect_confined(t, who);
}

static int unconfined_child(struct pt *t, const void *who)
{
	return pt_expect_unconfined(t, who);
}

static int helper_exits(struct pt *t, const void *arg)
{
	(void)t;
	(void)arg;
	return 0;
}

static int opener(struct pt *t, const void *arg)
{
	const struct how *h = arg;
	int before = pt_fails;
	char who[256];
	pam_handle_t *pamh = pt_start(t, "ll-end", t->user);
	int rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "%s: open_session: %s", h->what, pam_strerror(pamh, rc));
	if (h->fork_first)
		pt_check(pt_run(t, helper_exits, NULL) == 0, "%s: the helper ran", h->what);
	if (h->close_first) {
		rc = pam_close_session(pamh, 0);
		pt_check(rc == PAM_SUCCESS, "%s: close_session: %s", h->what,
		         pam_strerror(pamh, rc));
	}
	pt_check(!pt_holds_ruleset_fd() == h->close_first,
	         "%s: the opener holds the ruleset fd only while armed", h->what);
	rc = pam_end(pamh, h->end_status);
	pt_check(rc == PAM_SUCCESS, "%s: pam_end: %s", h->what, pam_strerror(NULL, rc));
	pt_check(pt_holds_ruleset_fd() == h->armed_after,
	         "%s: the opener holds the ruleset fd after pam_end only if still armed", h->what);
	snprintf(who, sizeof(who), "child forked after %s", h->what);
	/* A confined opener's children inherit its domain. */
	pt_sub(t, h->armed_after || h->confined ? confined_child : unconfined_child, who);
	snprintf(who, sizeof(who), "opener after %s", h->what);
	if (h->confined)
		pt_expect_confined(t, who);
	else
		pt_expect_unconfined(t, who);
	return pt_fails - before;
}

int main(void)
{
	struct pt t;
	char args[4200];
	static const struct how hows[] = {
	    {"pam_end(PAM_SUCCESS | PAM_DATA_SILENT) without a fork", PAM_SUCCESS | PAM_DATA_SILENT,
	     false, false, true, false},
	    {"a fork, then pam_end(PAM_SUCCESS | PAM_DATA_SILENT)", PAM_SUCCESS | PAM_DATA_SILENT,
	     false, true, true, false},
	    {"pam_end(PAM_SUCCESS) without a fork", PAM_SUCCESS, false, false, false, true},
	    {"a fork, then pam_end(PAM_SUCCESS)", PAM_SUCCESS, false, true, false, true},
	    {"close_session then pam_end(PAM_SUCCESS | PAM_DATA_SILENT)",
	     PAM_SUCCESS | PAM_DATA_SILENT, true, false, false, false},
	    {"close_session then pam_end(PAM_SUCCESS)", PAM_SUCCESS, true, false, false, false},
	};

	pt_init(&t, "e");
	snprintf(args, sizeof(args), "conf=%s confine=children", t.policy);
	pt_service(&t, "ll-end", args);
	for (size_t i = 0; i < sizeof(hows) / sizeof(hows[0]); i++)
		pt_sub(&t, opener, &hows[i]);
	return pt_finish();
}
