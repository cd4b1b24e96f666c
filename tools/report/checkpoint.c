/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * checkpoint.c - the checkpoint file (see checkpoint.h).
 */
#include "config.h"

#include "checkpoint.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define MAGIC "aulandlock-checkpoint"

/* ---- values ------------------------------------------------------------ */

static void put_str(FILE *f, const char *k, const char *v)
{
	if (!v)
		return;
	fprintf(f, " %s=", k);
	for (const unsigned char *p = (const unsigned char *)v; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || *p == '%')
			fprintf(f, "%%%02X", *p);
		else
			putc(*p, f);
	if (!*v)
		fputs("%00", f); /* an empty string, not an absent one */
}

static void put_num(FILE *f, const char *k, long long v)
{
	fprintf(f, " %s=%lld", k, v);
}

/* Percent-decode in place ("%00" alone is the empty string). */
static void decode(char *s)
{
	char *o = s;
	for (char *p = s; *p; p++) {
		int a, b;
		if (*p == '%' && (a = llr_hexval(p[1])) >= 0 && (b = llr_hexval(p[2])) >= 0) {
			char c = (char)(a << 4 | b);
			if (c)
				*o++ = c;
			p += 2;
		} else {
			*o++ = *p;
		}
	}
	*o = '\0';
}

struct item {
	char *kind;
	char *k[64], *v[64];
	int n;
};

static void split(char *line, struct item *it)
{
	char *save = NULL, *tok;
	it->n = 0;
	it->kind = strtok_r(line, " \n", &save);
	while ((tok = strtok_r(NULL, " \n", &save)) && it->n < 64) {
		char *eq = strchr(tok, '=');
		if (!eq)
			continue;
		*eq = '\0';
		decode(eq + 1);
		it->k[it->n] = tok;
		it->v[it->n++] = eq + 1;
	}
}

static const char *val(const struct item *it, const char *k)
{
	for (int i = 0; i < it->n; i++)
		if (!strcmp(it->k[i], k))
			return it->v[i];
	return NULL;
}

static char *dupv(const struct item *it, const char *k)
{
	return llr_xstrdup_opt(val(it, k));
}

static int num(const struct item *it, const char *k, long long *out)
{
	const char *v = val(it, k);
	char *e;
	if (!v || !*v)
		return -1;
	errno = 0;
	long long x = strtoll(v, &e, 10);
	if (*e || errno)
		return -1;
	*out = x;
	return 0;
}

/* ---- sessions ---------------------------------------------------------- */

static void put_session(FILE *f, const char *prefix, const struct llr_session *s)
{
	char k[48];
	snprintf(k, sizeof(k), "%skind", prefix);
	fprintf(f, " %s=%s", k, s->kind == LLR_PAM_TRY ? "try" : "enforce");
	snprintf(k, sizeof(k), "%spid", prefix);
	put_num(f, k, s->pid);
	snprintf(k, sizeof(k), "%stime", prefix);
	put_num(f, k, s->time);
	for (int i = 0; i < LLR_SESSION_NSTR; i++) {
		snprintf(k, sizeof(k), "%s%s", prefix, llr_session_str_name(i));
		put_str(f, k, llr_session_cstr(s, i));
	}
}

static struct llr_session *get_session(const struct item *it, const char *prefix)
{
	char k[48];
	long long pid, t;
	snprintf(k, sizeof(k), "%skind", prefix);
	const char *kind = val(it, k);
	if (!kind)
		return NULL;
	struct llr_session s = {.kind = !strcmp(kind, "try") ? LLR_PAM_TRY : LLR_PAM_ENFORCE};
	snprintf(k, sizeof(k), "%spid", prefix);
	s.pid = num(it, k, &pid) ? 0 : pid;
	snprintf(k, sizeof(k), "%stime", prefix);
	s.time = num(it, k, &t) ? 0 : t;
	char *v[LLR_SESSION_NSTR]; /* copies: the item's values are not ours to give */
	for (int i = 0; i < LLR_SESSION_NSTR; i++) {
		snprintf(k, sizeof(k), "%s%s", prefix, llr_session_str_name(i));
		*llr_session_str(&s, i) = v[i] = dupv(it, k);
	}
	if (!s.node)
		s.node = v[0] = llr_xstrdup("");
	struct llr_session *d = llr_session_dup(&s);
	for (int i = 0; i < LLR_SESSION_NSTR; i++)
		free(v[i]);
	return d;
}

/* ---- alert state (detect.h) ------------------------------------------------ */

static void save_alert(void *arg, const char *key, size_t klen, int64_t last, int64_t quiet,
                       const int64_t *times, int n)
{
	FILE *f = arg;
	fputs("alert key=", f);
	for (size_t i = 0; i < klen; i++)
		fprintf(f, "%02x", (unsigned char)key[i]);
	put_num(f, "last", last);
	put_num(f, "quiet", quiet);
	fputs(" times=", f);
	for (int i = 0; i < n; i++)
		fprintf(f, "%s%lld", i ? "," : "", (long long)times[i]);
	if (!n)
		fputs("-", f);
	putc('\n', f);
}

static void load_alert(struct llr_report *r, const struct item *it)
{
	const char *hex = val(it, "key"), *tv = val(it, "times");
	long long last, quiet;
	if (!r->det || !hex || !tv || num(it, "last", &last) || num(it, "quiet", &quiet))
		return;
	size_t hl = strlen(hex);
	if (!hl || hl % 2 || hl > 4096)
		return;
	char *key = llr_xmalloc(hl / 2 + 1);
	int ok = llr_unhex(hex, hl, key, 1) >= 0;
	int64_t times[LLR_ALERT_MAX_BURST];
	int n = 0;
	for (const char *p = tv; ok && *p && *p != '-' && n < LLR_ALERT_MAX_BURST;) {
		char *e;
		errno = 0;
		long long x = strtoll(p, &e, 10);
		ok = e != p && !errno && (*e == ',' || !*e);
		times[n++] = x;
		p = *e ? e + 1 : e;
	}
	if (ok)
		llr_detect_restore(r->det, key, hl / 2, last, quiet, times, n);
	free(key);
}

/* ---- load --------------------------------------------------------------- */

static void load_domain(struct llr_report *r, const struct item *it)
{
	const char *node = val(it, "node"), *id = val(it, "id");
	long long v;
	char *e;
	if (!node || !id)
		return;
	uint64_t dom = strtoull(id, &e, 16);
	if (*e)
		return;
	struct llr_domain *d = llr_agg_restore_domain(r->agg, node, dom);
	int has_uid = !num(it, "uid", &v);
	if (has_uid || val(it, "user")) {
		uint32_t uid = has_uid ? (uint32_t)v : LLR_UID_UNSET;
		d->user = llr_agg_user_index(r->agg, uid, val(it, "user"));
		d->user_time = num(it, "utime", &v) ? 0 : v;
		d->user_serial = num(it, "userial", &v) ? 0 : (uint64_t)v;
	}
	if (!num(it, "logged", &v))
		d->logged_all = (uint64_t)v;
	if (!num(it, "pid", &v)) {
		d->has_alloc = 1;
		d->pid = v;
		d->alloc_time = num(it, "atime", &v) ? 0 : v;
		d->creator_uid = num(it, "cuid", &v) ? LLR_UID_UNSET : (uint32_t)v;
		d->exe = dupv(it, "exe");
		d->comm = dupv(it, "comm");
		d->mode = dupv(it, "mode");
		d->creator_name = dupv(it, "cname");
	}
	d->pam = get_session(it, "p_");
}

static int bad(const char *path, int line)
{
	fprintf(stderr,
	        "aulandlock: %s:%d: not an aulandlock checkpoint file.\n"
	        "Give another --checkpoint FILE, or remove this one to start over (every "
	        "event is then reported again).\n",
	        path, line);
	return -1;
}

int llr_checkpoint_load(const char *path, struct llr_report *r)
{
	FILE *fp = fopen(path, "re");
	char *line = NULL;
	size_t cap = 0;
	int ln = 0, rc = 0;
	if (!fp) {
		if (errno == ENOENT)
			return 0; /* first run: everything */
		fprintf(stderr, "aulandlock: cannot read checkpoint %s: %s.\n", path,
		        strerror(errno));
		return -1;
	}
	while (getline(&line, &cap, fp) > 0) {
		struct item it;
		ln++;
		if (ln == 1) {
			long long sec;
			unsigned ms;
			unsigned long long serial;
			if (sscanf(line, MAGIC " 1 %lld.%u:%llu", &sec, &ms, &serial) == 3 &&
			    ms < 1000) {
				llr_asm_set_frontier(r->as, "*", sec * 1000 + ms);
				break; /* version 1: one event id for all nodes */
			}
			if (strncmp(line, MAGIC " 2", sizeof(MAGIC) + 1)) {
				rc = bad(path, ln);
				break;
			}
			continue;
		}
		split(line, &it);
		if (!it.kind || it.kind[0] == '#')
			continue;
		long long t;
		if (!strcmp(it.kind, "frontier")) {
			if (r->o->follow)
				continue; /* follow mode reads what comes */
			const char *node = val(&it, "node");
			if (!node || num(&it, "time", &t)) {
				rc = bad(path, ln);
				break;
			}
			llr_asm_set_frontier(r->as, node, t);
		} else if (!strcmp(it.kind, "domain")) {
			load_domain(r, &it);
		} else if (!strcmp(it.kind, "alert")) {
			load_alert(r, &it);
		} else if (!strcmp(it.kind, "session")) {
			struct llr_session *s = get_session(&it, "");
			if (s)
				llr_sessions_add(llr_agg_sessions(r->agg), s);
		}
	}
	if (!ln)
		rc = bad(path, 1);
	free(line);
	fclose(fp);
	return rc;
}

/* ---- save --------------------------------------------------------------- */

static void save_domain(FILE *f, struct llr_agg *g, const struct llr_domain *d)
{
	fputs("domain", f);
	put_str(f, "node", d->node);
	fprintf(f, " id=%llx", (unsigned long long)d->id);
	if (d->user >= 0) {
		const struct llr_user *u = llr_agg_user(g, d->user);
		if (u->uid != LLR_UID_UNSET)
			put_num(f, "uid", u->uid);
		put_str(f, "user", u->name);
		put_num(f, "utime", d->user_time);
		put_num(f, "userial", (long long)d->user_serial);
	}
	put_num(f, "logged", (long long)d->logged_all);
	if (d->has_alloc) {
		put_num(f, "pid", d->pid);
		put_num(f, "atime", d->alloc_time);
		if (d->creator_uid != LLR_UID_UNSET)
			put_num(f, "cuid", d->creator_uid);
		put_str(f, "exe", d->exe);
		put_str(f, "comm", d->comm);
		put_str(f, "mode", d->mode);
		put_str(f, "cname", d->creator_name);
	}
	if (d->pam)
		put_session(f, "p_", d->pam);
	putc('\n', f);
}

void llr_checkpoint_warn(const char *path, const struct llr_ckpt_saved *sv)
{
	if (sv->dropped_domains || sv->dropped_sessions)
		fprintf(stderr,
		        "aulandlock: warning: checkpoint %s: %d live domain(s) and %d session "
		        "record(s) over its limits (%d domains, %d sessions, the newest kept) were "
		        "not saved; the next run's denials in those domains lack their session "
		        "context and user.\n",
		        path, sv->dropped_domains, sv->dropped_sessions, LLR_CKPT_DOMAINS,
		        LLR_CKPT_SESSIONS);
}

int llr_checkpoint_save(const char *path, struct llr_report *r, struct llr_ckpt_saved *sv)
{
	struct llr_ckpt_saved none;
	if (!sv)
		sv = &none;
	memset(sv, 0, sizeof(*sv));
	char tmp[PATH_MAX];
	if (snprintf(tmp, sizeof(tmp), "%s.XXXXXX", path) >= (int)sizeof(tmp)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	int fd = mkostemp(tmp, O_CLOEXEC);
	if (fd < 0)
		return -1;
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(tmp);
		return -1;
	}
	fputs(MAGIC " 2\n# frontier: events up to this time (ms) were counted; domain: alive "
	            "at the end of the run; session: pam_landlock records for ties\n",
	      f);
	for (int i = 0; i < llr_asm_nnodes(r->as) && !r->o->follow; i++) {
		int64_t newest, fr;
		int hn, hf;
		const char *name = llr_asm_node(r->as, i, &newest, &hn, &fr, &hf);
		if (!hf)
			continue;
		fputs("frontier", f);
		put_str(f, "node", name);
		put_num(f, "time", fr);
		putc('\n', f);
	}
	int64_t def;
	if (!r->o->follow && llr_asm_default_frontier(r->as, &def)) {
		fputs("frontier node=*", f);
		put_num(f, "time", def);
		putc('\n', f);
	}
	for (int i = llr_agg_ndomains(r->agg) - 1; i >= 0; i--) {
		const struct llr_domain *d = llr_agg_domain(r->agg, i);
		if (!d || d->deallocated)
			continue;
		if (sv->domains == LLR_CKPT_DOMAINS) {
			sv->dropped_domains++;
			continue;
		}
		save_domain(f, r->agg, d);
		sv->domains++;
	}
	struct llr_sessions *ss = llr_agg_sessions(r->agg);
	int ns = llr_sessions_count(ss);
	sv->dropped_sessions = ns > LLR_CKPT_SESSIONS ? ns - LLR_CKPT_SESSIONS : 0;
	sv->sessions = ns - sv->dropped_sessions;
	for (int i = sv->dropped_sessions; i < ns; i++) {
		fputs("session", f);
		put_session(f, "", llr_sessions_get(ss, i));
		putc('\n', f);
	}
	if (r->det)
		llr_detect_each(r->det, save_alert, f);
	int err = ferror(f);
	if (fflush(f) || fsync(fd) || err) {
		int e = errno ? errno : EIO;
		fclose(f);
		unlink(tmp);
		errno = e;
		return -1;
	}
	if (fclose(f) || rename(tmp, path)) {
		int e = errno;
		unlink(tmp);
		errno = e;
		return -1;
	}
	return 0;
}
