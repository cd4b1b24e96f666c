/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agg.c - per-user, per-domain and per-node aggregation of completed
 * events (see agg.h).
 *
 * Attribution: a denial belongs to the user of its event's SYSCALL record
 * (auid when set, else uid; named by the ENRICHED field, else passwd),
 * with its session (ses).  A domain belongs to the user of its earliest
 * denial, to its creator (1424 allocated), and to the pam_landlock record
 * of its creator's pid (sessions.c).
 *
 * Selection: an event is in scope when its time and node are selected; a
 * denial is selected when, in addition, its domain, blocker and SYSCALL
 * fields pass the filters (sel_access and sel_event, the one place).
 * Domain facts (user, all logged denials, creator, session) are kept for
 * every domain in the node and domain selection, in or out of the time
 * range, so that a deallocation's count is attributed and its unlogged part
 * exact.  The kernel counts per domain: with a per-denial filter
 * (llr_filter_per_denial) kernel and unlogged counts are not applicable and
 * not counted.
 */
#include "config.h"

#include "agg.h"
#include "agg_priv.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

struct llr_agg *llr_agg_new(const struct llr_opts *o)
{
	struct llr_agg *g = llr_xcalloc(1, sizeof(*g));
	g->o = o;
	g->per_denial = llr_filter_per_denial(&o->f);
	g->keep_domains = o->view == LLR_VIEW_DOMAIN;
	g->sessions = llr_sessions_new();
	g->keep_srows = o->view == LLR_VIEW_SESSIONS && !o->follow;
	if (o->view == LLR_VIEW_REVISIONS)
		g->revs = llr_xcalloc(1, sizeof(*g->revs));
	return g;
}

static void span(int64_t *first, int64_t *last, int64_t t, int fresh)
{
	if (fresh || t < *first)
		*first = t;
	if (fresh || t > *last)
		*last = t;
}

/* ---- nodes ---------------------------------------------------------- */

static struct llr_node *node_lookup(struct llr_agg *g, const char *name);

static struct llr_node *node_get(struct llr_agg *g, const char *name)
{
	if (name == g->last_name)
		return g->last_node;
	g->last_name = name;
	g->last_node = node_lookup(g, name);
	return g->last_node;
}

static struct llr_node *node_lookup(struct llr_agg *g, const char *name)
{
	uint64_t h = llr_hash(name, strlen(name));
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&g->nix, h, &pos)) >= 0)
		if (!strcmp(g->nodes[i]->name, name))
			return g->nodes[i];
	if (g->nnodes == g->capnodes) {
		g->capnodes = g->capnodes ? g->capnodes * 2 : 8;
		g->nodes = llr_xrealloc(g->nodes, (size_t)g->capnodes * sizeof(*g->nodes));
	}
	i = g->nnodes++;
	g->nodes[i] = llr_xcalloc(1, sizeof(**g->nodes));
	g->nodes[i]->name = llr_xstrdup(name);
	llr_index_put(&g->nix, h, i);
	return g->nodes[i];
}

/* ---- users ---------------------------------------------------------- */

static uint64_t user_hash(uint32_t uid, const char *name)
{
	return llr_mix64(uid) ^ (name ? llr_hash(name, strlen(name)) : 0);
}

/* A user for distinct counts across record kinds: by name when named (the
 * pam_landlock account may lack its uid), else by uid. */
static uint64_t person_key(const struct llr_user *u)
{
	return u->name ? llr_hash(u->name, strlen(u->name)) : llr_mix64(u->uid) ^ 0x9e37;
}

int llr_agg_user_index(struct llr_agg *g, uint32_t uid, const char *name)
{
	uint64_t h = user_hash(uid, name);
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&g->uix, h, &pos)) >= 0) {
		struct llr_user *u = g->users[i];
		if (u->uid == uid && (u->name ? name && !strcmp(u->name, name) : !name))
			return i;
	}
	if (g->nusers == g->capusers) {
		g->capusers = g->capusers ? g->capusers * 2 : 16;
		g->users = llr_xrealloc(g->users, (size_t)g->capusers * sizeof(*g->users));
	}
	struct llr_user *u = llr_xcalloc(1, sizeof(*u));
	u->uid = uid;
	u->name = llr_xstrdup_opt(name);
	llr_topk_init(&u->objects, LLR_TOPK_USER_LIMIT);
	llr_topk_init(&u->programs, LLR_TOPK_USER_LIMIT);
	u->idx = g->nusers;
	g->users[g->nusers] = u;
	llr_index_put(&g->uix, h, g->nusers);
	return g->nusers++;
}

/* The user of a name from the log (ENRICHED) and a uid, else the passwd name. */
static struct llr_user *user_get(struct llr_agg *g, uint32_t uid, const char *name)
{
	if (!llr_name_usable(name))
		name = (uid == LLR_UID_UNSET || g->o->no_resolve) ? NULL : llr_uid_name(uid);
	int i = llr_agg_user_index(g, uid, name); /* may grow the array */
	return g->users[i];
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

void llr_agg_merge_names(struct llr_agg *g)
{
	for (int i = 0; i < g->nusers; i++) {
		struct llr_user *u = g->users[i], *to = NULL;
		int n = 0;
		if (u->uid != LLR_UID_UNSET || !u->name || u->hidden)
			continue;
		for (int k = 0; k < g->nusers; k++)
			if (g->users[k]->uid != LLR_UID_UNSET && g->users[k]->name &&
			    !strcmp(g->users[k]->name, u->name)) {
				to = g->users[k];
				n++;
			}
		if (n != 1)
			continue;
		to->pam_sessions += u->pam_sessions;
		to->pam_refused += u->pam_refused;
		to->pam_trials += u->pam_trials;
		u->pam_sessions = u->pam_refused = u->pam_trials = 0;
		if (!u->denials && !u->kernel_denials)
			u->hidden = 1;
	}
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
	llr_topk_init(&d->objects, LLR_TOPK_DOMAIN_LIMIT);
	g->doms[i] = d;
	llr_index_put(&g->dix, dom_hash(node, id), i);
	return d;
}

struct llr_domain *llr_agg_restore_domain(struct llr_agg *g, const char *node, uint64_t id)
{
	return domain_get(g, node, id);
}

static void domain_free(struct llr_domain *d)
{
	free(d->node);
	free(d->exe);
	free(d->comm);
	free(d->mode);
	free(d->creator_name);
	llr_session_free(d->pam);
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

/* ---- selection ------------------------------------------------------- */

static int in_time(const struct llr_filter *f, const struct llr_event *ev)
{
	return (!f->has_start || ev->sec >= f->start) && (!f->has_end || ev->sec <= f->end);
}

static int in_node(const struct llr_filter *f, const struct llr_event *ev)
{
	return !f->node || !strcmp(f->node, ev->node);
}

static int in_domain(const struct llr_filter *f, uint64_t domain)
{
	return !f->has_domain || f->domain == domain;
}

static int text_match(const struct llr_filter *f, const char *want, const char *have)
{
	if (!have)
		return 0;
	return f->exact ? !strcmp(have, want) : strstr(have, want) != NULL;
}

/* The one definition of a selected denial (its event is in scope), in two
 * halves: sel_access for what differs between the access records of one
 * event, sel_event for the rest, evaluated once per event. */
static int sel_access(const struct llr_filter *f, const struct llr_access *a)
{
	return in_domain(f, a->domain) && !(f->blockers && !(f->blockers & a->blockers));
}

static int sel_event(const struct llr_agg *g, const struct llr_event *ev, const struct llr_user *u)
{
	const struct llr_filter *f = &g->o->f;
	const struct llr_syscall *s = &ev->sc;
	if (!llr_agg_user_matches(g, u))
		return 0;
	if ((f->has_uid && s->uid != f->uid) || (f->has_euid && s->euid != f->euid) ||
	    (f->has_auid && s->auid != f->auid))
		return 0;
	if (f->has_anyuid && s->uid != f->anyuid && s->euid != f->anyuid && s->auid != f->anyuid)
		return 0;
	if ((f->has_uid || f->has_euid || f->has_auid || f->has_anyuid) && !s->present)
		return 0;
	if ((f->exe && !text_match(f, f->exe, s->exe)) ||
	    (f->comm && !text_match(f, f->comm, s->comm)))
		return 0;
	if (f->has_pid && (!s->present || s->pid != f->pid))
		return 0;
	if (f->has_ses && (!s->present || s->ses != f->ses))
		return 0;
	if (f->syscall) {
		if (!s->present)
			return 0;
		if (f->syscall_nr >= 0 ? s->syscall != f->syscall_nr
		                       : !s->sysname || strcmp(s->sysname, f->syscall))
			return 0;
	}
	return 1;
}

static void tot_time(struct llr_agg *g, int64_t t)
{
	span(&g->tot.first, &g->tot.last, t, !g->tot.has_range);
	g->tot.has_range = 1;
}

/* ---- events --------------------------------------------------------- */

static void do_pam(struct llr_agg *g, struct llr_event *ev, int scope)
{
	const struct llr_pam *p = &ev->pam;
	struct llr_session *kept = NULL;
	if (!in_node(&g->o->f, ev))
		return;
	if ((p->kind == LLR_PAM_ENFORCE || p->kind == LLR_PAM_TRY) && !p->failed)
		kept = llr_sessions_add_event(g->sessions, ev); /* ties, in range or not */
	if (!scope)
		return;
	/* A session is the account's (acct=), not the caller's auid; its uid is
	 * the auid when the record's ENRICHED AUID= names the account (sshd and
	 * login set the login uid first), else the passwd database's. */
	uint32_t uid = LLR_UID_UNSET;
	const char *name = llr_name_usable(p->acct) ? p->acct : NULL;
	if (name && p->auid != LLR_UID_UNSET && p->auid_name && !strcmp(p->auid_name, name))
		uid = p->auid;
	else if (name && !g->o->no_resolve && llr_name_uid(name, &uid))
		uid = LLR_UID_UNSET;
	int ui = llr_agg_user_index(g, uid, name); /* may grow the array */
	struct llr_user *u = g->users[ui];
	if (!llr_agg_user_matches(g, u))
		return;
	struct llr_node *n = node_get(g, ev->node);
	if (g->revs)
		llr_revs_record(g->revs, p->digest, p->kind, p->match, person_key(u),
		                llr_hash(ev->node, strlen(ev->node)), llr_ev_time(ev));
	if (g->keep_srows || g->scb) {
		struct llr_sessrow *row = llr_sessrow_new(ev, u->uid, u->name);
		if (g->keep_srows) {
			if (g->nsrows == g->capsrows) {
				g->capsrows = g->capsrows ? g->capsrows * 2 : 64;
				g->srows =
				    llr_xrealloc(g->srows, (size_t)g->capsrows * sizeof(*g->srows));
			}
			g->srows[g->nsrows++] = row;
			if (kept)
				kept->row = g->nsrows;
		} else {
			g->scb(g->scb_arg, row);
		}
	}
	if (p->kind == LLR_PAM_TRY) {
		u->pam_trials++;
		n->pam_trials++;
		g->tot.pam_trials++;
	} else if (p->kind == LLR_PAM_REFUSED) {
		u->pam_refused++;
		n->pam_refused++;
		g->tot.pam_refused++;
	} else {
		u->pam_sessions++;
		n->pam_sessions++;
		g->tot.pam_sessions++;
	}
}

static void do_alloc(struct llr_agg *g, struct llr_event *ev, const struct llr_alloc *al, int scope)
{
	struct llr_domain *d = domain_get(g, ev->node, al->domain);
	if (scope)
		g->tot.alloc_records++;
	if (d->has_alloc)
		return;
	d->has_alloc = 1;
	d->pid = al->pid;
	d->creator_uid = al->uid;
	d->alloc_time = llr_ev_time(ev);
	d->exe = llr_xstrdup_opt(al->exe);
	d->comm = llr_xstrdup_opt(al->comm);
	d->mode = llr_xstrdup_opt(al->mode);
	d->creator_name = llr_name_usable(al->uid_name) ? llr_xstrdup(al->uid_name) : NULL;
	if (!d->creator_name && !g->o->no_resolve && al->uid != LLR_UID_UNSET)
		d->creator_name = llr_xstrdup_opt(llr_uid_name(al->uid));
	const struct llr_session *s =
	    llr_sessions_find(g->sessions, ev->node, d->pid, d->alloc_time);
	if (s) {
		d->pam = llr_session_dup(s);
		if (s->row && s->row <= g->nsrows && !g->srows[s->row - 1]->has_domain) {
			g->srows[s->row - 1]->domain = al->domain;
			g->srows[s->row - 1]->has_domain = 1;
		}
	}
	if (scope && !g->per_denial && (d->user < 0 || !g->o->f.user))
		d->shown = 1;
}

static struct llr_user *attribute(struct llr_agg *g, const struct llr_event *ev)
{
	const struct llr_syscall *sc = &ev->sc;
	if (!sc->present)
		return user_get(g, LLR_UID_UNSET, NULL);
	if (sc->auid != LLR_UID_UNSET)
		return user_get(g, sc->auid, sc->auid_name);
	return user_get(g, sc->uid, sc->uid_name);
}

static void count_denial(struct llr_agg *g, struct llr_event *ev, const struct llr_access *a,
                         struct llr_user *u, struct llr_domain *d, int first_of_event)
{
	const struct llr_syscall *sc = &ev->sc;
	int64_t t = llr_ev_time(ev);
	uint64_t nodeh = llr_hash(ev->node, strlen(ev->node));
	struct llr_node *n = node_get(g, ev->node);
	if (first_of_event) {
		span(&u->first, &u->last, t, !u->events);
		u->events++;
		g->tot.events++;
		n->events++;
		if (!sc->present)
			g->tot.no_syscall++;
		tot_time(g, t);
	}
	u->denials++;
	g->tot.denials++;
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++)
		if (a->blockers & (1ULL << b)) {
			u->blockers[b]++;
			d->blockers[b]++;
		}
	const char *kind = llr_objkind_name(a->kind);
	size_t kl = strlen(kind), ol = strlen(a->object);
	char small[256], *key = kl + ol + 2 <= sizeof(small) ? small : llr_xmalloc(kl + ol + 2);
	memcpy(key, kind, kl);
	key[kl] = ':';
	memcpy(key + kl + 1, a->object, ol + 1);
	uint64_t kh = llr_hash(key, kl + 1 + ol);
	llr_topk_add_hashed(&u->objects, key, kh, 1);
	llr_topk_add_hashed(&d->objects, key, kh, 1);
	if (key != small)
		free(key);
	llr_topk_add(&u->programs, sc->exe ? sc->exe : sc->comm ? sc->comm : "-", 1);
	if (sc->ses != LLR_UID_UNSET)
		llr_u64set_add(&u->sessions, nodeh ^ llr_mix64(sc->ses));
	else
		llr_u64set_add(&u->sessions, nodeh ^ llr_mix64(a->domain) ^ 0x5e55);
	llr_u64set_add(&u->domains, nodeh ^ llr_mix64(a->domain));
	llr_u64set_add(&g->tot.domains, nodeh ^ llr_mix64(a->domain));
	span(&d->first, &d->last, t, !d->logged);
	d->logged++;
	d->shown = 1;
	span(&n->first, &n->last, t, !n->denials);
	n->denials++;
	llr_u64set_add(&n->users, user_hash(u->uid, u->name));
	llr_u64set_add(&n->domains, llr_mix64(a->domain));
	if (g->revs)
		llr_revs_denial(g->revs, d->pam ? d->pam->digest : NULL, person_key(u), nodeh,
		                a->domain, t);
	if (g->cb)
		g->cb(g->cb_arg, ev, a, u, d);
}

static void do_access(struct llr_agg *g, struct llr_event *ev, int scope)
{
	const struct llr_filter *f = &g->o->f;
	struct llr_user *u = attribute(g, ev);
	int64_t t = llr_ev_time(ev);
	int counted = 0, selected = scope && sel_event(g, ev, u);
	for (int i = 0; i < ev->nacc; i++) {
		const struct llr_access *a = &ev->acc[i];
		if (!in_domain(f, a->domain))
			continue;
		struct llr_domain *d = domain_get(g, ev->node, a->domain);
		d->logged_all++;
		if (d->user < 0 || t < d->user_time ||
		    (t == d->user_time && ev->serial < d->user_serial)) {
			d->user = u->idx;
			d->user_time = t;
			d->user_serial = ev->serial;
		}
		if (!selected || !sel_access(f, a))
			continue;
		count_denial(g, ev, a, u, d, !counted);
		counted = 1;
	}
}

static void do_dealloc(struct llr_agg *g, struct llr_event *ev, const struct llr_dealloc *dl,
                       int scope)
{
	const struct llr_filter *f = &g->o->f;
	struct llr_domain *d = llr_agg_find_domain(g, ev->node, dl->domain);
	struct llr_user *u = d && d->user >= 0 ? g->users[d->user] : NULL;
	if (d) {
		d->deallocated = 1;
		d->kernel = dl->denials;
	}
	if (scope && !g->per_denial && (u ? llr_agg_user_matches(g, u) : !f->user)) {
		struct llr_node *n = node_get(g, ev->node);
		g->tot.dealloc_records++;
		n->kernel_denials += dl->denials;
		g->tot.kernel_denials += dl->denials;
		tot_time(g, llr_ev_time(ev));
		if (u) {
			uint64_t unl = llr_domain_unlogged(d); /* d->kernel = dl->denials */
			u->kernel_denials += dl->denials;
			u->unlogged += unl;
			u->kernel_domains++;
			g->tot.unlogged += unl;
		} else {
			n->unattributed_kernel += dl->denials;
			g->tot.unattributed_kernel += dl->denials;
		}
		if (d)
			d->shown = 1;
	}
	if (d && !g->keep_domains)
		domain_release(g, d);
}

void llr_agg_event(struct llr_agg *g, struct llr_event *ev)
{
	const struct llr_filter *f = &g->o->f;
	int scope = in_time(f, ev) && in_node(f, ev);
	if (ev->pam.kind != LLR_PAM_NONE) {
		do_pam(g, ev, scope);
		return;
	}
	if (!in_node(f, ev))
		return;
	for (int i = 0; i < ev->nalloc; i++)
		if (in_domain(f, ev->alloc[i].domain))
			do_alloc(g, ev, &ev->alloc[i], scope);
	if (ev->nacc)
		do_access(g, ev, scope);
	for (int i = 0; i < ev->ndealloc; i++)
		if (in_domain(f, ev->dealloc[i].domain))
			do_dealloc(g, ev, &ev->dealloc[i], scope);
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
		llr_u64set_free(&g->nodes[i]->domains);
		free(g->nodes[i]);
	}
	free(g->nodes);
	llr_sessions_free(g->sessions);
	for (int i = 0; i < g->nsrows; i++)
		llr_sessrow_free(g->srows[i]);
	free(g->srows);
	if (g->revs) {
		llr_revs_free(g->revs);
		free(g->revs);
	}
	llr_u64set_free(&g->tot.domains);
	llr_index_free(&g->uix);
	llr_index_free(&g->dix);
	llr_index_free(&g->nix);
	free(g);
}
