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

/*
 * Walk s: for each unit, call the writer with (bytes, len, kind): kind 0
 * safe as is, 1 dangerous code point (valid UTF-8), 2 byte that is not UTF-8.
 */
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

static void octal(struct sink *k, unsigned char c)
{
	char b[5] = {'\\', (char)('0' + (c >> 6)), (char)('0' + ((c >> 3) & 7)),
	             (char)('0' + (c & 7)), 0};
	put(k, b, 4);
}

static void text_escape(struct sink *k, const char *str)
{
	const unsigned char *p = (const unsigned char *)str;
	size_t n = strlen(str);
	while (n) {
		const unsigned char *run = p;
		while (n && *p >= 0x20 && *p < 0x7f && *p != '\\') {
			p++;
			n--;
		}
		if (p > run)
			put(k, (const char *)run, (size_t)(p - run));
		if (!n)
			break;
		if (*p == '\\') {
			put(k, "\\\\", 2);
			p++;
			n--;
			continue;
		}
		size_t l = llr_utf8_seq(p, n);
		if (l && !dangerous_cp(utf8_cp(p, l))) {
			put(k, (const char *)p, l);
		} else {
			if (!l)
				l = 1;
			for (size_t i = 0; i < l; i++)
				octal(k, p[i]);
		}
		p += l;
		n -= l;
	}
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

static void pct(FILE *f, unsigned char c)
{
	fprintf(f, "%%%02X", c);
}

void llr_json_str(FILE *f, const char *s)
{
	if (!s) {
		fputs("null", f);
		return;
	}
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	putc('"', f);
	while (n) {
		unsigned char c = *p;
		if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '%') {
			putc(c, f);
			p++;
			n--;
			continue;
		}
		if (c == '"' || c == '\\') {
			putc('\\', f);
			putc(c, f);
		} else if (c == '%') {
			fputs("%25", f);
		} else if (c == '\n') {
			fputs("\\n", f);
		} else if (c == '\t') {
			fputs("\\t", f);
		} else if (c < 0x20 || c == 0x7f) {
			fprintf(f, "\\u%04x", c);
		} else {
			size_t l = llr_utf8_seq(p, n);
			if (!l) {
				pct(f, c);
				p++;
				n--;
				continue;
			}
			uint32_t cp = utf8_cp(p, l);
			if (dangerous_cp(cp))
				fprintf(f, "\\u%04x", (unsigned)cp);
			else
				fwrite(p, 1, l, f);
			p += l;
			n -= l;
			continue;
		}
		p++;
		n--;
	}
	putc('"', f);
}

/* The percent-encoding of CSV values, without the field's quoting. */
static void csv_enc(FILE *f, const char *s, const char *extra, int first)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	if (first && n && (*p == '=' || *p == '+' || *p == '-' || *p == '@')) {
		pct(f, *p++);
		n--;
	}
	while (n) {
		unsigned char c = *p;
		if (c >= 0x20 && c < 0x7f && c != '%' && !(extra && strchr(extra, c))) {
			putc(c, f);
			p++;
			n--;
			continue;
		}
		size_t l = c < 0x80 ? 0 : llr_utf8_seq(p, n);
		if (l && !dangerous_cp(utf8_cp(p, l))) {
			fwrite(p, 1, l, f);
		} else {
			if (!l)
				l = 1;
			for (size_t i = 0; i < l; i++)
				pct(f, p[i]);
		}
		p += l;
		n -= l;
	}
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
	struct llr_csvlist l;
	if (!s)
		return;
	llr_csv_list_begin(&l);
	csv_enc(l.m, s, NULL, 1);
	llr_csv_list_end(&l, f);
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
	csv_enc(l->m, s ? s : "", ";=", !l->any);
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
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s);
	putc('"', f);
	while (n) {
		unsigned char c = *p;
		if (c == '"' || c == '\\') {
			putc('\\', f);
			putc(c, f);
			p++;
			n--;
			continue;
		}
		if (c >= 0x20 && c < 0x7f) {
			putc(c, f);
			p++;
			n--;
			continue;
		}
		size_t l = c < 0x80 ? 0 : llr_utf8_seq(p, n);
		if (l && !dangerous_cp(utf8_cp(p, l))) {
			fwrite(p, 1, l, f);
		} else {
			if (!l)
				l = 1;
			for (size_t i = 0; i < l; i++)
				fprintf(f, "\\x%02X", p[i]);
		}
		p += l;
		n -= l;
	}
	putc('"', f);
}
