/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * session.h - one user's sandbox, from policy file to everything a process
 * needs to confine itself: the single code path shared by the module and
 * landlockctl.
 */
#ifndef LL_SESSION_H
#define LL_SESSION_H

#include <stdbool.h>

#include "diag.h"
#include "logsend.h"
#include "policy.h"
#include "sandbox.h"
#include "sha256.h"

struct ll_session {
	struct ll_policy *pol;
	struct ll_identity id;
	struct ll_decision dec;
	struct ll_resolved prof;
	struct ll_plan plan;
	struct ll_enforce enf;       /* ruleset_fd -1 when unconfined or plan only */
	bool unconfined;             /* exempted by the policy */
	char digest[LL_SHA256_HEX];  /* of the policy file ("" when unreadable) */
	char summary[1536]; /* syslog: "user=... service=... profile=... abi=..." */
	char audit[1536];   /* audit: "service=... profile=... abi=... nnp=..." */
};

/* Flags for ll_session_prepare(), with the LL_LOAD_* flags. */
/* Stop after the plan, build no ruleset (for an ABI the running kernel does
 * not have: landlockctl explain --abi). */
#define LL_SESSION_PLAN_ONLY (1U << 8)
/* The caller will confine itself (confine=opener), not forked children. */
#define LL_SESSION_OPENER (1U << 9)
/* ... and it has other threads: they must be confined too (TSYNC). */
#define LL_SESSION_ALL_THREADS (1U << 10)

/* Loads CONF (trusted checks per FLAGS), picks the profile of USER for
 * SERVICE from RHOST (both may be NULL) and, unless they are exempt,
 * prepares the domain on ABI (ll_abi_probe() result, or a simulated one).
 * Returns 0 or -1 with DIAG; warnings go to SINK. */
int ll_session_prepare(struct ll_session *s, const char *conf, unsigned flags,
                       const char *user, const char *service, const char *rhost, int abi,
                       struct ll_diag *diag, const struct ll_diag_sink *sink);
void ll_session_free(struct ll_session *s);

/* The record of a refused session: "op=OP acct=... service=... digest=...
 * reason=..." with res=failed, so reports count refusals per user and
 * service.  SERVICE and DIGEST may be NULL or empty.  Returns 0 or -errno. */
int ll_audit_refused(const struct ll_log *l, const char *op, const char *user,
                     const char *service, const char *digest, const char *reason);

#endif /* LL_SESSION_H */
