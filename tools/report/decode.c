/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * decode.c - what the fields of each record mean (see event.h), read
 * through an engine: the same decoding for the built-in parser and
 * libauparse.  Unknown fields are ignored; fields that may be hex-encoded
 * are decoded (llr_field_encodable).
 */
#include "config.h"

#include "event.h"
#include "util.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

void llr_event_init(struct llr_event *ev)
{
	memset(ev, 0, sizeof(*ev));
	ev->node = "";
	ev->sc.uid = ev->sc.auid = ev->sc.euid = ev->sc.ses = LLR_UID_UNSET;
	ev->sc.syscall = -1;
	ev->pam.uid = ev->pam.auid = ev->pam.ses = LLR_UID_UNSET;
}

static void syscall_clear(struct llr_syscall *s)
{
	free(s->sysname);
	free(s->comm);
	free(s->exe);
	free(s->uid_name);
	free(s->auid_name);
}

/* The string fields of struct llr_pam, the one list of them. */
static const size_t pam_strs[] = {
    offsetof(struct llr_pam, acct),        offsetof(struct llr_pam, service),
    offsetof(struct llr_pam, profile),     offsetof(struct llr_pam, match),
    offsetof(struct llr_pam, hostname),    offsetof(struct llr_pam, addr),
    offsetof(struct llr_pam, terminal),    offsetof(struct llr_pam, exe),
    offsetof(struct llr_pam, enforcement), offsetof(struct llr_pam, reason),
    offsetof(struct llr_pam, digest),      offsetof(struct llr_pam, confine),
    offsetof(struct llr_pam, auid_name),   offsetof(struct llr_pam, dropped),
};

static char **pam_str(struct llr_pam *p, size_t i)
{
	return (char **)((char *)p + pam_strs[i]);
}

void llr_pam_clear(struct llr_pam *p)
{
	for (size_t i = 0; i < sizeof(pam_strs) / sizeof(pam_strs[0]); i++)
		free(*pam_str(p, i));
}

void llr_pam_dup(struct llr_pam *p)
{
	for (size_t i = 0; i < sizeof(pam_strs) / sizeof(pam_strs[0]); i++)
		*pam_str(p, i) = llr_xstrdup_opt(*pam_str(p, i));
}

void llr_event_clear(struct llr_event *ev)
{
	for (int i = 0; i < ev->nacc; i++) {
		free(ev->acc[i].object);
		free(ev->acc[i].path);
		free(ev->acc[i].addr);
	}
	free(ev->acc);
	for (int i = 0; i < ev->nalloc; i++) {
		free(ev->alloc[i].exe);
		free(ev->alloc[i].comm);
		free(ev->alloc[i].mode);
		free(ev->alloc[i].uid_name);
	}
	free(ev->alloc);
	free(ev->dealloc);
	syscall_clear(&ev->sc);
	free(ev->pt.args);
	free(ev->pt.cmdline);
	llr_pam_clear(&ev->pam);
	const char *node = ev->node;
	llr_event_init(ev);
	ev->node = node;
}

/* ---- helpers over the engine --------------------------------------- */

static char *get(struct llr_engine *e, const char *name, enum llr_fmode m)
{
	return e->ops->get(e, name, m);
}

/* Numbers: read into a buffer, no allocation (they are most fields). */
static int get_num(struct llr_engine *e, const char *name, char *buf, size_t n)
{
	return e->ops->get_buf(e, name, buf, n) < 0 ? -1 : 0;
}

static int get_u64(struct llr_engine *e, const char *name, uint64_t *out, int base)
{
	char b[32];
	return get_num(e, name, b, sizeof(b)) ? -1 : llr_str_u64(b, out, base);
}

static int get_i64(struct llr_engine *e, const char *name, int64_t *out)
{
	char b[32];
	return get_num(e, name, b, sizeof(b)) ? -1 : llr_str_i64(b, out);
}

static void get_u32(struct llr_engine *e, const char *name, uint32_t *out)
{
	char b[32];
	if (get_num(e, name, b, sizeof(b)) || llr_str_u32(b, out))
		*out = LLR_UID_UNSET;
}

/* NULL for absent, empty and audit's "?" placeholder. */
static char *get_str(struct llr_engine *e, const char *name, enum llr_fmode m)
{
	char *s = get(e, name, m);
	if (s && (!*s || !strcmp(s, "?"))) {
		free(s);
		s = NULL;
	}
	return s;
}

/* ---- 1423 ------------------------------------------------------------ */

static char *addr_port(const char *addr, uint32_t port)
{
	size_t n = (addr ? strlen(addr) : 0) + 16;
	char *s = llr_xmalloc(n);
	if (addr && strchr(addr, ':'))
		snprintf(s, n, "[%s]:%u", addr, port);
	else
		snprintf(s, n, "%s:%u", addr ? addr : "", port);
	return s;
}

/* The first net.bind_* or net.connect_* blocker decides a socket's kind. */
static enum llr_objkind net_kind(uint64_t blockers)
{
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++) {
		if (!(blockers & (1ULL << b)) || llr_blocker_class(b) != LLR_BC_NET)
			continue;
		return strstr(llr_blocker_right(b), "bind") ? LLR_OBJ_BIND : LLR_OBJ_CONNECT;
	}
	return LLR_OBJ_NONE;
}

static void decode_access(struct llr_engine *e, struct llr_event *ev)
{
	if (ev->nacc == ev->capacc) {
		ev->capacc = ev->capacc ? ev->capacc * 2 : 2;
		ev->acc = llr_xrealloc(ev->acc, (size_t)ev->capacc * sizeof(*ev->acc));
	}
	struct llr_access *a = &ev->acc[ev->nacc++];
	memset(a, 0, sizeof(*a));
	get_u64(e, "domain", &a->domain, 16);
	char *s = get(e, "blockers", LLR_F_RAW);
	if (s)
		a->blockers = llr_parse_blockers(s, strlen(s));
	free(s);

	int64_t opid;
	if (!get_i64(e, "opid", &opid)) {
		a->kind = LLR_OBJ_TASK;
		a->opid = opid;
		a->object = get(e, "ocomm", LLR_F_TEXT);
		if (!a->object)
			a->object = llr_xstrdup("?");
		return;
	}
	/*
	 * A socket.  The kernel leaves out an address of all zeros and a port
	 * 0 (a bind to port 0 has no src=, a bind to 0.0.0.0:0 no field at
	 * all), so when both are missing the blocker says which it is.
	 */
	uint64_t port = 0;
	int has_dest = !get_u64(e, "dest", &port, 10) || !get_u64(e, "fport", &port, 10);
	int has_src =
	    !has_dest && (!get_u64(e, "src", &port, 10) || !get_u64(e, "lport", &port, 10));
	char *daddr = get_str(e, "daddr", LLR_F_RAW), *saddr = get_str(e, "saddr", LLR_F_RAW);
	char *path = get(e, "path", LLR_F_TEXT), *name = path ? NULL : get(e, "name", LLR_F_TEXT);
	if (!daddr)
		daddr = get_str(e, "faddr", LLR_F_RAW);
	if (!saddr)
		saddr = get_str(e, "laddr", LLR_F_RAW);
	enum llr_objkind kind = LLR_OBJ_NONE;
	if (has_dest || daddr)
		kind = LLR_OBJ_CONNECT;
	else if (has_src || saddr)
		kind = LLR_OBJ_BIND;
	else if (!path && !name)
		kind = net_kind(a->blockers);
	if (kind == LLR_OBJ_CONNECT || kind == LLR_OBJ_BIND) {
		a->kind = kind;
		a->port = (uint32_t)port;
		a->addr = kind == LLR_OBJ_CONNECT ? daddr : saddr;
		free(kind == LLR_OBJ_CONNECT ? saddr : daddr);
		free(path);
		free(name);
		a->object = addr_port(a->addr, a->port);
		return;
	}
	free(daddr);
	free(saddr);
	if (path) {
		/* the raw form only tells an abstract socket name ("@...") */
		char *raw = path[0] == '@' ? get(e, "path", LLR_F_RAW) : NULL;
		char *cmd = get(e, "ioctlcmd", LLR_F_RAW);
		a->path = path;
		if (path[0] == '@' && raw && raw[0] == '0' && raw[1] == '0') {
			a->kind = LLR_OBJ_UNIX; /* hex, starting with NUL: abstract */
		} else if (cmd) {
			a->kind = LLR_OBJ_IOCTL;
			size_t n = strlen(path) + strlen(cmd) + 16;
			a->object = llr_xmalloc(n);
			snprintf(a->object, n, "%s ioctlcmd=%s", path, cmd);
		} else {
			a->kind = LLR_OBJ_PATH;
		}
		free(raw);
		free(cmd);
		if (!a->object)
			a->object = llr_xstrdup(path);
	} else if (name) {
		a->kind = LLR_OBJ_DENTRY;
		a->path = name;
		a->object = llr_xstrdup(name);
	} else {
		a->kind = LLR_OBJ_NONE;
		a->object = llr_xstrdup("-");
	}
}

/* ---- 1424 ------------------------------------------------------------ */

static void decode_domain(struct llr_engine *e, struct llr_event *ev)
{
	uint64_t dom = 0;
	get_u64(e, "domain", &dom, 16);
	char *st = get(e, "status", LLR_F_RAW);
	int dealloc = st && !strcmp(st, "deallocated");
	free(st);
	if (dealloc) {
		ev->dealloc =
		    llr_xrealloc(ev->dealloc, (size_t)(ev->ndealloc + 1) * sizeof(*ev->dealloc));
		struct llr_dealloc *d = &ev->dealloc[ev->ndealloc++];
		d->domain = dom;
		d->denials = 0;
		get_u64(e, "denials", &d->denials, 10);
		return;
	}
	ev->alloc = llr_xrealloc(ev->alloc, (size_t)(ev->nalloc + 1) * sizeof(*ev->alloc));
	struct llr_alloc *al = &ev->alloc[ev->nalloc++];
	memset(al, 0, sizeof(*al));
	al->domain = dom;
	get_i64(e, "pid", &al->pid);
	get_u32(e, "uid", &al->uid);
	al->exe = get_str(e, "exe", LLR_F_TEXT);
	al->comm = get_str(e, "comm", LLR_F_TEXT);
	al->mode = get_str(e, "mode", LLR_F_RAW);
	al->uid_name = get_str(e, "UID", LLR_F_ENRICHED);
}

/* ---- SYSCALL, PROCTITLE ---------------------------------------------- */

static void decode_syscall(struct llr_engine *e, struct llr_event *ev)
{
	struct llr_syscall *s = &ev->sc;
	syscall_clear(s);
	memset(s, 0, sizeof(*s));
	s->present = 1;
	s->syscall = -1;
	get_i64(e, "pid", &s->pid);
	get_i64(e, "ppid", &s->ppid);
	s->has_exit = !get_i64(e, "exit", &s->exit_code);
	get_u32(e, "uid", &s->uid);
	get_u32(e, "auid", &s->auid);
	get_u32(e, "euid", &s->euid);
	get_u32(e, "ses", &s->ses);
	get_i64(e, "syscall", &s->syscall);
	s->sysname = e->ops->syscall_name(e);
	s->comm = get_str(e, "comm", LLR_F_TEXT);
	s->exe = get_str(e, "exe", LLR_F_TEXT);
	s->uid_name = get_str(e, "UID", LLR_F_ENRICHED);
	s->auid_name = get_str(e, "AUID", LLR_F_ENRICHED);
}

static void decode_proctitle(struct llr_engine *e, struct llr_event *ev)
{
	struct llr_proctitle *p = &ev->pt;
	size_t n = 0;
	char *b = e->ops->proctitle(e, &n);
	if (!b)
		return;
	free(p->args);
	free(p->cmdline);
	while (n && !b[n - 1]) /* the kernel may keep the last argument's NUL */
		n--;
	p->args = b;
	p->len = n;
	p->cmdline = llr_xmalloc(n + 1);
	for (size_t i = 0; i < n; i++)
		p->cmdline[i] = b[i] ? b[i] : ' ';
	p->cmdline[n] = '\0';
	b[n] = '\0';
}

/* ---- pam_landlock's TRUSTED_APP ---------------------------------------- */

static enum llr_pamkind pam_kind(const char *op)
{
	if (!op || strncmp(op, "pam_landlock-", 13))
		return LLR_PAM_NONE;
	op += 13;
	if (!strcmp(op, "enforce"))
		return LLR_PAM_ENFORCE;
	if (!strcmp(op, "refused"))
		return LLR_PAM_REFUSED;
	if (!strcmp(op, "try"))
		return LLR_PAM_TRY;
	return LLR_PAM_NONE;
}

int llr_decode_is_pam(struct llr_engine *e, const struct llr_hdr *h)
{
	(void)h;
	char *op = get(e, "op", LLR_F_RAW);
	int k = pam_kind(op) != LLR_PAM_NONE;
	free(op);
	return k;
}

static void decode_pam(struct llr_engine *e, struct llr_event *ev)
{
	struct llr_pam *p = &ev->pam;
	char *op = get(e, "op", LLR_F_RAW), *res = get(e, "res", LLR_F_RAW);
	llr_pam_clear(p);
	memset(p, 0, sizeof(*p));
	p->kind = pam_kind(op);
	p->failed = res && strcmp(res, "success") != 0;
	free(op);
	free(res);
	get_i64(e, "pid", &p->pid);
	p->abi = -1;
	get_i64(e, "abi", &p->abi);
	get_u32(e, "uid", &p->uid);
	get_u32(e, "auid", &p->auid);
	get_u32(e, "ses", &p->ses);
	p->acct = get_str(e, "acct", LLR_F_TEXT);
	p->service = get_str(e, "service", LLR_F_RAW);
	p->profile = get_str(e, "profile", LLR_F_RAW);
	p->match = get_str(e, "match", LLR_F_TEXT);
	p->hostname = get_str(e, "hostname", LLR_F_TEXT);
	p->addr = get_str(e, "addr", LLR_F_RAW);
	p->terminal = get_str(e, "terminal", LLR_F_TEXT);
	p->exe = get_str(e, "exe", LLR_F_TEXT);
	p->enforcement = get_str(e, "enforcement", LLR_F_RAW);
	p->reason = get_str(e, "reason", LLR_F_TEXT);
	p->digest = get_str(e, "digest", LLR_F_RAW);
	p->confine = get_str(e, "confine", LLR_F_RAW);
	p->dropped = get_str(e, "dropped", LLR_F_RAW);
	p->auid_name = get_str(e, "AUID", LLR_F_ENRICHED);
}

void llr_decode_record(struct llr_engine *e, const struct llr_hdr *h, struct llr_event *ev)
{
	switch (h->type) {
	case LLR_RT_ACCESS:
		decode_access(e, ev);
		break;
	case LLR_RT_DOMAIN:
		decode_domain(e, ev);
		break;
	case LLR_RT_SYSCALL:
		decode_syscall(e, ev);
		break;
	case LLR_RT_PROCTITLE:
		decode_proctitle(e, ev);
		break;
	case LLR_RT_TRUSTED_APP:
		decode_pam(e, ev);
		break;
	default:
		return;
	}
	ev->nrecords++;
}
