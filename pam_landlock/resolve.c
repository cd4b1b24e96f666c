/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * resolve.c - who is logging in (identity), which match entry decides for
 * them (precedence), and a profile's "extends" chain merged into one.
 *
 * Precedence: the most specific class that has a matching entry decides;
 * within a class the first matching entry in file order wins.  Classes, most
 * specific first: user+service, user, group+service, group, default+service,
 * default.  A user's groups are compared by name and the order in which the
 * system returns them plays no part.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"
#include "rights.h"

static bool in_list(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

enum ll_match_class ll_match_test(const struct ll_match *m, const struct ll_identity *id)
{
	bool svc = m->nservices > 0;
	if (svc && !in_list(m->services, m->nservices, id->service))
		return LL_CLASS_NONE;
	if (m->nusers) {
		if (!in_list(m->users, m->nusers, id->user))
			return LL_CLASS_NONE;
		return svc ? LL_CLASS_USER_SERVICE : LL_CLASS_USER;
	}
	if (m->ngroups) {
		for (size_t i = 0; i < id->ngroups; i++)
			if (in_list(m->groups, m->ngroups, id->groups[i]))
				return svc ? LL_CLASS_GROUP_SERVICE : LL_CLASS_GROUP;
		return LL_CLASS_NONE;
	}
	if (m->is_default)
		return svc ? LL_CLASS_DEFAULT_SERVICE : LL_CLASS_DEFAULT;
	return LL_CLASS_NONE;
}

const char *ll_match_class_name(enum ll_match_class c)
{
	static const char *const names[] = { "user+service", "user", "group+service",
		                             "group", "default+service", "default", "none" };
	return names[c];
}

int ll_policy_decide(const struct ll_policy *pol, const struct ll_identity *id,
                     struct ll_decision *out, struct ll_diag *diag)
{
	memset(out, 0, sizeof(*out));
	out->class = LL_CLASS_NONE;
	for (size_t i = 0; i < pol->nmatches; i++) {
		enum ll_match_class c = ll_match_test(&pol->matches[i], id);
		if (c < out->class) {
			out->class = c;
			out->entry = &pol->matches[i];
		}
	}
	if (!out->entry) {
		ll_diag_set(diag, pol->file, 0,
		            "add a match entry for them, or a default: { default = true; profile = ...; }",
		            "no match entry applies to user '%s' (service %s)", id->user,
		            id->service ? id->service : "?");
		return -1;
	}
	out->unconfined = strcmp(out->entry->profile, LL_UNCONFINED) == 0;
	return 0;
}

/* ---- identity ---------------------------------------------------------- */

void ll_identity_free(struct ll_identity *id)
{
	free(id->user);
	free(id->home);
	free(id->service);
	for (size_t i = 0; i < id->ngroups; i++)
		free(id->groups[i]);
	free(id->groups);
	memset(id, 0, sizeof(*id));
}

int ll_identity_load(const char *user, const char *service, struct ll_identity *id,
                     struct ll_diag *diag)
{
	struct passwd pw, *pwp = NULL;
	char buf[16384];
	gid_t *gids = NULL;
	int ng = 64;

	memset(id, 0, sizeof(*id));
	int e = getpwnam_r(user, &pw, buf, sizeof(buf), &pwp);
	if (!pwp) {
		ll_diag_set(diag, NULL, 0, "check the user database (getent passwd)",
		            "cannot look up user '%s': %s", user, e ? strerror(e) : "no such user");
		return -1;
	}
	id->user = strdup(pw.pw_name);
	id->home = strdup(pw.pw_dir ? pw.pw_dir : "");
	id->service = service ? strdup(service) : NULL;
	id->uid = pw.pw_uid;
	id->gid = pw.pw_gid;
	for (int tries = 0; tries < 8; tries++) {
		gid_t *ng_gids = realloc(gids, (size_t)ng * sizeof(gid_t));
		if (!ng_gids)
			break;
		gids = ng_gids;
		int want = ng;
		if (getgrouplist(pw.pw_name, pw.pw_gid, gids, &want) >= 0) {
			ng = want;
			goto have_groups;
		}
		ng = want > ng ? want : ng * 2;
	}
	free(gids);
	ll_identity_free(id);
	ll_diag_set(diag, NULL, 0, "check the group database (getent group)",
	            "cannot list the groups of user '%s'", user);
	return -1;
have_groups:
	id->groups = calloc((size_t)ng + 1, sizeof(char *));
	if (!id->user || !id->home || (service && !id->service) || !id->groups)
		goto oom;
	for (int i = 0; i < ng; i++) {
		struct group gr, *grp = NULL;
		char gbuf[65536];
		char num[32];
		const char *name;
		if (getgrgid_r(gids[i], &gr, gbuf, sizeof(gbuf), &grp) == 0 && grp) {
			name = gr.gr_name;
		} else {
			/* A group with no name can only match by number. */
			snprintf(num, sizeof(num), "%u", (unsigned)gids[i]);
			name = num;
		}
		if (in_list(id->groups, id->ngroups, name))
			continue;
		if (!(id->groups[id->ngroups] = strdup(name)))
			goto oom;
		id->ngroups++;
	}
	free(gids);
	return 0;
oom:
	free(gids);
	ll_identity_free(id);
	ll_diag_set(diag, NULL, 0, NULL, "out of memory");
	return -1;
}

/* ---- extends ----------------------------------------------------------- */

static int add_ports(struct ll_ports *dst, const struct ll_ports *src)
{
	if (!src->n)
		return 0;
	uint16_t *np = realloc(dst->port, (dst->n + src->n) * sizeof(uint16_t));
	if (!np)
		return -1;
	dst->port = np;
	for (size_t i = 0; i < src->n; i++) {
		bool dup = false;
		for (size_t j = 0; j < dst->n && !dup; j++)
			dup = dst->port[j] == src->port[i];
		if (!dup)
			dst->port[dst->n++] = src->port[i];
	}
	return 0;
}

/* Depth-first, parents before children; settings set later override. */
static int merge(const struct ll_policy *pol, const struct ll_profile *pr, struct ll_resolved *r,
                 int *settings, int *lines, int depth)
{
	if (depth > 64)
		return -1;
	for (size_t i = 0; i < pr->nextends; i++)
		if (merge(pol, ll_policy_profile(pol, pr->extends[i]), r, settings, lines,
		          depth + 1) < 0)
			return -1;
	if (pr->nfs) {
		const struct ll_fs_rule **nf = realloc(r->fs, (r->nfs + pr->nfs) * sizeof(*nf));
		if (!nf)
			return -1;
		r->fs = nf;
		for (size_t i = 0; i < pr->nfs; i++)
			r->fs[r->nfs++] = &pr->fs[i];
	}
	r->net_handled |= pr->net_handled;
	for (int i = 0; i < LL_NET_NRIGHTS; i++)
		if (add_ports(&r->ports[i], &pr->ports[i]) < 0)
			return -1;
	r->scoped |= pr->scoped;
	const int *mine[] = { &pr->compat, &pr->min_abi, &pr->nnp, &pr->logging,
		              &pr->log_subdomains };
	for (int i = 0; i < 5; i++)
		if (*mine[i] >= 0) {
			settings[i] = *mine[i];
			lines[i] = pr->setting_line[i];
		}
	return 0;
}

int ll_policy_resolve(const struct ll_policy *pol, const char *name, struct ll_resolved *out,
                      struct ll_diag *diag)
{
	const struct ll_profile *pr = ll_policy_profile(pol, name);
	/* Defaults: best effort, no min ABI, no_new_privs on, forced logging,
	 * subdomains logged. */
	int settings[5] = { LL_COMPAT_BEST_EFFORT, 0, 1, LL_LOG_FORCED, 1 };
	int lines[5] = { 0 };

	memset(out, 0, sizeof(*out));
	if (!pr) {
		ll_diag_set(diag, pol->file, 0, NULL, "unknown profile '%s'", name);
		return -1;
	}
	out->name = pr->name;
	out->line = pr->line;
	if (merge(pol, pr, out, settings, lines, 0) < 0) {
		ll_resolved_free(out);
		ll_diag_set(diag, pol->file, pr->line, NULL, "cannot resolve profile '%s'", name);
		return -1;
	}
	out->compat = (enum ll_compat)settings[0];
	out->compat_line = lines[0] ? lines[0] : pr->line;
	out->min_abi_line = lines[1] ? lines[1] : pr->line;
	out->min_abi = settings[1];
	out->nnp = settings[2] != 0;
	out->logging = (enum ll_logging)settings[3];
	out->log_subdomains = settings[4] != 0;
	return 0;
}

void ll_resolved_free(struct ll_resolved *r)
{
	free(r->fs);
	for (int i = 0; i < LL_NET_NRIGHTS; i++)
		free(r->ports[i].port);
	memset(r, 0, sizeof(*r));
}
