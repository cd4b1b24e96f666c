/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agg.c - per-user, per-domain and per-node aggregation of completed
 * Landlock events (see agg.h).  Attribution: a denial belongs to the user of
 * the SYSCALL record of its event (auid when set, else uid), with its
 * session (ses); a domain belongs to its creator (1424 allocated record) and,
 * when pam_landlock logged it, to the PAM session whose pid is the creator's
 * pid, the nearest one not later than the allocation.
 */
#include "config.h"

#include "agg.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

struct llr_agg {
	const struct llr_opts *o;
	struct llr_user **users;
	int nusers, capusers;
	struct llr_index uix;
	struct llr_domain **doms;
	int ndoms, capdoms, *freeslots, nfree;
	struct llr_index dix;
	struct llr_node **nodes;
	int nnodes, capnodes;
	struct llr_index nix;
	struct llr_pamrec *pam; /* ring of LLR_PAM_MAX */
	size_t pam_head, pam_count;
	struct llr_index pix;
	int keep_domains;
	llr_denial_cb cb;
	void *cb_arg;
	struct llr_totals tot;
};

struct llr_agg *llr_agg_new(const struct llr_opts *o)
{
	struct llr_agg *g = llr_xcalloc(1, sizeof(*g));
	g->o = o;
	g->keep_domains = o->view == LLR_VIEW_DOMAIN;
	return g;
}

void llr_agg_set_denial_cb(struct llr_agg *g, llr_denial_cb cb, void *arg)
{
	g->cb = cb;
	g->cb_arg = arg;
}

void llr_agg_keep_domains(struct llr_agg *g, int keep)
{
	g->keep_domains = keep;
}

static void span(int64_t *first, int64_t *last, int64_t sec, int fresh)
{
	if (fresh || sec < *first)
		*first = sec;
	if (fresh || sec > *last)
		*last = sec;
}

/* ---- nodes ---------------------------------------------------------- */

static struct llr_node *node_get(struct llr_agg *g, const char *name, int64_t sec)
{
	uint64_t h = llr_hash(name, strlen(name));
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&g->nix, h, &pos)) >= 0)
		if (!strcmp(g->nodes[i]->name, name))
			goto found;
	if (g->nnodes == g->capnodes) {
		g->capnodes = g->capnodes ? g->capnodes * 2 : 8;
		g->nodes = llr_xrealloc(g->nodes, (size_t)g->capnodes * sizeof(*g->nodes));
	}
	i = g->nnodes++;
	g->nodes[i] = llr_xcalloc(1, sizeof(**g->nodes));
	g->nodes[i]->name = llr_xstrdup(name);
	g->nodes[i]->first_sec = g->nodes[i]->last_sec = sec;
	llr_index_put(&g->nix, h, i);
found:
	span(&g->nodes[i]->first_sec, &g->nodes[i]->last_sec, sec, 0);
	return g->nodes[i];
}

/* ---- users ---------------------------------------------------------- */

static int unusable_name(const char *s)
{
	return !s || !*s || !strcmp(s, "unset") || !strcmp(s, "?") || !strcmp(s, "(null)") ||
	       !strncmp(s, "unknown(", 8);
}

static struct llr_user *user_get(struct llr_agg *g, uint32_t uid, const char *name)
{
	if (unusable_name(name))
		name = (uid == LLR_UID_UNSET || g->o->no_resolve) ? NULL : llr_uid_name(uid);
	uint64_t h = llr_mix64(uid) ^ (name ? llr_hash(name, strlen(name)) : 0);
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&g->uix, h, &pos)) >= 0) {
		struct llr_user *u = g->users[i];
		if (u->uid == uid && (u->name ? name && !strcmp(u->name, name) : !name))
			return u;
	}
	if (uid != LLR_UID_UNSET && name) { /* known so far by name only (pam_landlock)? */
		for (int k = 0; k < g->nusers; k++) {
			struct llr_user *u = g->users[k];
			if (u->uid != LLR_UID_UNSET || !u->name || strcmp(u->name, name))
				continue;
			llr_index_del(&g->uix,
			              llr_mix64(LLR_UID_UNSET) ^ llr_hash(name, strlen(name)), k);
			u->uid = uid;
			llr_index_put(&g->uix, h, k);
			return u;
		}
	}
	if (g->nusers == g->capusers) {
		g->capusers = g->capusers ? g->capusers * 2 : 16;
		g->users = llr_xrealloc(g->users, (size_t)g->capusers * sizeof(*g->users));
	}
	struct llr_user *u = llr_xcalloc(1, sizeof(*u));
	u->uid = uid;
	u->name = name ? llr_xstrdup(name) : NULL;
	llr_topk_init(&u->objects, LLR_TOPK_USER);
	llr_topk_init(&u->programs, LLR_TOPK_USER / 4);
	u->idx = g->nusers;
	g->users[g->nusers] = u;
	llr_index_put(&g->uix, h, g->nusers++);
	return u;
}

const char *llr_user_label(const struct llr_user *u, char *buf, size_t n)
{
	if (u->name)
		return u->name;
	if (u->uid == LLR_UID_UNSET)
		return "(unknown)";
	snprintf(buf, n, "%u", u->uid);
	return buf;
}

int llr_agg_user_matches(const struct llr_agg *g, const struct llr_user *u)
{
	const struct llr_filter *f = &g->o->f;
	if (!f->user)
		return 1;
	if (f->user_numeric || (u->uid != LLR_UID_UNSET && f->user_uid == u->uid && !u->name))
		return u->uid == f->user_uid;
	return u->name && !strcmp(u->name, f->user);
}

/* ---- domains -------------------------------------------------------- */

static uint64_t dom_hash(const char *node, uint64_t id)
{
	return llr_hash(node, strlen(node)) ^ llr_mix64(id);
}

struct llr_domain *llr_agg_find_domain(struct llr_agg *g, const char *node, uint64_t id)
{
	size_t pos = 0;
	int i;
	uint64_t h = dom_hash(node, id);
	while ((i = llr_index_next(&g->dix, h, &pos)) >= 0)
		if (g->doms[i]->id == id && !strcmp(g->doms[i]->node, node))
			return g->doms[i];
	return NULL;
}

static struct llr_domain *domain_get(struct llr_agg *g, const char *node, uint64_t id)
{
	struct llr_domain *d = llr_agg_find_domain(g, node, id);
	if (d)
		return d;
	int i;
	if (g->nfree) {
		i = g->freeslots[--g->nfree];
	} else {
		if (g->ndoms == g->capdoms) {
			g->capdoms = g->capdoms ? g->capdoms * 2 : 64;
			g->doms = llr_xrealloc(g->doms, (size_t)g->capdoms * sizeof(*g->doms));
			g->freeslots =
			    llr_xrealloc(g->freeslots, (size_t)g->capdoms * sizeof(*g->freeslots));
		}
		i = g->ndoms++;
	}
	d = llr_xcalloc(1, sizeof(*d));
	d->node = llr_xstrdup(node);
	d->id = id;
	d->user = -1;
	d->slot = i;
	d->creator_uid = LLR_UID_UNSET;
	llr_topk_init(&d->objects, LLR_TOPK_DOMAIN);
	g->doms[i] = d;
	llr_index_put(&g->dix, dom_hash(node, id), i);
	g->tot.domains_seen++;
	return d;
}

static void domain_free(struct llr_domain *d)
{
	free(d->node);
	free(d->exe);
	free(d->comm);
	free(d->mode);
	free(d->creator_name);
	free(d->pam_service);
	free(d->pam_profile);
	free(d->pam_rhost);
	free(d->pam_tty);
	free(d->pam_acct);
	free(d->pam_enforcement);
	llr_topk_free(&d->objects);
	free(d);
}

static void domain_release(struct llr_agg *g, struct llr_domain *d)
{
	llr_index_del(&g->dix, dom_hash(d->node, d->id), d->slot);
	g->doms[d->slot] = NULL;
	g->freeslots[g->nfree++] = d->slot;
	domain_free(d);
}

/* ---- pam_landlock sessions ---------------------------------------- */

static void pam_clear(struct llr_pamrec *p)
{
	free(p->node);
	free(p->acct);
	free(p->service);
	free(p->profile);
	free(p->hostname);
	free(p->terminal);
	free(p->enforcement);
	memset(p, 0, sizeof(*p));
}

static uint64_t pam_hash(const char *node, int64_t pid)
{
	return llr_hash(node, strlen(node)) ^ llr_mix64((uint64_t)pid * 31 + 7);
}

static char *dup_or_null(const char *s)
{
	return s && strcmp(s, "?") ? llr_xstrdup(s) : NULL;
}

static void pam_add(struct llr_agg *g, const struct llr_event *ev)
{
	const struct llr_pam *p = &ev->pam;
	if (!g->pam)
		g->pam = llr_xcalloc(LLR_PAM_MAX, sizeof(*g->pam));
	if (g->pam_count == LLR_PAM_MAX) {
		struct llr_pamrec *old = &g->pam[g->pam_head];
		llr_index_del(&g->pix, pam_hash(old->node, old->pid), (int)g->pam_head);
		pam_clear(old);
		g->pam_head = (g->pam_head + 1) % LLR_PAM_MAX;
		g->pam_count--;
	}
	size_t slot = (g->pam_head + g->pam_count++) % LLR_PAM_MAX;
	struct llr_pamrec *r = &g->pam[slot];
	r->node = llr_xstrdup(ev->node);
	r->pid = p->pid;
	r->sec = ev->sec;
	r->ms = ev->ms;
	r->auid = p->auid;
	r->ses = p->ses;
	r->acct = dup_or_null(p->acct);
	r->service = dup_or_null(p->service);
	r->profile = dup_or_null(p->profile);
	r->hostname = dup_or_null(p->hostname && strcmp(p->hostname, "?") ? p->hostname : p->addr);
	r->terminal = dup_or_null(p->terminal);
	r->enforcement = dup_or_null(p->enforcement);
	llr_index_put(&g->pix, pam_hash(r->node, r->pid), (int)slot);
}

static void pam_tie(struct llr_agg *g, struct llr_domain *d)
{
	struct llr_pamrec *best = NULL;
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&g->pix, pam_hash(d->node, d->pid), &pos)) >= 0) {
		struct llr_pamrec *r = &g->pam[i];
		if (r->pid != d->pid || strcmp(r->node, d->node))
			continue;
		if (r->sec > d->alloc_sec || (r->sec == d->alloc_sec && r->ms > d->alloc_ms))
			continue;
		if (!best || r->sec > best->sec || (r->sec == best->sec && r->ms > best->ms))
			best = r;
	}
	if (!best)
		return;
	d->pam_service = dup_or_null(best->service);
	d->pam_profile = dup_or_null(best->profile);
	d->pam_rhost = dup_or_null(best->hostname);
	d->pam_tty = dup_or_null(best->terminal);
	d->pam_acct = dup_or_null(best->acct);
	d->pam_enforcement = dup_or_null(best->enforcement);
}

/* ---- events --------------------------------------------------------- */

static int in_time(const struct llr_filter *f, const struct llr_event *ev)
{
	if (f->has_after &&
	    (ev->sec < f->after_sec ||
	     (ev->sec == f->after_sec &&
	      (ev->ms < f->after_ms || (ev->ms == f->after_ms && ev->serial <= f->after_serial)))))
		return 0;
	return (!f->has_start || ev->sec >= f->start) && (!f->has_end || ev->sec <= f->end);
}

static void do_pam(struct llr_agg *g, struct llr_event *ev, int counted)
{
	const struct llr_pam *p = &ev->pam;
	if (!p->refused) /* kept for ties even out of range: its domain may be in range */
		pam_add(g, ev);
	if (!counted)
		return;
	uint32_t uid = p->auid;
	const char *name = p->acct;
	if (uid == LLR_UID_UNSET && name && llr_name_uid(name, &uid))
		uid = LLR_UID_UNSET;
	if (!name || !*name)
		name = p->auid_name;
	if (uid == LLR_UID_UNSET && name) /* a user known by name only: reuse its entry */
		for (int i = 0; i < g->nusers; i++)
			if (g->users[i]->name && !strcmp(g->users[i]->name, name)) {
				uid = g->users[i]->uid;
				break;
			}
	struct llr_user *u = user_get(g, uid, name);
	if (!llr_agg_user_matches(g, u))
		return;
	if (p->refused) {
		u->pam_refused++;
		g->tot.pam_refused++;
	} else {
		u->pam_sessions++;
		g->tot.pam_sessions++;
		node_get(g, ev->node, ev->sec)->pam_sessions++;
	}
}

static void do_alloc(struct llr_agg *g, struct llr_event *ev, const struct llr_alloc *al)
{
	const struct llr_filter *f = &g->o->f;
	if (f->has_domain && f->domain != al->domain)
		return;
	struct llr_domain *d = domain_get(g, ev->node, al->domain);
	g->tot.alloc_records++;
	if (d->has_alloc)
		return;
	d->has_alloc = 1;
	d->pid = al->pid;
	d->creator_uid = al->uid;
	d->alloc_sec = ev->sec;
	d->alloc_ms = ev->ms;
	d->exe = dup_or_null(al->exe);
	d->comm = dup_or_null(al->comm);
	d->mode = dup_or_null(al->mode);
	d->creator_name = dup_or_null(al->uid_name);
	if (unusable_name(d->creator_name) && !g->o->no_resolve) {
		free(d->creator_name);
		d->creator_name = dup_or_null(llr_uid_name(al->uid));
	}
	node_get(g, ev->node, ev->sec)->domains++;
	pam_tie(g, d);
}

static void user_time(struct llr_user *u, const struct llr_event *ev)
{
	if (!u->events || ev->sec < u->first_sec ||
	    (ev->sec == u->first_sec && ev->ms < u->first_ms)) {
		u->first_sec = ev->sec;
		u->first_ms = ev->ms;
	}
	if (!u->events || ev->sec > u->last_sec ||
	    (ev->sec == u->last_sec && ev->ms > u->last_ms)) {
		u->last_sec = ev->sec;
		u->last_ms = ev->ms;
	}
}

static void do_access(struct llr_agg *g, struct llr_event *ev, struct llr_user *u, int ui,
                      int *counted)
{
	const struct llr_filter *f = &g->o->f;
	const struct llr_syscall *sc = &ev->sc;
	uint64_t nodeh = llr_hash(ev->node, strlen(ev->node));
	for (int i = 0; i < ev->nacc; i++) {
		const struct llr_access *a = &ev->acc[i];
		if (f->has_domain && f->domain != a->domain)
			continue;
		if (f->blockers && !(f->blockers & a->blockers))
			continue;
		struct llr_domain *d = domain_get(g, ev->node, a->domain);
		if (!*counted) {
			user_time(u, ev);
			u->events++;
			g->tot.events++;
			*counted = 1;
		}
		u->denials++;
		g->tot.denials++;
		for (int b = 0; b < LLR_MAX_BLOCKERS; b++)
			if (a->blockers & (1ULL << b)) {
				u->blockers[b]++;
				d->blockers[b]++;
			}
		char key[512];
		snprintf(key, sizeof(key), "%s:%s", llr_objkind_name(a->kind), a->object);
		llr_topk_add(&u->objects, key, 1);
		llr_topk_add(&u->programs, sc->exe[0] ? sc->exe : sc->present ? sc->comm : "-", 1);
		llr_topk_add(&d->objects, key, 1);
		if (sc->ses != LLR_UID_UNSET)
			llr_u64set_add(&u->sessions, nodeh ^ llr_mix64(sc->ses));
		else
			llr_u64set_add(&u->sessions, nodeh ^ llr_mix64(a->domain) ^ 0x5e55);
		llr_u64set_add(&u->domains, nodeh ^ llr_mix64(a->domain));
		if (d->user < 0)
			d->user = ui;
		d->logged++;
		if (d->logged == 1 || ev->sec < d->first_sec)
			d->first_sec = ev->sec;
		if (d->logged == 1 || ev->sec > d->last_sec)
			d->last_sec = ev->sec;
		struct llr_node *n = node_get(g, ev->node, ev->sec);
		n->denials++;
		llr_u64set_add(&n->users, llr_mix64(u->uid) ^
		                              (u->name ? llr_hash(u->name, strlen(u->name)) : 0));
		if (g->cb)
			g->cb(g->cb_arg, ev, a, u, d);
	}
}

static int user_index(struct llr_agg *g, const struct llr_user *u)
{
	(void)g;
	return u->idx;
}

static void do_dealloc(struct llr_agg *g, struct llr_event *ev, const struct llr_dealloc *dl)
{
	const struct llr_filter *f = &g->o->f;
	if (f->has_domain && f->domain != dl->domain)
		return;
	g->tot.dealloc_records++;
	struct llr_node *n = node_get(g, ev->node, ev->sec);
	struct llr_domain *d = llr_agg_find_domain(g, ev->node, dl->domain);
	struct llr_user *u = d && d->user >= 0 ? g->users[d->user] : NULL;
	int count = u ? llr_agg_user_matches(g, u) : !(f->user || f->blockers);
	if (count) {
		n->kernel_denials += dl->denials;
		g->tot.kernel_denials += dl->denials;
		if (u) {
			u->kernel_denials += dl->denials;
			u->kernel_logged += d->logged;
			u->kernel_domains++;
		} else {
			n->unattributed_kernel += dl->denials;
			g->tot.unattributed_kernel += dl->denials;
		}
	}
	if (!d)
		return;
	d->deallocated = 1;
	d->kernel = dl->denials;
	if (!g->keep_domains)
		domain_release(g, d);
}

void llr_agg_event(struct llr_agg *g, struct llr_event *ev)
{
	const struct llr_filter *f = &g->o->f;
	int wanted = in_time(f, ev) && (!f->node || !strcmp(f->node, ev->node));
	if (ev->pam.present) {
		do_pam(g, ev, wanted);
		return;
	}
	if (!wanted) {
		g->tot.filtered_out++;
		return;
	}
	if (!g->tot.events && !g->tot.dealloc_records && !g->tot.alloc_records) {
		g->tot.first_sec = g->tot.last_sec = ev->sec;
		g->tot.first_ms = g->tot.last_ms = ev->ms;
	}
	if (ev->sec < g->tot.first_sec ||
	    (ev->sec == g->tot.first_sec && ev->ms < g->tot.first_ms)) {
		g->tot.first_sec = ev->sec;
		g->tot.first_ms = ev->ms;
	}
	if (ev->sec > g->tot.last_sec || (ev->sec == g->tot.last_sec && ev->ms > g->tot.last_ms)) {
		g->tot.last_sec = ev->sec;
		g->tot.last_ms = ev->ms;
	}
	for (int i = 0; i < ev->nalloc; i++)
		do_alloc(g, ev, &ev->alloc[i]);
	if (ev->nacc) {
		const struct llr_syscall *sc = &ev->sc;
		uint32_t uid = LLR_UID_UNSET;
		const char *name = NULL;
		if (!sc->present) {
			g->tot.no_syscall++;
		} else if (sc->auid != LLR_UID_UNSET) {
			uid = sc->auid;
			name = sc->auid_name;
		} else {
			uid = sc->uid;
			name = sc->uid_name;
		}
		struct llr_user *u = user_get(g, uid, name);
		if (llr_agg_user_matches(g, u)) {
			int counted = 0;
			do_access(g, ev, u, user_index(g, u), &counted);
			if (counted)
				node_get(g, ev->node, ev->sec)->events++;
		}
	}
	for (int i = 0; i < ev->ndealloc; i++)
		do_dealloc(g, ev, &ev->dealloc[i]);
}

/* ---- access ---------------------------------------------------------- */

int llr_agg_nusers(const struct llr_agg *g)
{
	return g->nusers;
}

struct llr_user *llr_agg_user(struct llr_agg *g, int i)
{
	return g->users[i];
}

int llr_agg_ndomains(const struct llr_agg *g)
{
	return g->ndoms;
}

struct llr_domain *llr_agg_domain(struct llr_agg *g, int i)
{
	return g->doms[i];
}

int llr_agg_nnodes(const struct llr_agg *g)
{
	return g->nnodes;
}

struct llr_node *llr_agg_node(struct llr_agg *g, int i)
{
	return g->nodes[i];
}

const struct llr_totals *llr_agg_totals(const struct llr_agg *g)
{
	return &g->tot;
}

void llr_agg_free(struct llr_agg *g)
{
	if (!g)
		return;
	for (int i = 0; i < g->nusers; i++) {
		struct llr_user *u = g->users[i];
		free(u->name);
		llr_u64set_free(&u->sessions);
		llr_u64set_free(&u->domains);
		llr_topk_free(&u->objects);
		llr_topk_free(&u->programs);
		free(u);
	}
	free(g->users);
	for (int i = 0; i < g->ndoms; i++)
		if (g->doms[i])
			domain_free(g->doms[i]);
	free(g->doms);
	free(g->freeslots);
	for (int i = 0; i < g->nnodes; i++) {
		free(g->nodes[i]->name);
		llr_u64set_free(&g->nodes[i]->users);
		free(g->nodes[i]);
	}
	free(g->nodes);
	for (size_t i = 0; g->pam && i < LLR_PAM_MAX; i++)
		pam_clear(&g->pam[i]);
	free(g->pam);
	llr_index_free(&g->uix);
	llr_index_free(&g->dix);
	llr_index_free(&g->nix);
	llr_index_free(&g->pix);
	free(g);
}
