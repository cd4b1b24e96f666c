/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sessions.c - the table of pam_landlock session records (see sessions.h):
 * a ring of the newest records with an index by node and pid.
 */
#include "config.h"

#include "sessions.h"
#include "util.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static const char *const names[LLR_SESSION_NSTR] = {
    "node",     "acct",     "service",     "profile", "match",
    "hostname", "terminal", "enforcement", "digest",  "confine",
};

/* The string fields, in the order of names[]. */
static const size_t offs[LLR_SESSION_NSTR] = {
    offsetof(struct llr_session, node),     offsetof(struct llr_session, acct),
    offsetof(struct llr_session, service),  offsetof(struct llr_session, profile),
    offsetof(struct llr_session, match),    offsetof(struct llr_session, hostname),
    offsetof(struct llr_session, terminal), offsetof(struct llr_session, enforcement),
    offsetof(struct llr_session, digest),   offsetof(struct llr_session, confine),
};

char **llr_session_str(struct llr_session *s, int i)
{
	return (char **)((char *)s + offs[i]);
}

const char *llr_session_cstr(const struct llr_session *s, int i)
{
	return *(char *const *)((const char *)s + offs[i]);
}

const char *llr_session_str_name(int i)
{
	return names[i];
}

struct llr_session *llr_session_dup(const struct llr_session *s)
{
	/* one allocation: the struct, then its strings (16,384 of them are kept) */
	size_t n = sizeof(*s);
	for (int i = 0; i < LLR_SESSION_NSTR; i++) {
		const char *v = llr_session_cstr(s, i);
		n += v ? strlen(v) + 1 : 0;
	}
	struct llr_session *d = llr_xmalloc(n);
	char *p = (char *)(d + 1);
	*d = *s;
	for (int i = 0; i < LLR_SESSION_NSTR; i++) {
		const char *v = llr_session_cstr(s, i);
		char **f = llr_session_str(d, i);
		if (!v) {
			*f = NULL;
			continue;
		}
		size_t l = strlen(v) + 1;
		memcpy(p, v, l);
		*f = p;
		p += l;
	}
	return d;
}

void llr_session_free(struct llr_session *s)
{
	free(s);
}

struct llr_sessions {
	struct llr_session **ring;
	size_t head, count;
	struct llr_index ix;
};

static uint64_t key(const char *node, int64_t pid)
{
	return llr_hash(node, strlen(node)) ^ llr_mix64((uint64_t)pid * 31 + 7);
}

struct llr_sessions *llr_sessions_new(void)
{
	return llr_xcalloc(1, sizeof(struct llr_sessions));
}

void llr_sessions_add(struct llr_sessions *t, struct llr_session *s)
{
	if (!t->ring)
		t->ring = llr_xcalloc(LLR_SESSIONS_MAX, sizeof(*t->ring));
	if (t->count == LLR_SESSIONS_MAX) {
		struct llr_session *old = t->ring[t->head];
		llr_index_del(&t->ix, key(old->node, old->pid), (int)t->head);
		llr_session_free(old);
		t->ring[t->head] = NULL;
		t->head = (t->head + 1) % LLR_SESSIONS_MAX;
		t->count--;
	}
	size_t slot = (t->head + t->count++) % LLR_SESSIONS_MAX;
	t->ring[slot] = s;
	llr_index_put(&t->ix, key(s->node, s->pid), (int)slot);
}

struct llr_session *llr_sessions_add_event(struct llr_sessions *t, const struct llr_event *ev)
{
	const struct llr_pam *p = &ev->pam;
	struct llr_session s = {
	    .kind = p->kind,
	    .node = (char *)(uintptr_t)ev->node, /* copied by llr_session_dup */
	    .pid = p->pid,
	    .time = llr_ev_time(ev),
	    .acct = p->acct,
	    .service = p->service,
	    .profile = p->profile,
	    .match = p->match,
	    .hostname = p->hostname ? p->hostname : p->addr,
	    .terminal = p->terminal,
	    .enforcement = p->enforcement,
	    .digest = p->digest,
	    .confine = p->confine,
	};
	struct llr_session *d = llr_session_dup(&s);
	llr_sessions_add(t, d);
	return d;
}

const struct llr_session *llr_sessions_find(const struct llr_sessions *t, const char *node,
                                            int64_t pid, int64_t time)
{
	const struct llr_session *best = NULL;
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&t->ix, key(node, pid), &pos)) >= 0) {
		const struct llr_session *s = t->ring[i];
		if (s->pid != pid || strcmp(s->node, node) || s->time > time)
			continue;
		if (!best || s->time >= best->time)
			best = s;
	}
	return best;
}

int llr_sessions_count(const struct llr_sessions *t)
{
	return (int)t->count;
}

const struct llr_session *llr_sessions_get(const struct llr_sessions *t, int i)
{
	return t->ring[(t->head + (size_t)i) % LLR_SESSIONS_MAX];
}

void llr_sessions_free(struct llr_sessions *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->count; i++)
		llr_session_free(t->ring[(t->head + i) % LLR_SESSIONS_MAX]);
	free(t->ring);
	llr_index_free(&t->ix);
	free(t);
}

struct llr_sessrow *llr_sessrow_new(const struct llr_event *ev, uint32_t uid, const char *uname)
{
	struct llr_sessrow *r = llr_xcalloc(1, sizeof(*r));
	const struct llr_pam *p = &ev->pam;
	r->node = llr_xstrdup(ev->node);
	r->time = llr_ev_time(ev);
	r->serial = ev->serial;
	r->uid = uid;
	r->uname = llr_xstrdup_opt(uname);
	r->pam = *p;
	llr_pam_dup(&r->pam);
	return r;
}

void llr_sessrow_free(struct llr_sessrow *r)
{
	if (!r)
		return;
	llr_pam_clear(&r->pam);
	free(r->node);
	free(r->uname);
	free(r);
}
