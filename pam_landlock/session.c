/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * session.c - the one path from (policy, user, service, ABI) to a ruleset,
 * and the audit record that ties a domain to its PAM session.
 */
#include "config.h"

#include <errno.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"

int ll_session_prepare(struct ll_session *s, const char *conf, unsigned load_flags,
                       const char *user, const char *service, int abi,
                       struct ll_diag *diag, const struct ll_diag_sink *sink)
{
	char dropped[512], flags[128];

	memset(s, 0, sizeof(*s));
	s->ruleset_fd = -1;
	if (ll_policy_load(conf, load_flags, &s->pol, diag, sink) < 0)
		return -1;
	if (ll_identity_load(user, service, &s->id, diag) < 0)
		return -1;
	if (ll_policy_decide(s->pol, &s->id, &s->dec, diag) < 0)
		return -1;
	if (s->dec.unconfined) {
		s->unconfined = true;
		snprintf(s->summary, sizeof(s->summary),
		         "user=%s service=%s profile=unconfined match=%s:%d(%s)", user,
		         service ? service : "?", conf, s->dec.entry->line,
		         ll_match_class_name(s->dec.class));
		return 0;
	}
	if (ll_policy_resolve(s->pol, s->dec.entry->profile, &s->prof, diag) < 0)
		return -1;
	if (ll_plan_build(&s->prof, &s->id, abi, conf, &s->plan, diag, sink) < 0)
		return -1;
	if (!(load_flags & LL_SESSION_PLAN_ONLY)) {
		s->ruleset_fd = ll_ruleset_create(&s->plan, diag);
		if (s->ruleset_fd < 0)
			return -1;
	}
	snprintf(s->summary, sizeof(s->summary),
	         "user=%s service=%s profile=%s match=%s:%d(%s) abi=%d enforcement=%s "
	         "dropped=%s flags=%s no_new_privs=%s",
	         user, service ? service : "?", s->prof.name, conf, s->dec.entry->line,
	         ll_match_class_name(s->dec.class), s->plan.kernel_abi,
	         ll_plan_partial(&s->plan) ? "partial" : "full",
	         ll_plan_dropped_str(&s->plan, dropped, sizeof(dropped)),
	         ll_flags_str(s->plan.have_flags, flags, sizeof(flags)),
	         s->plan.nnp ? "yes" : "no");
	/* The same facts for audit, in the field names aulandlock reads. */
	snprintf(s->audit, sizeof(s->audit),
	         "service=%s profile=%s match=%s:%d abi=%d enforcement=%s dropped=%s flags=%s "
	         "nnp=%s",
	         service ? service : "?", s->prof.name, conf, s->dec.entry->line,
	         s->plan.kernel_abi, ll_plan_partial(&s->plan) ? "partial" : "full", dropped,
	         flags, s->plan.nnp ? "yes" : "no");
	return 0;
}

uint32_t ll_session_flags(const struct ll_session *s)
{
	return s->plan.have_flags;
}

void ll_session_free(struct ll_session *s)
{
	if (s->ruleset_fd >= 0)
		close(s->ruleset_fd);
	s->ruleset_fd = -1;
	ll_plan_free(&s->plan);
	ll_resolved_free(&s->prof);
	ll_identity_free(&s->id);
	ll_policy_free(s->pol);
	s->pol = NULL;
}

int ll_audit_send(const char *op, const char *user, const char *msg, const char *rhost,
                  const char *tty, bool success)
{
	int fd = audit_open();
	if (fd < 0)
		return -errno;
	char *acct = audit_encode_nv_string("acct", user ? user : "?", 0);
	char text[1400];
	snprintf(text, sizeof(text), "op=%s %s %s", op, acct ? acct : "acct=?", msg);
	free(acct);
	int rc = audit_log_user_message(fd, AUDIT_TRUSTED_APP, text, rhost, NULL, tty,
	                                success ? 1 : 0);
	int e = errno;
	audit_close(fd);
	return rc <= 0 ? -(e ? e : EIO) : 0;
}

int ll_audit_refused(const char *op, const char *user, const char *service, const char *rhost,
                     const char *tty, const char *reason)
{
	char msg[1024];
	char *enc = audit_encode_nv_string("reason", reason, 0);
	snprintf(msg, sizeof(msg), "service=%s %s", service && *service ? service : "?",
	         enc ? enc : "reason=?");
	free(enc);
	return ll_audit_send(op, user, msg, rhost && *rhost ? rhost : NULL,
	                     tty && *tty ? tty : NULL, false);
}
