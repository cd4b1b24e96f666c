/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agg.h - aggregation of completed events: per user, per domain, per node,
 * and pam_landlock sessions.  Filters are applied here.  All state is
 * bounded by the number of users, live domains and top-N capacities: a
 * domain is folded into its user and freed when it is deallocated, unless a
 * per-domain view needs it.
 */
#ifndef LLR_AGG_H
#define LLR_AGG_H

#include "event.h"
#include "opts.h"
#include "topk.h"
#include "util.h"

#define LLR_TOPK_USER   128
#define LLR_TOPK_DOMAIN 16
#define LLR_PAM_MAX     16384

struct llr_user {
	uint32_t uid; /* LLR_UID_UNSET: no SYSCALL record */
	char *name;   /* NULL when unknown */
	int idx;
	uint64_t denials, events, kernel_denials, kernel_logged, kernel_domains;
	uint64_t pam_sessions, pam_refused;
	struct llr_u64set sessions, domains;
	uint64_t blockers[LLR_MAX_BLOCKERS];
	struct llr_topk objects, programs; /* objects: "kind:value" */
	int64_t first_sec, last_sec;
	unsigned first_ms, last_ms;
};

struct llr_pamrec {
	char *node;
	int64_t pid, sec;
	unsigned ms;
	uint32_t auid, ses;
	char *acct, *service, *profile, *hostname, *terminal, *enforcement;
};

struct llr_domain {
	char *node;
	uint64_t id;
	int has_alloc, deallocated, user, slot;
	int64_t pid, alloc_sec;
	unsigned alloc_ms;
	uint32_t creator_uid;
	char *exe, *comm, *mode, *creator_name;
	char *pam_service, *pam_profile, *pam_rhost, *pam_tty, *pam_acct, *pam_enforcement;
	uint64_t logged, kernel;
	int64_t first_sec, last_sec;
	uint32_t blockers[LLR_MAX_BLOCKERS];
	struct llr_topk objects;
};

struct llr_node {
	char *name;
	uint64_t denials, events, domains, kernel_denials, unattributed_kernel, pam_sessions;
	struct llr_u64set users;
	int64_t first_sec, last_sec;
};

struct llr_agg;

/* Called for each accepted denial (view --denials, suggestions). */
typedef void (*llr_denial_cb)(void *arg, const struct llr_event *ev, const struct llr_access *a,
                              const struct llr_user *u, const struct llr_domain *d);

struct llr_agg *llr_agg_new(const struct llr_opts *o);
void llr_agg_set_denial_cb(struct llr_agg *g, llr_denial_cb cb, void *arg);
void llr_agg_event(struct llr_agg *g, struct llr_event *ev);
/* Keep deallocated domains (domain view, domain suggestions). */
void llr_agg_keep_domains(struct llr_agg *g, int keep);
void llr_agg_free(struct llr_agg *g);

/* Read access for outputs (arrays are in first-seen order). */
int llr_agg_nusers(const struct llr_agg *g);
struct llr_user *llr_agg_user(struct llr_agg *g, int i);
int llr_agg_ndomains(const struct llr_agg *g); /* slots, some NULL */
struct llr_domain *llr_agg_domain(struct llr_agg *g, int i);
struct llr_domain *llr_agg_find_domain(struct llr_agg *g, const char *node, uint64_t id);
int llr_agg_nnodes(const struct llr_agg *g);
struct llr_node *llr_agg_node(struct llr_agg *g, int i);
/* User display name: name, else the number, else "(unknown)". */
const char *llr_user_label(const struct llr_user *u, char *buf, size_t n);
/* Totals over everything accepted. */
struct llr_totals {
	uint64_t denials, events, domains_seen, kernel_denials, unattributed_kernel;
	uint64_t dealloc_records, alloc_records, pam_sessions, pam_refused, filtered_out;
	uint64_t no_syscall;
	int64_t first_sec, last_sec;
	unsigned first_ms, last_ms;
};
const struct llr_totals *llr_agg_totals(const struct llr_agg *g);
/* Does user u match the --user filter? */
int llr_agg_user_matches(const struct llr_agg *g, const struct llr_user *u);

#endif
