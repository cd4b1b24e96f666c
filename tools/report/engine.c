/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * engine.c - the built-in record parser behind the engine interface (see
 * engine.h), and what both engines share: which fields may be
 * hex-encoded, and syscall names from libaudit's table.
 */
#include "config.h"

#include "engine.h"
#include "util.h"

#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int llr_field_encodable(const char *name)
{
	switch (name[0]) { /* path name comm exe ocomm cwd acct reason hostname terminal match */
	case 'p':
		return !strcmp(name, "path");
	case 'n':
		return !strcmp(name, "name");
	case 'c':
		return !strcmp(name, "comm") || !strcmp(name, "cwd");
	case 'e':
		return !strcmp(name, "exe");
	case 'o':
		return !strcmp(name, "ocomm");
	case 'a':
		return !strcmp(name, "acct");
	case 'r':
		return !strcmp(name, "reason");
	case 'h':
		return !strcmp(name, "hostname");
	case 't':
		return !strcmp(name, "terminal");
	case 'm':
		return !strcmp(name, "match");
	default:
		return 0;
	}
}

char *llr_syscall_lookup(const char *arch_hex, int syscall)
{
	int machine = -1;
	char buf[48];
	if (arch_hex) {
		char *e;
		unsigned long a = strtoul(arch_hex, &e, 16);
		if (!*e && e != arch_hex)
			machine = audit_elf_to_machine((unsigned)a);
	}
	if (machine < 0)
		machine = audit_detect_machine();
	if (machine < 0) {
		snprintf(buf, sizeof(buf), "%d", syscall);
		return llr_xstrdup(buf);
	}
	const char *s = audit_syscall_to_name(syscall, machine);
	if (s)
		return llr_xstrdup(s);
	snprintf(buf, sizeof(buf), "unknown-syscall(%d)", syscall);
	return llr_xstrdup(buf);
}

void llr_engine_free(struct llr_engine *e)
{
	if (e)
		e->ops->destroy(e);
}

/* ---- the built-in parser ------------------------------------------- */

struct fast {
	struct llr_engine e;
	struct llr_fields f;
};

static int fast_header(struct llr_engine *e, const char *line, size_t len, struct llr_hdr *h)
{
	(void)e;
	return llr_parse_header(line, len, h);
}

static void fast_select(struct llr_engine *e, const char *line, size_t len, const struct llr_hdr *h)
{
	struct fast *f = (struct fast *)e;
	(void)line;
	(void)len;
	llr_split_fields(h->body, h->body_len, &f->f);
}

static char *fast_get(struct llr_engine *e, const char *name, enum llr_fmode mode)
{
	struct fast *f = (struct fast *)e;
	if (mode == LLR_F_ENRICHED)
		return llr_value_dup(llr_get_enriched(&f->f, name), 0);
	return llr_value_dup(llr_get(&f->f, name), mode == LLR_F_TEXT && llr_field_encodable(name));
}

static int fast_get_buf(struct llr_engine *e, const char *name, char *buf, size_t n)
{
	const struct llr_kv *kv = llr_get(&((struct fast *)e)->f, name);
	if (!kv || kv->vlen >= n)
		return -1;
	return (int)llr_value(kv, 0, buf, n);
}

static char *fast_syscall_name(struct llr_engine *e)
{
	struct fast *f = (struct fast *)e;
	char *en = llr_value_dup(llr_get_enriched(&f->f, "SYSCALL"), 0);
	if (en && *en && strncmp(en, "unknown-", 8))
		return en;
	free(en);
	int64_t n;
	if (llr_kv_i64(llr_get(&f->f, "syscall"), &n) || n < 0 || n > 0x7fffffff)
		return NULL;
	char *arch = llr_value_dup(llr_get(&f->f, "arch"), 0);
	char *s = llr_syscall_lookup(arch, (int)n);
	free(arch);
	return s;
}

static char *fast_proctitle(struct llr_engine *e, size_t *len)
{
	struct fast *f = (struct fast *)e;
	const struct llr_kv *kv = llr_get(&f->f, "proctitle");
	if (!kv)
		return NULL;
	char *out = llr_xmalloc((size_t)kv->vlen + 1);
	int n = kv->quoted ? -1 : llr_unhex(kv->v, kv->vlen, out, 1);
	if (n < 0) {
		memcpy(out, kv->v, kv->vlen);
		out[kv->vlen] = '\0';
		n = (int)kv->vlen;
	}
	*len = (size_t)n;
	return out;
}

static void fast_destroy(struct llr_engine *e)
{
	free(e);
}

static const struct llr_engine_ops fast_ops = {
    .name = "fast",
    .header = fast_header,
    .select = fast_select,
    .get = fast_get,
    .get_buf = fast_get_buf,
    .syscall_name = fast_syscall_name,
    .proctitle = fast_proctitle,
    .destroy = fast_destroy,
};

struct llr_engine *llr_engine_fast(void)
{
	struct fast *f = llr_xcalloc(1, sizeof(*f));
	f->e.ops = &fast_ops;
	return &f->e;
}
