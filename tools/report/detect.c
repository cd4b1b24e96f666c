/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect.c - the alert rules (see detect.h): a table of at most
 * LLR_ALERT_SESSIONS sessions, indexed by key, in least-recently-active
 * order, each with the times of its last N denials (N: --alert-burst).
 */
#include "config.h"

#include "detect.h"
#include "util.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

struct sess {
	char *key;
	size_t klen;
	uint64_t h;
	int64_t last, quiet_until;
	int64_t *ring; /* times (ms) of the last denials, oldest at head */
	int n, head, cap;
	int prev, next; /* activity order, -1 at the ends */
};

struct llr_detect {
	const struct llr_alert_opts *o;
	llr_alert_cb cb;
	void *arg;
	struct sess *s;
	int n, *freelist, nfree, oldest, newest;
	struct llr_index ix;
	uint64_t forgotten;
};

struct llr_detect *llr_detect_new(const struct llr_alert_opts *o, llr_alert_cb cb, void *arg)
{
	struct llr_detect *t = llr_xcalloc(1, sizeof(*t));
	t->o = o;
	t->cb = cb;
	t->arg = arg;
	t->s = llr_xcalloc(LLR_ALERT_SESSIONS, sizeof(*t->s));
	t->freelist = llr_xcalloc(LLR_ALERT_SESSIONS, sizeof(*t->freelist));
	t->oldest = t->newest = -1;
	return t;
}

static void unlink_sess(struct llr_detect *t, int i)
{
	struct sess *s = &t->s[i];
	if (s->prev >= 0)
		t->s[s->prev].next = s->next;
	else
		t->oldest = s->next;
	if (s->next >= 0)
		t->s[s->next].prev = s->prev;
	else
		t->newest = s->prev;
	s->prev = s->next = -1;
}

static void push_newest(struct llr_detect *t, int i)
{
	struct sess *s = &t->s[i];
	s->prev = t->newest;
	s->next = -1;
	if (t->newest >= 0)
		t->s[t->newest].next = i;
	else
		t->oldest = i;
	t->newest = i;
}

static void forget(struct llr_detect *t, int i)
{
	struct sess *s = &t->s[i];
	unlink_sess(t, i);
	llr_index_del(&t->ix, s->h, i);
	free(s->key);
	free(s->ring);
	memset(s, 0, sizeof(*s));
	t->freelist[t->nfree++] = i;
	t->forgotten++;
}

/* The session of a denial: its pam_landlock record, else ses=, else domain. */
static char *session_key(const struct llr_event *ev, const struct llr_access *a,
                         const struct llr_domain *d, size_t *len)
{
	char head[96];
	int n;
	if (d && d->pam)
		n = snprintf(head, sizeof(head), "p %lld %lld", (long long)d->pam->pid,
		             (long long)d->pam->time);
	else if (ev->sc.present && ev->sc.ses != LLR_UID_UNSET)
		n = snprintf(head, sizeof(head), "s %u", ev->sc.ses);
	else
		n = snprintf(head, sizeof(head), "d %llx", (unsigned long long)a->domain);
	size_t nl = strlen(ev->node);
	char *k = llr_xmalloc((size_t)n + 1 + nl);
	memcpy(k, head, (size_t)n + 1); /* the NUL separates it from the node */
	memcpy(k + n + 1, ev->node, nl);
	*len = (size_t)n + 1 + nl;
	return k;
}

/* The slot of key k (taken), created if needed; *fresh when it was not
 * tracked. */
static int slot_get(struct llr_detect *t, char *k, size_t kl, int64_t now, int *fresh)
{
	size_t pos = 0;
	uint64_t h = llr_hash(k, kl);
	int i;
	while ((i = llr_index_next(&t->ix, h, &pos)) >= 0)
		if (t->s[i].klen == kl && !memcmp(t->s[i].key, k, kl)) {
			free(k);
			unlink_sess(t, i);
			push_newest(t, i);
			*fresh = 0;
			return i;
		}
	if (!t->nfree && t->n == LLR_ALERT_SESSIONS)
		forget(t, t->oldest);
	i = t->nfree ? t->freelist[--t->nfree] : t->n++;
	struct sess *s = &t->s[i];
	s->key = k;
	s->klen = kl;
	s->h = h;
	s->last = now;
	llr_index_put(&t->ix, h, i);
	push_newest(t, i);
	*fresh = 1;
	return i;
}

/* The session's slot; *fresh when it was not tracked. */
static int session_get(struct llr_detect *t, const struct llr_event *ev, const struct llr_access *a,
                       const struct llr_domain *d, int64_t now, int *fresh)
{
	size_t kl;
	char *k = session_key(ev, a, d, &kl);
	while (t->oldest >= 0 && t->s[t->oldest].last < now - LLR_ALERT_IDLE_MS)
		forget(t, t->oldest);
	return slot_get(t, k, kl, now, fresh);
}

/* Append time now to the window (at most want times). */
static void window_add(struct sess *s, int want, int64_t now)
{
	if (s->n == s->cap && s->cap < want) {
		int cap = s->cap ? s->cap * 2 : 8;
		if (cap > want)
			cap = want;
		int64_t *r = llr_xcalloc((size_t)cap, sizeof(*r));
		for (int k = 0; k < s->n; k++)
			r[k] = s->ring[(s->head + k) % s->cap];
		free(s->ring);
		s->ring = r;
		s->head = 0;
		s->cap = cap;
	}
	if (s->n == want) { /* full: the oldest leaves */
		s->head = (s->head + 1) % s->cap;
		s->n--;
	}
	s->ring[(s->head + s->n) % s->cap] = now;
	s->n++;
}

/* Burst: the times of the last N denials span at most the window. */
static int burst(struct llr_detect *t, struct sess *s, int64_t now)
{
	int want = t->o->burst_count;
	int64_t w = (int64_t)t->o->burst_window * 1000;
	if (now < s->quiet_until)
		return 0;
	window_add(s, want, now);
	if (s->n < want || now - s->ring[s->head] > w)
		return 0;
	s->n = s->head = 0;
	s->quiet_until = now + w;
	return 1;
}

int llr_detect_path_match(const char *pattern, const char *path)
{
	size_t pl = strlen(pattern);
	while (pl > 1 && pattern[pl - 1] == '/')
		pl--;
	char *pat = llr_xstrndup(pattern, pl);
	char *p = llr_xstrdup(path);
	int hit = 0;
	size_t n = strlen(p);
	for (size_t i = n;; i--) {
		if (i == n || p[i] == '/') {
			char c = p[i];
			p[i] = '\0';
			hit = i && !fnmatch(pat, p, FNM_PATHNAME);
			p[i] = c;
			if (hit)
				break;
		}
		if (!i)
			break;
	}
	free(pat);
	free(p);
	return hit;
}

void llr_detect_denial(struct llr_detect *t, const struct llr_event *ev, const struct llr_access *a,
                       const struct llr_user *u, const struct llr_domain *d)
{
	const struct llr_alert_opts *o = t->o;
	int64_t now = llr_ev_time(ev);
	int fresh;
	int i = session_get(t, ev, a, d, now, &fresh);
	struct sess *s = &t->s[i];
	if (now > s->last)
		s->last = now;
	if (o->first_denial && fresh) {
		struct llr_alert al = {"first_denial", 1, 0, 1, NULL, -1};
		t->cb(t->arg, &al, ev, a, u, d);
	}
	if (a->path && a->path[0] == '/' && (a->kind == LLR_OBJ_PATH || a->kind == LLR_OBJ_IOCTL))
		for (int k = 0; k < o->nobjects; k++)
			if (llr_detect_path_match(o->objects[k], a->path)) {
				struct llr_alert al = {"sensitive_object", 1, 0, 1,
				                       o->objects[k],      -1};
				t->cb(t->arg, &al, ev, a, u, d);
				break;
			}
	if (a->kind == LLR_OBJ_CONNECT)
		for (int k = 0; k < o->nports; k++)
			if (a->port >= o->port_lo[k] && a->port <= o->port_hi[k]) {
				struct llr_alert al = {"internal_port", 1, 0, 1, NULL, a->port};
				t->cb(t->arg, &al, ev, a, u, d);
				break;
			}
	if (o->burst_count && burst(t, s, now)) {
		struct llr_alert al = {"burst",
		                       (uint64_t)o->burst_count,
		                       o->burst_window,
		                       (uint64_t)o->burst_count,
		                       NULL,
		                       -1};
		t->cb(t->arg, &al, ev, a, u, d);
	}
}

void llr_detect_each(const struct llr_detect *t, llr_detect_visit fn, void *arg)
{
	for (int i = t->oldest; i >= 0; i = t->s[i].next) {
		const struct sess *s = &t->s[i];
		int64_t *times = llr_xcalloc((size_t)s->n + 1, sizeof(*times));
		for (int k = 0; k < s->n; k++)
			times[k] = s->ring[(s->head + k) % s->cap];
		fn(arg, s->key, s->klen, s->last, s->quiet_until, times, s->n);
		free(times);
	}
}

void llr_detect_restore(struct llr_detect *t, const char *key, size_t klen, int64_t last,
                        int64_t quiet_until, const int64_t *times, int n)
{
	int fresh;
	char *k = llr_xmalloc(klen + 1);
	memcpy(k, key, klen);
	int i = slot_get(t, k, klen, last, &fresh);
	struct sess *s = &t->s[i];
	s->last = last;
	s->quiet_until = quiet_until;
	int want = t->o->burst_count;
	for (int j = n > want ? n - want : 0; j < n && want; j++)
		window_add(s, want, times[j]);
}

int llr_detect_tracked(const struct llr_detect *t)
{
	return t->n - t->nfree;
}

uint64_t llr_detect_forgotten(const struct llr_detect *t)
{
	return t->forgotten;
}

void llr_detect_free(struct llr_detect *t)
{
	if (!t)
		return;
	for (int i = 0; i < t->n; i++) {
		free(t->s[i].key);
		free(t->s[i].ring);
	}
	free(t->s);
	free(t->freelist);
	llr_index_free(&t->ix);
	free(t);
}
