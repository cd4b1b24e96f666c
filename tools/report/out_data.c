/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_data.c - machine-readable renderings: CSV (one header line, one row
 * per user, domain, node or denial) and JSON lines (one object per line,
 * field names after go-libaudit / ECS: user.id, user.name, process.pid,
 * process.executable, host.name, event.action, @timestamp).  Also the text
 * rendering of the per-denial stream.  Schema: aulandlock(8).
 */
#include "config.h"

#include "output.h"

#include <stdlib.h>
#include <string.h>

static void csv_top(FILE *f, struct llr_topk *t, int top, int objects)
{
	char kind[16];
	int n = llr_topk_sorted(t);
	char buf[700];
	size_t len = 0;
	buf[0] = '\0';
	for (int i = 0; i < n && i < top && len < sizeof(buf); i++) {
		const char *v = t->e[i].key;
		if (objects)
			v = llr_objkey_value(v, kind, sizeof(kind));
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%s%s%s=%llu", i ? ";" : "",
		                        objects ? kind : "", objects ? ":" : "", v,
		                        (unsigned long long)t->e[i].count);
	}
	llr_csv_str(f, buf);
}

static void csv_blockers(FILE *f, const uint64_t *counts, int top)
{
	int ids[LLR_MAX_BLOCKERS], n = llr_sorted_blockers(counts, ids);
	for (int i = 0; i < n && i < top; i++)
		fprintf(f, "%s%s=%llu", i ? ";" : "", llr_blocker_name(ids[i]),
		        (unsigned long long)counts[ids[i]]);
}

static void iso(char *b, size_t n, int64_t sec, unsigned ms)
{
	llr_fmt_iso(b, n, sec, ms);
}

static void json_top(FILE *f, const char *name, struct llr_topk *t, int top, int objects)
{
	char kind[16];
	int n = llr_topk_sorted(t);
	fprintf(f, ",\"%s\":[", name);
	for (int i = 0; i < n && i < top; i++) {
		const char *v = t->e[i].key;
		fputs(i ? ",{" : "{", f);
		if (objects) {
			v = llr_objkey_value(v, kind, sizeof(kind));
			fprintf(f, "\"kind\":\"%s\",", kind);
		}
		fputs("\"value\":", f);
		llr_json_str(f, v);
		fprintf(f, ",\"count\":%llu", (unsigned long long)t->e[i].count);
		if (t->e[i].err)
			fprintf(f, ",\"approximate\":true");
		putc('}', f);
	}
	putc(']', f);
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

static void json_user_id(FILE *f, const struct llr_user *u)
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

static void dom_counts(const struct llr_domain *d, uint64_t *c)
{
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++)
		c[b] = d->blockers[b];
}

void llr_out_csv(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char a[40], b[40], lb[32];
	if (o->view == LLR_VIEW_DOMAIN) {
		struct llr_domain **v = llr_sorted_domains(g, &n);
		fputs("domain,node,user,uid,creator_pid,creator_uid,creator_exe,creator_comm,mode,"
		      "pam_service,pam_profile,pam_acct,pam_rhost,pam_tty,denials,kernel_denials,"
		      "deallocated,first_seen,last_seen,top_blockers,top_objects\n",
		      f);
		for (int i = 0; i < n; i++) {
			struct llr_domain *d = v[i];
			const struct llr_user *u = d->user >= 0 ? llr_agg_user(g, d->user) : NULL;
			uint64_t c[LLR_MAX_BLOCKERS];
			fprintf(f, "%llx,", (unsigned long long)d->id);
			llr_csv_str(f, d->node);
			putc(',', f);
			llr_csv_str(f, llr_domain_user_label(g, d, lb, sizeof(lb)));
			if (u && u->uid != LLR_UID_UNSET)
				fprintf(f, ",%u", u->uid);
			else
				fputs(",", f);
			if (d->has_alloc)
				fprintf(f, ",%lld,%u,", (long long)d->pid, d->creator_uid);
			else
				fputs(",,,", f);
			llr_csv_str(f, d->exe);
			putc(',', f);
			llr_csv_str(f, d->comm);
			putc(',', f);
			llr_csv_str(f, d->mode);
			const char *pf[] = {d->pam_service, d->pam_profile, d->pam_acct,
			                    d->pam_rhost, d->pam_tty};
			for (size_t k = 0; k < 5; k++) {
				putc(',', f);
				llr_csv_str(f, pf[k]);
			}
			iso(a, sizeof(a), d->first_sec, 0);
			iso(b, sizeof(b), d->last_sec, 0);
			fprintf(f, ",%llu,", (unsigned long long)d->logged);
			if (d->deallocated)
				fprintf(f, "%llu", (unsigned long long)d->kernel);
			fprintf(f, ",%s,%s,%s,", d->deallocated ? "yes" : "no", d->logged ? a : "",
			        d->logged ? b : "");
			dom_counts(d, c);
			csv_blockers(f, c, o->top);
			putc(',', f);
			csv_top(f, &d->objects, o->top, 1);
			putc('\n', f);
		}
		free(v);
	} else if (o->view == LLR_VIEW_NODE) {
		struct llr_node **v = llr_sorted_nodes(g, &n);
		fputs(
		    "node,denials,events,users,domains,kernel_denials,unattributed_kernel_denials,"
		    "pam_sessions,first_seen,last_seen\n",
		    f);
		for (int i = 0; i < n; i++) {
			struct llr_node *d = v[i];
			iso(a, sizeof(a), d->first_sec, 0);
			iso(b, sizeof(b), d->last_sec, 0);
			llr_csv_str(f, d->name);
			fprintf(f, ",%llu,%llu,%zu,%llu,%llu,%llu,%llu,%s,%s\n",
			        (unsigned long long)d->denials, (unsigned long long)d->events,
			        d->users.n, (unsigned long long)d->domains,
			        (unsigned long long)d->kernel_denials,
			        (unsigned long long)d->unattributed_kernel,
			        (unsigned long long)d->pam_sessions, a, b);
		}
		free(v);
	} else {
		struct llr_user **v = llr_sorted_users(g, &n);
		fputs("user,uid,sessions,domains,denials,events,kernel_denials,unlogged_denials,"
		      "pam_sessions,pam_refused,first_seen,last_seen,top_blockers,top_objects,"
		      "top_programs\n",
		      f);
		for (int i = 0; i < n; i++) {
			struct llr_user *u = v[i];
			long long unl = (long long)u->kernel_denials - (long long)u->kernel_logged;
			llr_csv_str(f, llr_user_label(u, lb, sizeof(lb)));
			if (u->uid != LLR_UID_UNSET)
				fprintf(f, ",%u", u->uid);
			else
				fputs(",", f);
			iso(a, sizeof(a), u->first_sec, u->first_ms);
			iso(b, sizeof(b), u->last_sec, u->last_ms);
			fprintf(f, ",%zu,%zu,%llu,%llu,%llu,%lld,%llu,%llu,%s,%s,", u->sessions.n,
			        u->domains.n, (unsigned long long)u->denials,
			        (unsigned long long)u->events,
			        (unsigned long long)u->kernel_denials, unl > 0 ? unl : 0,
			        (unsigned long long)u->pam_sessions,
			        (unsigned long long)u->pam_refused, u->events ? a : "",
			        u->events ? b : "");
			csv_blockers(f, u->blockers, o->top);
			putc(',', f);
			csv_top(f, &u->objects, o->top, 1);
			putc(',', f);
			csv_top(f, &u->programs, o->top, 0);
			putc('\n', f);
		}
		free(v);
	}
}

void llr_out_json(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	int n;
	char a[40], b[40];
	if (o->view == LLR_VIEW_DOMAIN) {
		struct llr_domain **v = llr_sorted_domains(g, &n);
		for (int i = 0; i < n; i++) {
			struct llr_domain *d = v[i];
			uint64_t c[LLR_MAX_BLOCKERS];
			fprintf(f,
			        "{\"record\":\"domain\",\"schema\":%d,\"landlock\":{\"domain\":\"%"
			        "llx\",",
			        LLR_SCHEMA_VERSION, (unsigned long long)d->id);
			fprintf(f, "\"deallocated\":%s,\"denials\":{\"logged\":%llu,\"kernel\":",
			        d->deallocated ? "true" : "false", (unsigned long long)d->logged);
			if (d->deallocated)
				fprintf(f, "%llu}}", (unsigned long long)d->kernel);
			else
				fputs("null}}", f);
			fputs(",\"host\":{\"name\":", f);
			llr_json_str(f, d->node[0] ? d->node : NULL);
			fputs("},", f);
			if (d->user >= 0)
				json_user_id(f, llr_agg_user(g, d->user));
			else
				fputs("\"user\":null", f);
			if (d->has_alloc) {
				fprintf(
				    f,
				    ",\"creator\":{\"pid\":%lld,\"user\":{\"id\":\"%u\",\"name\":",
				    (long long)d->pid, d->creator_uid);
				llr_json_str(f, d->creator_name);
				fputs("},\"executable\":", f);
				llr_json_str(f, d->exe);
				fputs(",\"name\":", f);
				llr_json_str(f, d->comm);
				fputs(",\"mode\":", f);
				llr_json_str(f, d->mode);
				putc('}', f);
			}
			if (d->pam_service) {
				fputs(",\"pam\":{\"service\":", f);
				llr_json_str(f, d->pam_service);
				fputs(",\"profile\":", f);
				llr_json_str(f, d->pam_profile);
				fputs(",\"acct\":", f);
				llr_json_str(f, d->pam_acct);
				fputs(",\"remote_host\":", f);
				llr_json_str(f, d->pam_rhost);
				fputs(",\"tty\":", f);
				llr_json_str(f, d->pam_tty);
				fputs(",\"enforcement\":", f);
				llr_json_str(f, d->pam_enforcement);
				putc('}', f);
			}
			if (d->logged) {
				iso(a, sizeof(a), d->first_sec, 0);
				iso(b, sizeof(b), d->last_sec, 0);
				fprintf(f, ",\"event\":{\"start\":\"%s\",\"end\":\"%s\"}", a, b);
			}
			dom_counts(d, c);
			json_blockers(f, c);
			json_top(f, "objects", &d->objects, o->top, 1);
			fputs("}\n", f);
		}
		free(v);
	} else if (o->view == LLR_VIEW_NODE) {
		struct llr_node **v = llr_sorted_nodes(g, &n);
		for (int i = 0; i < n; i++) {
			struct llr_node *d = v[i];
			iso(a, sizeof(a), d->first_sec, 0);
			iso(b, sizeof(b), d->last_sec, 0);
			fprintf(f, "{\"record\":\"node\",\"schema\":%d,\"host\":{\"name\":",
			        LLR_SCHEMA_VERSION);
			llr_json_str(f, d->name[0] ? d->name : NULL);
			fprintf(
			    f,
			    "},\"denials\":{\"logged\":%llu,\"events\":%llu,\"kernel\":%llu,"
			    "\"unattributed_kernel\":%llu},\"users\":%zu,\"domains\":%llu,"
			    "\"pam_sessions\":%llu,\"event\":{\"start\":\"%s\",\"end\":\"%s\"}}\n",
			    (unsigned long long)d->denials, (unsigned long long)d->events,
			    (unsigned long long)d->kernel_denials,
			    (unsigned long long)d->unattributed_kernel, d->users.n,
			    (unsigned long long)d->domains, (unsigned long long)d->pam_sessions, a,
			    b);
		}
		free(v);
	} else {
		struct llr_user **v = llr_sorted_users(g, &n);
		for (int i = 0; i < n; i++) {
			struct llr_user *u = v[i];
			long long unl = (long long)u->kernel_denials - (long long)u->kernel_logged;
			fprintf(f, "{\"record\":\"user\",\"schema\":%d,", LLR_SCHEMA_VERSION);
			json_user_id(f, u);
			fprintf(f,
			        ",\"sessions\":%zu,\"domains\":%zu,\"denials\":{\"logged\":%llu,"
			        "\"events\":%llu,\"kernel\":%llu,\"unlogged\":%lld},\"pam\":{"
			        "\"sessions\":"
			        "%llu,\"refused\":%llu}",
			        u->sessions.n, u->domains.n, (unsigned long long)u->denials,
			        (unsigned long long)u->events,
			        (unsigned long long)u->kernel_denials, unl > 0 ? unl : 0,
			        (unsigned long long)u->pam_sessions,
			        (unsigned long long)u->pam_refused);
			if (u->events) {
				iso(a, sizeof(a), u->first_sec, u->first_ms);
				iso(b, sizeof(b), u->last_sec, u->last_ms);
				fprintf(f, ",\"event\":{\"start\":\"%s\",\"end\":\"%s\"}", a, b);
			}
			json_blockers(f, u->blockers);
			json_top(f, "objects", &u->objects, o->top, 1);
			json_top(f, "programs", &u->programs, o->top, 0);
			fputs("}\n", f);
		}
		free(v);
	}
}

/* ---- per-denial stream -------------------------------------------- */

void llr_out_denials_begin(struct llr_outctx *c)
{
	if (c->o->format == LLR_FMT_CSV)
		fputs(
		    "time,node,serial,user,uid,auid,ses,pid,comm,exe,syscall,exit,domain,blockers,"
		    "object_kind,object\n",
		    c->f);
	else if (c->o->format == LLR_FMT_TEXT)
		fprintf(c->f,
		        "\nLandlock Denials\n================\n# %-23s %-10s %-12s %-7s %-10s "
		        "%-16s %-28s %s\n",
		        "date time", "node", "user", "ses", "domain", "comm", "blockers", "object");
}

static void blockers_str(char *buf, size_t n, uint64_t mask)
{
	size_t len = 0;
	buf[0] = '\0';
	for (int b = 0; b < LLR_MAX_BLOCKERS && len < n; b++)
		if (mask & (1ULL << b))
			len += (size_t)snprintf(buf + len, n - len, "%s%s", len ? "," : "",
			                        llr_blocker_name(b));
}

void llr_out_denial(void *arg, const struct llr_event *ev, const struct llr_access *a,
                    const struct llr_user *u, const struct llr_domain *d)
{
	struct llr_outctx *c = arg;
	FILE *f = c->f;
	const struct llr_syscall *sc = &ev->sc;
	char t[40], bl[512], lb[32], ses[16];
	(void)d;
	c->rows++;
	blockers_str(bl, sizeof(bl), a->blockers);
	if (sc->ses == LLR_UID_UNSET)
		snprintf(ses, sizeof(ses), "-");
	else
		snprintf(ses, sizeof(ses), "%u", sc->ses);
	if (c->o->format == LLR_FMT_TEXT) {
		llr_fmt_local(t, sizeof(t), ev->sec);
		size_t l = strlen(t);
		snprintf(t + l, sizeof(t) - l, ".%03u", ev->ms);
		fprintf(f, "%llu. %-23s %-10s %-12s %-7s %-10llx %-16s %-28s %s%s%s\n",
		        (unsigned long long)c->rows, t, ev->node[0] ? ev->node : "-",
		        llr_user_label(u, lb, sizeof(lb)), ses, (unsigned long long)a->domain,
		        sc->present ? sc->comm : "-", bl,
		        a->kind == LLR_OBJ_PATH || a->kind == LLR_OBJ_NONE
		            ? ""
		            : llr_objkind_name(a->kind),
		        a->kind == LLR_OBJ_PATH || a->kind == LLR_OBJ_NONE ? "" : " ", a->object);
		return;
	}
	llr_fmt_iso(t, sizeof(t), ev->sec, ev->ms);
	if (c->o->format == LLR_FMT_CSV) {
		fprintf(f, "%s,", t);
		llr_csv_str(f, ev->node);
		fprintf(f, ",%llu,", (unsigned long long)ev->serial);
		llr_csv_str(f, llr_user_label(u, lb, sizeof(lb)));
		if (sc->present)
			fprintf(f, ",%u,%u,%s,%lld,", sc->uid, sc->auid,
			        sc->ses == LLR_UID_UNSET ? "" : ses, (long long)sc->pid);
		else
			fputs(",,,,,", f);
		llr_csv_str(f, sc->comm);
		putc(',', f);
		llr_csv_str(f, sc->exe);
		putc(',', f);
		if (sc->sysname[0])
			llr_csv_str(f, sc->sysname);
		else if (sc->present)
			fprintf(f, "%d", sc->syscall);
		if (sc->present)
			fprintf(f, ",%lld", (long long)sc->exit_code);
		else
			putc(',', f);
		fprintf(f, ",%llx,", (unsigned long long)a->domain);
		llr_csv_str(f, bl);
		fprintf(f, ",%s,", llr_objkind_name(a->kind));
		llr_csv_str(f, a->object);
		putc('\n', f);
		return;
	}
	fprintf(f, "{\"@timestamp\":\"%s\",\"record\":\"denial\",\"schema\":%d,\"sequence\":%llu,",
	        t, LLR_SCHEMA_VERSION, (unsigned long long)ev->serial);
	fputs("\"event\":{\"kind\":\"event\",\"category\":\"landlock\",\"action\":\"denied\","
	      "\"outcome\":\"failure\"},\"host\":{\"name\":",
	      f);
	llr_json_str(f, ev->node[0] ? ev->node : NULL);
	fputs("},", f);
	json_user_id(f, u);
	if (sc->present) {
		fputs(",\"session\":", f);
		if (sc->ses == LLR_UID_UNSET)
			fputs("null", f);
		else
			fprintf(f, "\"%u\"", sc->ses);
		fprintf(f,
		        ",\"ids\":{\"auid\":\"%u\",\"uid\":\"%u\"},\"process\":{\"pid\":%lld,"
		        "\"ppid\":%lld,\"name\":",
		        sc->auid, sc->uid, (long long)sc->pid, (long long)sc->ppid);
		llr_json_str(f, sc->comm);
		fputs(",\"executable\":", f);
		llr_json_str(f, sc->exe[0] ? sc->exe : NULL);
		fprintf(f, ",\"exit_code\":%lld},\"syscall\":", (long long)sc->exit_code);
		if (sc->sysname[0])
			llr_json_str(f, sc->sysname);
		else
			fprintf(f, "\"%d\"", sc->syscall);
	}
	fprintf(f, ",\"landlock\":{\"domain\":\"%llx\",\"blockers\":[",
	        (unsigned long long)a->domain);
	int first = 1;
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++)
		if (a->blockers & (1ULL << b)) {
			fprintf(f, "%s\"%s\"", first ? "" : ",", llr_blocker_name(b));
			first = 0;
		}
	fprintf(f, "],\"object\":{\"kind\":\"%s\",\"value\":", llr_objkind_name(a->kind));
	llr_json_str(f, a->object);
	if (a->kind == LLR_OBJ_BIND || a->kind == LLR_OBJ_CONNECT)
		fprintf(f, ",\"port\":%u", a->port);
	if (a->kind == LLR_OBJ_TASK)
		fprintf(f, ",\"pid\":%lld", (long long)a->opid);
	if (a->path && a->kind != LLR_OBJ_PATH) {
		fputs(",\"path\":", f);
		llr_json_str(f, a->path);
	}
	fputs("}}}\n", f);
}

void llr_out_denials_end(struct llr_outctx *c, const struct llr_stats *st)
{
	if (c->o->format == LLR_FMT_TEXT && !c->rows)
		fputs("no Landlock denials found\n", c->f);
	(void)st;
}
