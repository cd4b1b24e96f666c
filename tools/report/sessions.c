/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sessions.c - the table of pam_landlock session records (see sessions.h):
 * a ring of the newest records with an index by node and pid.
 */
#include "config.h"

#include "sessions.h"
#include "util.h"

#include <stdlib.h>
#include <string.h>

static const char *const names[LLR_SESSION_NSTR] = {
    "node",     "acct",     "service",     "profile", "match",
    "hostname", "terminal", "enforcement", "digest",  "confine",
};

char **llr_session_str(struct llr_session *s, int i)
{
	char **f[LLR_SESSION_NSTR] = {&s->node,   &s->acct,     &s->service,  &s->profile,
	                              &s->match,  &s->hostname, &s->terminal, &s->enforcement,
	                              &s->digest, &s->confine};
	return f[i];
}

const char *llr_session_cstr(const struct llr_session *s, int i)
{
	const char *const f[LLR_SESSION_NSTR] = {
	    s->node,     s->acct,     s->service,     s->profile, s->match,
	    s->hostname, s->terminal, s->enforcement, s->digest,  s->confine};
	return f[i];
}

const char *llr_session_str_name(int i)
{
	return names[i];
}

struct llr_session *llr_session_dup(const struct llr_session *s)
{
	struct llr_session *d = llr_xmalloc(sizeof(*d));
	*d = *s;
	for (int i = 0; i < LLR_SESSION_NSTR; i++) {
		char **p = llr_session_str(d, i);
		if (*p)
			*p = llr_xstrdup(*p);
	}
	return d;
}

void llr_session_free(struct llr_session *s)
{
	if (!s)
		return;
	for (int i = 0; i < LLR_SESSION_NSTR; i++)
		free(*llr_session_str(s, i));
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

static char *dup0(const char *s)
{
	return s ? llr_xstrdup(s) : NULL;
}

void llr_sessions_add_event(struct llr_sessions *t, const struct llr_event *ev)
{
	const struct llr_pam *p = &ev->pam;
	struct llr_session *s = llr_xcalloc(1, sizeof(*s));
	s->kind = p->kind;
	s->node = llr_xstrdup(ev->node);
	s->pid = p->pid;
	s->time = llr_ev_time(ev);
	s->acct = dup0(p->acct);
	s->service = dup0(p->service);
	s->profile = dup0(p->profile);
	s->match = dup0(p->match);
	s->hostname = dup0(p->hostname ? p->hostname : p->addr);
	s->terminal = dup0(p->terminal);
	s->enforcement = dup0(p->enforcement);
	s->digest = dup0(p->digest);
	s->confine = dup0(p->confine);
	llr_sessions_add(t, s);
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
