/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * topk.h - bounded "top N" counters (the Space-Saving algorithm).  Counts
 * are exact while the number of distinct keys stays within the capacity;
 * beyond it the smallest entry is replaced and its count becomes an upper
 * bound whose possible overcount is kept in err (reported as approximate).
 */
#ifndef LLR_TOPK_H
#define LLR_TOPK_H

#include <stddef.h>
#include <stdint.h>

struct llr_topk_ent {
	char *key;
	uint64_t hash, count, err;
};

struct llr_topk {
	struct llr_topk_ent *e;
	int n, cap;
	uint64_t evicted; /* >0: counts may be approximate */
};

void llr_topk_init(struct llr_topk *t, int cap);
void llr_topk_add(struct llr_topk *t, const char *key, uint64_t n);
/* Sort entries by count (desc) then key; returns the count of entries. */
int llr_topk_sorted(struct llr_topk *t);
void llr_topk_free(struct llr_topk *t);

#endif
