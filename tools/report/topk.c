/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * topk.c - Space-Saving counters (see topk.h).  Capacities are small (at
 * most a few hundred), so a linear scan on hash is cheap next to parsing.
 */
#include "config.h"

#include "topk.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

void llr_topk_init(struct llr_topk *t, int cap)
{
	memset(t, 0, sizeof(*t));
	t->cap = cap;
}

void llr_topk_add(struct llr_topk *t, const char *key, uint64_t n)
{
	if (!key)
		key = "-";
	uint64_t h = llr_hash(key, strlen(key));
	int min = -1;
	for (int i = 0; i < t->n; i++) {
		struct llr_topk_ent *e = &t->e[i];
		if (e->hash == h && !strcmp(e->key, key)) {
			e->count += n;
			return;
		}
		if (min < 0 || e->count < t->e[min].count)
			min = i;
	}
	if (t->n < t->cap) {
		if (!t->e)
			t->e = llr_xcalloc((size_t)t->cap, sizeof(*t->e));
		struct llr_topk_ent *e = &t->e[t->n++];
		e->key = llr_xstrdup(key);
		e->hash = h;
		e->count = n;
		e->err = 0;
		return;
	}
	struct llr_topk_ent *e = &t->e[min];
	free(e->key);
	e->key = llr_xstrdup(key);
	e->hash = h;
	e->err = e->count;
	e->count += n;
	t->evicted++;
}

static int cmp(const void *a, const void *b)
{
	const struct llr_topk_ent *x = a, *y = b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

int llr_topk_sorted(struct llr_topk *t)
{
	if (t->n > 1)
		qsort(t->e, (size_t)t->n, sizeof(*t->e), cmp);
	return t->n;
}

void llr_topk_free(struct llr_topk *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->e[i].key);
	free(t->e);
	memset(t, 0, sizeof(*t));
}
