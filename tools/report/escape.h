/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * escape.h - how untrusted strings from the log (paths, names, commands,
 * host and user names: any byte but NUL) are written in each output, in
 * one place.  Every encoding is reversible and documented in
 * aulandlock(8), ENCODING:
 *
 *  - text: as ausearch -i (its TTY escape mode) writes control characters,
 *    \ooo octal; also DEL, bytes that are not UTF-8, C1 controls, Unicode
 *    line separators and bidirectional controls (they reorder what the
 *    reader sees), and the backslash itself as \\.  No name can start a
 *    line or send a terminal an escape sequence.
 *  - JSON: always valid UTF-8 (RFC 8259 8.1): JSON escapes for controls,
 *    and %HH for every byte that is not part of valid UTF-8, with '%'
 *    itself written %25 (percent-decode after JSON-decoding; '+' is not
 *    special).
 *  - CSV: RFC 4180 quoting, and %HH (as in JSON) for '%', controls, bytes
 *    that are not UTF-8, C1 controls, and a leading = + - @ (spreadsheet
 *    formulas): one row per line, always.
 *  - libconfig (--suggest): a string literal that libconfig 1.5 reads back
 *    as the same bytes (\" \\ and \xHH).
 */
#ifndef LLR_ESCAPE_H
#define LLR_ESCAPE_H

#include <stddef.h>
#include <stdio.h>

/* Length of the valid UTF-8 sequence at p (1..4), 0 if it is not one. */
size_t llr_utf8_seq(const unsigned char *p, size_t n);

/* Text escaping into a rotating set of buffers: valid until 8 more calls. */
const char *llr_tx(const char *s);
/* Text escaping of s to f. */
void llr_text_put(FILE *f, const char *s);
/* Escaped copy (malloc'd). */
char *llr_text_dup(const char *s);

/* JSON string (with quotes), or null for NULL. */
void llr_json_str(FILE *f, const char *s);
/* CSV field (nothing for NULL). */
void llr_csv_str(FILE *f, const char *s);
/* n more CSV fields, each after a comma. */
void llr_csv_strs(FILE *f, const char *const *v, size_t n);
/*
 * CSV list fields (top lists: kind:value=count;...): begin, items, end.
 * Values are encoded as in CSV fields, with ';' and '=' also as %HH.
 */
struct llr_csvlist {
	char *buf;
	size_t len;
	FILE *m;
	int any; /* something written: a value is no longer at the field's start */
};
void llr_csv_list_begin(struct llr_csvlist *l);
/* Literal text (names of this program: kinds, blockers, counts). */
void llr_csv_list_lit(struct llr_csvlist *l, const char *s);
void llr_csv_list_val(struct llr_csvlist *l, const char *s);
void llr_csv_list_end(struct llr_csvlist *l, FILE *f);
/* libconfig string literal (with quotes). */
void llr_conf_str(FILE *f, const char *s);

#endif
