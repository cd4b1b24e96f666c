/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * output.c - what the renderers share (see output.h): which rows are shown
 * and in which order, object keys, blocker lists, and the dispatch on the
 * format.
 */
#include "config.h"

#include "output.h"

#include <stdlib.h>
#include <string.h>

static int cmp_name(const char *a, const char *b)
{
	if (!a || !b)
		return a ? 1 : b ? -1 : 0;
	return strcmp(a, b);
}

static int cmp_user(const void *a, const void *b)
{
	const struct llr_user *x = *(struct llr_user *const *)a, *y = *(struct llr_user *const *)b;
	if (x->denials != y->denials)
		return x->denials > y->denials ? -1 : 1;
	if (x->uid != y->uid)
		return x->uid < y->uid ? -1 : 1;
	return cmp_name(x->name, y->name);
}

struct llr_user **llr_sorted_users(struct llr_agg *g, int *n)
{
	llr_agg_merge_names(g);
	struct llr_user **v = llr_xcalloc((size_t)llr_agg_nusers(g) + 1, sizeof(*v));
	*n = 0;
	for (int i = 0; i < llr_agg_nusers(g); i++) {
		struct llr_user *u = llr_agg_user(g, i);
		if (u->hidden)
			continue;
		if (u->denials || u->pam_sessions || u->pam_refused || u->pam_trials ||
		    u->kernel_domains)
			v[(*n)++] = u;
	}
	qsort(v, (size_t)*n, sizeof(*v), cmp_user);
	return v;
}

static int cmp_dom(const void *a, const void *b)
{
	const struct llr_domain *x = *(struct llr_domain *const *)a,
	                        *y = *(struct llr_domain *const *)b;
	if (x->logged != y->logged)
		return x->logged > y->logged ? -1 : 1;
	int64_t fx = x->logged ? x->first : x->alloc_time,
	        fy = y->logged ? y->first : y->alloc_time;
	if (fx != fy)
		return fx < fy ? -1 : 1;
	int c = strcmp(x->node, y->node);
	if (c)
		return c;
	return x->id < y->id ? -1 : x->id > y->id;
}

struct llr_domain **llr_sorted_domains(struct llr_agg *g, int *n)
{
	struct llr_domain **v = llr_xcalloc((size_t)llr_agg_ndomains(g) + 1, sizeof(*v));
	*n = 0;
	for (int i = 0; i < llr_agg_ndomains(g); i++) {
		struct llr_domain *d = llr_agg_domain(g, i);
		if (!d || !d->shown)
			continue;
		if (d->user >= 0
		        ? !llr_agg_user_matches(g, llr_agg_user(g, d->user))
		        : !llr_agg_user_matches(g, &(struct llr_user){.uid = LLR_UID_UNSET}))
			continue;
		v[(*n)++] = d;
	}
	qsort(v, (size_t)*n, sizeof(*v), cmp_dom);
	return v;
}

static int cmp_node(const void *a, const void *b)
{
	const struct llr_node *x = *(struct llr_node *const *)a, *y = *(struct llr_node *const *)b;
	if (x->denials != y->denials)
		return x->denials > y->denials ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct llr_node **llr_sorted_nodes(struct llr_agg *g, int *n)
{
	*n = llr_agg_nnodes(g);
	struct llr_node **v = llr_xcalloc((size_t)*n + 1, sizeof(*v));
	for (int i = 0; i < *n; i++)
		v[i] = llr_agg_node(g, i);
	qsort(v, (size_t)*n, sizeof(*v), cmp_node);
	return v;
}

/* Blocker order: by count (desc), then by name, so that it does not depend
 * on the order of any table. */
static int blocker_before(const uint64_t *counts, int a, int b)
{
	uint64_t ca = counts ? counts[a] : 0, cb = counts ? counts[b] : 0;
	if (ca != cb)
		return ca > cb;
	return strcmp(llr_blocker_name(a), llr_blocker_name(b)) < 0;
}

static void sort_ids(const uint64_t *counts, int *ids, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && blocker_before(counts, ids[j], ids[j - 1]); j--) {
			int t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
}

int llr_sorted_blockers(const uint64_t *counts, int *ids)
{
	int n = 0;
	for (int b = 0; b < llr_blocker_count(); b++)
		if (counts[b])
			ids[n++] = b;
	sort_ids(counts, ids, n);
	return n;
}

int llr_mask_blockers(uint64_t mask, int *ids)
{
	int n = 0;
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++)
		if (mask & (1ULL << b))
			ids[n++] = b;
	sort_ids(NULL, ids, n);
	return n;
}

const char *llr_objkey_value(const char *key, char *kind, size_t n)
{
	const char *c = strchr(key, ':');
	if (!c) {
		snprintf(kind, n, "none");
		return key;
	}
	snprintf(kind, n, "%.*s", (int)(c - key), key);
	return c + 1;
}

const char *llr_domain_user_label(struct llr_agg *g, const struct llr_domain *d, char *buf,
                                  size_t n)
{
	if (d->user < 0)
		return "(unknown)";
	return llr_user_label(llr_agg_user(g, d->user), buf, n);
}

char *llr_blockers_str(uint64_t mask)
{
	int ids[LLR_MAX_BLOCKERS], n = llr_mask_blockers(mask, ids);
	size_t cap = 32, len = 0;
	char *s = llr_xmalloc(cap);
	s[0] = '\0';
	for (int i = 0; i < n; i++) {
		const char *name = llr_blocker_name(ids[i]);
		size_t l = strlen(name) + 2;
		if (len + l >= cap) {
			cap = (len + l) * 2;
			s = llr_xrealloc(s, cap);
		}
		len += (size_t)snprintf(s + len, cap - len, "%s%s", len ? "," : "", name);
	}
	return s;
}

void llr_out_report(FILE *f, struct llr_agg *g, const struct llr_opts *o,
                    const struct llr_stats *st)
{
	if (o->view == LLR_VIEW_REVISIONS)
		llr_out_revisions(f, g, o);
	else if (o->format == LLR_FMT_TEXT)
		llr_out_text(f, g, o, st);
	else
		llr_out_data(f, g, o);
}
