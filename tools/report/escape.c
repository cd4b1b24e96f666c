/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * escape.c - the output encodings of untrusted strings (see escape.h).
 */
#include "config.h"

#include "escape.h"
#include "util.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

size_t llr_utf8_seq(const unsigned char *p, size_t n)
{
	unsigned c = p[0];
	size_t len;
	uint32_t cp, min;

	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) {
		len = 2;
		cp = c & 0x1f;
		min = 0x80;
	} else if (c >= 0xe0 && c <= 0xef) {
		len = 3;
		cp = c & 0x0f;
		min = 0x800;
	} else if (c >= 0xf0 && c <= 0xf4) {
		len = 4;
		cp = c & 0x07;
		min = 0x10000;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = cp << 6 | (p[i] & 0x3f);
	}
	if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return len;
}

static uint32_t utf8_cp(const unsigned char *p, size_t len)
{
	static const unsigned char mask[] = {0, 0x7f, 0x1f, 0x0f, 0x07};
	uint32_t cp = p[0] & mask[len];
	for (size_t i = 1; i < len; i++)
		cp = cp << 6 | (p[i] & 0x3f);
	return cp;
}

/* Code points that must not reach a reader as they are. */
static int dangerous_cp(uint32_t cp)
{
	return cp < 0x20 || (cp >= 0x7f && cp <= 0x9f) || cp == 0x061c || cp == 0x200e ||
	       cp == 0x200f || cp == 0x2028 || cp == 0x2029 || (cp >= 0x202a && cp <= 0x202e) ||
	       (cp >= 0x2066 && cp <= 0x2069);
}

/* Where an encoder writes: a FILE, or a growing buffer. */
struct sink {
	char *buf;
	size_t len, cap;
	FILE *f;
};

static void put(struct sink *k, const char *s, size_t n)
{
	if (k->f) {
		fwrite(s, 1, n, k->f);
		return;
	}
	if (k->len + n + 1 > k->cap) {
		k->cap = (k->len + n + 1) * 2;
		k->buf = llr_xrealloc(k->buf, k->cap);
	}
	memcpy(k->buf + k->len, s, n);
	k->len += n;
	k->buf[k->len] = '\0';
}

/* prefix and v in digits hex digits: %HH, \xHH, \uXXXX */
static void esc_hex(struct sink *k, const char *prefix, unsigned v, int digits)
{
	const char *hx = prefix[1] == 'u' ? "0123456789abcdef" : "0123456789ABCDEF";
	char b[8];
	size_t n = strlen(prefix);
	memcpy(b, prefix, n);
	for (int i = digits - 1; i >= 0; i--)
		b[n++] = hx[(v >> (4 * i)) & 15];
	put(k, b, n);
}

/*
 * An encoding: what to write for an ASCII byte, and for what cannot go out
 * as it is (a byte that is not UTF-8, cp < 0, or a dangerous code point
 * and its bytes).  Valid UTF-8 of other code points is written as it is.
 */
struct enc {
	void (*ascii)(struct sink *k, unsigned char c, const struct enc *e);
	void (*bad)(struct sink *k, const unsigned char *p, size_t l, int32_t cp);
	const char *extra; /* CSV lists: more ASCII to encode */
};

static void walk(struct sink *k, const char *str, const struct enc *e)
{
	const unsigned char *p = (const unsigned char *)str;
	size_t n = strlen(str);
	while (n) {
		size_t l = 1;
		if (*p < 0x80) {
			e->ascii(k, *p, e);
		} else if ((l = llr_utf8_seq(p, n))) {
			uint32_t cp = utf8_cp(p, l);
			if (dangerous_cp(cp))
				e->bad(k, p, l, (int32_t)cp);
			else
				put(k, (const char *)p, l);
		} else {
			l = 1;
			e->bad(k, p, 1, -1);
		}
		p += l;
		n -= l;
	}
}

static int printable(unsigned char c)
{
	return c >= 0x20 && c < 0x7f;
}

/* text: \ooo, as ausearch -i writes control characters */
static void octal(struct sink *k, unsigned char c)
{
	char b[4] = {'\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)),
	             (char)('0' + (c & 7))};
	put(k, b, 4);
}

static void text_ascii(struct sink *k, unsigned char c, const struct enc *e)
{
	(void)e;
	if (c == '\\')
		put(k, "\\\\", 2);
	else if (printable(c))
		put(k, (const char *)&c, 1);
	else
		octal(k, c);
}

static void text_bad(struct sink *k, const unsigned char *p, size_t l, int32_t cp)
{
	(void)cp;
	for (size_t i = 0; i < l; i++)
		octal(k, p[i]);
}

static const struct enc text_enc = {text_ascii, text_bad, NULL};

/* JSON: JSON's escapes, %HH for bytes that are not UTF-8, %25 for '%' */
static void json_ascii(struct sink *k, unsigned char c, const struct enc *e)
{
	(void)e;
	if (c == '"' || c == '\\') {
		char b[2] = {'\\', (char)c};
		put(k, b, 2);
	} else if (c == '%') {
		put(k, "%25", 3);
	} else if (c == '\n') {
		put(k, "\\n", 2);
	} else if (c == '\t') {
		put(k, "\\t", 2);
	} else if (printable(c)) {
		put(k, (const char *)&c, 1);
	} else {
		esc_hex(k, "\\u", c, 4);
	}
}

static void json_bad(struct sink *k, const unsigned char *p, size_t l, int32_t cp)
{
	if (cp >= 0)
		esc_hex(k, "\\u", (unsigned)cp, 4);
	else
		for (size_t i = 0; i < l; i++)
			esc_hex(k, "%", p[i], 2);
}

static const struct enc json_enc = {json_ascii, json_bad, NULL};

/* CSV: %HH for '%', controls, bytes that are not UTF-8, dangerous code points */
static void csv_bad(struct sink *k, const unsigned char *p, size_t l, int32_t cp)
{
	(void)cp;
	for (size_t i = 0; i < l; i++)
		esc_hex(k, "%", p[i], 2);
}

static void csv_ascii(struct sink *k, unsigned char c, const struct enc *e)
{
	if (printable(c) && c != '%' && !(e->extra && strchr(e->extra, c)))
		put(k, (const char *)&c, 1);
	else
		csv_bad(k, &c, 1, -1);
}

/* libconfig: \" \\ and \xHH, which libconfig 1.5 reads back as the byte */
static void conf_ascii(struct sink *k, unsigned char c, const struct enc *e)
{
	(void)e;
	if (c == '"' || c == '\\') {
		char b[2] = {'\\', (char)c};
		put(k, b, 2);
	} else if (printable(c)) {
		put(k, (const char *)&c, 1);
	} else {
		esc_hex(k, "\\x", c, 2);
	}
}

static void conf_bad(struct sink *k, const unsigned char *p, size_t l, int32_t cp)
{
	(void)cp;
	for (size_t i = 0; i < l; i++)
		esc_hex(k, "\\x", p[i], 2);
}

static const struct enc conf_enc = {conf_ascii, conf_bad, NULL};

static void text_escape(struct sink *k, const char *s)
{
	walk(k, s, &text_enc);
}

const char *llr_tx(const char *s)
{
	static struct sink ring[8];
	static unsigned next;
	struct sink *k = &ring[next++ % 8];
	k->len = 0;
	put(k, "", 0);
	text_escape(k, s ? s : "");
	return k->buf;
}

void llr_text_put(FILE *f, const char *s)
{
	struct sink k = {.f = f};
	text_escape(&k, s ? s : "");
}

char *llr_text_dup(const char *s)
{
	struct sink k = {0};
	put(&k, "", 0);
	text_escape(&k, s ? s : "");
	return k.buf;
}

void llr_json_str(FILE *f, const char *s)
{
	struct sink k = {.f = f};
	if (!s) {
		fputs("null", f);
		return;
	}
	putc('"', f);
	walk(&k, s, &json_enc);
	putc('"', f);
}

/* The percent-encoding of CSV values, without the field's quoting. */
static void csv_enc(struct sink *k, const char *s, const char *extra, int first)
{
	struct enc e = {csv_ascii, csv_bad, extra};
	if (first && (*s == '=' || *s == '+' || *s == '-' || *s == '@')) {
		csv_bad(k, (const unsigned char *)s, 1, -1); /* a spreadsheet formula */
		s++;
	}
	walk(k, s, &e);
}

/* An encoded field: quoted (quotes doubled) when it holds ',' or '"'. */
static void csv_field(FILE *f, const char *enc)
{
	if (!strpbrk(enc, ",\"")) {
		fputs(enc, f);
		return;
	}
	putc('"', f);
	for (; *enc; enc++) {
		if (*enc == '"')
			putc('"', f);
		putc(*enc, f);
	}
	putc('"', f);
}

void llr_csv_str(FILE *f, const char *s)
{
	static struct sink k; /* reused: one field is encoded at a time */
	if (!s)
		return;
	k.len = 0;
	put(&k, "", 0);
	csv_enc(&k, s, NULL, 1);
	csv_field(f, k.buf);
}

void llr_csv_list_begin(struct llr_csvlist *l)
{
	l->buf = NULL;
	l->len = 0;
	l->any = 0;
	l->m = open_memstream(&l->buf, &l->len);
	if (!l->m) {
		fputs("aulandlock: out of memory\n", stderr);
		exit(2);
	}
}

void llr_csv_list_lit(struct llr_csvlist *l, const char *s)
{
	fputs(s, l->m);
	l->any |= *s != 0;
}

void llr_csv_list_val(struct llr_csvlist *l, const char *s)
{
	struct sink k = {.f = l->m};
	csv_enc(&k, s ? s : "", ";=", !l->any);
	l->any = 1;
}

void llr_csv_list_end(struct llr_csvlist *l, FILE *f)
{
	fclose(l->m);
	csv_field(f, l->buf);
	free(l->buf);
}

void llr_conf_str(FILE *f, const char *s)
{
	struct sink k = {.f = f};
	putc('"', f);
	walk(&k, s, &conf_enc);
	putc('"', f);
}

void llr_csv_strs(FILE *f, const char *const *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		putc(',', f);
		llr_csv_str(f, v[i]);
	}
}
