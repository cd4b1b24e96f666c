/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * out_session.c - the --sessions view (one row per pam_landlock record:
 * a confined session, a refusal, a landlockctl trial) and the --revisions
 * view (per policy digest), as text, CSV and JSON.  JSON after ECS:
 * event.category ["session"], event.action confined|refused|trial,
 * event.outcome, user.*, host.name, source.ip, related.user.
 * Schema: aulandlock(8).
 */
#include "config.h"

#include "output.h"

#include <stdlib.h>
#include <string.h>

static const char *action(const struct llr_pam *p)
{
	return p->kind == LLR_PAM_TRY       ? "trial"
	       : p->kind == LLR_PAM_REFUSED ? "refused"
	                                    : "confined";
}

static int success(const struct llr_pam *p)
{
	return p->kind != LLR_PAM_REFUSED && !p->failed;
}

static const char *rhost(const struct llr_pam *p)
{
	return p->hostname ? p->hostname : p->addr;
}

void llr_out_sessions_begin(struct llr_outctx *c)
{
	if (c->o->format == LLR_FMT_CSV)
		fputs(
		    "time,node,serial,action,outcome,user,uid,pam_service,pam_profile,pam_match,"
		    "pam_acct,pam_rhost,pam_tty,pam_digest,pam_kind,pam_confine,pid,exe,domain,abi,"
		    "enforcement,dropped,reason\n",
		    c->f);
	else if (c->o->format == LLR_FMT_TEXT)
		fprintf(c->f,
		        "\npam_landlock Sessions\n=====================\n# %-23s %-10s %-8s %-12s "
		        "%-20s %-16s %-10s %s\n",
		        "date time", "node", "action", "user", "service/profile", "rhost", "domain",
		        "match digest [reason]");
}

static void session_json(FILE *f, const struct llr_sessrow *r)
{
	const struct llr_pam *p = &r->pam;
	char t[40];
	llr_fmt_iso_ms(t, sizeof(t), r->time);
	fprintf(f,
	        "{\"@timestamp\":\"%s\",\"record\":\"session\",\"schema\":%d,\"sequence\":%llu,"
	        "\"event\":{\"kind\":\"event\",\"category\":[\"session\"],\"action\":\"%s\","
	        "\"outcome\":\"%s\"},\"host\":{\"name\":",
	        t, LLR_SCHEMA_VERSION, (unsigned long long)r->serial, action(p),
	        success(p) ? "success" : "failure");
	llr_json_str(f, r->node[0] ? r->node : NULL);
	fputs("},", f);
	llr_json_user(f, &(struct llr_user){.uid = r->uid, .name = r->uname});
	const char *names[] = {r->uname, p->acct};
	llr_json_related(f, names, 2);
	struct llr_session s = {
	    .kind = p->kind == LLR_PAM_TRY ? LLR_PAM_TRY : LLR_PAM_ENFORCE,
	    .acct = p->acct,
	    .service = p->service,
	    .profile = p->profile,
	    .match = p->match,
	    .hostname = (char *)(uintptr_t)rhost(p),
	    .terminal = p->terminal,
	    .enforcement = p->enforcement,
	    .digest = p->digest,
	    .confine = p->confine,
	};
	llr_json_pam_open(f, &s);
	if (p->reason) {
		fputs(",\"reason\":", f);
		llr_json_str(f, p->reason);
	}
	putc('}', f);
	if (llr_is_ip(s.hostname)) {
		fputs(",\"source\":{\"ip\":", f);
		llr_json_str(f, s.hostname);
		putc('}', f);
	}
	fprintf(f, ",\"process\":{\"pid\":%lld,\"executable\":", (long long)p->pid);
	llr_json_str(f, p->exe);
	fputs("},\"landlock\":{\"domain\":", f);
	if (r->has_domain)
		fprintf(f, "\"%llx\"", (unsigned long long)r->domain);
	else
		fputs("null", f);
	fputs(",\"abi\":", f);
	if (p->abi >= 0)
		fprintf(f, "%lld", (long long)p->abi);
	else
		fputs("null", f);
	fputs(",\"enforcement\":", f);
	llr_json_str(f, p->enforcement);
	fputs(",\"dropped\":", f);
	llr_json_str(f, p->dropped);
	fputs("}}\n", f);
}

static void session_csv(FILE *f, const struct llr_sessrow *r)
{
	const struct llr_pam *p = &r->pam;
	char t[40];
	llr_fmt_iso_ms(t, sizeof(t), r->time);
	fprintf(f, "%s,", t);
	llr_csv_str(f, r->node);
	fprintf(f, ",%llu,%s,%s,", (unsigned long long)r->serial, action(p),
	        success(p) ? "success" : "failure");
	llr_csv_str(f, r->uname);
	putc(',', f);
	if (r->uid != LLR_UID_UNSET)
		fprintf(f, "%u", r->uid);
	const char *pf[] = {
	    p->service, p->profile,  p->match,  p->acct,
	    rhost(p),   p->terminal, p->digest, p->kind == LLR_PAM_TRY ? "trial" : "session",
	    p->confine};
	llr_csv_strs(f, pf, sizeof(pf) / sizeof(pf[0]));
	fprintf(f, ",%lld,", (long long)p->pid);
	llr_csv_str(f, p->exe);
	putc(',', f);
	if (r->has_domain)
		fprintf(f, "%llx", (unsigned long long)r->domain);
	putc(',', f);
	if (p->abi >= 0)
		fprintf(f, "%lld", (long long)p->abi);
	const char *tail[] = {p->enforcement, p->dropped, p->reason};
	llr_csv_strs(f, tail, 3);
	putc('\n', f);
}

static void session_text(struct llr_outctx *c, const struct llr_sessrow *r)
{
	FILE *f = c->f;
	const struct llr_pam *p = &r->pam;
	char t[48], dom[24], *sp = NULL;
	llr_fmt_local_ms(t, sizeof(t), r->time);
	if (r->has_domain)
		snprintf(dom, sizeof(dom), "%llx", (unsigned long long)r->domain);
	else
		snprintf(dom, sizeof(dom), "-");
	if (asprintf(&sp, "%s/%s", llr_tx(p->service ? p->service : "-"),
	             llr_tx(p->profile ? p->profile : "-")) < 0)
		sp = NULL;
	fprintf(f, "%llu. %-23s %-10s %-8s %-12s %-20s ", (unsigned long long)c->rows, t,
	        r->node[0] ? llr_tx(r->node) : "-", action(p),
	        llr_tx(r->uname  ? r->uname
	               : p->acct ? p->acct
	                         : "(unknown)"),
	        sp ? sp : "-");
	free(sp);
	fprintf(f, "%-16s %-10s %s", llr_tx(rhost(p) ? rhost(p) : "-"), dom,
	        llr_tx(p->match ? p->match : "-"));
	fprintf(f, " %.12s", llr_tx(p->digest ? p->digest : "-"));
	if (p->reason) {
		fputs(" [", f);
		llr_text_put(f, p->reason);
		putc(']', f);
	}
	putc('\n', f);
}

void llr_out_session(struct llr_outctx *c, const struct llr_sessrow *r)
{
	c->rows++;
	if (c->o->format == LLR_FMT_JSON)
		session_json(c->f, r);
	else if (c->o->format == LLR_FMT_CSV)
		session_csv(c->f, r);
	else
		session_text(c, r);
}

void llr_out_sessions_end(struct llr_outctx *c)
{
	if (c->o->format == LLR_FMT_TEXT && !c->rows)
		fputs("no pam_landlock records found\n", c->f);
}

/* ---- revisions ---------------------------------------------------------- */

static int cmp_rev(const void *a, const void *b)
{
	const struct llr_rev *x = *(struct llr_rev *const *)a, *y = *(struct llr_rev *const *)b;
	if (x->denials != y->denials)
		return x->denials > y->denials ? -1 : 1;
	uint64_t sx = x->sessions + x->refused + x->trials,
	         sy = y->sessions + y->refused + y->trials;
	if (sx != sy)
		return sx > sy ? -1 : 1;
	if (x->first != y->first)
		return x->first < y->first ? -1 : 1;
	if (!x->digest || !y->digest)
		return x->digest ? -1 : y->digest ? 1 : 0;
	return strcmp(x->digest, y->digest);
}

void llr_out_revisions(FILE *f, struct llr_agg *g, const struct llr_opts *o)
{
	const struct llr_revs *t = llr_agg_revs(g);
	int n = t ? t->n : 0;
	struct llr_rev **v = llr_xcalloc((size_t)n + 1, sizeof(*v));
	char a[48], b[48];
	for (int i = 0; i < n; i++)
		v[i] = t->v[i];
	qsort(v, (size_t)n, sizeof(*v), cmp_rev);
	if (o->format == LLR_FMT_CSV)
		fputs("digest,file,sessions,refused,trials,denials,domains,users,nodes,first_seen,"
		      "last_seen\n",
		      f);
	else if (o->format == LLR_FMT_TEXT) {
		fputs("\nLandlock Denials per Policy Revision\n"
		      "====================================\n",
		      f);
		if (!n)
			fputs("no pam_landlock records or denials found\n", f);
		else
			fprintf(f, "# %-16s %8s %7s %6s %8s %7s %5s %5s %-19s %-19s %s\n", "digest",
			        "sessions", "refused", "trials", "denials", "domains", "users",
			        "nodes", "first", "last", "policy file");
	}
	for (int i = 0; i < n; i++) {
		const struct llr_rev *r = v[i];
		if (o->format == LLR_FMT_JSON) {
			llr_fmt_iso_ms(a, sizeof(a), r->first);
			llr_fmt_iso_ms(b, sizeof(b), r->last);
			fprintf(f, "{\"record\":\"revision\",\"schema\":%d,\"policy\":{\"digest\":",
			        LLR_SCHEMA_VERSION);
			llr_json_str(f, r->digest);
			fputs(",\"file\":", f);
			llr_json_str(f, r->file);
			fprintf(f,
			        "},\"pam\":{\"sessions\":%llu,\"refused\":%llu,\"trials\":%llu},"
			        "\"denials\":%llu,\"domains\":%zu,\"users\":%zu,\"nodes\":%zu,"
			        "\"event\":{\"start\":\"%s\",\"end\":\"%s\"}}\n",
			        (unsigned long long)r->sessions, (unsigned long long)r->refused,
			        (unsigned long long)r->trials, (unsigned long long)r->denials,
			        r->domains.n, r->users.n, r->nodes.n, a, b);
		} else if (o->format == LLR_FMT_CSV) {
			llr_fmt_iso_ms(a, sizeof(a), r->first);
			llr_fmt_iso_ms(b, sizeof(b), r->last);
			llr_csv_str(f, r->digest);
			putc(',', f);
			llr_csv_str(f, r->file);
			fprintf(f, ",%llu,%llu,%llu,%llu,%zu,%zu,%zu,%s,%s\n",
			        (unsigned long long)r->sessions, (unsigned long long)r->refused,
			        (unsigned long long)r->trials, (unsigned long long)r->denials,
			        r->domains.n, r->users.n, r->nodes.n, a, b);
		} else {
			llr_fmt_local(a, sizeof(a), r->first / 1000);
			llr_fmt_local(b, sizeof(b), r->last / 1000);
			fprintf(
			    f,
			    "%d. %-16.16s %8llu %7llu %6llu %8llu %7zu %5zu %5zu %-19s %-19s %s\n",
			    i + 1, r->digest ? llr_tx(r->digest) : "(none)",
			    (unsigned long long)r->sessions, (unsigned long long)r->refused,
			    (unsigned long long)r->trials, (unsigned long long)r->denials,
			    r->domains.n, r->users.n, r->nodes.n, a, b,
			    r->file ? llr_tx(r->file) : "-");
		}
	}
	free(v);
}
