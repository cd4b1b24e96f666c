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

enum llr_rtype llr_classify_type(const char *t, size_t n)
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

int llr_parse_header(const char *line, size_t len, struct llr_hdr *h)
{
	const char *p = line, *end = line + len, *q;

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
		q = memchr(p, ' ', (size_t)(end - p));
		if (!q || q == p)
			return -1;
		for (const char *c = p; c < q; c++) /* a host name: printable ASCII */
			if (*c < 0x21 || *c > 0x7e)
				return -1;
		h->node = p;
		h->node_len = (size_t)(q - p);
		p = q + 1;
	}
	if (!STARTS(p, end, "type="))
		return -1;
	p += 5;
	q = memchr(p, ' ', (size_t)(end - p));
	if (!q || q == p)
		return -1;
	for (const char *c = p; c < q; c++) /* SYSCALL, UNKNOWN[1423] */
		if (!((*c >= 'A' && *c <= 'Z') || (*c >= '0' && *c <= '9') || *c == '_' ||
		      *c == '[' || *c == ']'))
			return -1;
	h->type = llr_classify_type(p, (size_t)(q - p));
	p = q + 1;
	if (!STARTS(p, end, "msg=audit("))
		return -1;
	p += 10;
	int64_t sec = 0;
	uint64_t serial = 0;
	unsigned ms = 0, nd = 0;
#define D(i) ((unsigned)(p[i] - '0'))
	if (end - p > 16 && p[10] == '.' && p[14] == ':' && D(0) < 10 && D(1) < 10 && D(2) < 10 &&
	    D(3) < 10 && D(4) < 10 && D(5) < 10 && D(6) < 10 && D(7) < 10 && D(8) < 10 &&
	    D(9) < 10 && D(11) < 10 && D(12) < 10 && D(13) < 10) {
		/* the usual shape, 10-digit seconds: no loop */
		sec =
		    (((((((((int64_t)D(0) * 10 + D(1)) * 10 + D(2)) * 10 + D(3)) * 10 + D(4)) * 10 +
		        D(5)) *
		           10 +
		       D(6)) *
		          10 +
		      D(7)) *
		         10 +
		     D(8)) *
		        10 +
		    D(9);
		ms = (D(11) * 10 + D(12)) * 10 + D(13);
		p += 15;
	} else {
		/* count the digits first: no arithmetic on overlong numbers */
		const char *q0 = p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		nd = (unsigned)(p - q0);
		if (!nd || nd > 12 || p >= end || *p != '.')
			return -1;
		for (const char *d = q0; d < p; d++)
			sec = sec * 10 + (*d - '0');
		q0 = ++p;
		while (p < end && *p >= '0' && *p <= '9')
			p++;
		nd = (unsigned)(p - q0);
		if (!nd || nd > 3 || p >= end || *p != ':')
			return -1;
		for (const char *d = q0; d < p; d++)
			ms = ms * 10 + (unsigned)(*d - '0');
		p++;
	}
#undef D
	const char *s0 = p;
	while (p < end && *p >= '0' && *p <= '9')
		p++;
	nd = (unsigned)(p - s0);
	if (!nd || nd > 19 || !STARTS(p, end, "):"))
		return -1;
	for (const char *d = s0; d < p; d++)
		serial = serial * 10 + (uint64_t)(*d - '0');
	p += 2;
	if (p < end && *p == ' ')
		p++;
	h->sec = sec;
	h->ms = ms;
	h->serial = serial;
	h->body = p;
	h->body_len = (size_t)(end - p);
	return 0;
}

void llr_split_fields(const char *body, size_t len, struct llr_fields *f)
{
	const char *p = body, *end = body + len;
	int enriched = 0;

	f->n = 0;
	while (p < end && f->n < LLR_MAX_FIELDS) {
		if (*p == ' ' || *p == '\'') {
			p++;
			continue;
		}
		if (*p == 0x1d) {
			enriched = 1;
			p++;
			continue;
		}
		const char *k = p;
		while (p < end && *p != '=' && *p != ' ' && *p != 0x1d)
			p++;
		if (p >= end || *p != '=') {
			continue; /* a bare word: skip it */
		}
		size_t klen = (size_t)(p - k);
		p++;
		if (p < end && *p == '\'' && klen == 3 && !memcmp(k, "msg", 3)) {
			p++; /* user message payload: its fields follow */
			continue;
		}
		struct llr_kv *kv = &f->kv[f->n];
		kv->quoted = 0;
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
			const char *v = p;
			while (p < end && *p != ' ' && *p != 0x1d)
				p++;
			const char *ve = p;
			if (ve > v && ve[-1] == '\'')
				ve--; /* end of msg='...' */
			kv->v = v;
			kv->vlen = (uint32_t)(ve - v);
		}
		if (klen == 0 || klen > 255)
			continue;
		kv->k = k;
		kv->klen = (uint32_t)klen;
		kv->enriched = (uint8_t)enriched;
		f->n++;
	}
}

static const struct llr_kv *get(const struct llr_fields *f, const char *key, int enriched)
{
	size_t kl = strlen(key);
	for (int i = 0; i < f->n; i++) {
		const struct llr_kv *kv = &f->kv[i];
		if (kv->enriched == enriched && kv->klen == kl && !memcmp(kv->k, key, kl))
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

static int hexval(char c)
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
		if (hexval(s[i]) < 0)
			return 0;
	return 1;
}

int llr_unhex(const char *s, size_t n, char *out, int keep_nul)
{
	if (!hex_ok(s, n))
		return -1;
	int k = 0;
	for (size_t i = 0; i + 1 < n; i += 2) {
		char c = (char)(hexval(s[i]) << 4 | hexval(s[i + 1]));
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
			char c = (char)(hexval(kv->v[i]) << 4 | hexval(kv->v[i + 1]));
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
