/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event.c - the event assembler (see event.h): records to events, node
 * clocks, completion, and the checkpoint gate.  The per-line work (header
 * parse, node clock) must stay cheap; only Landlock, joined SYSCALL and
 * PROCTITLE, and pam_landlock records are decoded.
 */
#include "config.h"

#include "event.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

#define LATE_KEYS 4096
/* A node's records going back further than this are reported. */
#define BACK_MS 60000

struct nodeclk {
	char *name;
	size_t len;
	int64_t newest, frontier;
	int has_newest, has_frontier;
};

struct pending {
	struct llr_event ev;
	uint64_t hash;
	uint64_t last_line;
	int64_t last_arrival;
	int node;
	int live;
};

/* A SYSCALL or PROCTITLE line that came before its event's first record:
 * borrowed from the reader until llr_asm_release(), then copied. */
struct saved {
	uint64_t serial;
	const char *line;
	char *own;
	size_t len, cap;
	int used;
};

struct llr_asm {
	struct llr_engine *eng;
	llr_event_cb cb;
	void *arg;
	int checkpoint, follow;
	int fast; /* the built-in parser: called directly, on every line */
	int has_default;
	int64_t default_frontier; /* "*": nodes without a frontier of their own */
	int64_t now;              /* follow: monotonic ms of the current read */
	struct pending *ring;
	size_t cap, head, count;
	struct llr_index ix;
	uint32_t serial_filter[256]; /* pending events per serial % 256 */
	struct saved saved[LLR_SC_RING];
	size_t saved_next;
	struct nodeclk *nodes;
	int nnodes, capnodes;
	struct llr_index nix;
	uint64_t late[LATE_KEYS]; /* keys of recently completed events */
	size_t late_next;
	struct llr_index lix;
	struct llr_stats st;
};

static uint64_t key_hash(int node, const struct llr_hdr *h)
{
	return llr_mix64((uint64_t)node * 0x9e3779b97f4a7c15ULL + h->serial) ^
	       llr_mix64((uint64_t)h->sec * 1000 + h->ms + 0x51ed2701);
}

struct llr_asm *llr_asm_new(struct llr_engine *e, llr_event_cb cb, void *arg)
{
	struct llr_asm *a = llr_xcalloc(1, sizeof(*a));
	a->eng = e;
	a->fast = !strcmp(e->ops->name, "fast");
	a->cb = cb;
	a->arg = arg;
	a->capnodes = 8; /* node 0: records without node= */
	a->nodes = llr_xcalloc((size_t)a->capnodes, sizeof(*a->nodes));
	a->nodes[0].name = llr_xstrdup("");
	a->nnodes = 1;
	return a;
}

void llr_asm_set_checkpoint(struct llr_asm *a, int on)
{
	a->checkpoint = on;
}

void llr_asm_set_follow(struct llr_asm *a, int on)
{
	a->follow = on;
}

/* ---- nodes ------------------------------------------------------------ */

static int node_find(struct llr_asm *a, const char *name, size_t len)
{
	if (!len)
		return 0;
	uint64_t h = llr_hash(name, len);
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&a->nix, h, &pos)) >= 0)
		if (a->nodes[i].len == len && !memcmp(a->nodes[i].name, name, len))
			return i;
	if (a->nnodes == a->capnodes) {
		a->capnodes = a->capnodes ? a->capnodes * 2 : 8;
		a->nodes = llr_xrealloc(a->nodes, (size_t)a->capnodes * sizeof(*a->nodes));
	}
	i = a->nnodes++;
	memset(&a->nodes[i], 0, sizeof(a->nodes[i]));
	a->nodes[i].name = llr_xstrndup(name, len);
	a->nodes[i].len = len;
	a->nodes[i].frontier = a->default_frontier;
	a->nodes[i].has_frontier = a->has_default;
	llr_index_put(&a->nix, h, i);
	return i;
}

const char *llr_asm_intern(struct llr_asm *a, const char *node, size_t len)
{
	int i = node_find(a, node, len); /* may grow the array */
	return a->nodes[i].name;
}

int llr_asm_nnodes(const struct llr_asm *a)
{
	return a->nnodes;
}

static int64_t node_frontier(const struct nodeclk *n, int *has)
{
	int64_t f = n->has_frontier ? n->frontier : INT64_MIN;
	if (n->has_newest && n->newest - LLR_HOLD_MS > f)
		f = n->newest - LLR_HOLD_MS;
	*has = n->has_frontier || n->has_newest;
	return f;
}

const char *llr_asm_node(const struct llr_asm *a, int i, int64_t *newest, int *has_newest,
                         int64_t *frontier, int *has_frontier)
{
	const struct nodeclk *n = &a->nodes[i];
	*newest = n->newest;
	*has_newest = n->has_newest;
	*frontier = node_frontier(n, has_frontier);
	return n->name;
}

void llr_asm_set_frontier(struct llr_asm *a, const char *node, int64_t frontier_ms)
{
	if (!strcmp(node, "*")) {
		a->has_default = 1;
		a->default_frontier = frontier_ms;
		for (int i = 0; i < a->nnodes; i++)
			if (!a->nodes[i].has_frontier) {
				a->nodes[i].has_frontier = 1;
				a->nodes[i].frontier = frontier_ms;
			}
		return;
	}
	int i = node_find(a, node, strlen(node)); /* may grow the array */
	struct nodeclk *n = &a->nodes[i];
	n->frontier = frontier_ms;
	n->has_frontier = 1;
}

int llr_asm_default_frontier(const struct llr_asm *a, int64_t *frontier_ms)
{
	*frontier_ms = a->default_frontier;
	return a->has_default;
}

/* ---- completion ------------------------------------------------------- */

static void remember_done(struct llr_asm *a, uint64_t hash)
{
	size_t slot = a->late_next++ % LATE_KEYS;
	if (a->late_next > LATE_KEYS)
		llr_index_del(&a->lix, a->late[slot], (int)slot);
	a->late[slot] = hash;
	llr_index_put(&a->lix, hash, (int)slot);
}

static int recently_done(const struct llr_asm *a, uint64_t hash)
{
	size_t pos = 0;
	return llr_index_next(&a->lix, hash, &pos) >= 0;
}

/* Pass a completed event on, unless the checkpoint gate keeps it. */
static void deliver(struct llr_asm *a, struct llr_event *ev, const struct nodeclk *n, int final)
{
	int64_t t = llr_ev_time(ev);
	if (n->has_frontier && t <= n->frontier) {
		a->st.skipped_checkpoint++;
		return;
	}
	if (final && a->checkpoint && (!n->has_newest || t > n->newest - LLR_HOLD_MS)) {
		a->st.held_back++;
		return;
	}
	a->st.events++;
	a->cb(a->arg, ev);
}

static void complete_head(struct llr_asm *a, int final)
{
	struct pending *p = &a->ring[a->head];
	llr_index_del(&a->ix, p->hash, (int)a->head);
	a->serial_filter[p->ev.serial & 255]--;
	p->live = 0;
	a->head = (a->head + 1) % a->cap;
	a->count--;
	remember_done(a, p->hash);
	deliver(a, &p->ev, &a->nodes[p->node], final);
	llr_event_clear(&p->ev);
}

static int complete_ok(const struct llr_asm *a, const struct pending *p)
{
	const struct nodeclk *n = &a->nodes[p->node];
	uint64_t idle = a->st.lines - p->last_line;
	int clock = n->has_newest && n->newest >= llr_ev_time(&p->ev) + LLR_HOLD_MS;
	if (idle >= LLR_MIN_LINES && clock)
		return 1;
	if (a->checkpoint)
		return 0;
	if (a->follow && a->now - p->last_arrival >= LLR_FOLLOW_IDLE_MS)
		return 1;
	return idle >= LLR_MAX_LINES;
}

static void drain(struct llr_asm *a)
{
	while (a->count && complete_ok(a, &a->ring[a->head])) {
		a->st.aged++;
		complete_head(a, 0);
	}
}

void llr_asm_tick(struct llr_asm *a, int64_t now_ms)
{
	a->now = now_ms;
	drain(a);
}

void llr_asm_flush(struct llr_asm *a)
{
	while (a->count)
		complete_head(a, 1);
}

/* ---- pending events --------------------------------------------------- */

static int same_key(const struct pending *p, int node, const struct llr_hdr *h)
{
	return p->node == node && p->ev.serial == h->serial && p->ev.sec == h->sec &&
	       p->ev.ms == h->ms;
}

static struct pending *find_pending(struct llr_asm *a, uint64_t hash, int node,
                                    const struct llr_hdr *h)
{
	size_t pos = 0;
	int i;
	if (!a->serial_filter[h->serial & 255])
		return NULL;
	while ((i = llr_index_next(&a->ix, hash, &pos)) >= 0)
		if (same_key(&a->ring[i], node, h))
			return &a->ring[i];
	return NULL;
}

static void grow(struct llr_asm *a)
{
	size_t ncap = a->cap ? a->cap * 2 : 64;
	struct pending *r = llr_xcalloc(ncap, sizeof(*r));
	llr_index_free(&a->ix);
	for (size_t i = 0; i < a->count; i++) {
		r[i] = a->ring[(a->head + i) % a->cap];
		llr_index_put(&a->ix, r[i].hash, (int)i);
	}
	free(a->ring);
	a->ring = r;
	a->cap = ncap;
	a->head = 0;
}

static void remember(struct llr_asm *a, const char *line, size_t len, uint64_t serial)
{
	struct saved *s = &a->saved[a->saved_next];
	a->saved_next = (a->saved_next + 1) % LLR_SC_RING;
	s->line = line; /* no copy: most are never needed */
	s->len = len;
	s->serial = serial;
	s->used = 1;
}

void llr_asm_release(struct llr_asm *a)
{
	for (size_t i = 0; i < LLR_SC_RING; i++) {
		struct saved *s = &a->saved[i];
		if (!s->used || s->line == s->own)
			continue;
		if (s->cap < s->len) {
			s->cap = s->len + 256;
			free(s->own);
			s->own = llr_xmalloc(s->cap);
		}
		memcpy(s->own, s->line, s->len);
		s->line = s->own;
	}
}

static void decode_line(struct llr_asm *a, const char *line, size_t len, const struct llr_hdr *h,
                        struct llr_event *ev, int selected)
{
	if (!selected)
		a->eng->ops->select(a->eng, line, len, h);
	llr_decode_record(a->eng, h, ev);
}

/* SYSCALL and PROCTITLE records that came before their event's first;
 * returns whether the engine read any line. */
static int join_saved(struct llr_asm *a, struct pending *p)
{
	int used = 0;
	for (size_t i = 0; i < LLR_SC_RING; i++) {
		struct saved *s = &a->saved[i];
		struct llr_hdr h;
		if (!s->used || s->serial != p->ev.serial)
			continue;
		used = 1;
		if (a->eng->ops->header(a->eng, s->line, s->len, &h))
			continue;
		int node = node_find(a, h.node ? h.node : "", h.node_len);
		if (!same_key(p, node, &h))
			continue;
		decode_line(a, s->line, s->len, &h, &p->ev, 0);
		if (h.type == LLR_RT_SYSCALL)
			a->st.syscall_joined++;
		s->used = 0;
	}
	return used;
}

static struct pending *new_pending(struct llr_asm *a, uint64_t hash, int node,
                                   const struct llr_hdr *h)
{
	if (a->count == a->cap) {
		if (a->cap >= LLR_PENDING_MAX) {
			a->st.forced++;
			complete_head(a, 0);
		} else {
			grow(a);
		}
	}
	if (recently_done(a, hash)) {
		if (!a->st.late)
			a->st.first_late_line = a->st.lines;
		a->st.late++;
	}
	size_t slot = (a->head + a->count) % a->cap;
	struct pending *p = &a->ring[slot];
	llr_event_init(&p->ev);
	p->ev.node = a->nodes[node].name;
	p->ev.serial = h->serial;
	p->ev.sec = h->sec;
	p->ev.ms = h->ms;
	p->hash = hash;
	p->node = node;
	p->live = 1;
	a->count++;
	llr_index_put(&a->ix, hash, (int)slot);
	a->serial_filter[h->serial & 255]++;
	return p;
}

static inline void track_time(struct llr_asm *a, struct nodeclk *n, const struct llr_hdr *h)
{
	struct llr_stats *st = &a->st;
	int64_t t = h->sec * 1000 + h->ms;
	if (!st->records++) {
		st->first = st->last = t;
	} else if (t > st->last) {
		st->last = t;
	} else if (t < st->first) {
		st->first = t;
	}
	if (t > n->newest || !n->has_newest) {
		n->newest = t;
		n->has_newest = 1;
	} else if (t < n->newest - BACK_MS &&
	           (h->type == LLR_RT_ACCESS || h->type == LLR_RT_DOMAIN)) {
		/* Landlock records are written when they happen; others (SYSCALL of a
		 * long system call) may carry an older entry time */
		if (!st->time_back)
			st->first_time_back_line = st->lines;
		st->time_back++;
	}
}

/* A record that matters: join it to its event. */
static void __attribute__((noinline))
relevant(struct llr_asm *a, const char *line, size_t len, const struct llr_hdr *h, int node)
{
	struct pending *p;
	int selected = 0; /* the engine holds this line's fields already */
	if (h->type == LLR_RT_SYSCALL || h->type == LLR_RT_PROCTITLE) {
		/* (header_read let only records of a filtered serial through) */
		p = find_pending(a, key_hash(node, h), node, h);
		if (!p) {
			remember(a, line, len, h->serial); /* usually not Landlock's */
			return;
		}
		if (h->type == LLR_RT_SYSCALL)
			a->st.syscall_joined++;
	} else {
		if (h->type == LLR_RT_TRUSTED_APP) {
			if (h->body && !memmem(h->body, h->body_len, "op=pam_landlock-", 16))
				return; /* the built-in parser's shortcut: not ours */
			a->eng->ops->select(a->eng, line, len, h);
			if (!llr_decode_is_pam(a->eng, h))
				return;
			selected = 1;
			a->st.pam_records++;
			if (!a->checkpoint) {
				/* an event of one record, complete: outside checkpoint runs
				 * (where its time decides which run counts it) it is passed
				 * on at once, ahead of older events still pending, which it
				 * cannot change (a session's record precedes its domain) */
				struct llr_event ev;
				llr_event_init(&ev);
				ev.node = a->nodes[node].name;
				ev.serial = h->serial;
				ev.sec = h->sec;
				ev.ms = h->ms;
				llr_decode_record(a->eng, h, &ev);
				deliver(a, &ev, &a->nodes[node], 0);
				llr_event_clear(&ev);
				return;
			}
		} else if (h->type == LLR_RT_ACCESS) {
			a->st.access_records++;
		} else {
			a->st.domain_records++;
		}
		uint64_t hash = key_hash(node, h);
		p = find_pending(a, hash, node, h);
		if (!p) {
			p = new_pending(a, hash, node, h);
			if (join_saved(a, p))
				selected = 0; /* the engine read a saved line since */
		}
	}
	p->last_line = a->st.lines;
	p->last_arrival = a->now;
	decode_line(a, line, len, h, &p->ev, selected);
}

static void bad_line(struct llr_asm *a, int r)
{
	if (r > 0) {
		a->st.blank++;
		return;
	}
	if (!a->st.malformed)
		a->st.first_malformed_line = a->st.lines;
	a->st.malformed++;
}

/* What every line costs: kept lean (the header, the node's clock). */
static inline void header_read(struct llr_asm *a, const char *line, size_t len, int r,
                               const struct llr_hdr *h)
{
	if (r) {
		bad_line(a, r);
		return;
	}
	int node = h->node_len ? node_find(a, h->node, h->node_len) : 0;
	track_time(a, &a->nodes[node], h);
	if (h->type == LLR_RT_OTHER)
		return;
	if ((h->type == LLR_RT_SYSCALL || h->type == LLR_RT_PROCTITLE) &&
	    !a->serial_filter[h->serial & 255]) {
		remember(a, line, len, h->serial); /* the usual case: not Landlock's */
		return;
	}
	relevant(a, line, len, h, node);
}

static inline void one_line(struct llr_asm *a, const char *line, size_t len, int fast)
{
	struct llr_hdr h;
	if ((++a->st.lines & 63) == 0 && a->count)
		drain(a);
	int r = fast ? llr_parse_header(line, len, &h) : a->eng->ops->header(a->eng, line, len, &h);
	header_read(a, line, len, r, &h);
}

void llr_asm_parsed(struct llr_asm *a, const struct llr_line *v, size_t n)
{
	if (!a->fast) { /* the other engine reads its own headers */
		for (size_t i = 0; i < n; i++)
			one_line(a, v[i].p, v[i].len, 0);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		if ((++a->st.lines & 63) == 0 && a->count)
			drain(a);
		header_read(a, v[i].p, v[i].len, v[i].r, &v[i].h);
	}
}

void llr_asm_line(struct llr_asm *a, const char *line, size_t len)
{
	one_line(a, line, len, a->fast);
}

size_t llr_asm_block(struct llr_asm *a, const char *buf, size_t len)
{
	const char *p = buf, *end = buf + len, *nl;
	if (!a->fast) {
		while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
			one_line(a, p, (size_t)(nl - p), 0);
			p = nl + 1;
		}
		return (size_t)(p - buf);
	}
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		one_line(a, p, (size_t)(nl - p), 1);
		p = nl + 1;
	}
	return (size_t)(p - buf);
}

const struct llr_stats *llr_asm_stats(const struct llr_asm *a)
{
	return &a->st;
}

void llr_asm_free(struct llr_asm *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->cap; i++)
		if (a->ring[i].live)
			llr_event_clear(&a->ring[i].ev);
	free(a->ring);
	for (size_t i = 0; i < LLR_SC_RING; i++)
		free(a->saved[i].own);
	for (int i = 0; i < a->nnodes; i++)
		free(a->nodes[i].name);
	free(a->nodes);
	llr_index_free(&a->ix);
	llr_index_free(&a->nix);
	llr_index_free(&a->lix);
	free(a);
}
