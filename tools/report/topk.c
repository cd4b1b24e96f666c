/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * topk.c - exact counters up to a global budget, then Space-Saving with a
 * min-heap (see topk.h).
 */
#include "config.h"

#include "topk.h"

#include <stdlib.h>
#include <string.h>

static size_t used; /* keys held by all lists */

size_t llr_topk_budget_used(void)
{
	return used;
}

void llr_topk_init(struct llr_topk *t, int limit)
{
	memset(t, 0, sizeof(*t));
	t->limit = limit;
}

static int find(const struct llr_topk *t, const char *key, uint64_t h)
{
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&t->ix, h, &pos)) >= 0)
		if (!strcmp(t->e[i].key, key))
			return i;
	return -1;
}

static void swap(struct llr_topk *t, int a, int b)
{
	int x = t->heap[a];
	t->heap[a] = t->heap[b];
	t->heap[b] = x;
	t->e[t->heap[a]].heap = a;
	t->e[t->heap[b]].heap = b;
}

static void sift_down(struct llr_topk *t, int i)
{
	for (;;) {
		int l = 2 * i + 1, r = l + 1, m = i;
		if (l < t->n && t->e[t->heap[l]].count < t->e[t->heap[m]].count)
			m = l;
		if (r < t->n && t->e[t->heap[r]].count < t->e[t->heap[m]].count)
			m = r;
		if (m == i)
			return;
		swap(t, i, m);
		i = m;
	}
}

static void build_heap(struct llr_topk *t)
{
	t->heap = llr_xmalloc((size_t)t->n * sizeof(*t->heap));
	for (int i = 0; i < t->n; i++) {
		t->heap[i] = i;
		t->e[i].heap = i;
	}
	for (int i = t->n / 2 - 1; i >= 0; i--)
		sift_down(t, i);
}

static int may_grow(const struct llr_topk *t)
{
	if (t->heap || t->n >= t->limit)
		return 0;
	return t->n < LLR_TOPK_MINIMUM || used < LLR_TOPK_BUDGET;
}

void llr_topk_add(struct llr_topk *t, const char *key, uint64_t n)
{
	if (!key)
		key = "-";
	llr_topk_add_hashed(t, key, llr_hash(key, strlen(key)), n);
}

void llr_topk_add_hashed(struct llr_topk *t, const char *key, uint64_t h, uint64_t n)
{
	int i = find(t, key, h);
	if (i >= 0) {
		t->e[i].count += n;
		if (t->heap)
			sift_down(t, t->e[i].heap);
		return;
	}
	if (may_grow(t)) {
		if (t->n == t->cap) {
			t->cap = t->cap ? t->cap * 2 : 8;
			t->e = llr_xrealloc(t->e, (size_t)t->cap * sizeof(*t->e));
		}
		struct llr_topk_ent *e = &t->e[t->n];
		e->key = llr_xstrdup(key);
		e->hash = h;
		e->count = n;
		e->err = 0;
		e->heap = -1;
		llr_index_put(&t->ix, h, t->n++);
		used++;
		return;
	}
	if (!t->n)
		return; /* a list with no room at all (limit 0) */
	if (!t->heap)
		build_heap(t);
	int m = t->heap[0];
	struct llr_topk_ent *e = &t->e[m];
	llr_index_del(&t->ix, e->hash, m);
	free(e->key);
	e->key = llr_xstrdup(key);
	e->hash = h;
	e->err = e->count;
	e->count += n;
	llr_index_put(&t->ix, h, m);
	sift_down(t, 0);
	t->evicted++;
}

static int cmp(const void *a, const void *b)
{
	const struct llr_topk_ent *x = *(const struct llr_topk_ent *const *)a,
	                          *y = *(const struct llr_topk_ent *const *)b;
	if (x->count != y->count)
		return x->count > y->count ? -1 : 1;
	return strcmp(x->key, y->key);
}

struct llr_topk_ent **llr_topk_sorted(const struct llr_topk *t, int *n)
{
	struct llr_topk_ent **v = llr_xcalloc((size_t)t->n + 1, sizeof(*v));
	for (int i = 0; i < t->n; i++)
		v[i] = &t->e[i];
	if (t->n > 1)
		qsort(v, (size_t)t->n, sizeof(*v), cmp);
	*n = t->n;
	return v;
}

void llr_topk_free(struct llr_topk *t)
{
	for (int i = 0; i < t->n; i++)
		free(t->e[i].key);
	used -= (size_t)t->n;
	free(t->e);
	free(t->heap);
	llr_index_free(&t->ix);
	memset(t, 0, sizeof(*t));
}
