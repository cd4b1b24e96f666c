/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_text.c - aureport-style text rendering: a title, a "=====" rule,
 * a header line starting with '#', numbered rows; then, per user, the top
 * blockers, objects and programs.  Also the sorting helpers and the
 * per-denial text stream.
 */
#include "config.h"

#include "names.h"
#include "output.h"

#include <stdlib.h>
#include <string.h>

static int cmp_user(const void *a, const void *b)
{
	const struct llr_user *x = *(struct llr_user *const *)a, *y = *(struct llr_user *const *)b;
	if (x->denials != y->denials)
		return x->denials > y->denials ? -1 : 1;
	return x->uid < y->uid ? -1 : x->uid > y->uid;
}

struct llr_user **llr_sorted_users(struct llr_agg *g, int *n)
{
	struct llr_user **v = llr_xcalloc((size_t)llr_agg_nusers(g) + 1, sizeof(*v));
	*n = 0;
	for (int i = 0; i < llr_agg_nusers(g); i++) {
		struct llr_user *u = llr_agg_user(g, i);
		if (u->denials || u->pam_sessions || u->pam_refused || u->kernel_denials)
			v[(*n)++] = u;
	}
	qsort(v, (size_t)*n, sizeof(*v), cmp_user);
	return v;
}

static int cmp_dom(const void *a, const void *b)
{
	const struct llr_domain *x = *(struct llr_domain *const *)a,
	                        *y = *(struct llr_domain *const *)b;
	if (x->logged != y->logged)
		return x->logged > y->logged ? -1 : 1;
	if (x->first_sec != y->first_sec)
		return x->first_sec < y->first_sec ? -1 : 1;
	return x->id < y->id ? -1 : x->id > y->id;
}

struct llr_domain **llr_sorted_domains(struct llr_agg *g, int *n)
{
	struct llr_domain **v = llr_xcalloc((size_t)llr_agg_ndomains(g) + 1, sizeof(*v));
	*n = 0;
	for (int i = 0; i < llr_agg_ndomains(g); i++) {
		struct llr_domain *d = llr_agg_domain(g, i);
		if (!d || (!d->logged && !d->has_alloc && !d->deallocated))
			continue;
		if (g && d->user >= 0 && !llr_agg_user_matches(g, llr_agg_user(g, d->user)))
			continue;
		v[(*n)++] = d;
	}
	qsort(v, (size_t)*n, sizeof(*v), cmp_dom);
	return v;
}

static int cmp_node(const void *a, const void *b)
{
	const struct llr_node *x = *(struct llr_node *const *)a, *y = *(struct llr_node *const *)b;
	if (x->denials != y->denials)
		return x->denials > y->denials ? -1 : 1;
	return strcmp(x->name, y->name);
}

struct llr_node **llr_sorted_nodes(struct llr_agg *g, int *n)
{
	*n = llr_agg_nnodes(g);
	struct llr_node **v = llr_xcalloc((size_t)*n + 1, sizeof(*v));
	for (int i = 0; i < *n; i++)
		v[i] = llr_agg_node(g, i);
	qsort(v, (size_t)*n, sizeof(*v), cmp_node);
	return v;
}

int llr_sorted_blockers(const uint64_t *counts, int *ids)
{
	int n = 0;
	for (int b = 0; b < llr_blocker_count(); b++)
		if (counts[b])
			ids[n++] = b;
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && counts[ids[j]] > counts[ids[j - 1]]; j--) {
			int t = ids[j];
			ids[j] = ids[j - 1];
			ids[j - 1] = t;
		}
	return n;
}

const char *llr_objkey_value(const char *key, char *kind, size_t n)
{
	const char *c = strchr(key, ':');
	if (!c) {
		snprintf(kind, n, "none");
		return key;
	}
	snprintf(kind, n, "%.*s", (int)(c - key), key);
	return c + 1;
}

const char *llr_domain_user_label(struct llr_agg *g, const struct llr_domain *d, char *buf,
                                  size_t n)
{
	if (d->user < 0)
		return "(unknown)";
	return llr_user_label(llr_agg_user(g, d->user), buf, n);
}

static void fmt_time(char *buf, size_t n, int64_t sec, unsigned ms, int with_ms)
{
	llr_fmt_local(buf, n, sec);
	if (with_ms) {
		size_t l = strlen(buf);
		snprintf(buf + l, n - l, ".%03u", ms);
	}
}

static void rule(FILE *f, const char *title)
{
	fprintf(f, "\n%s\n", title);
	for (size_t i = 0; i < strlen(title); i++)
		putc('=', f);
	putc('\n', f);
}

static const char *obj_text(const char *key, char *buf, size_t n)
{
	char kind[16];
	const char *v = llr_objkey_value(key, kind, sizeof(kind));
	if (!strcmp(kind, "path") || !strcmp(kind, "none"))
		return v;
	snprintf(buf, n, "%s %s", kind, v);
	return buf;
}

static void top_list(FILE *f, const char *label, struct llr_topk *t, int top, int objects)
{
	char buf[600];
	int n = llr_topk_sorted(t);
	fprintf(f, "    %-9s", label);
	for (int i = 0; i < n && i < top; i++)
		fprintf(f, "%s%s (%llu%s)", i ? ", " : "",
		        objects ? obj_text(t->e[i].key, buf, sizeof(buf)) : t->e[i].key,
		        (unsigned long long)t->e[i].count, t->e[i].err ? "~" : "");
	if (n > top)
		fprintf(f, ", ... %d more", n - top);
	if (!n)
		fputs("-", f);
	putc('\n', f);
}

static void header(FILE *f, struct llr_agg *g, const struct llr_opts *o, const struct llr_stats *st)
{
	const struct llr_totals *t = llr_agg_totals(g);
	char a[64], b[64];
	fputs("\nLandlock Denial Report\n======================\n", f);
	if (st && st->records) {
		fmt_time(a, sizeof(a), st->first_sec, st->first_ms, 1);
		fmt_time(b, sizeof(b), st->last_sec, st->last_ms, 1);
		fprintf(f, "Range of time in logs: %s - %s\n", a, b);
	} else {
		fputs("Range of time in logs: empty\n", f);
	}
	if (t->events || t->dealloc_records) {
		fmt_time(a, sizeof(a), t->first_sec, t->first_ms, 1);
		fmt_time(b, sizeof(b), t->last_sec, t->last_ms, 1);
		fprintf(f, "Range of Landlock events: %s - %s\n", a, b);
	}
	if (o->f.has_start || o->f.has_end) {
		if (o->f.has_start)
			fmt_time(a, sizeof(a), o->f.start, 0, 0);
		if (o->f.has_end)
			fmt_time(b, sizeof(b), o->f.end, 0, 0);
		fprintf(f, "Selected time for report: %s - %s\n", o->f.has_start ? a : "start",
		        o->f.has_end ? b : "end");
	}
	fprintf(f, "Number of Landlock denials (logged): %llu\n", (unsigned long long)t->denials);
	fprintf(f, "Number of denial events: %llu\n", (unsigned long long)t->events);
	fprintf(f, "Number of denials counted by the kernel (deallocated domains): %llu\n",
	        (unsigned long long)t->kernel_denials);
	if (t->unattributed_kernel)
		fprintf(f, "  of which in domains with no logged denial in range: %llu\n",
		        (unsigned long long)t->unattributed_kernel);
	fprintf(f, "Number of pam_landlock sessions: %llu (refused: %llu)\n",
	        (unsigned long long)t->pam_sessions, (unsigned long long)t->pam_refused);
	if (t->no_syscall)
		fprintf(f, "Denial events without a SYSCALL record: %llu\n",
		        (unsigned long long)t->no_syscall);
	if (st)
		fprintf(f, "Number of malformed lines: %llu\n", (unsigned long long)st->malformed);
}

static void summary(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char lb[32], ob[600];
	struct llr_user **v = llr_sorted_users(g, &n);
	rule(f, "Landlock Denials per User");
	if (!n) {
		fputs("no Landlock denials found\n", f);
		free(v);
		return;
	}
	fprintf(f, "# %-16s %10s %8s %7s %8s %8s %8s %-22s %s\n", "user", "uid", "sessions",
	        "domains", "denials", "kernel", "unlogged", "top blocker", "top object");
	for (int i = 0; i < n; i++) {
		struct llr_user *u = v[i];
		int ids[LLR_MAX_BLOCKERS], nb = llr_sorted_blockers(u->blockers, ids);
		char uid[16];
		if (u->uid == LLR_UID_UNSET)
			snprintf(uid, sizeof(uid), "-");
		else
			snprintf(uid, sizeof(uid), "%u", u->uid);
		llr_topk_sorted(&u->objects);
		long long unl = (long long)u->kernel_denials - (long long)u->kernel_logged;
		fprintf(f, "%d. %-16s %10s %8zu %7zu %8llu %8llu %8lld %-22s %s\n", i + 1,
		        llr_user_label(u, lb, sizeof(lb)), uid, u->sessions.n, u->domains.n,
		        (unsigned long long)u->denials, (unsigned long long)u->kernel_denials,
		        unl > 0 ? unl : 0, nb ? llr_blocker_name(ids[0]) : "-",
		        u->objects.n ? obj_text(u->objects.e[0].key, ob, sizeof(ob)) : "-");
	}
	rule(f, "Top Blockers, Objects and Programs per User");
	for (int i = 0; i < n; i++) {
		struct llr_user *u = v[i];
		int ids[LLR_MAX_BLOCKERS], nb = llr_sorted_blockers(u->blockers, ids);
		fprintf(f, "%d. %s", i + 1, llr_user_label(u, lb, sizeof(lb)));
		if (u->pam_sessions || u->pam_refused)
			fprintf(f, "  (pam_landlock sessions: %llu, refused: %llu)",
			        (unsigned long long)u->pam_sessions,
			        (unsigned long long)u->pam_refused);
		fputs("\n    blockers ", f);
		for (int b = 0; b < nb && b < o->top; b++)
			fprintf(f, "%s%s (%llu)", b ? ", " : "", llr_blocker_name(ids[b]),
			        (unsigned long long)u->blockers[ids[b]]);
		fputs(nb ? "\n" : "-\n", f);
		top_list(f, "objects", &u->objects, o->top, 1);
		top_list(f, "programs", &u->programs, o->top, 0);
	}
	free(v);
}

static void domains(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char lb[32], a[64], ob[600];
	struct llr_domain **v = llr_sorted_domains(g, &n);
	rule(f, "Landlock Domains");
	if (!n)
		fputs("no Landlock denials found\n", f);
	else
		fprintf(f, "# %-12s %-12s %-14s %-22s %8s %8s %8s %-24s %-19s %s\n", "domain",
		        "node", "user", "creator", "denials", "kernel", "unlogged", "pam session",
		        "first", "top blocker");
	for (int i = 0; i < n; i++) {
		struct llr_domain *d = v[i];
		char creator[64], pam[96], kern[24], unl[24];
		int ids[LLR_MAX_BLOCKERS];
		uint64_t counts[LLR_MAX_BLOCKERS];
		for (int b = 0; b < LLR_MAX_BLOCKERS; b++)
			counts[b] = d->blockers[b];
		int nb = llr_sorted_blockers(counts, ids);
		if (d->has_alloc)
			snprintf(creator, sizeof(creator), "%s[%lld]", d->comm ? d->comm : "?",
			         (long long)d->pid);
		else
			snprintf(creator, sizeof(creator), "-");
		if (d->pam_service)
			snprintf(pam, sizeof(pam), "%s/%s/%s", d->pam_service,
			         d->pam_profile ? d->pam_profile : "-",
			         d->pam_rhost ? d->pam_rhost : "-");
		else
			snprintf(pam, sizeof(pam), "-");
		snprintf(kern, sizeof(kern), d->deallocated ? "%llu" : "live",
		         (unsigned long long)d->kernel);
		if (d->deallocated && d->kernel >= d->logged)
			snprintf(unl, sizeof(unl), "%llu",
			         (unsigned long long)(d->kernel - d->logged));
		else
			snprintf(unl, sizeof(unl), "-");
		fmt_time(a, sizeof(a), d->logged ? d->first_sec : d->alloc_sec, 0, 0);
		fprintf(f, "%d. %-12llx %-12s %-14s %-22s %8llu %8s %8s %-24s %-19s %s\n", i + 1,
		        (unsigned long long)d->id, d->node[0] ? d->node : "-",
		        llr_domain_user_label(g, d, lb, sizeof(lb)), creator,
		        (unsigned long long)d->logged, kern, unl, pam, a,
		        nb ? llr_blocker_name(ids[0]) : "-");
	}
	if (n && (o->f.has_domain || n <= 20)) {
		rule(f, "Domain Details");
		for (int i = 0; i < n; i++) {
			struct llr_domain *d = v[i];
			fprintf(f, "%d. domain %llx", i + 1, (unsigned long long)d->id);
			if (d->has_alloc)
				fprintf(
				    f, " created by pid %lld uid %u (%s) exe=%s comm=%s mode=%s",
				    (long long)d->pid, d->creator_uid,
				    d->creator_name ? d->creator_name : "?", d->exe ? d->exe : "?",
				    d->comm ? d->comm : "?", d->mode ? d->mode : "?");
			putc('\n', f);
			if (d->pam_service)
				fprintf(f,
				        "    pam      service=%s profile=%s acct=%s rhost=%s "
				        "tty=%s enforcement=%s\n",
				        d->pam_service, d->pam_profile ? d->pam_profile : "-",
				        d->pam_acct ? d->pam_acct : "-",
				        d->pam_rhost ? d->pam_rhost : "-",
				        d->pam_tty ? d->pam_tty : "-",
				        d->pam_enforcement ? d->pam_enforcement : "-");
			top_list(f, "objects", &d->objects, o->top, 1);
			(void)ob;
		}
	}
	free(v);
}

static void nodes(FILE *f, struct llr_agg *g)
{
	int n;
	char a[64], b[64];
	struct llr_node **v = llr_sorted_nodes(g, &n);
	rule(f, "Landlock Denials per Node");
	if (!n)
		fputs("no Landlock denials found\n", f);
	else
		fprintf(f, "# %-20s %8s %8s %6s %8s %8s %12s %-19s %s\n", "node", "denials",
		        "events", "users", "domains", "kernel", "unattributed", "first", "last");
	for (int i = 0; i < n; i++) {
		struct llr_node *d = v[i];
		fmt_time(a, sizeof(a), d->first_sec, 0, 0);
		fmt_time(b, sizeof(b), d->last_sec, 0, 0);
		fprintf(f, "%d. %-20s %8llu %8llu %6zu %8llu %8llu %12llu %-19s %s\n", i + 1,
		        d->name[0] ? d->name : "(local)", (unsigned long long)d->denials,
		        (unsigned long long)d->events, d->users.n, (unsigned long long)d->domains,
		        (unsigned long long)d->kernel_denials,
		        (unsigned long long)d->unattributed_kernel, a, b);
	}
	free(v);
}

void llr_out_text(FILE *f, struct llr_agg *g, const struct llr_opts *o, const struct llr_stats *st)
{
	header(f, g, o, st);
	switch (o->view) {
	case LLR_VIEW_DOMAIN:
		domains(f, g, o);
		break;
	case LLR_VIEW_NODE:
		nodes(f, g);
		break;
	default:
		summary(f, g, o);
		break;
	}
}

void llr_out_report(FILE *f, struct llr_agg *g, const struct llr_opts *o,
                    const struct llr_stats *st)
{
	switch (o->format) {
	case LLR_FMT_CSV:
		llr_out_csv(f, g, o);
		break;
	case LLR_FMT_JSON:
		llr_out_json(f, g, o);
		break;
	default:
		llr_out_text(f, g, o, st);
		break;
	}
}
