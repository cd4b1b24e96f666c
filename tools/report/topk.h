/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * topk.h - bounded "top N" counters.  Every distinct key is counted
 * exactly while the lists together hold at most LLR_TOPK_BUDGET keys (and
 * one list at most its limit); past that a list keeps its keys and counts
 * new ones with the Space-Saving algorithm: the smallest entry is replaced
 * and the new key's count becomes an upper bound, with the possible
 * overcount kept in err, so the true count lies in [count - err, count].
 */
#ifndef LLR_TOPK_H
#define LLR_TOPK_H

#include "util.h"

#include <stddef.h>
#include <stdint.h>

#define LLR_TOPK_BUDGET  262144 /* keys in all lists together */
#define LLR_TOPK_MINIMUM 16     /* keys any list may hold, budget or not */

struct llr_topk_ent {
	char *key;
	uint64_t hash, count, err;
	int heap; /* position in the min-heap once the list is full */
};

struct llr_topk {
	struct llr_topk_ent *e;
	int n, cap, limit;
	int *heap; /* indices into e, by count; built when the list is full */
	struct llr_index ix;
	uint64_t evicted; /* >0: some keys were replaced, counts are bounds */
};

void llr_topk_init(struct llr_topk *t, int limit);
void llr_topk_add(struct llr_topk *t, const char *key, uint64_t n);
/* The same with the key's llr_hash already computed. */
void llr_topk_add_hashed(struct llr_topk *t, const char *key, uint64_t h, uint64_t n);
/* Entries by count (desc) then key; malloc'd array of *n pointers. */
struct llr_topk_ent **llr_topk_sorted(const struct llr_topk *t, int *n);
/* Distinct keys seen: exact when !evicted, else a lower bound. */
static inline int llr_topk_distinct(const struct llr_topk *t)
{
	return t->n;
}
void llr_topk_free(struct llr_topk *t);
/* Keys held by all lists (tests). */
size_t llr_topk_budget_used(void);

#endif
