/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event.c - the event assembler (see event.h) and the decoding of Landlock,
 * SYSCALL and pam_landlock records into struct llr_event.
 */
#include "config.h"

#include "event.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

struct pending {
	struct llr_event ev;
	uint64_t hash;
	uint64_t last_line;
	int live;
};

struct sc_slot {
	uint64_t serial;
	char *line;
	size_t len, cap;
	int used;
};

struct llr_asm {
	llr_event_cb cb;
	void *arg;
	struct pending *ring; /* FIFO of LLR_PENDING_MAX */
	size_t head, count;
	struct llr_index ix;
	uint16_t serial_filter[256]; /* pending events per serial % 256: skips most lookups */
	struct sc_slot sc[LLR_SC_RING];
	size_t sc_next;
	struct llr_stats st;
};

/* An audit event is identified by node, time and serial (msg=audit(T:S)). */
static uint64_t key_hash(const struct llr_hdr *h)
{
	return llr_hash(h->node ? h->node : "", h->node_len) ^
	       llr_mix64(h->serial + 0x51ed2701 + ((uint64_t)h->sec * 1000 + h->ms) * 0x9e3779b1);
}

struct llr_asm *llr_asm_new(llr_event_cb cb, void *arg)
{
	struct llr_asm *a = llr_xcalloc(1, sizeof(*a));
	a->cb = cb;
	a->arg = arg;
	return a;
}

void llr_event_clear(struct llr_event *ev)
{
	for (int i = 0; i < ev->nacc; i++) {
		free(ev->acc[i].object);
		free(ev->acc[i].path);
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
	struct llr_pam *p = &ev->pam;
	free(p->acct);
	free(p->service);
	free(p->profile);
	free(p->hostname);
	free(p->addr);
	free(p->terminal);
	free(p->exe);
	free(p->enforcement);
	free(p->reason);
	free(p->auid_name);
	memset(ev, 0, sizeof(*ev));
}

static void copy_val(const struct llr_fields *f, const char *key, int enriched, char *out, size_t n)
{
	const struct llr_kv *kv = enriched ? llr_get_enriched(f, key) : llr_get(f, key);
	llr_value(kv, !enriched, out, n);
}

static char *ip_port(const struct llr_kv *addr, const struct llr_kv *port)
{
	char a[128] = "", p[16] = "";
	llr_value(addr, 0, a, sizeof(a));
	llr_value(port, 0, p, sizeof(p));
	size_t n = strlen(a) + strlen(p) + 4;
	char *s = llr_xmalloc(n);
	if (strchr(a, ':'))
		snprintf(s, n, "[%s]:%s", a, p);
	else if (a[0])
		snprintf(s, n, "%s:%s", a, p);
	else
		snprintf(s, n, ":%s", p);
	return s;
}

static void parse_access(struct llr_event *ev, const struct llr_fields *f)
{
	if (ev->nacc == ev->capacc) {
		ev->capacc = ev->capacc ? ev->capacc * 2 : 2;
		ev->acc = llr_xrealloc(ev->acc, (size_t)ev->capacc * sizeof(*ev->acc));
	}
	struct llr_access *a = &ev->acc[ev->nacc++];
	const struct llr_kv *kv;
	memset(a, 0, sizeof(*a));
	llr_kv_u64(llr_get(f, "domain"), &a->domain, 16);
	if ((kv = llr_get(f, "blockers")))
		a->blockers = llr_parse_blockers(kv->v, kv->vlen);

	const struct llr_kv *path = llr_get(f, "path"), *name = llr_get(f, "name");
	uint64_t u;
	if ((kv = llr_get(f, "opid"))) {
		a->kind = LLR_OBJ_TASK;
		llr_kv_i64(kv, &a->opid);
		a->object = llr_value_dup(llr_get(f, "ocomm"), 1);
		if (!a->object)
			a->object = llr_xstrdup("?");
	} else if ((kv = llr_get(f, "dest")) || (kv = llr_get(f, "fport"))) {
		a->kind = LLR_OBJ_CONNECT;
		if (!llr_kv_u64(kv, &u, 10))
			a->port = (uint32_t)u;
		const struct llr_kv *ad = llr_get(f, "daddr");
		a->object = ip_port(ad ? ad : llr_get(f, "faddr"), kv);
	} else if ((kv = llr_get(f, "src")) || (kv = llr_get(f, "lport"))) {
		a->kind = LLR_OBJ_BIND;
		if (!llr_kv_u64(kv, &u, 10))
			a->port = (uint32_t)u;
		const struct llr_kv *ad = llr_get(f, "saddr");
		a->object = ip_port(ad ? ad : llr_get(f, "laddr"), kv);
	} else if (path) {
		a->path = llr_value_dup(path, 1);
		if (!path->quoted && a->path[0] == '@') {
			a->kind = LLR_OBJ_UNIX;
		} else if ((kv = llr_get(f, "ioctlcmd"))) {
			a->kind = LLR_OBJ_IOCTL;
			size_t n = strlen(a->path) + kv->vlen + 16;
			a->object = llr_xmalloc(n);
			snprintf(a->object, n, "%s ioctlcmd=%.*s", a->path, (int)kv->vlen, kv->v);
		} else {
			a->kind = LLR_OBJ_PATH;
		}
		if (!a->object)
			a->object = llr_xstrdup(a->path);
	} else if (name) {
		a->kind = LLR_OBJ_DENTRY;
		a->path = llr_value_dup(name, 1);
		a->object = llr_xstrdup(a->path);
	} else {
		a->kind = LLR_OBJ_NONE;
		a->object = llr_xstrdup("-");
	}
}

static void parse_domain(struct llr_event *ev, const struct llr_fields *f)
{
	const struct llr_kv *st = llr_get(f, "status");
	uint64_t dom = 0;
	llr_kv_u64(llr_get(f, "domain"), &dom, 16);
	if (st && st->vlen == 11 && !memcmp(st->v, "deallocated", 11)) {
		ev->dealloc =
		    llr_xrealloc(ev->dealloc, (size_t)(ev->ndealloc + 1) * sizeof(*ev->dealloc));
		struct llr_dealloc *d = &ev->dealloc[ev->ndealloc++];
		d->domain = dom;
		d->denials = 0;
		llr_kv_u64(llr_get(f, "denials"), &d->denials, 10);
		return;
	}
	ev->alloc = llr_xrealloc(ev->alloc, (size_t)(ev->nalloc + 1) * sizeof(*ev->alloc));
	struct llr_alloc *al = &ev->alloc[ev->nalloc++];
	memset(al, 0, sizeof(*al));
	al->domain = dom;
	al->uid = LLR_UID_UNSET;
	llr_kv_i64(llr_get(f, "pid"), &al->pid);
	llr_kv_u32(llr_get(f, "uid"), &al->uid);
	al->exe = llr_value_dup(llr_get(f, "exe"), 1);
	al->comm = llr_value_dup(llr_get(f, "comm"), 1);
	al->mode = llr_value_dup(llr_get(f, "mode"), 0);
	al->uid_name = llr_value_dup(llr_get_enriched(f, "UID"), 0);
}

static void parse_syscall(struct llr_event *ev, const struct llr_fields *f)
{
	struct llr_syscall *s = &ev->sc;
	int64_t v;
	memset(s, 0, sizeof(*s));
	s->present = 1;
	s->uid = s->auid = s->ses = LLR_UID_UNSET;
	llr_kv_i64(llr_get(f, "pid"), &s->pid);
	llr_kv_i64(llr_get(f, "ppid"), &s->ppid);
	llr_kv_i64(llr_get(f, "exit"), &s->exit_code);
	llr_kv_u32(llr_get(f, "uid"), &s->uid);
	llr_kv_u32(llr_get(f, "auid"), &s->auid);
	llr_kv_u32(llr_get(f, "ses"), &s->ses);
	if (!llr_kv_i64(llr_get(f, "syscall"), &v))
		s->syscall = (int)v;
	copy_val(f, "comm", 0, s->comm, sizeof(s->comm));
	copy_val(f, "exe", 0, s->exe, sizeof(s->exe));
	copy_val(f, "SYSCALL", 1, s->sysname, sizeof(s->sysname));
	copy_val(f, "UID", 1, s->uid_name, sizeof(s->uid_name));
	copy_val(f, "AUID", 1, s->auid_name, sizeof(s->auid_name));
}

static void parse_pam(struct llr_event *ev, const struct llr_fields *f)
{
	struct llr_pam *p = &ev->pam;
	const struct llr_kv *op = llr_get(f, "op");
	p->present = 1;
	p->refused = op && op->vlen >= 7 && !memcmp(op->v + op->vlen - 7, "refused", 7);
	p->uid = p->auid = p->ses = LLR_UID_UNSET;
	llr_kv_i64(llr_get(f, "pid"), &p->pid);
	llr_kv_u32(llr_get(f, "uid"), &p->uid);
	llr_kv_u32(llr_get(f, "auid"), &p->auid);
	llr_kv_u32(llr_get(f, "ses"), &p->ses);
	p->acct = llr_value_dup(llr_get(f, "acct"), 1);
	p->service = llr_value_dup(llr_get(f, "service"), 0);
	p->profile = llr_value_dup(llr_get(f, "profile"), 0);
	p->hostname = llr_value_dup(llr_get(f, "hostname"), 0);
	p->addr = llr_value_dup(llr_get(f, "addr"), 0);
	p->terminal = llr_value_dup(llr_get(f, "terminal"), 0);
	p->exe = llr_value_dup(llr_get(f, "exe"), 1);
	p->enforcement = llr_value_dup(llr_get(f, "enforcement"), 0);
	p->reason = llr_value_dup(llr_get(f, "reason"), 1);
	p->auid_name = llr_value_dup(llr_get_enriched(f, "AUID"), 0);
}

void llr_event_add_record(struct llr_event *ev, const struct llr_hdr *h)
{
	struct llr_fields f;
	llr_split_fields(h->body, h->body_len, &f);
	switch (h->type) {
	case LLR_RT_ACCESS:
		parse_access(ev, &f);
		ev->nrecords++;
		break;
	case LLR_RT_DOMAIN:
		parse_domain(ev, &f);
		ev->nrecords++;
		break;
	case LLR_RT_SYSCALL:
		parse_syscall(ev, &f);
		break;
	case LLR_RT_TRUSTED_APP:
		parse_pam(ev, &f);
		break;
	default:
		break;
	}
}

static void event_init(struct llr_event *ev, const struct llr_hdr *h)
{
	size_t n = h->node_len < LLR_NODE_MAX - 1 ? h->node_len : LLR_NODE_MAX - 1;
	if (n)
		memcpy(ev->node, h->node, n);
	ev->node[n] = '\0';
	ev->serial = h->serial;
	ev->sec = h->sec;
	ev->ms = h->ms;
}

static void complete_head(struct llr_asm *a)
{
	struct pending *p = &a->ring[a->head];
	llr_index_del(&a->ix, p->hash, (int)a->head);
	a->serial_filter[p->ev.serial & 255]--;
	p->live = 0;
	a->head = (a->head + 1) % LLR_PENDING_MAX;
	a->count--;
	a->st.events++;
	a->cb(a->arg, &p->ev);
	llr_event_clear(&p->ev);
}

static int same_key(const struct llr_event *ev, const struct llr_hdr *h)
{
	size_t n = h->node_len < LLR_NODE_MAX - 1 ? h->node_len : LLR_NODE_MAX - 1;
	return ev->serial == h->serial && ev->sec == h->sec && ev->ms == h->ms &&
	       strlen(ev->node) == n && (!n || !memcmp(ev->node, h->node, n));
}

static struct pending *find_pending(struct llr_asm *a, uint64_t hash, const struct llr_hdr *h)
{
	size_t pos = 0;
	int i;
	if (!a->serial_filter[h->serial & 255])
		return NULL;
	while ((i = llr_index_next(&a->ix, hash, &pos)) >= 0)
		if (same_key(&a->ring[i].ev, h))
			return &a->ring[i];
	return NULL;
}

static void remember_syscall(struct llr_asm *a, const char *line, size_t len, uint64_t serial)
{
	struct sc_slot *s = &a->sc[a->sc_next];
	a->sc_next = (a->sc_next + 1) % LLR_SC_RING;
	if (s->cap < len) {
		s->cap = len + 256;
		free(s->line);
		s->line = llr_xmalloc(s->cap);
	}
	memcpy(s->line, line, len);
	s->len = len;
	s->serial = serial;
	s->used = 1;
}

static void join_remembered_syscall(struct llr_asm *a, struct pending *p)
{
	for (size_t i = 0; i < LLR_SC_RING; i++) {
		struct sc_slot *s = &a->sc[i];
		struct llr_hdr h;
		if (!s->used || s->serial != p->ev.serial)
			continue;
		if (llr_parse_header(s->line, s->len, &h) || !same_key(&p->ev, &h))
			continue;
		llr_event_add_record(&p->ev, &h);
		a->st.syscall_joined++;
		s->used = 0;
	}
}

static void age(struct llr_asm *a)
{
	while (a->count) {
		struct pending *p = &a->ring[a->head];
		if (p->last_line + LLR_AGE_LINES > a->st.lines)
			break;
		a->st.aged++;
		complete_head(a);
	}
}

static void track_time(struct llr_stats *st, const struct llr_hdr *h)
{
	if (!st->records || h->sec < st->first_sec ||
	    (h->sec == st->first_sec && h->ms < st->first_ms)) {
		st->first_sec = h->sec;
		st->first_ms = h->ms;
	}
	if (!st->records || h->sec > st->last_sec ||
	    (h->sec == st->last_sec &&
	     (h->ms > st->last_ms || (h->ms == st->last_ms && h->serial > st->last_serial)))) {
		st->last_sec = h->sec;
		st->last_ms = h->ms;
		st->last_serial = h->serial;
	}
	st->records++;
}

void llr_asm_line(struct llr_asm *a, const char *line, size_t len)
{
	struct llr_hdr h;
	int r;

	a->st.lines++;
	if ((a->st.lines & 1023) == 0)
		age(a);
	r = llr_parse_header(line, len, &h);
	if (r > 0) {
		a->st.blank++;
		return;
	}
	if (r < 0) {
		if (!a->st.malformed)
			a->st.first_malformed_line = a->st.lines;
		a->st.malformed++;
		return;
	}
	track_time(&a->st, &h);
	if (h.type == LLR_RT_OTHER)
		return;

	struct pending *p;
	uint64_t hash;

	if (h.type == LLR_RT_SYSCALL && !a->serial_filter[h.serial & 255]) {
		remember_syscall(a, line, len, h.serial); /* the usual case: not Landlock's */
		return;
	}
	hash = key_hash(&h);
	if (h.type == LLR_RT_TRUSTED_APP) {
		if (!memmem(h.body, h.body_len, "op=pam_landlock-", 16))
			return;
		struct llr_event ev;
		memset(&ev, 0, sizeof(ev));
		event_init(&ev, &h);
		llr_event_add_record(&ev, &h);
		a->st.pam_records++;
		a->cb(a->arg, &ev);
		llr_event_clear(&ev);
		return;
	}
	p = find_pending(a, hash, &h);
	if (h.type == LLR_RT_SYSCALL) {
		if (!p) {
			remember_syscall(a, line, len, h.serial);
			return;
		}
		a->st.syscall_joined++;
	} else {
		if (h.type == LLR_RT_ACCESS)
			a->st.access_records++;
		else
			a->st.domain_records++;
	}
	if (!p) {
		if (!a->ring)
			a->ring = llr_xcalloc(LLR_PENDING_MAX, sizeof(*a->ring));
		if (a->count == LLR_PENDING_MAX) {
			a->st.forced++;
			complete_head(a);
		}
		size_t slot = (a->head + a->count) % LLR_PENDING_MAX;
		p = &a->ring[slot];
		memset(&p->ev, 0, sizeof(p->ev));
		event_init(&p->ev, &h);
		p->hash = hash;
		p->live = 1;
		a->count++;
		llr_index_put(&a->ix, hash, (int)slot);
		a->serial_filter[h.serial & 255]++;
		join_remembered_syscall(a, p);
	}
	p->last_line = a->st.lines;
	llr_event_add_record(&p->ev, &h);
}

void llr_asm_flush(struct llr_asm *a)
{
	while (a->count)
		complete_head(a);
}

void llr_asm_age_before(struct llr_asm *a, int64_t sec)
{
	while (a->count && a->ring[a->head].ev.sec < sec) {
		a->st.aged++;
		complete_head(a);
	}
}

const struct llr_stats *llr_asm_stats(const struct llr_asm *a)
{
	return &a->st;
}

void llr_asm_free(struct llr_asm *a)
{
	if (!a)
		return;
	for (size_t i = 0; a->ring && i < LLR_PENDING_MAX; i++)
		if (a->ring[i].live)
			llr_event_clear(&a->ring[i].ev);
	free(a->ring);
	for (size_t i = 0; i < LLR_SC_RING; i++)
		free(a->sc[i].line);
	llr_index_free(&a->ix);
	free(a);
}
