/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * session.h - one user's sandbox, from policy file to a ruleset fd ready to
 * enforce: the single code path shared by the module and landlockctl.
 */
#ifndef LL_SESSION_H
#define LL_SESSION_H

#include <stdbool.h>

#include "diag.h"
#include "policy.h"
#include "sandbox.h"

struct ll_session {
	struct ll_policy *pol;
	struct ll_identity id;
	struct ll_decision dec;
	struct ll_resolved prof;
	struct ll_plan plan;
	int ruleset_fd;      /* -1 when unconfined */
	bool unconfined;     /* exempted by the policy */
	char summary[1024];  /* syslog: "user=... service=... profile=... abi=..." */
	char audit[1024];    /* audit: "service=... profile=... abi=... nnp=..." */
};

/* With the LL_LOAD_* flags: stop after the plan, build no ruleset (for an
 * ABI the running kernel does not have: landlockctl explain --abi). */
#define LL_SESSION_PLAN_ONLY (1U << 8)

/* Loads CONF (trusted checks per LOAD_FLAGS), picks the user's profile and,
 * unless they are exempt, builds the ruleset on ABI (ll_abi_probe() result,
 * or a simulated one).  Returns 0 or -1 with DIAG; warnings go to SINK. */
int ll_session_prepare(struct ll_session *s, const char *conf, unsigned load_flags,
                       const char *user, const char *service, int abi,
                       struct ll_diag *diag, const struct ll_diag_sink *sink);
void ll_session_free(struct ll_session *s);

/* restrict_self() flags and no_new_privs for this session. */
uint32_t ll_session_flags(const struct ll_session *s);

/* Audit: sends a TRUSTED_APP user message "op=OP acct=... MSG" (res per
 * SUCCESS).  Returns 0, or -errno when audit is unavailable. */
int ll_audit_send(const char *op, const char *user, const char *msg, const char *rhost,
                  const char *tty, bool success);

/* The record of a refused session: "op=OP acct=... service=... reason=..."
 * with res=failed, so reports count refusals per user and service.  SERVICE,
 * RHOST and TTY may be NULL or empty. */
int ll_audit_refused(const char *op, const char *user, const char *service, const char *rhost,
                     const char *tty, const char *reason);

#endif /* LL_SESSION_H */
