/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * output.h - rendering of the aggregated views (summary per user, domains,
 * nodes) and of the per-denial stream, as an aureport-style text table,
 * CSV or JSON lines.  The CSV columns and JSON fields are a stable,
 * documented interface (aulandlock(8), OUTPUT FORMATS): add, never rename.
 * Strings from the log are written through escape.h, in every format.
 */
#ifndef LLR_OUTPUT_H
#define LLR_OUTPUT_H

#include "agg.h"
#include "escape.h"
#include "event.h"
#include "opts.h"

#include <stdio.h>

#define LLR_SCHEMA_VERSION 3

struct llr_outctx {
	FILE *f;
	const struct llr_opts *o;
	uint64_t rows, alerts;
};

struct llr_alert;

void llr_out_report(FILE *f, struct llr_agg *g, const struct llr_opts *o,
                    const struct llr_stats *st);

/* Per-denial stream (view --denials): begin, one call per denial, end. */
void llr_out_denials_begin(struct llr_outctx *c);
void llr_out_denial(void *arg, const struct llr_event *ev, const struct llr_access *a,
                    const struct llr_user *u, const struct llr_domain *d);
void llr_out_denials_end(struct llr_outctx *c, const struct llr_stats *st);
/* An alert record (detect.h): JSON, else a text line. */
void llr_out_alert(struct llr_outctx *c, const struct llr_alert *al, const struct llr_event *ev,
                   const struct llr_access *a, const struct llr_user *u,
                   const struct llr_domain *d);

/* The --sessions view (out_session.c): one row per pam_landlock record. */
void llr_out_sessions_begin(struct llr_outctx *c);
void llr_out_session(struct llr_outctx *c, const struct llr_sessrow *r);
void llr_out_sessions_end(struct llr_outctx *c);
/* The --revisions view. */
void llr_out_revisions(FILE *f, struct llr_agg *g, const struct llr_opts *o);

/* The renderers. */
void llr_out_text(FILE *f, struct llr_agg *g, const struct llr_opts *o, const struct llr_stats *st);
/* CSV or JSON (o->format). */
void llr_out_data(FILE *f, struct llr_agg *g, const struct llr_opts *o);

/* Shared by the renderers (output.c). */
/* Users, domains, nodes to show, in report order; caller frees. */
struct llr_user **llr_sorted_users(struct llr_agg *g, int *n);
struct llr_domain **llr_sorted_domains(struct llr_agg *g, int *n);
struct llr_node **llr_sorted_nodes(struct llr_agg *g, int *n);
/* Blocker ids of a count array by count (desc), then name; returns how many. */
int llr_sorted_blockers(const uint64_t *counts, int *ids);
/* Blocker ids of a mask, by name; returns how many. */
int llr_mask_blockers(uint64_t mask, int *ids);
/* Split a "kind:value" top-k key: the kind into kind[n], returns the value. */
const char *llr_objkey_value(const char *key, char *kind, size_t n);
/* The user of a domain: raw label. */
const char *llr_domain_user_label(struct llr_agg *g, const struct llr_domain *d, char *buf,
                                  size_t n);
/* JSON "user":{"id":..,"name":..} */
void llr_json_user(FILE *f, const struct llr_user *u);
/* JSON ,"pam":{...} of a session (service, profile, acct, remote_host, tty,
 * enforcement, kind, match, digest, confine). */
void llr_json_pam(FILE *f, const struct llr_session *s);
/* The same without its closing brace (more fields follow). */
void llr_json_pam_open(FILE *f, const struct llr_session *s);
/* "session" or "trial". */
const char *llr_pam_kind_name(const struct llr_session *s);
/* ,"related":{"user":[...]} of the usable names, each once (nothing if none). */
void llr_json_related(FILE *f, const char *const *names, int n);
/* Is s an IPv4 or IPv6 address? */
int llr_is_ip(const char *s);
/* Blockers of a mask, comma-separated, by name (malloc'd). */
char *llr_blockers_str(uint64_t mask);

#endif
