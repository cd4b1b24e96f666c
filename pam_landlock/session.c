/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * session.c - the one path from (policy, user, service, origin, ABI) to a
 * prepared domain, and the texts that say what was enforced.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "session.h"

static void describe(struct ll_session *s, const char *conf, const char *user,
                     const char *service, unsigned flags)
{
	char dropped[512], fl[128], l2[160];
	const char *svc = service ? service : "?";
	const char *confine = flags & LL_SESSION_OPENER ? "opener" : "children";
	const char *enforcement = ll_plan_partial(&s->plan) ? "partial" : "full";

	ll_plan_dropped_str(&s->plan, dropped, sizeof(dropped));
	ll_flags_str(s->plan.have_flags, fl, sizeof(fl));
	ll_l2_str(s->plan.l2_have, "", l2, sizeof(l2));
	snprintf(s->summary, sizeof(s->summary),
	         "user=%s service=%s profile=%s match=%s:%d(%s) abi=%d enforcement=%s "
	         "dropped=%s flags=%s no_new_privs=%s second_layer=%s confine=%s",
	         user, svc, s->prof.name, conf, s->dec.entry->line,
	         ll_match_class_name(s->dec.class), s->plan.kernel_abi, enforcement, dropped, fl,
	         s->plan.nnp ? "yes" : "no", l2, confine);
	/* The same facts for audit, in the field names aulandlock reads. */
	snprintf(s->audit, sizeof(s->audit),
	         "service=%s profile=%s match=%s:%d abi=%d enforcement=%s dropped=%s flags=%s "
	         "nnp=%s second_layer=%s confine=%s digest=%s",
	         svc, s->prof.name, conf, s->dec.entry->line, s->plan.kernel_abi, enforcement,
	         dropped, fl, s->plan.nnp ? "yes" : "no", l2, confine, s->digest);
}

int ll_session_prepare(struct ll_session *s, const char *conf, unsigned flags,
                       const char *user, const char *service, const char *rhost, int abi,
                       struct ll_diag *diag, const struct ll_diag_sink *sink)
{
	memset(s, 0, sizeof(*s));
	s->enf.ruleset_fd = -1;
	s->plan.ruleset_fd = -1;
	if (ll_policy_load_for(conf, flags, user, &s->pol, s->digest, diag, sink) < 0)
		return -1;
	if (ll_identity_load(user, service, &s->id, diag) < 0)
		return -1;
	if (ll_identity_set_rhost(&s->id, rhost) < 0) {
		ll_diag_set(diag, NULL, 0, NULL, "out of memory");
		return -1;
	}
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
	unsigned pflags = 0;
	if (!(flags & LL_SESSION_PLAN_ONLY))
		pflags |= LL_PLAN_RULESET;
	if (flags & LL_SESSION_ALL_THREADS)
		pflags |= LL_PLAN_ALL_THREADS;
	if (ll_plan_build(&s->prof, &s->id, abi, conf, pflags, &s->plan, diag, sink) < 0)
		return -1;
	if (!(flags & LL_SESSION_PLAN_ONLY) &&
	    ll_enforce_prepare(&s->plan, &s->enf, s->pol->l2, diag) < 0)
		return -1;
	describe(s, conf, user, service, flags);
	return 0;
}

void ll_session_free(struct ll_session *s)
{
	ll_enforce_free(&s->enf);
	ll_plan_free(&s->plan);
	ll_resolved_free(&s->prof);
	ll_identity_free(&s->id);
	ll_policy_free(s->pol);
	s->pol = NULL;
}

int ll_audit_refused(const struct ll_log *l, const char *op, const char *user,
                     const char *service, const char *digest, const char *reason)
{
	char body[1400], text[2048], enc[1200];
	ll_audit_encode(enc, sizeof(enc), "reason", reason, true);
	snprintf(body, sizeof(body), "service=%s%s%s %s",
	         service && *service ? service : "?", digest && *digest ? " digest=" : "",
	         digest && *digest ? digest : "", enc);
	size_t n = ll_audit_text(l, text, sizeof(text), op, user, body, false);
	return ll_audit_send_text(text, n);
}
