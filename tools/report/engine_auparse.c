/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * engine_auparse.c - libauparse as the record parser (--engine auparse),
 * for cross-checking the built-in one.  Each line is handed to libauparse
 * alone (AUSOURCE_BUFFER, auparse_new_buffer), which tokenizes it, reads
 * its header (auparse_get_timestamp, auparse_get_node, auparse_get_type)
 * and decodes its values (auparse_interpret_field, raw escape mode: quotes
 * and hex encoding removed; ENRICHED interpretations).  Grouping records
 * into events is not left to libauparse: its feed mode completes events by
 * comparing times across nodes and with the wall clock, and 3.0.9 splits
 * events whose record names it does not know (LANDLOCK_ACCESS), which lost
 * SYSCALL records.  Events are assembled by the shared model (event.c).
 */
#include "config.h"

#include "engine.h"
#include "util.h"

#include <auparse.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct aup {
	struct llr_engine e;
	auparse_state_t *au;
	char *buf; /* the line, newline-terminated */
	size_t cap, len;
	char *node;
	int loaded; /* buf holds a parsed record */
};

static int load(struct aup *a, const char *line, size_t len)
{
	if (a->loaded && a->len == len + 1 && !memcmp(a->buf, line, len))
		return 0;
	if (len + 2 > a->cap) {
		a->cap = len + 256;
		a->buf = llr_xrealloc(a->buf, a->cap);
	}
	memcpy(a->buf, line, len);
	a->buf[len] = '\n';
	a->buf[len + 1] = '\0';
	a->len = len + 1;
	a->loaded = 0;
	if (auparse_new_buffer(a->au, a->buf, a->len) || auparse_next_event(a->au) <= 0)
		return -1;
	a->loaded = 1;
	return 0;
}

static enum llr_rtype rtype(auparse_state_t *au)
{
	switch (auparse_get_type(au)) {
	case 1423:
		return LLR_RT_ACCESS;
	case 1424:
		return LLR_RT_DOMAIN;
	case 1300:
		return LLR_RT_SYSCALL;
	case 1121:
		return LLR_RT_TRUSTED_APP;
	case 1327:
		return LLR_RT_PROCTITLE;
	case -1:
	case 0: { /* a name this libaudit does not know (LANDLOCK_ACCESS in 3.0.9) */
		auparse_first_field(au);
		const char *t = auparse_find_field(au, "type");
		return t ? llr_classify_type(t, strlen(t)) : LLR_RT_OTHER;
	}
	default:
		return LLR_RT_OTHER;
	}
}

static int aup_header(struct llr_engine *e, const char *line, size_t len, struct llr_hdr *h)
{
	struct aup *a = (struct aup *)e;
	size_t i = 0;
	while (i < len && (line[i] == ' ' || line[i] == '\r' || line[i] == '\t'))
		i++;
	if (i == len)
		return 1;
	/* The same lines are records for both engines: libauparse is more
	 * lenient (it takes msg=audit(17961211910616263 as a time), so the
	 * header must also have the documented shape; its values are read by
	 * libauparse. */
	struct llr_hdr shape;
	if (llr_parse_header(line, len, &shape) || load(a, line, len))
		return -1;
	const au_event_t *t = auparse_get_timestamp(a->au);
	if (!t || !t->sec || t->sec < 0 || t->sec > 999999999999LL || t->milli > 999)
		return -1;
	/* auparse_get_node returns a copy the caller frees, typed const */
	union {
		const char *c;
		char *m;
	} node = {.c = auparse_get_node(a->au)};
	free(a->node);
	a->node = node.m;
	memset(h, 0, sizeof(*h));
	h->node = a->node;
	h->node_len = a->node ? strlen(a->node) : 0;
	h->sec = (int64_t)t->sec;
	h->ms = t->milli;
	h->serial = t->serial;
	h->type = rtype(a->au);
	return 0;
}

static void aup_select(struct llr_engine *e, const char *line, size_t len, const struct llr_hdr *h)
{
	(void)h;
	load((struct aup *)e, line, len);
}

/*
 * libauparse 3.0.9 strips a trailing ')', ',', ':' or '\'' from every value
 * (parse_up_record), e.g. match=FILE:12(default) becomes "FILE:12(default".
 * Put back what the line has right after name=value.
 */
static char *repair(const struct aup *a, const char *name, const char *raw)
{
	size_t nl = strlen(name), rl = strlen(raw);
	for (const char *p = a->buf; (p = strstr(p, name)); p += nl) {
		if ((p > a->buf && p[-1] != ' ' && p[-1] != '\'') || p[nl] != '=' ||
		    strncmp(p + nl + 1, raw, rl))
			continue;
		const char *end = p + nl + 1 + rl, *q = end;
		while (*q && *q != ' ' && *q != '\n' && *q != 0x1d && !(*q == '\'' && !q[1]))
			q++;
		if (q == end || (*q == '\'' && q - end == 0))
			return NULL;
		size_t extra = (size_t)(q - end);
		if (q[-1] == '\'' && (!*q || *q == '\n' || *q == 0x1d))
			extra--; /* the end of msg='...' */
		if (!extra)
			return NULL;
		char *s = llr_xmalloc(rl + extra + 1);
		memcpy(s, raw, rl);
		memcpy(s + rl, end, extra);
		s[rl + extra] = '\0';
		return s;
	}
	return NULL;
}

static char *unquote(const char *v)
{
	size_t n = strlen(v);
	if (n >= 2 && v[0] == '"' && v[n - 1] == '"')
		return llr_xstrndup(v + 1, n - 2);
	return llr_xstrdup(v);
}

/* The interpretation came from the record's ENRICHED part, not a lookup. */
static int has_interpretation(auparse_state_t *au, const char *upper)
{
	const char *it = auparse_get_record_interpretations(au);
	size_t n = strlen(upper);
	for (const char *p = it; p && (p = strstr(p, upper)); p += n)
		if ((p == it || p[-1] == ' ') && p[n] == '=')
			return 1;
	return 0;
}

static char *aup_get(struct llr_engine *e, const char *name, enum llr_fmode mode)
{
	struct aup *a = (struct aup *)e;
	char lower[64];
	if (!a->loaded)
		return NULL;
	auparse_first_record(a->au); /* a failed search leaves the cursor past it */
	if (mode == LLR_F_ENRICHED) {
		size_t i;
		for (i = 0; name[i] && i + 1 < sizeof(lower); i++)
			lower[i] = (char)tolower((unsigned char)name[i]);
		lower[i] = '\0';
		if (!has_interpretation(a->au, name))
			return NULL;
		name = lower;
	}
	auparse_first_field(a->au);
	const char *raw = auparse_find_field(a->au, name);
	if (!raw)
		return NULL;
	char *fixed = mode == LLR_F_ENRICHED || raw[0] == '"' ? NULL : repair(a, name, raw);
	if (fixed)
		return fixed; /* not hex either: hex never ends in those */
	if (mode == LLR_F_RAW || (mode == LLR_F_TEXT && !llr_field_encodable(name)))
		return unquote(raw);
	const char *v = auparse_interpret_field(a->au);
	if (!v)
		return NULL;
	if (mode == LLR_F_TEXT && raw[0] == '0' && raw[1] == '0' && strlen(raw) % 2 == 0) {
		/* libauparse drops the NUL of an abstract UNIX socket name */
		char *s = llr_xmalloc(strlen(v) + 2);
		s[0] = '@';
		strcpy(s + 1, v);
		return s;
	}
	if (mode == LLR_F_TEXT && !strcmp(v, raw) && raw[0] != '"') {
		/* libauparse leaves hex of digits only as it is (is_int_string:
		 * "pts 7" is 7074732037): decode what it did not */
		size_t n = strlen(raw);
		char *s = llr_xmalloc(n / 2 + 2);
		if (llr_unhex(raw, n, s, 0) >= 0)
			return s;
		free(s);
	}
	return unquote(v);
}

static int aup_get_buf(struct llr_engine *e, const char *name, char *buf, size_t n)
{
	char *v = aup_get(e, name, LLR_F_RAW);
	size_t l = v ? strlen(v) : 0;
	int rc = v && l < n ? (int)l : -1;
	if (rc >= 0)
		memcpy(buf, v, l + 1);
	free(v);
	return rc;
}

static char *aup_syscall_name(struct llr_engine *e)
{
	struct aup *a = (struct aup *)e;
	if (!a->loaded)
		return NULL;
	auparse_first_record(a->au);
	auparse_first_field(a->au);
	if (!auparse_find_field(a->au, "syscall"))
		return NULL;
	return llr_xstrdup_opt(auparse_interpret_field(a->au));
}

static char *aup_proctitle(struct llr_engine *e, size_t *len)
{
	/* libauparse turns the NULs between arguments into spaces: take the
	 * raw field and decode its hex, to keep the argument boundaries */
	struct aup *a = (struct aup *)e;
	if (!a->loaded)
		return NULL;
	auparse_first_record(a->au);
	auparse_first_field(a->au);
	const char *raw = auparse_find_field(a->au, "proctitle");
	if (!raw)
		return NULL;
	size_t n = strlen(raw);
	char *out = llr_xmalloc(n + 1);
	int k = raw[0] == '"' ? -1 : llr_unhex(raw, n, out, 1);
	if (k < 0) {
		free(out);
		out = unquote(raw);
		k = (int)strlen(out);
	}
	*len = (size_t)k;
	return out;
}

static void aup_destroy(struct llr_engine *e)
{
	struct aup *a = (struct aup *)e;
	auparse_destroy(a->au);
	free(a->buf);
	free(a->node);
	free(a);
}

static const struct llr_engine_ops aup_ops = {
    .name = "auparse",
    .header = aup_header,
    .select = aup_select,
    .get = aup_get,
    .get_buf = aup_get_buf,
    .syscall_name = aup_syscall_name,
    .proctitle = aup_proctitle,
    .destroy = aup_destroy,
};

struct llr_engine *llr_engine_auparse(void)
{
	struct aup *a = llr_xcalloc(1, sizeof(*a));
	a->e.ops = &aup_ops;
	a->au = auparse_init(AUSOURCE_BUFFER, "");
	if (!a->au) {
		fputs("aulandlock: cannot initialize libauparse.\n", stderr);
		free(a);
		return NULL;
	}
	auparse_set_escape_mode(a->au, AUPARSE_ESC_RAW);
	return &a->e;
}
