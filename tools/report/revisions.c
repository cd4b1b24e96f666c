/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * revisions.c - the table of policy revisions (see revisions.h).
 */
#include "config.h"

#include "revisions.h"

#include <stdlib.h>
#include <string.h>

static uint64_t rev_hash(const char *digest)
{
	return digest ? llr_hash(digest, strlen(digest)) : 0x7265766e6f6e65ULL;
}

/* The file of a match= value: "FILE:LINE", also "FILE:LINE(class)". */
static char *policy_file(const char *match)
{
	const char *c = strrchr(match, ':');
	if (c && c[1] >= '0' && c[1] <= '9') {
		const char *e = c + 1 + strspn(c + 1, "0123456789");
		if (!*e || (*e == '(' && strchr(e, ')') && !strchr(e, ')')[1]))
			return llr_xstrndup(match, (size_t)(c - match));
	}
	return llr_xstrdup(match);
}

static struct llr_rev *rev_get(struct llr_revs *t, const char *digest)
{
	uint64_t h = rev_hash(digest);
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&t->ix, h, &pos)) >= 0) {
		const char *d = t->v[i]->digest;
		if (d ? digest && !strcmp(d, digest) : !digest)
			return t->v[i];
	}
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 8;
		t->v = llr_xrealloc(t->v, (size_t)t->cap * sizeof(*t->v));
	}
	struct llr_rev *r = llr_xcalloc(1, sizeof(*r));
	r->digest = llr_xstrdup_opt(digest);
	llr_index_put(&t->ix, h, t->n);
	t->v[t->n++] = r;
	return r;
}

static void seen(struct llr_rev *r, uint64_t user, uint64_t node, int64_t time)
{
	llr_u64set_add(&r->users, user);
	llr_u64set_add(&r->nodes, node);
	if (!r->seen || time < r->first)
		r->first = time;
	if (!r->seen || time > r->last)
		r->last = time;
	r->seen = 1;
}

void llr_revs_record(struct llr_revs *t, const char *digest, enum llr_pamkind kind,
                     const char *match, uint64_t user, uint64_t node, int64_t time)
{
	struct llr_rev *r = rev_get(t, digest);
	if (kind == LLR_PAM_TRY)
		r->trials++;
	else if (kind == LLR_PAM_REFUSED)
		r->refused++;
	else
		r->sessions++;
	if (!r->file && match)
		r->file = policy_file(match);
	seen(r, user, node, time);
}

void llr_revs_denial(struct llr_revs *t, const char *digest, uint64_t user, uint64_t node,
                     uint64_t domain, int64_t time)
{
	struct llr_rev *r = rev_get(t, digest);
	r->denials++;
	llr_u64set_add(&r->domains, node ^ llr_mix64(domain));
	seen(r, user, node, time);
}

void llr_revs_free(struct llr_revs *t)
{
	for (int i = 0; i < t->n; i++) {
		struct llr_rev *r = t->v[i];
		free(r->digest);
		free(r->file);
		llr_u64set_free(&r->users);
		llr_u64set_free(&r->nodes);
		llr_u64set_free(&r->domains);
		free(r);
	}
	free(t->v);
	llr_index_free(&t->ix);
	memset(t, 0, sizeof(*t));
}
