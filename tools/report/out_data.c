/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_data.c - machine-readable renderings of the views: CSV (one header
 * line, one row per user, domain or node) and JSON lines (one object per
 * line, field names after go-libaudit / ECS: user.id, user.name,
 * host.name, event.start).  Schema: aulandlock(8), OUTPUT FORMATS; string
 * encodings: escape.h.
 */
#include "config.h"

#include "output.h"

#include <stdlib.h>
#include <string.h>

static void csv_top(FILE *f, const struct llr_topk *t, int top, int objects)
{
	char kind[16], num[48];
	int n;
	struct llr_topk_ent **v = llr_topk_sorted(t, &n);
	struct llr_csvlist l;
	llr_csv_list_begin(&l);
	for (int i = 0; i < n && i < top; i++) {
		const char *val = v[i]->key;
		if (i)
			llr_csv_list_lit(&l, ";");
		if (objects) {
			val = llr_objkey_value(val, kind, sizeof(kind));
			llr_csv_list_lit(&l, kind);
			llr_csv_list_lit(&l, ":");
		}
		llr_csv_list_val(&l, val);
		if (v[i]->err)
			snprintf(num, sizeof(num), "=%llu..%llu",
			         (unsigned long long)(v[i]->count - v[i]->err),
			         (unsigned long long)v[i]->count);
		else
			snprintf(num, sizeof(num), "=%llu", (unsigned long long)v[i]->count);
		llr_csv_list_lit(&l, num);
	}
	llr_csv_list_end(&l, f);
	free(v);
}

static void csv_blockers(FILE *f, const uint64_t *counts, int top)
{
	int ids[LLR_MAX_BLOCKERS], n = llr_sorted_blockers(counts, ids);
	for (int i = 0; i < n && i < top; i++)
		fprintf(f, "%s%s=%llu", i ? ";" : "", llr_blocker_name(ids[i]),
		        (unsigned long long)counts[ids[i]]);
}

/* A number, or an empty field when the kernel's counts are not applicable. */
static void csv_kernel(FILE *f, const struct llr_agg *g, uint64_t v)
{
	if (!llr_agg_per_denial(g))
		fprintf(f, "%llu", (unsigned long long)v);
}

static void json_kernel(FILE *f, const struct llr_agg *g, uint64_t v)
{
	if (llr_agg_per_denial(g))
		fputs("null", f);
	else
		fprintf(f, "%llu", (unsigned long long)v);
}

static void iso(char *b, size_t n, int64_t t)
{
	llr_fmt_iso_ms(b, n, t);
}

static void json_top(FILE *f, const char *name, const struct llr_topk *t, int top, int objects)
{
	char kind[16];
	int n;
	struct llr_topk_ent **v = llr_topk_sorted(t, &n);
	fprintf(f, ",\"%s\":[", name);
	for (int i = 0; i < n && i < top; i++) {
		const char *val = v[i]->key;
		fputs(i ? ",{" : "{", f);
		if (objects) {
			val = llr_objkey_value(val, kind, sizeof(kind));
			fprintf(f, "\"kind\":\"%s\",", kind);
		}
		fputs("\"value\":", f);
		llr_json_str(f, val);
		fprintf(f, ",\"count\":%llu", (unsigned long long)v[i]->count);
		if (v[i]->err)
			fprintf(f, ",\"count_min\":%llu,\"approximate\":true",
			        (unsigned long long)(v[i]->count - v[i]->err));
		putc('}', f);
	}
	putc(']', f);
	free(v);
}

static void json_blockers(FILE *f, const uint64_t *counts)
{
	int ids[LLR_MAX_BLOCKERS], n = llr_sorted_blockers(counts, ids);
	fputs(",\"blockers\":[", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s{\"name\":\"%s\",\"count\":%llu}", i ? "," : "",
		        llr_blocker_name(ids[i]), (unsigned long long)counts[ids[i]]);
	putc(']', f);
}

void llr_json_user(FILE *f, const struct llr_user *u)
{
	fputs("\"user\":{\"id\":", f);
	if (u->uid == LLR_UID_UNSET)
		fputs("null", f);
	else
		fprintf(f, "\"%u\"", u->uid);
	fputs(",\"name\":", f);
	llr_json_str(f, u->name);
	putc('}', f);
}

const char *llr_pam_kind_name(const struct llr_session *s)
{
	return s->kind == LLR_PAM_TRY ? "trial" : "session";
}

static void csv_domains(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char a[40], b[40], lb[32];
	struct llr_domain **v = llr_sorted_domains(g, &n);
	fputs("domain,node,user,uid,creator_pid,creator_uid,creator_exe,creator_comm,mode,"
	      "pam_service,pam_profile,pam_acct,pam_rhost,pam_tty,denials,kernel_denials,"
	      "deallocated,first_seen,last_seen,top_blockers,top_objects,unlogged_denials,"
	      "pam_kind,pam_match,pam_digest,pam_confine\n",
	      f);
	for (int i = 0; i < n; i++) {
		struct llr_domain *d = v[i];
		const struct llr_user *u = d->user >= 0 ? llr_agg_user(g, d->user) : NULL;
		const struct llr_session *s = d->pam;
		fprintf(f, "%llx,", (unsigned long long)d->id);
		llr_csv_str(f, d->node);
		putc(',', f);
		llr_csv_str(f, llr_domain_user_label(g, d, lb, sizeof(lb)));
		if (u && u->uid != LLR_UID_UNSET)
			fprintf(f, ",%u", u->uid);
		else
			fputs(",", f);
		if (d->has_alloc) {
			fprintf(f, ",%lld,", (long long)d->pid);
			if (d->creator_uid != LLR_UID_UNSET)
				fprintf(f, "%u", d->creator_uid);
			putc(',', f);
		} else {
			fputs(",,,", f);
		}
		llr_csv_str(f, d->exe);
		putc(',', f);
		llr_csv_str(f, d->comm);
		putc(',', f);
		llr_csv_str(f, d->mode);
		const char *pf[] = {s ? s->service : NULL, s ? s->profile : NULL,
		                    s ? s->acct : NULL, s ? s->hostname : NULL,
		                    s ? s->terminal : NULL};
		llr_csv_strs(f, pf, 5);
		iso(a, sizeof(a), d->first);
		iso(b, sizeof(b), d->last);
		fprintf(f, ",%llu,", (unsigned long long)d->logged);
		if (d->deallocated)
			csv_kernel(f, g, d->kernel);
		fprintf(f, ",%s,%s,%s,", d->deallocated ? "yes" : "no", d->logged ? a : "",
		        d->logged ? b : "");
		csv_blockers(f, d->blockers, o->top);
		putc(',', f);
		csv_top(f, &d->objects, o->top, 1);
		putc(',', f);
		if (d->deallocated)
			csv_kernel(f, g, llr_domain_unlogged(d));
		fprintf(f, ",%s", s ? llr_pam_kind_name(s) : "");
		const char *tail[] = {s ? s->match : NULL, s ? s->digest : NULL,
		                      s ? s->confine : NULL};
		llr_csv_strs(f, tail, 3);
		putc('\n', f);
	}
	free(v);
}

static void csv_nodes(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char a[40], b[40];
	struct llr_node **v = llr_sorted_nodes(g, &n);
	(void)o;
	fputs("node,denials,events,users,domains,kernel_denials,unattributed_kernel_denials,"
	      "pam_sessions,first_seen,last_seen,pam_refused,pam_trials\n",
	      f);
	for (int i = 0; i < n; i++) {
		struct llr_node *d = v[i];
		iso(a, sizeof(a), d->first);
		iso(b, sizeof(b), d->last);
		llr_csv_str(f, d->name);
		fprintf(f, ",%llu,%llu,%zu,%zu,", (unsigned long long)d->denials,
		        (unsigned long long)d->events, d->users.n, d->domains.n);
		csv_kernel(f, g, d->kernel_denials);
		putc(',', f);
		csv_kernel(f, g, d->unattributed_kernel);
		fprintf(f, ",%llu,%s,%s,%llu,%llu\n", (unsigned long long)d->pam_sessions,
		        d->denials ? a : "", d->denials ? b : "",
		        (unsigned long long)d->pam_refused, (unsigned long long)d->pam_trials);
	}
	free(v);
}

static void csv_users(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char a[40], b[40], lb[32];
	struct llr_user **v = llr_sorted_users(g, &n);
	fputs("user,uid,sessions,domains,denials,events,kernel_denials,unlogged_denials,"
	      "pam_sessions,pam_refused,first_seen,last_seen,top_blockers,top_objects,"
	      "top_programs,pam_trials\n",
	      f);
	for (int i = 0; i < n; i++) {
		struct llr_user *u = v[i];
		llr_csv_str(f, llr_user_label(u, lb, sizeof(lb)));
		if (u->uid != LLR_UID_UNSET)
			fprintf(f, ",%u", u->uid);
		else
			fputs(",", f);
		iso(a, sizeof(a), u->first);
		iso(b, sizeof(b), u->last);
		fprintf(f, ",%zu,%zu,%llu,%llu,", u->sessions.n, u->domains.n,
		        (unsigned long long)u->denials, (unsigned long long)u->events);
		csv_kernel(f, g, u->kernel_denials);
		putc(',', f);
		csv_kernel(f, g, u->unlogged);
		fprintf(f, ",%llu,%llu,%s,%s,", (unsigned long long)u->pam_sessions,
		        (unsigned long long)u->pam_refused, u->events ? a : "", u->events ? b : "");
		csv_blockers(f, u->blockers, o->top);
		putc(',', f);
		csv_top(f, &u->objects, o->top, 1);
		putc(',', f);
		csv_top(f, &u->programs, o->top, 0);
		fprintf(f, ",%llu\n", (unsigned long long)u->pam_trials);
	}
	free(v);
}

void llr_json_pam_open(FILE *f, const struct llr_session *s)
{
	fputs(",\"pam\":{\"service\":", f);
	llr_json_str(f, s->service);
	fputs(",\"profile\":", f);
	llr_json_str(f, s->profile);
	fputs(",\"acct\":", f);
	llr_json_str(f, s->acct);
	fputs(",\"remote_host\":", f);
	llr_json_str(f, s->hostname);
	fputs(",\"tty\":", f);
	llr_json_str(f, s->terminal);
	fputs(",\"enforcement\":", f);
	llr_json_str(f, s->enforcement);
	fprintf(f, ",\"kind\":\"%s\",\"match\":", llr_pam_kind_name(s)); /* schema 2 */
	llr_json_str(f, s->match);
	fputs(",\"digest\":", f); /* schema 3 */
	llr_json_str(f, s->digest);
	fputs(",\"confine\":", f);
	llr_json_str(f, s->confine);
}

void llr_json_pam(FILE *f, const struct llr_session *s)
{
	llr_json_pam_open(f, s);
	putc('}', f);
}

static void json_domains(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char a[40], b[40];
	struct llr_domain **v = llr_sorted_domains(g, &n);
	for (int i = 0; i < n; i++) {
		struct llr_domain *d = v[i];
		fprintf(f,
		        "{\"record\":\"domain\",\"schema\":%d,\"landlock\":{\"domain\":\"%llx\","
		        "\"deallocated\":%s,\"denials\":{\"logged\":%llu,\"kernel\":",
		        LLR_SCHEMA_VERSION, (unsigned long long)d->id,
		        d->deallocated ? "true" : "false", (unsigned long long)d->logged);
		if (d->deallocated)
			json_kernel(f, g, d->kernel);
		else
			fputs("null", f);
		fputs(",\"unlogged\":", f);
		if (d->deallocated)
			json_kernel(f, g, llr_domain_unlogged(d));
		else
			fputs("null", f);
		fputs("}},\"host\":{\"name\":", f);
		llr_json_str(f, d->node[0] ? d->node : NULL);
		fputs("},", f);
		if (d->user >= 0)
			llr_json_user(f, llr_agg_user(g, d->user));
		else
			fputs("\"user\":null", f);
		if (d->has_alloc) {
			fprintf(f,
			        ",\"creator\":{\"pid\":%lld,\"user\":{\"id\":", (long long)d->pid);
			if (d->creator_uid == LLR_UID_UNSET)
				fputs("null", f);
			else
				fprintf(f, "\"%u\"", d->creator_uid);
			fputs(",\"name\":", f);
			llr_json_str(f, d->creator_name);
			fputs("},\"executable\":", f);
			llr_json_str(f, d->exe);
			fputs(",\"name\":", f);
			llr_json_str(f, d->comm);
			fputs(",\"mode\":", f);
			llr_json_str(f, d->mode);
			putc('}', f);
		}
		if (d->pam)
			llr_json_pam(f, d->pam);
		if (d->logged) {
			iso(a, sizeof(a), d->first);
			iso(b, sizeof(b), d->last);
			fprintf(f, ",\"event\":{\"start\":\"%s\",\"end\":\"%s\"}", a, b);
		}
		json_blockers(f, d->blockers);
		json_top(f, "objects", &d->objects, o->top, 1);
		fputs("}\n", f);
	}
	free(v);
}

static void json_nodes(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char a[40], b[40];
	struct llr_node **v = llr_sorted_nodes(g, &n);
	(void)o;
	for (int i = 0; i < n; i++) {
		struct llr_node *d = v[i];
		fprintf(f, "{\"record\":\"node\",\"schema\":%d,\"host\":{\"name\":",
		        LLR_SCHEMA_VERSION);
		llr_json_str(f, d->name[0] ? d->name : NULL);
		fprintf(f, "},\"denials\":{\"logged\":%llu,\"events\":%llu,\"kernel\":",
		        (unsigned long long)d->denials, (unsigned long long)d->events);
		json_kernel(f, g, d->kernel_denials);
		fputs(",\"unattributed_kernel\":", f);
		json_kernel(f, g, d->unattributed_kernel);
		fprintf(f,
		        "},\"users\":%zu,\"domains\":%zu,\"pam_sessions\":%llu,"
		        "\"pam\":{\"sessions\":%llu,\"refused\":%llu,\"trials\":%llu}",
		        d->users.n, d->domains.n, (unsigned long long)d->pam_sessions,
		        (unsigned long long)d->pam_sessions, (unsigned long long)d->pam_refused,
		        (unsigned long long)d->pam_trials);
		if (d->denials) {
			iso(a, sizeof(a), d->first);
			iso(b, sizeof(b), d->last);
			fprintf(f, ",\"event\":{\"start\":\"%s\",\"end\":\"%s\"}", a, b);
		}
		fputs("}\n", f);
	}
	free(v);
}

static void json_users(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char a[40], b[40];
	struct llr_user **v = llr_sorted_users(g, &n);
	for (int i = 0; i < n; i++) {
		struct llr_user *u = v[i];
		fprintf(f, "{\"record\":\"user\",\"schema\":%d,", LLR_SCHEMA_VERSION);
		llr_json_user(f, u);
		fprintf(f,
		        ",\"sessions\":%zu,\"domains\":%zu,\"denials\":{\"logged\":%llu,"
		        "\"events\":%llu,\"kernel\":",
		        u->sessions.n, u->domains.n, (unsigned long long)u->denials,
		        (unsigned long long)u->events);
		json_kernel(f, g, u->kernel_denials);
		fputs(",\"unlogged\":", f);
		json_kernel(f, g, u->unlogged);
		fprintf(f, "},\"pam\":{\"sessions\":%llu,\"refused\":%llu,\"trials\":%llu}",
		        (unsigned long long)u->pam_sessions, (unsigned long long)u->pam_refused,
		        (unsigned long long)u->pam_trials);
		if (u->events) {
			iso(a, sizeof(a), u->first);
			iso(b, sizeof(b), u->last);
			fprintf(f, ",\"event\":{\"start\":\"%s\",\"end\":\"%s\"}", a, b);
		}
		json_blockers(f, u->blockers);
		json_top(f, "objects", &u->objects, o->top, 1);
		json_top(f, "programs", &u->programs, o->top, 0);
		fputs("}\n", f);
	}
	free(v);
}

void llr_out_data(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	typedef void (*view_fn)(FILE *, struct llr_agg *, const struct llr_opts *);
	static const view_fn csv[] = {csv_users, csv_domains, csv_nodes};
	static const view_fn json[] = {json_users, json_domains, json_nodes};
	int v = o->view == LLR_VIEW_DOMAIN ? 1 : o->view == LLR_VIEW_NODE ? 2 : 0;
	(o->format == LLR_FMT_CSV ? csv : json)[v](f, g, o);
}
