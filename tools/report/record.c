/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * record.c - parsing of one audit record line.  The header parse runs on
 * every line of the input and must stay cheap: no allocation, a handful of
 * comparisons on the first ~60 bytes.  Field splitting runs only on
 * Landlock, kept SYSCALL and pam_landlock records.
 */
#include "config.h"

#include "record.h"
#include "util.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define STARTS(p, end, lit)                                                                        \
	((size_t)((end) - (p)) >= sizeof(lit) - 1 && memcmp((p), (lit), sizeof(lit) - 1) == 0)

static inline enum llr_rtype classify(const char *t, size_t n)
{
	switch (n) {
	case 7:
		if (!memcmp(t, "SYSCALL", 7))
			return LLR_RT_SYSCALL;
		break;
	case 9:
		if (!memcmp(t, "PROCTITLE", 9))
			return LLR_RT_PROCTITLE;
		break;
	case 11:
		if (!memcmp(t, "TRUSTED_APP", 11))
			return LLR_RT_TRUSTED_APP;
		break;
	case 13:
		if (!memcmp(t, "UNKNOWN[142", 11)) {
			if (t[11] == '3' && t[12] == ']')
				return LLR_RT_ACCESS;
			if (t[11] == '4' && t[12] == ']')
				return LLR_RT_DOMAIN;
		}
		break;
	case 15:
		if (!memcmp(t, "LANDLOCK_ACCESS", 15))
			return LLR_RT_ACCESS;
		if (!memcmp(t, "LANDLOCK_DOMAIN", 15))
			return LLR_RT_DOMAIN;
		break;
	}
	return LLR_RT_OTHER;
}

enum llr_rtype llr_classify_type(const char *t, size_t n)
{
	return classify(t, n);
}

/* Are the eight bytes of x all ASCII digits? */
static inline int all_digits(uint64_t x)
{
	return (x & 0xF0F0F0F0F0F0F0F0ULL) == 0x3030303030303030ULL &&
	       ((x + 0x0606060606060606ULL) & 0xF0F0F0F0F0F0F0F0ULL) == 0x3030303030303030ULL;
}

/* Eight ASCII digits at p: their value, or -1. */
static inline int64_t digits8(const char *p)
{
	uint64_t x;
	memcpy(&x, p, 8); /* little-endian: the first digit in the low byte */
	if (!all_digits(x))
		return -1;
	x -= 0x3030303030303030ULL;
	x = (x * 10 + (x >> 8)) & 0x00FF00FF00FF00FFULL;
	x = (x * 100 + (x >> 16)) & 0x0000FFFF0000FFFFULL;
	return (int64_t)((x * 10000 + (x >> 32)) & 0xFFFFFFFFULL);
}

/*
 * The first byte at or after p outside 0x30..0x5f (the end of a type
 * name), eight bytes at a time: a word's bytes below 0x30 or above 0x5f
 * are flagged, and the lowest flag is exact (borrows and carries only ever
 * flag bytes above a true one).
 */
static inline const char *type_end(const char *p, const char *end)
{
	const uint64_t ones = 0x0101010101010101ULL, high = 0x8080808080808080ULL;
	while (end - p >= 8) {
		uint64_t w;
		memcpy(&w, p, 8);
		uint64_t below = (w - ones * 0x30) & ~w & high;
		uint64_t above = ((w + ones * (127 - 0x5f)) | w) & high;
		uint64_t m = below | above;
		if (m)
			return p + (__builtin_ctzll(m) >> 3);
		p += 8;
	}
	while (p < end && (unsigned char)(*p - 0x30) < 0x30)
		p++;
	return p;
}

static inline int digit(char c)
{
	return (unsigned)(c - '0') < 10;
}

/* Digits at *pp, at most max of them (unsigned arithmetic: no overflow). */
static inline int number(const char **pp, const char *end, unsigned max, uint64_t *out)
{
	const char *p = *pp, *stop = end - p > (ptrdiff_t)max + 1 ? p + max + 1 : end;
	uint64_t v = 0;
	unsigned d;
	for (; p < stop && (d = (unsigned)(*p - '0')) < 10; p++)
		v = v * 10 + d;
	if (p == *pp || p - *pp > (ptrdiff_t)max)
		return -1;
	*pp = p;
	*out = v;
	return 0;
}

/*
 * The header, on every line: kept lean.  Type names are of [0-9:;<=>?@A-Z
 * [\]^_] (SYSCALL, UNKNOWN[1423]), node names printable ASCII; the serial
 * is read only for the records that matter.  The usual shape (10-digit
 * seconds, 3-digit milliseconds) is read eight digits at a time.
 */
int llr_parse_header(const char *line, size_t len, struct llr_hdr *h)
{
	const char *p = line, *end = line + len, *q;
	uint64_t v;

	while (len && (end[-1] == '\r' || end[-1] == ' ')) {
		end--;
		len--;
	}
	if (!len)
		return 1;
	h->node = NULL;
	h->node_len = 0;
	if (STARTS(p, end, "node=")) {
		p += 5;
		for (q = p; q < end && (unsigned char)(*q - 0x21) < 0x5e; q++) /* printable */
			;
		if (q == p || q >= end || *q != ' ')
			return -1;
		h->node = p;
		h->node_len = (size_t)(q - p);
		p = q + 1;
	}
	if (!STARTS(p, end, "type="))
		return -1;
	p += 5;
	q = type_end(p, end);
	if (q == p || q >= end || *q != ' ')
		return -1;
	h->type = classify(p, (size_t)(q - p));
	p = q + 1;
	if (!STARTS(p, end, "msg=audit("))
		return -1;
	p += 10;
	int64_t a;
	uint64_t w;
	if (end - p > 16 && (a = digits8(p)) >= 0 &&
	    (memcpy(&w, p + 8, 8), (w & 0x00FF000000FF0000ULL) == 0x003A0000002E0000ULL) &&
	    all_digits((w & ~0x00FF000000FF0000ULL) | 0x0030000000300000ULL)) {
		/* the usual shape, "SSSSSSSSSS.mmm:N": 10-digit seconds, milliseconds,
		 * and the serial's first digit, as two words */
		h->sec = a * 100 + (int64_t)((w & 15) * 10 + ((w >> 8) & 15));
		h->ms =
		    (unsigned)(((w >> 24) & 15) * 100 + ((w >> 32) & 15) * 10 + ((w >> 40) & 15));
		p += 15;
		if (h->type == LLR_RT_OTHER) /* nobody reads its serial or body */
			goto other;
	} else {
		if (number(&p, end, 12, &v) || p >= end || *p++ != '.')
			return -1;
		h->sec = (int64_t)v;
		if (number(&p, end, 3, &v) || p >= end || *p++ != ':')
			return -1;
		h->ms = (unsigned)v;
	}
	if (h->type == LLR_RT_OTHER) { /* nobody reads its serial or body */
		if (p >= end || !digit(*p))
			return -1;
	other:
		h->serial = 0;
		h->body = NULL;
		h->body_len = 0;
		return 0;
	}
	if (number(&p, end, 19, &v) || !STARTS(p, end, "):"))
		return -1;
	h->serial = v;
	p += 2;
	if (p < end && *p == ' ')
		p++;
	h->body = p;
	h->body_len = (size_t)(end - p);
	return 0;
}

static inline unsigned key_slot(const char *k, size_t n, unsigned enriched)
{
	return ((unsigned)(unsigned char)k[0] * 31 + (unsigned)(unsigned char)k[n - 1] * 7 +
	        (unsigned)n * 131 + enriched * 97) &
	       255;
}

/* The fields of one part: raw (before 0x1d) or ENRICHED (after). */
static void split_part(const char *p, const char *end, uint8_t enriched, struct llr_fields *f)
{
	while (p < end && f->n < LLR_MAX_FIELDS) {
		if (*p == ' ' || *p == '\'') {
			p++;
			continue;
		}
		const char *k = p;
		while (p < end && *p != '=' && *p != ' ')
			p++;
		if (p >= end || *p != '=')
			continue; /* a bare word: skip it */
		size_t klen = (size_t)(p - k);
		p++;
		if (p < end && *p == '\'' && klen == 3 && !memcmp(k, "msg", 3)) {
			p++; /* user message payload: its fields follow */
			continue;
		}
		struct llr_kv *kv = &f->kv[f->n];
		if (p < end && *p == '"') {
			const char *v = ++p;
			const char *q = memchr(p, '"', (size_t)(end - p));
			if (!q)
				q = end;
			kv->v = v;
			kv->vlen = (uint32_t)(q - v);
			kv->quoted = 1;
			p = q < end ? q + 1 : end;
		} else {
			const char *v = p, *q = p < end ? memchr(p, ' ', (size_t)(end - p)) : NULL;
			p = q ? q : end;
			const char *ve = p;
			if (ve > v && ve[-1] == '\'')
				ve--; /* end of msg='...' */
			kv->v = v;
			kv->vlen = (uint32_t)(ve - v);
			kv->quoted = 0;
		}
		if (klen == 0 || klen > 255)
			continue;
		kv->k = k;
		kv->klen = (uint32_t)klen;
		kv->enriched = enriched;
		unsigned h = key_slot(k, klen, enriched);
		while (f->slot[h]) { /* the first of a key wins: keep probing past it */
			const struct llr_kv *o = &f->kv[f->slot[h] - 1];
			if (o->klen == klen && o->enriched == enriched && !memcmp(o->k, k, klen))
				break;
			h = (h + 1) & 255;
		}
		if (!f->slot[h])
			f->slot[h] = (uint8_t)(f->n + 1);
		f->n++;
	}
}

void llr_split_fields(const char *body, size_t len, struct llr_fields *f)
{
	f->n = 0;
	memset(f->slot, 0, sizeof(f->slot));
	if (!len)
		return; /* also a NULL body: records of other types have none */
	const char *end = body + len, *gs = memchr(body, 0x1d, len);
	split_part(body, gs ? gs : end, 0, f);
	if (gs)
		split_part(gs + 1, end, 1, f);
}

static const struct llr_kv *get(const struct llr_fields *f, const char *key, int enriched)
{
	size_t kl = strlen(key);
	if (!kl)
		return NULL;
	for (unsigned h = key_slot(key, kl, (unsigned)enriched); f->slot[h]; h = (h + 1) & 255) {
		const struct llr_kv *kv = &f->kv[f->slot[h] - 1];
		if (kv->klen == kl && kv->enriched == enriched && !memcmp(kv->k, key, kl))
			return kv;
	}
	return NULL;
}

const struct llr_kv *llr_get(const struct llr_fields *f, const char *key)
{
	return get(f, key, 0);
}

const struct llr_kv *llr_get_enriched(const struct llr_fields *f, const char *key)
{
	return get(f, key, 1);
}

int llr_hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static int hex_ok(const char *s, size_t n)
{
	if (n < 2 || n % 2)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (llr_hexval(s[i]) < 0)
			return 0;
	return 1;
}

int llr_unhex(const char *s, size_t n, char *out, int keep_nul)
{
	if (!hex_ok(s, n))
		return -1;
	int k = 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		char c = (char)(llr_hexval(s[i]) << 4 | llr_hexval(s[i + 1]));
		out[k++] = c || keep_nul ? c : '@';
	}
	out[k] = '\0';
	return k;
}

size_t llr_value(const struct llr_kv *kv, int hexok, char *out, size_t outsz)
{
	size_t n = 0;
	if (!outsz)
		return 0;
	if (!kv) {
		out[0] = '\0';
		return 0;
	}
	if (hexok && !kv->quoted && hex_ok(kv->v, kv->vlen)) {
		for (size_t i = 0; i + 1 < kv->vlen && n + 1 < outsz; i += 2) {
			char c = (char)(llr_hexval(kv->v[i]) << 4 | llr_hexval(kv->v[i + 1]));
			out[n++] = c ? c : '@';
		}
	} else {
		n = kv->vlen < outsz - 1 ? kv->vlen : outsz - 1;
		memcpy(out, kv->v, n);
		/* a raw value cannot hold NUL: the line splitter kept it whole */
		for (size_t i = 0; i < n; i++)
			if (!out[i])
				out[i] = '@';
	}
	out[n] = '\0';
	return n;
}

char *llr_value_dup(const struct llr_kv *kv, int hexok)
{
	if (!kv)
		return NULL;
	size_t cap = (size_t)kv->vlen + 1;
	char *s = llr_xmalloc(cap);
	llr_value(kv, hexok, s, cap);
	return s;
}

int llr_str_u64(const char *s, uint64_t *out, int base)
{
	char *e;
	if (!s || !*s || *s == '-' || *s == '+' || *s == ' ')
		return -1;
	errno = 0;
	uint64_t v = strtoull(s, &e, base);
	if (*e || errno)
		return -1;
	*out = v;
	return 0;
}

int llr_str_i64(const char *s, int64_t *out)
{
	char *e;
	if (!s || !*s || *s == ' ' || *s == '+')
		return -1;
	errno = 0;
	long long v = strtoll(s, &e, 10);
	if (*e || errno)
		return -1;
	*out = v;
	return 0;
}

int llr_str_u32(const char *s, uint32_t *out)
{
	int64_t v;
	if (llr_str_i64(s, &v) || v < -1 || v > 0xffffffffLL)
		return -1;
	*out = (uint32_t)v;
	return 0;
}

static int kv_str(const struct llr_kv *kv, char *buf, size_t n)
{
	if (!kv || !kv->vlen || kv->vlen >= n)
		return -1;
	memcpy(buf, kv->v, kv->vlen);
	buf[kv->vlen] = '\0';
	return 0;
}

int llr_kv_u64(const struct llr_kv *kv, uint64_t *out, int base)
{
	char buf[32];
	return kv_str(kv, buf, sizeof(buf)) ? -1 : llr_str_u64(buf, out, base);
}

int llr_kv_i64(const struct llr_kv *kv, int64_t *out)
{
	char buf[32];
	return kv_str(kv, buf, sizeof(buf)) ? -1 : llr_str_i64(buf, out);
}

int llr_kv_u32(const struct llr_kv *kv, uint32_t *out)
{
	char buf[32];
	return kv_str(kv, buf, sizeof(buf)) ? -1 : llr_str_u32(buf, out);
}
