/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_denial.c - the per-denial stream (--denials, follow mode, the auditd
 * plugin): one text row, CSV row or JSON object per selected denial, as
 * its event completes, with the session context of the domain's
 * pam_landlock record; and the alert records (detect.h), which are the
 * triggering denial with an "alert" object.  JSON after go-libaudit and
 * ECS (@timestamp, event.*, host.name, user.*, process.*, source.ip,
 * related.user).  Schema: aulandlock(8).
 */
#include "config.h"

#include "output.h"

#include "detect.h"
#include "names.h"

#include <arpa/inet.h>
#include <stdlib.h>
#include <string.h>

void llr_out_denials_begin(struct llr_outctx *c)
{
	if (c->o->format == LLR_FMT_CSV)
		fputs(
		    "time,node,serial,user,uid,auid,ses,pid,comm,exe,syscall,exit,domain,blockers,"
		    "object_kind,object,euid,ppid,command_line,pam_service,pam_profile,pam_match,"
		    "pam_acct,pam_rhost,pam_tty,pam_digest,pam_kind,pam_confine\n",
		    c->f);
	else if (c->o->format == LLR_FMT_TEXT)
		fprintf(c->f,
		        "\nLandlock Denials\n================\n# %-23s %-10s %-12s %-7s %-10s "
		        "%-16s %-28s %s\n",
		        "date time", "node", "user", "ses", "domain", "comm", "blockers",
		        "object [command line]");
}

static void csv_id(FILE *f, const struct llr_syscall *sc, uint32_t v)
{
	putc(',', f);
	if (sc->present && v != LLR_UID_UNSET)
		fprintf(f, "%u", v);
}

static void denial_csv(FILE *f, const struct llr_event *ev, const struct llr_access *a,
                       const struct llr_user *u, const struct llr_session *s, const char *bl)
{
	const struct llr_syscall *sc = &ev->sc;
	char t[40], lb[32];
	llr_fmt_iso(t, sizeof(t), ev->sec, ev->ms);
	fprintf(f, "%s,", t);
	llr_csv_str(f, ev->node);
	fprintf(f, ",%llu,", (unsigned long long)ev->serial);
	llr_csv_str(f, llr_user_label(u, lb, sizeof(lb)));
	csv_id(f, sc, sc->uid);
	csv_id(f, sc, sc->auid);
	csv_id(f, sc, sc->ses);
	putc(',', f);
	if (sc->present)
		fprintf(f, "%lld", (long long)sc->pid);
	putc(',', f);
	llr_csv_str(f, sc->comm);
	putc(',', f);
	llr_csv_str(f, sc->exe);
	putc(',', f);
	if (sc->sysname)
		llr_csv_str(f, sc->sysname);
	else if (sc->syscall >= 0)
		fprintf(f, "%lld", (long long)sc->syscall);
	putc(',', f);
	if (sc->has_exit)
		fprintf(f, "%lld", (long long)sc->exit_code);
	fprintf(f, ",%llx,", (unsigned long long)a->domain);
	llr_csv_str(f, bl);
	fprintf(f, ",%s,", llr_objkind_name(a->kind));
	llr_csv_str(f, a->object);
	csv_id(f, sc, sc->euid);
	putc(',', f);
	if (sc->present)
		fprintf(f, "%lld", (long long)sc->ppid);
	putc(',', f);
	llr_csv_str(f, ev->pt.cmdline);
	const char *pf[] = {
	    s ? s->service : NULL, s ? s->profile : NULL,           s ? s->match : NULL,
	    s ? s->acct : NULL,    s ? s->hostname : NULL,          s ? s->terminal : NULL,
	    s ? s->digest : NULL,  s ? llr_pam_kind_name(s) : NULL, s ? s->confine : NULL};
	llr_csv_strs(f, pf, sizeof(pf) / sizeof(pf[0]));
	putc('\n', f);
}

static void json_id(FILE *f, const char *name, uint32_t v, int first)
{
	fprintf(f, "%s\"%s\":", first ? "" : ",", name);
	if (v == LLR_UID_UNSET)
		fputs("null", f);
	else
		fprintf(f, "\"%u\"", v);
}

static void json_args(FILE *f, const struct llr_proctitle *pt)
{
	fputs(",\"args\":[", f);
	for (size_t i = 0, k = 0; i < pt->len; k++) {
		size_t l = strnlen(pt->args + i, pt->len - i);
		char *arg = llr_xstrndup(pt->args + i, l);
		if (k)
			putc(',', f);
		llr_json_str(f, arg);
		free(arg);
		i += l + 1;
	}
	putc(']', f);
}

int llr_is_ip(const char *s)
{
	unsigned char b[16];
	return s && (inet_pton(AF_INET, s, b) == 1 || inet_pton(AF_INET6, s, b) == 1);
}

/* ECS related.user: the names of the user, the login and real uids and the
 * PAM account, each once. */
void llr_json_related(FILE *f, const char *const *names, int n)
{
	int k = 0;
	for (int i = 0; i < n; i++) {
		int dup = !llr_name_usable(names[i]);
		for (int j = 0; j < i && !dup; j++)
			dup = llr_name_usable(names[j]) && !strcmp(names[j], names[i]);
		if (dup)
			continue;
		fputs(k++ ? "," : ",\"related\":{\"user\":[", f);
		llr_json_str(f, names[i]);
	}
	if (k)
		fputs("]}", f);
}

static void json_alert(FILE *f, const struct llr_alert *al)
{
	fprintf(f, ",\"alert\":{\"rule\":\"%s\",\"threshold\":%llu,\"window_seconds\":", al->rule,
	        (unsigned long long)al->threshold);
	if (al->window)
		fprintf(f, "%lld", (long long)al->window);
	else
		fputs("null", f);
	fprintf(f, ",\"count\":%llu", (unsigned long long)al->count);
	if (al->pattern) {
		fputs(",\"pattern\":", f);
		llr_json_str(f, al->pattern);
	}
	if (al->port >= 0)
		fprintf(f, ",\"port\":%lld", (long long)al->port);
	putc('}', f);
}

static void denial_json(FILE *f, const struct llr_event *ev, const struct llr_access *a,
                        const struct llr_user *u, const struct llr_session *s,
                        const struct llr_alert *al)
{
	const struct llr_syscall *sc = &ev->sc;
	char t[40];
	llr_fmt_iso(t, sizeof(t), ev->sec, ev->ms);
	fprintf(f, "{\"@timestamp\":\"%s\",\"record\":\"%s\",\"schema\":%d,\"sequence\":%llu,", t,
	        al ? "alert" : "denial", LLR_SCHEMA_VERSION, (unsigned long long)ev->serial);
	fprintf(f,
	        "\"event\":{\"kind\":\"%s\",\"category\":[\"landlock\"],\"action\":\"%s\","
	        "\"outcome\":\"failure\"}",
	        al ? "alert" : "event", al ? al->rule : "denied");
	if (al)
		json_alert(f, al);
	fputs(",\"host\":{\"name\":", f);
	llr_json_str(f, ev->node[0] ? ev->node : NULL);
	fputs("},", f);
	llr_json_user(f, u);
	const char *names[] = {u->name, sc->auid_name, sc->uid_name, s ? s->acct : NULL};
	llr_json_related(f, names, 4);
	if (s) {
		llr_json_pam(f, s);
		if (llr_is_ip(s->hostname)) {
			fputs(",\"source\":{\"ip\":", f);
			llr_json_str(f, s->hostname);
			putc('}', f);
		}
	}
	if (sc->present) {
		fputs(",", f);
		json_id(f, "session", sc->ses, 1);
		fputs(",\"ids\":{", f);
		json_id(f, "auid", sc->auid, 1);
		json_id(f, "uid", sc->uid, 0);
		json_id(f, "euid", sc->euid, 0);
		fprintf(f,
		        "},\"process\":{\"pid\":%lld,\"ppid\":%lld,\"name\":", (long long)sc->pid,
		        (long long)sc->ppid);
		llr_json_str(f, sc->comm);
		fputs(",\"executable\":", f);
		llr_json_str(f, sc->exe);
		if (sc->has_exit)
			fprintf(f, ",\"exit_code\":%lld", (long long)sc->exit_code);
		if (ev->pt.cmdline) {
			fputs(",\"command_line\":", f);
			llr_json_str(f, ev->pt.cmdline);
			json_args(f, &ev->pt);
		}
		fputs("},\"syscall\":", f);
		if (sc->sysname)
			llr_json_str(f, sc->sysname);
		else if (sc->syscall >= 0)
			fprintf(f, "\"%lld\"", (long long)sc->syscall);
		else
			fputs("null", f);
	}
	fprintf(f, ",\"landlock\":{\"domain\":\"%llx\",\"blockers\":[",
	        (unsigned long long)a->domain);
	int ids[LLR_MAX_BLOCKERS], nb = llr_mask_blockers(a->blockers, ids);
	for (int i = 0; i < nb; i++)
		fprintf(f, "%s\"%s\"", i ? "," : "", llr_blocker_name(ids[i]));
	fprintf(f, "],\"object\":{\"kind\":\"%s\",\"value\":", llr_objkind_name(a->kind));
	llr_json_str(f, a->object);
	if (a->kind == LLR_OBJ_BIND || a->kind == LLR_OBJ_CONNECT) {
		fprintf(f, ",\"port\":%u,\"address\":", a->port);
		llr_json_str(f, a->addr);
	}
	if (a->kind == LLR_OBJ_TASK)
		fprintf(f, ",\"pid\":%lld", (long long)a->opid);
	if (a->path && a->kind != LLR_OBJ_PATH) {
		fputs(",\"path\":", f);
		llr_json_str(f, a->path);
	}
	fputs("}}}\n", f);
}

/* The session context in text: " {service/profile match acct= rhost= tty=
 * digest= confine=}", the digest shortened to 12 digits. */
static void text_session(FILE *f, const struct llr_session *s)
{
	if (!s)
		return;
	fprintf(f, " {%s%s/%s", s->kind == LLR_PAM_TRY ? "trial:" : "",
	        llr_tx(s->service ? s->service : "-"), llr_tx(s->profile ? s->profile : "-"));
	fprintf(f, " %s acct=%s", llr_tx(s->match ? s->match : "-"),
	        llr_tx(s->acct ? s->acct : "-"));
	fprintf(f, " rhost=%s tty=%s", llr_tx(s->hostname ? s->hostname : "-"),
	        llr_tx(s->terminal ? s->terminal : "-"));
	fprintf(f, " digest=%.12s confine=%s}", llr_tx(s->digest ? s->digest : "-"),
	        llr_tx(s->confine ? s->confine : "-"));
}

static void denial_text(struct llr_outctx *c, const struct llr_event *ev,
                        const struct llr_access *a, const struct llr_user *u,
                        const struct llr_session *s, const char *bl)
{
	FILE *f = c->f;
	const struct llr_syscall *sc = &ev->sc;
	char t[48], lb[32], ses[16];
	if (sc->ses == LLR_UID_UNSET)
		snprintf(ses, sizeof(ses), "-");
	else
		snprintf(ses, sizeof(ses), "%u", sc->ses);
	llr_fmt_local_ms(t, sizeof(t), llr_ev_time(ev));
	fprintf(f, "%llu. %-23s %-10s %-12s %-7s %-10llx %-16s %-28s ", (unsigned long long)c->rows,
	        t, ev->node[0] ? llr_tx(ev->node) : "-", llr_tx(llr_user_label(u, lb, sizeof(lb))),
	        ses, (unsigned long long)a->domain, sc->comm ? llr_tx(sc->comm) : "-", bl);
	if (a->kind != LLR_OBJ_PATH && a->kind != LLR_OBJ_NONE)
		fprintf(f, "%s ", llr_objkind_name(a->kind));
	llr_text_put(f, a->object);
	if (ev->pt.cmdline) {
		fputs(" [", f);
		llr_text_put(f, ev->pt.cmdline);
		putc(']', f);
	}
	text_session(f, s);
	putc('\n', f);
}

void llr_out_denial(void *arg, const struct llr_event *ev, const struct llr_access *a,
                    const struct llr_user *u, const struct llr_domain *d)
{
	struct llr_outctx *c = arg;
	const struct llr_session *s = d ? d->pam : NULL;
	c->rows++;
	if (c->o->format == LLR_FMT_JSON) {
		denial_json(c->f, ev, a, u, s, NULL);
		return;
	}
	char *bl = llr_blockers_str(a->blockers);
	if (c->o->format == LLR_FMT_CSV)
		denial_csv(c->f, ev, a, u, s, bl);
	else
		denial_text(c, ev, a, u, s, bl);
	free(bl);
}

void llr_out_alert(struct llr_outctx *c, const struct llr_alert *al, const struct llr_event *ev,
                   const struct llr_access *a, const struct llr_user *u, const struct llr_domain *d)
{
	const struct llr_session *s = d ? d->pam : NULL;
	FILE *f = c->f;
	c->alerts++;
	if (c->o->format == LLR_FMT_JSON) {
		denial_json(f, ev, a, u, s, al);
		return;
	}
	/* text: "ALERT rule ...", one line, every string from the log escaped */
	const struct llr_syscall *sc = &ev->sc;
	char t[48], lb[32], *bl = llr_blockers_str(a->blockers);
	llr_fmt_iso(t, sizeof(t), ev->sec, ev->ms);
	fprintf(f, "ALERT %s %s node=%s user=%s", al->rule, t, ev->node[0] ? llr_tx(ev->node) : "-",
	        llr_tx(llr_user_label(u, lb, sizeof(lb))));
	if (al->window)
		fprintf(f, " count=%llu window=%llds", (unsigned long long)al->count,
		        (long long)al->window);
	if (al->pattern)
		fprintf(f, " pattern=%s", llr_tx(al->pattern));
	if (sc->ses != LLR_UID_UNSET)
		fprintf(f, " ses=%u", sc->ses);
	if (sc->present)
		fprintf(f, " pid=%lld comm=%s", (long long)sc->pid,
		        llr_tx(sc->comm ? sc->comm : "-"));
	fprintf(f, " domain=%llx blockers=%s %s=", (unsigned long long)a->domain, bl,
	        llr_objkind_name(a->kind));
	llr_text_put(f, a->object);
	text_session(f, s);
	putc('\n', f);
	free(bl);
}

void llr_out_denials_end(struct llr_outctx *c, const struct llr_stats *st)
{
	if (c->o->format == LLR_FMT_TEXT && !c->rows)
		fputs("no Landlock denials found\n", c->f);
	(void)st;
}
