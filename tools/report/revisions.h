/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * revisions.h - what the reporter knows per policy revision (the digest=
 * of pam_landlock's enforce, refused and try records: sha256 of the policy
 * file's bytes): records, denials in the domains tied to its sessions,
 * users, nodes, first and last seen, the policy file.  One row without a
 * digest holds the denials of domains tied to no session (or to a record
 * of a module version that wrote no digest).  Kept for the --revisions
 * view only: one row per distinct digest.
 */
#ifndef LLR_REVISIONS_H
#define LLR_REVISIONS_H

#include "event.h"
#include "util.h"

#include <stdint.h>

struct llr_rev {
	char *digest; /* NULL: no revision known */
	char *file;   /* policy file of the first record's match=, NULL if none */
	uint64_t sessions, refused, trials, denials;
	struct llr_u64set users, nodes, domains;
	int64_t first, last; /* ms of its records and denials */
	int seen;
};

struct llr_revs {
	struct llr_rev **v;
	int n, cap;
	struct llr_index ix;
};

/* A pam_landlock record of this kind (user and node as hashes). */
void llr_revs_record(struct llr_revs *t, const char *digest, enum llr_pamkind kind,
                     const char *match, uint64_t user, uint64_t node, int64_t time);
/* A selected denial in a domain tied to a session of this digest (or NULL). */
void llr_revs_denial(struct llr_revs *t, const char *digest, uint64_t user, uint64_t node,
                     uint64_t domain, int64_t time);
void llr_revs_free(struct llr_revs *t);

#endif
