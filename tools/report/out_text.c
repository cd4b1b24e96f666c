/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_text.c - aureport-style text rendering: a title, a "=====" rule,
 * a header line starting with '#', numbered rows; then, per user, the top
 * blockers, objects and programs.  Every string from the log goes through
 * llr_tx (escape.h): a name can neither start a line nor reach the
 * terminal as a control sequence.
 */
#include "config.h"

#include "output.h"

#include <stdlib.h>
#include <string.h>

static void rule(FILE *f, const char *title)
{
	fprintf(f, "\n%s\n", title);
	for (size_t i = 0; i < strlen(title); i++)
		putc('=', f);
	putc('\n', f);
}

/* "path" objects are shown as the path alone, others with their kind. */
static void put_object(FILE *f, const char *key)
{
	char kind[16];
	const char *v = llr_objkey_value(key, kind, sizeof(kind));
	if (strcmp(kind, "path") && strcmp(kind, "none"))
		fprintf(f, "%s ", kind);
	llr_text_put(f, v);
}

static void put_count(FILE *f, const struct llr_topk_ent *e)
{
	if (e->err)
		fprintf(f, " (%llu..%llu)", (unsigned long long)(e->count - e->err),
		        (unsigned long long)e->count);
	else
		fprintf(f, " (%llu)", (unsigned long long)e->count);
}

static void top_list(FILE *f, const char *label, const struct llr_topk *t, int top, int objects)
{
	int n;
	struct llr_topk_ent **v = llr_topk_sorted(t, &n);
	fprintf(f, "    %-9s", label);
	for (int i = 0; i < n && i < top; i++) {
		if (i)
			fputs(", ", f);
		if (objects)
			put_object(f, v[i]->key);
		else
			llr_text_put(f, v[i]->key);
		put_count(f, v[i]);
	}
	if (n > top)
		fprintf(f, ", ... %s%d more", t->evicted ? "at least " : "", n - top);
	if (!n)
		fputs("-", f);
	putc('\n', f);
	free(v);
}

static void kernel_col(char *buf, size_t n, const struct llr_agg *g, uint64_t v)
{
	if (llr_agg_per_denial(g))
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%llu", (unsigned long long)v);
}

static void header(FILE *f, struct llr_agg *g, const struct llr_opts *o, const struct llr_stats *st)
{
	const struct llr_totals *t = llr_agg_totals(g);
	char a[64], b[64];
	fputs("\nLandlock Denial Report\n======================\n", f);
	if (st && st->records) {
		llr_fmt_local_ms(a, sizeof(a), st->first);
		llr_fmt_local_ms(b, sizeof(b), st->last);
		fprintf(f, "Range of time in logs: %s - %s\n", a, b);
	} else {
		fputs("Range of time in logs: empty\n", f);
	}
	if (t->has_range) {
		llr_fmt_local_ms(a, sizeof(a), t->first);
		llr_fmt_local_ms(b, sizeof(b), t->last);
		fprintf(f, "Range of Landlock events: %s - %s\n", a, b);
	}
	if (o->f.has_start || o->f.has_end) {
		if (o->f.has_start)
			llr_fmt_local(a, sizeof(a), o->f.start);
		if (o->f.has_end)
			llr_fmt_local(b, sizeof(b), o->f.end);
		fprintf(f, "Selected time for report: %s - %s\n", o->f.has_start ? a : "start",
		        o->f.has_end ? b : "end");
	}
	fprintf(f, "Number of Landlock denials (logged): %llu\n", (unsigned long long)t->denials);
	fprintf(f, "Number of denial events: %llu\n", (unsigned long long)t->events);
	if (llr_agg_per_denial(g)) {
		fputs("Number of denials counted by the kernel: not applicable (the kernel counts "
		      "per domain, the filters select single denials)\n",
		      f);
	} else {
		fprintf(f, "Number of denials counted by the kernel (deallocated domains): %llu\n",
		        (unsigned long long)t->kernel_denials);
		if (t->unattributed_kernel)
			fprintf(f,
			        "  of which in domains with no logged denial in the input: %llu\n",
			        (unsigned long long)t->unattributed_kernel);
		fprintf(f, "Number of unlogged denials (attributed domains): %llu\n",
		        (unsigned long long)t->unlogged);
	}
	fprintf(f,
	        "Number of pam_landlock sessions: %llu (refused: %llu, landlockctl trials: %llu)\n",
	        (unsigned long long)t->pam_sessions, (unsigned long long)t->pam_refused,
	        (unsigned long long)t->pam_trials);
	if (t->no_syscall)
		fprintf(f, "Denial events without a SYSCALL record: %llu\n",
		        (unsigned long long)t->no_syscall);
	if (st)
		fprintf(f, "Number of malformed lines: %llu\n", (unsigned long long)st->malformed);
}

static void uid_col(char *buf, size_t n, uint32_t uid)
{
	if (uid == LLR_UID_UNSET)
		snprintf(buf, n, "-");
	else
		snprintf(buf, n, "%u", uid);
}

static void summary(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char lb[32], uid[16], kern[24], unl[24];
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
		int ids[LLR_MAX_BLOCKERS], nb = llr_sorted_blockers(u->blockers, ids), no;
		struct llr_topk_ent **obj = llr_topk_sorted(&u->objects, &no);
		uid_col(uid, sizeof(uid), u->uid);
		kernel_col(kern, sizeof(kern), g, u->kernel_denials);
		kernel_col(unl, sizeof(unl), g, u->unlogged);
		fprintf(f, "%d. %-16s %10s %8zu %7zu %8llu %8s %8s %-22s ", i + 1,
		        llr_tx(llr_user_label(u, lb, sizeof(lb))), uid, u->sessions.n, u->domains.n,
		        (unsigned long long)u->denials, kern, unl,
		        nb ? llr_blocker_name(ids[0]) : "-");
		if (no)
			put_object(f, obj[0]->key);
		else
			putc('-', f);
		putc('\n', f);
		free(obj);
	}
	rule(f, "Top Blockers, Objects and Programs per User");
	for (int i = 0; i < n; i++) {
		struct llr_user *u = v[i];
		int ids[LLR_MAX_BLOCKERS], nb = llr_sorted_blockers(u->blockers, ids);
		fprintf(f, "%d. %s", i + 1, llr_tx(llr_user_label(u, lb, sizeof(lb))));
		if (u->pam_sessions || u->pam_refused || u->pam_trials)
			fprintf(f, "  (pam_landlock sessions: %llu, refused: %llu, trials: %llu)",
			        (unsigned long long)u->pam_sessions,
			        (unsigned long long)u->pam_refused,
			        (unsigned long long)u->pam_trials);
		fputs("\n    blockers ", f);
		for (int b = 0; b < nb && b < o->top; b++)
			fprintf(f, "%s%s (%llu)", b ? ", " : "", llr_blocker_name(ids[b]),
			        (unsigned long long)u->blockers[ids[b]]);
		if (nb > o->top)
			fprintf(f, ", ... %d more", nb - o->top);
		fputs(nb ? "\n" : "-\n", f);
		top_list(f, "objects", &u->objects, o->top, 1);
		top_list(f, "programs", &u->programs, o->top, 0);
	}
	free(v);
}

static void pam_col(FILE *f, const struct llr_session *s)
{
	char *c = NULL;
	if (s &&
	    asprintf(&c, "%s%s/%s/%s", s->kind == LLR_PAM_TRY ? "trial:" : "",
	             llr_tx(s->service ? s->service : "-"), llr_tx(s->profile ? s->profile : "-"),
	             llr_tx(s->hostname ? s->hostname : "-")) < 0)
		c = NULL;
	fprintf(f, "%-24s ", c ? c : "-");
	free(c);
}

static void domain_details(FILE *f, struct llr_domain **v, int n, const struct llr_opts *o)
{
	rule(f, "Domain Details");
	for (int i = 0; i < n; i++) {
		struct llr_domain *d = v[i];
		fprintf(f, "%d. domain %llx\n", i + 1, (unsigned long long)d->id);
		if (d->has_alloc) {
			char uid[16];
			uid_col(uid, sizeof(uid), d->creator_uid);
			fprintf(f, "    creator  pid=%lld uid=%s (%s) exe=%s", (long long)d->pid,
			        uid, llr_tx(d->creator_name ? d->creator_name : "?"),
			        llr_tx(d->exe ? d->exe : "?"));
			fprintf(f, " comm=%s mode=%s\n", llr_tx(d->comm ? d->comm : "?"),
			        llr_tx(d->mode ? d->mode : "?"));
		}
		if (d->pam) {
			const struct llr_session *s = d->pam;
			fprintf(f, "    %-8s service=%s profile=%s",
			        s->kind == LLR_PAM_TRY ? "trial" : "pam",
			        llr_tx(s->service ? s->service : "-"),
			        llr_tx(s->profile ? s->profile : "-"));
			fprintf(f, " acct=%s rhost=%s", llr_tx(s->acct ? s->acct : "-"),
			        llr_tx(s->hostname ? s->hostname : "-"));
			fprintf(f, " tty=%s enforcement=%s\n",
			        llr_tx(s->terminal ? s->terminal : "-"),
			        llr_tx(s->enforcement ? s->enforcement : "-"));
			fprintf(f, "    policy   match=%s digest=%s",
			        llr_tx(s->match ? s->match : "-"),
			        llr_tx(s->digest ? s->digest : "-"));
			fprintf(f, " confine=%s\n", llr_tx(s->confine ? s->confine : "-"));
		}
		top_list(f, "objects", &d->objects, o->top, 1);
	}
}

static void domains(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char lb[32], a[64];
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
		char kern[24], unl[24];
		int ids[LLR_MAX_BLOCKERS];
		int nb = llr_sorted_blockers(d->blockers, ids);
		if (llr_agg_per_denial(g) || !d->deallocated) {
			snprintf(kern, sizeof(kern), d->deallocated ? "-" : "live");
			snprintf(unl, sizeof(unl), "-");
		} else {
			snprintf(kern, sizeof(kern), "%llu", (unsigned long long)d->kernel);
			snprintf(unl, sizeof(unl), "%llu",
			         (unsigned long long)llr_domain_unlogged(d));
		}
		llr_fmt_local(a, sizeof(a), (d->logged ? d->first : d->alloc_time) / 1000);
		fprintf(f, "%d. %-12llx %-12s %-14s ", i + 1, (unsigned long long)d->id,
		        d->node[0] ? llr_tx(d->node) : "-",
		        llr_tx(llr_domain_user_label(g, d, lb, sizeof(lb))));
		char *creator = NULL;
		if (d->has_alloc && asprintf(&creator, "%s[%lld]", llr_tx(d->comm ? d->comm : "?"),
		                             (long long)d->pid) < 0)
			creator = NULL;
		fprintf(f, "%-22s ", creator ? creator : "-");
		free(creator);
		fprintf(f, "%8llu %8s %8s ", (unsigned long long)d->logged, kern, unl);
		pam_col(f, d->pam);
		fprintf(f, "%-19s %s\n", a, nb ? llr_blocker_name(ids[0]) : "-");
	}
	if (n && (o->f.has_domain || n <= 20))
		domain_details(f, v, n, o);
	free(v);
}

static void nodes(FILE *f, struct llr_agg *g)
{
	int n;
	char a[64], b[64], kern[24], unat[24];
	struct llr_node **v = llr_sorted_nodes(g, &n);
	rule(f, "Landlock Denials per Node");
	if (!n)
		fputs("no Landlock denials found\n", f);
	else
		fprintf(f, "# %-20s %8s %8s %6s %8s %8s %12s %-19s %s\n", "node", "denials",
		        "events", "users", "domains", "kernel", "unattributed", "first", "last");
	for (int i = 0; i < n; i++) {
		struct llr_node *d = v[i];
		if (d->denials) {
			llr_fmt_local(a, sizeof(a), d->first / 1000);
			llr_fmt_local(b, sizeof(b), d->last / 1000);
		} else {
			snprintf(a, sizeof(a), "-");
			snprintf(b, sizeof(b), "-");
		}
		kernel_col(kern, sizeof(kern), g, d->kernel_denials);
		kernel_col(unat, sizeof(unat), g, d->unattributed_kernel);
		fprintf(f, "%d. %-20s %8llu %8llu %6zu %8zu %8s %12s %-19s %s\n", i + 1,
		        d->name[0] ? llr_tx(d->name) : "(local)", (unsigned long long)d->denials,
		        (unsigned long long)d->events, d->users.n, d->domains.n, kern, unat, a, b);
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
