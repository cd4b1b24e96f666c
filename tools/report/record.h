/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * record.h - the built-in ("fast") record parser: the cheap header parse
 * run on every line (node=, type=, msg=audit(sec.ms:serial)), and the field
 * splitter run only on the records that matter (raw fields, the msg='...'
 * payload of user messages, and the ENRICHED trailer after 0x1d).
 */
#ifndef LLR_RECORD_H
#define LLR_RECORD_H

#include <stddef.h>
#include <stdint.h>

enum llr_rtype {
	LLR_RT_OTHER = 0,
	LLR_RT_ACCESS,      /* 1423: UNKNOWN[1423] or LANDLOCK_ACCESS */
	LLR_RT_DOMAIN,      /* 1424: UNKNOWN[1424] or LANDLOCK_DOMAIN */
	LLR_RT_SYSCALL,     /* 1300 */
	LLR_RT_TRUSTED_APP, /* 1121, pam_landlock's own record */
	LLR_RT_PROCTITLE,   /* 1327, the command line */
};

struct llr_hdr {
	const char *node; /* NULL when no node= prefix */
	size_t node_len;
	enum llr_rtype type;
	int64_t sec;
	unsigned ms;
	uint64_t serial;
	const char *body; /* after "): " (fast parser only) */
	size_t body_len;
};

/* Record type of a type= name (UNKNOWN[1423], LANDLOCK_ACCESS, SYSCALL...). */
enum llr_rtype llr_classify_type(const char *t, size_t n);

/* 0 on success, -1 if the line is not an audit record.  Blank lines: 1. */
int llr_parse_header(const char *line, size_t len, struct llr_hdr *h);

/* A line (without its '\n') with its header parsed ahead (r: as returned). */
struct llr_line {
	const char *p;
	size_t len;
	int r;
	struct llr_hdr h;
};

#define LLR_MAX_FIELDS 128

struct llr_kv {
	const char *k, *v;
	uint32_t klen, vlen;
	uint8_t quoted;   /* value was "..." */
	uint8_t enriched; /* after the 0x1d separator */
};

struct llr_fields {
	struct llr_kv kv[LLR_MAX_FIELDS];
	int n;
	uint8_t slot[256]; /* field index + 1 by hash of the key (first field wins) */
};

void llr_split_fields(const char *body, size_t len, struct llr_fields *f);
/* Raw field (before 0x1d) or enriched field (after), NULL if absent. */
const struct llr_kv *llr_get(const struct llr_fields *f, const char *key);
const struct llr_kv *llr_get_enriched(const struct llr_fields *f, const char *key);

/*
 * Decoded value into out (NUL-terminated, truncated to outsz-1): quotes
 * removed; an unquoted even-length hex string is decoded when hexok is set
 * (the kernel and libaudit hex-encode untrusted strings with spaces,
 * quotes, controls or non-ASCII bytes); NUL bytes become '@' (abstract
 * UNIX socket names).  Returns the length.
 */
size_t llr_value(const struct llr_kv *kv, int hexok, char *out, size_t outsz);
/* Malloc'd decoded value, or NULL if kv is NULL. */
char *llr_value_dup(const struct llr_kv *kv, int hexok);
/*
 * Decode a hex string into out (n/2+1 bytes, NUL-terminated); NUL bytes
 * become '@' unless keep_nul.  The length, or -1 if s is not hex.
 */
int llr_unhex(const char *s, size_t n, char *out, int keep_nul);
/* The value of one hex digit, -1 if C is none. */
int llr_hexval(char c);
/* Numbers: 0 on success.  "-1" and 4294967295 both read as 0xffffffff by u32. */
int llr_kv_u64(const struct llr_kv *kv, uint64_t *out, int base);
int llr_kv_i64(const struct llr_kv *kv, int64_t *out);
int llr_kv_u32(const struct llr_kv *kv, uint32_t *out);
/* The same on a NUL-terminated string (NULL: -1). */
int llr_str_u64(const char *s, uint64_t *out, int base);
int llr_str_i64(const char *s, int64_t *out);
int llr_str_u32(const char *s, uint32_t *out);

#endif
