/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * util.c - allocation, hashing, key sets, a hash index and time formats
 * for the reporter.  Allocation failure is fatal: the reporter
 * keeps bounded state, so running out of memory means a bug.
 */
#include "config.h"

#include "util.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

static void oom(void)
{
	fputs("aulandlock: out of memory\n", stderr);
	exit(2);
}

void *llr_xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom();
	return p;
}

void *llr_xcalloc(size_t n, size_t sz)
{
	void *p = calloc(n ? n : 1, sz ? sz : 1);
	if (!p)
		oom();
	return p;
}

void *llr_xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		oom();
	return p;
}

char *llr_xstrndup(const char *s, size_t n)
{
	char *d = llr_xmalloc(n + 1);
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

char *llr_xstrdup(const char *s)
{
	return llr_xstrndup(s, strlen(s));
}

char *llr_xstrdup_opt(const char *s)
{
	return s ? llr_xstrdup(s) : NULL;
}

uint64_t llr_hash(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	for (size_t i = 0; i < n; i++) {
		h ^= s[i];
		h *= 0x100000001b3ULL;
	}
	return llr_mix64(h);
}

uint64_t llr_mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static int set_insert(struct llr_u64set *s, uint64_t key)
{
	size_t mask = s->cap - 1, i = (size_t)llr_mix64(key) & mask;
	while (s->slot[i]) {
		if (s->slot[i] == key)
			return 0;
		i = (i + 1) & mask;
	}
	s->slot[i] = key;
	s->n++;
	return 1;
}

int llr_u64set_add(struct llr_u64set *s, uint64_t key)
{
	if (!key)
		key = 0x9e3779b97f4a7c15ULL;
	if ((s->n + 1) * 2 > s->cap) {
		struct llr_u64set o = *s;
		s->cap = o.cap ? o.cap * 2 : 16;
		s->slot = llr_xcalloc(s->cap, sizeof(*s->slot));
		s->n = 0;
		for (size_t i = 0; i < o.cap; i++)
			if (o.slot[i])
				set_insert(s, o.slot[i]);
		free(o.slot);
	}
	return set_insert(s, key);
}

void llr_u64set_free(struct llr_u64set *s)
{
	free(s->slot);
	memset(s, 0, sizeof(*s));
}

static void index_grow(struct llr_index *ix)
{
	struct llr_index o = *ix;
	ix->cap = o.cap ? o.cap * 2 : 64;
	if (o.cap && o.n * 4 < o.cap)
		ix->cap = o.cap; /* mostly tombstones: rehash in place */
	ix->hash = llr_xcalloc(ix->cap, sizeof(*ix->hash));
	ix->val = llr_xmalloc(ix->cap * sizeof(*ix->val));
	for (size_t i = 0; i < ix->cap; i++)
		ix->val[i] = -1;
	ix->n = ix->used = 0;
	for (size_t i = 0; i < o.cap; i++)
		if (o.val[i] >= 0)
			llr_index_put(ix, o.hash[i], o.val[i]);
	free(o.hash);
	free(o.val);
}

void llr_index_put(struct llr_index *ix, uint64_t h, int val)
{
	if ((ix->used + 1) * 4 > ix->cap * 3)
		index_grow(ix);
	size_t mask = ix->cap - 1, i = (size_t)h & mask;
	while (ix->val[i] >= 0)
		i = (i + 1) & mask;
	if (ix->val[i] == -1)
		ix->used++;
	ix->hash[i] = h;
	ix->val[i] = val;
	ix->n++;
}

int llr_index_next(const struct llr_index *ix, uint64_t h, size_t *pos)
{
	if (!ix->cap)
		return -1;
	size_t mask = ix->cap - 1;
	for (size_t k = *pos; k < ix->cap; k++) {
		size_t i = ((size_t)h + k) & mask;
		if (ix->val[i] == -1)
			return -1;
		if (ix->val[i] >= 0 && ix->hash[i] == h) {
			*pos = k + 1;
			return ix->val[i];
		}
	}
	return -1;
}

void llr_index_del(struct llr_index *ix, uint64_t h, int val)
{
	if (!ix->cap)
		return;
	size_t mask = ix->cap - 1;
	for (size_t k = 0; k < ix->cap; k++) {
		size_t i = ((size_t)h + k) & mask;
		if (ix->val[i] == -1)
			return;
		if (ix->val[i] == val && ix->hash[i] == h) {
			ix->val[i] = -2;
			ix->n--;
			return;
		}
	}
}

void llr_index_free(struct llr_index *ix)
{
	free(ix->hash);
	free(ix->val);
	memset(ix, 0, sizeof(*ix));
}

void llr_fmt_iso(char *buf, size_t n, int64_t sec, unsigned ms)
{
	struct tm tm;
	time_t t = (time_t)sec;
	if (!gmtime_r(&t, &tm)) {
		snprintf(buf, n, "%lld", (long long)sec);
		return;
	}
	snprintf(buf, n, "%04d-%02d-%02dT%02d:%02d:%02d.%03uZ", tm.tm_year + 1900, tm.tm_mon + 1,
	         tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, ms % 1000);
}

void llr_fmt_local(char *buf, size_t n, int64_t sec)
{
	struct tm tm;
	time_t t = (time_t)sec;
	if (!localtime_r(&t, &tm) || !strftime(buf, n, "%m/%d/%Y %H:%M:%S", &tm))
		snprintf(buf, n, "%lld", (long long)sec);
}

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b < 0);
}

void llr_fmt_iso_ms(char *buf, size_t n, int64_t t)
{
	int64_t s = floor_div(t, 1000);
	llr_fmt_iso(buf, n, s, (unsigned)(t - s * 1000));
}

void llr_fmt_local_ms(char *buf, size_t n, int64_t t)
{
	int64_t s = floor_div(t, 1000);
	llr_fmt_local(buf, n, s);
	size_t l = strlen(buf);
	snprintf(buf + l, n - l, ".%03u", (unsigned)(t - s * 1000));
}
