/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agg.h - aggregation of completed events: per user, per domain, per node,
 * and pam_landlock sessions (sessions.h).  The selection (filters) is
 * applied here, in one place (see agg.c).  State is bounded by the number
 * of users, live domains, top-N budgets and the session table: a domain is
 * folded into its user and freed when it is deallocated, unless the domain
 * view needs it.
 */
#ifndef LLR_AGG_H
#define LLR_AGG_H

#include "event.h"
#include "opts.h"
#include "revisions.h"
#include "sessions.h"
#include "topk.h"
#include "util.h"

#define LLR_TOPK_USER_LIMIT   65536
#define LLR_TOPK_DOMAIN_LIMIT 4096

struct llr_user {
	uint32_t uid; /* LLR_UID_UNSET: no SYSCALL record, or known by name only */
	char *name;   /* NULL when unknown */
	int idx;
	uint64_t denials, events, kernel_denials, unlogged, kernel_domains;
	uint64_t pam_sessions, pam_refused, pam_trials;
	struct llr_u64set sessions, domains;
	uint64_t blockers[LLR_MAX_BLOCKERS];
	struct llr_topk objects, programs; /* objects: "kind:value" */
	int64_t first, last;               /* ms, when events > 0 */
	int hidden;                        /* merged into another row */
};

struct llr_domain {
	char *node;
	uint64_t id;
	int has_alloc, deallocated, shown, slot;
	int user; /* user of the domain's earliest denial, -1 if none yet */
	int64_t user_time;
	uint64_t user_serial;
	int64_t pid, alloc_time;
	uint32_t creator_uid;
	char *exe, *comm, *mode, *creator_name;
	struct llr_session *pam; /* the pam_landlock record it is tied to */
	uint64_t logged;         /* selected denials */
	uint64_t logged_all;     /* every denial seen, whatever the filters */
	uint64_t kernel;
	int64_t first, last; /* ms of the selected denials */
	uint64_t blockers[LLR_MAX_BLOCKERS];
	struct llr_topk objects;
};

/* Denials the kernel counted in a freed domain that no record logged. */
static inline uint64_t llr_domain_unlogged(const struct llr_domain *d)
{
	return d->kernel > d->logged_all ? d->kernel - d->logged_all : 0;
}

struct llr_node {
	char *name;
	uint64_t denials, events, kernel_denials, unattributed_kernel;
	uint64_t pam_sessions, pam_refused, pam_trials;
	struct llr_u64set users, domains;
	int64_t first, last; /* ms of the selected denials, when denials > 0 */
};

struct llr_agg;

/* Called for each selected denial (view --denials, suggestions). */
typedef void (*llr_denial_cb)(void *arg, const struct llr_event *ev, const struct llr_access *a,
                              const struct llr_user *u, const struct llr_domain *d);

/* Called for each selected pam_landlock record (view --sessions in follow
 * mode: the row is the callee's). */
typedef void (*llr_sessrow_cb)(void *arg, struct llr_sessrow *row);

struct llr_agg *llr_agg_new(const struct llr_opts *o);
void llr_agg_set_sessrow_cb(struct llr_agg *g, llr_sessrow_cb cb, void *arg);
/* Batch --sessions view: the rows kept, in record order. */
int llr_agg_nsessrows(const struct llr_agg *g);
const struct llr_sessrow *llr_agg_sessrow(const struct llr_agg *g, int i);
/* The --revisions view's table (NULL in other views). */
const struct llr_revs *llr_agg_revs(const struct llr_agg *g);
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
struct llr_sessions *llr_agg_sessions(struct llr_agg *g);
/* Rows known by name only (pam_landlock records) join the one row with
 * that name and a uid, if there is exactly one.  Called before output. */
void llr_agg_merge_names(struct llr_agg *g);
/* User display name (raw, unescaped): name, else the number, else "(unknown)". */
const char *llr_user_label(const struct llr_user *u, char *buf, size_t n);
/* Totals over the selection. */
struct llr_totals {
	uint64_t denials, events, kernel_denials, unattributed_kernel, unlogged;
	uint64_t dealloc_records, alloc_records, pam_sessions, pam_refused, pam_trials;
	uint64_t no_syscall;
	struct llr_u64set domains;
	int64_t first, last; /* ms of the selected events */
	int has_range;
};
const struct llr_totals *llr_agg_totals(const struct llr_agg *g);
/* Kernel-counted and unlogged denials are not applicable (per-denial filter). */
int llr_agg_per_denial(const struct llr_agg *g);
/* Does user u match the --user filter? */
int llr_agg_user_matches(const struct llr_agg *g, const struct llr_user *u);

/* Checkpoint: a domain still alive at the end of a run, read back. */
struct llr_domain *llr_agg_restore_domain(struct llr_agg *g, const char *node, uint64_t id);
/* The user row for (uid, name), created if needed; its index. */
int llr_agg_user_index(struct llr_agg *g, uint32_t uid, const char *name);

#endif
