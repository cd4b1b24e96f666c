/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * util.h - small helpers shared by the reporter: checked allocation,
 * hashing, a set of 64-bit keys, an open-addressing index from 64-bit
 * hashes to slots, and time formats (output escaping: escape.h).
 */
#ifndef LLR_UTIL_H
#define LLR_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

void *llr_xmalloc(size_t n);
void *llr_xcalloc(size_t n, size_t sz);
void *llr_xrealloc(void *p, size_t n);
char *llr_xstrndup(const char *s, size_t n);
char *llr_xstrdup(const char *s);
char *llr_xstrdup_opt(const char *s); /* NULL stays NULL */

uint64_t llr_hash(const void *p, size_t n);
uint64_t llr_mix64(uint64_t x);

/* A set of non-zero 64-bit keys (zero is mapped to a fixed key). */
struct llr_u64set {
	uint64_t *slot;
	size_t cap, n;
};
int llr_u64set_add(struct llr_u64set *s, uint64_t key); /* 1 if new */
void llr_u64set_free(struct llr_u64set *s);

/*
 * Index from a 64-bit hash to an int value (>= 0).  Several values may share
 * a hash: llr_index_next() walks the candidates, the caller compares keys.
 */
struct llr_index {
	uint64_t *hash;
	int *val; /* -1 empty, -2 deleted */
	size_t cap, n, used;
};
void llr_index_put(struct llr_index *ix, uint64_t h, int val);
/* *pos starts at 0; returns the next candidate value or -1. */
int llr_index_next(const struct llr_index *ix, uint64_t h, size_t *pos);
void llr_index_del(struct llr_index *ix, uint64_t h, int val);
void llr_index_free(struct llr_index *ix);

/* "YYYY-MM-DDTHH:MM:SS.mmmZ" (UTC) or local "MM/DD/YYYY HH:MM:SS[.mmm]". */
void llr_fmt_iso(char *buf, size_t n, int64_t sec, unsigned ms);
void llr_fmt_local(char *buf, size_t n, int64_t sec);
/* The same from milliseconds since the epoch. */
void llr_fmt_iso_ms(char *buf, size_t n, int64_t t_ms);
void llr_fmt_local_ms(char *buf, size_t n, int64_t t_ms);

#endif
