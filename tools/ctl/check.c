/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * check.c - "landlockctl check": validates a policy the way "sshd -t" or
 * "visudo -c" do.  The file is parsed by ll_policy_load(), exactly as the
 * module parses it; an error there makes the file invalid.  Then warnings,
 * each computed with the library's own functions:
 *   - the module would refuse the file as installed (owner, mode);
 *   - users and groups that do not exist;
 *   - profiles that no match entry reaches, directly or through extends;
 *   - entries (or names in them) that can never decide: for each name and
 *     service the entry lists, the smallest identity it matches is put to
 *     ll_policy_decide(), and another entry wins;
 *   - no entry for users that nothing else matches (they are refused);
 *   - paths that do not exist or cannot be opened (ll_plan_build), for
 *     paths without variables, and for paths with variables for each
 *     existing user named in a user entry that decides for them;
 *   - what the ABI (this kernel's, or --abi) drops or refuses per profile
 *     in use.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"

static const char *abi_label(int abi, bool simulated, char *buf, size_t len)
{
	if (simulated)
		snprintf(buf, len, "Landlock ABI %d (simulated)", abi);
	else
		snprintf(buf, len, "this kernel (Landlock ABI %d)", abi);
	return buf;
}

/* The module loads with LL_LOAD_TRUSTED; say so if it would refuse. */
static void check_trust(const char *conf)
{
	char abs[PATH_MAX];
	struct ll_policy *pol = NULL;
	struct ll_diag d = { 0 };

	if (ll_policy_load(ctl_abspath(conf, abs, sizeof(abs)), LL_LOAD_TRUSTED, &pol, NULL, &d, NULL) < 0)
		ctl_warn(conf, 0, d.hint, "the module would refuse this file where it is: %s",
		         d.msg);
	ll_policy_free(pol);
}

static bool all_digits(const char *s)
{
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static void check_names(const struct ll_policy *pol)
{
	for (size_t i = 0; i < pol->nmatches; i++) {
		const struct ll_match *m = &pol->matches[i];
		for (size_t j = 0; j < m->nusers; j++)
			if (!getpwnam(m->users[j]))
				ctl_warn(pol->file, m->line,
				         "this entry matches nobody under that name until the user "
				         "exists; check the spelling (getent passwd)",
				         "user '%s' does not exist", m->users[j]);
		for (size_t j = 0; j < m->ngroups; j++) {
			const char *g = m->groups[j];
			if (getgrnam(g))
				continue;
			if (all_digits(g)) {
				/* Unnamed gids match by number (ll_identity_load). */
				const struct group *gr = getgrgid((gid_t)strtoul(g, NULL, 10));
				if (gr)
					ctl_warn(pol->file, m->line,
					         "entries match group names; write the name",
					         "group '%s' is written as a number, but gid %s is named "
					         "'%s'",
					         g, g, gr->gr_name);
				continue;
			}
			ctl_warn(pol->file, m->line,
			         "this entry matches nobody through that group until it exists; check "
			         "the spelling (getent group)",
			         "group '%s' does not exist", g);
		}
	}
}

static void mark_used(const struct ll_policy *pol, const struct ll_profile *p, bool *used)
{
	size_t idx = (size_t)(p - pol->profiles);
	if (used[idx])
		return;
	used[idx] = true;
	for (size_t i = 0; i < p->nextends; i++)
		mark_used(pol, ll_policy_profile(pol, p->extends[i]), used);
}

static void check_unused(const struct ll_policy *pol)
{
	bool *used = calloc(pol->nprofiles + 1, sizeof(bool));
	if (!used)
		return;
	for (size_t i = 0; i < pol->nmatches; i++) {
		const struct ll_profile *p = ll_policy_profile(pol, pol->matches[i].profile);
		if (p)
			mark_used(pol, p, used);
	}
	for (size_t i = 0; i < pol->nprofiles; i++)
		if (!used[i])
			ctl_warn(pol->file, pol->profiles[i].line,
			         "remove it, or name it in a match entry",
			         "profile '%s' is never used: no match entry names it, and no "
			         "profile in use extends it",
			         pol->profiles[i].name);
	free(used);
}

/* Which entry decides for an identity made of USER (or nobody), the one
 * group GROUP (or none), SERVICE (or one no entry names) and an address in
 * FROM (or none). */
static const struct ll_match *decider(const struct ll_policy *pol, const char *user,
                                      const char *group, const char *service,
                                      const struct ll_cidr *from)
{
	struct ll_identity id = { 0 };
	struct ll_decision dec;
	char *groups[1];
	/* "" is never a name in a policy (the parser refuses empty names). */
	id.user = strdup(user ? user : "");
	id.service = service ? strdup(service) : NULL;
	groups[0] = group ? strdup(group) : NULL;
	id.groups = groups;
	id.by_name = true;
	id.ngroups = group ? 1 : 0;
	if (from) {
		id.addr = *from;
		id.has_addr = true;
	}
	int rc = id.user && (!service || id.service) && (!group || groups[0])
	             ? ll_policy_decide(pol, &id, &dec, NULL)
	             : -1;
	free(id.user);
	free(id.service);
	free(groups[0]);
	return rc == 0 ? dec.entry : NULL;
}

static void shadow_warning(const struct ll_policy *pol, const struct ll_match *m,
                           const struct ll_match *w, const char *what)
{
	bool earlier = w->line < m->line;
	char hint[300];
	if (earlier)
		snprintf(hint, sizeof(hint),
		         "the first matching entry of the most specific class decides: remove this "
		         "one, or move it above line %d",
		         w->line);
	else
		snprintf(hint, sizeof(hint), "remove this one, or narrow the entry at line %d",
		         w->line);
	ctl_warn(pol->file, m->line, hint, "%s never decides: the entry at line %d decides first",
	         what, w->line);
}

/* Whether W, found to win at the first address of BLOCK (or, BLOCK NULL,
 * for a session without a remote host), wins on all of BLOCK: W has no
 * "from", or one of its blocks holds all of BLOCK. */
static bool wins_on_block(const struct ll_match *w, const struct ll_cidr *block)
{
	if (!block || !w->nfrom)
		return true;
	for (size_t j = 0; j < w->nfrom; j++)
		if (w->from[j].prefix <= block->prefix && ll_cidr_contains(&w->from[j], block))
			return true;
	return false;
}

/* "'alice' with service 'sshd' from 10.0.0.0/8 in this entry": the parts
 * of the entry (name N, service S, block F) that never decide. */
static void shadowed_part(const struct ll_match *m, size_t n, size_t s, size_t f, char *buf,
                          size_t len)
{
	char *const *names = m->nusers ? m->users : m->groups;
	char cidr[64] = "", from[80] = "";
	if (m->nfrom > 1)
		snprintf(from, sizeof(from), " from %s", ll_cidr_str(&m->from[f], cidr, sizeof(cidr)));
	if (m->is_default && m->nservices)
		snprintf(buf, len, "service '%s'%s in this entry", m->services[s], from);
	else if (m->is_default)
		snprintf(buf, len, "%s in this entry", from + 1);
	else if (m->nservices)
		snprintf(buf, len, "'%s' with service '%s'%s in this entry", names[n], m->services[s],
		         from);
	else
		snprintf(buf, len, "'%s'%s in this entry", names[n], from);
}

/* Each name, service and address block of an entry is tried alone: the
 * entry is reported when none of them decides, else each that does not. */
static void check_shadowed(const struct ll_policy *pol)
{
	for (size_t i = 0; i < pol->nmatches; i++) {
		const struct ll_match *m = &pol->matches[i];
		char *const *names = m->nusers ? m->users : m->groups;
		size_t nnames = m->nusers ? m->nusers : m->ngroups ? m->ngroups : 1;
		size_t nsvc = m->nservices ? m->nservices : 1;
		size_t nfrom = m->nfrom ? m->nfrom : 1;
		size_t total = nnames * nsvc * nfrom, lost = 0;
		const struct ll_match **winner = calloc(total, sizeof(*winner));
		if (!winner)
			return;
		for (size_t k = 0; k < total; k++) {
			size_t n = k / (nsvc * nfrom), s = k / nfrom % nsvc, f = k % nfrom;
			const char *svc = m->nservices ? m->services[s] : NULL;
			const char *name = m->is_default ? NULL : names[n];
			const struct ll_cidr *block = m->nfrom ? &m->from[f] : NULL;
			const struct ll_match *w = decider(pol, m->nusers ? name : NULL,
			                                   m->ngroups ? name : NULL, svc, block);
			if (w && w != m && wins_on_block(w, block)) {
				winner[k] = w;
				lost++;
			}
		}
		if (lost == total) {
			shadow_warning(pol, m, winner[0], "this entry");
		} else {
			for (size_t k = 0; k < total; k++) {
				if (!winner[k])
					continue;
				char what[400];
				shadowed_part(m, k / (nsvc * nfrom), k / nfrom % nsvc, k % nfrom, what,
				              sizeof(what));
				shadow_warning(pol, m, winner[k], what);
			}
		}
		free(winner);
	}
}

/* Someone no user or group entry names, with a service no entry names. */
static void check_fallback(const struct ll_policy *pol)
{
	if (!decider(pol, NULL, NULL, NULL, NULL))
		ctl_warn(pol->file, 0,
		         "add { default = true; profile = \"...\"; } as the last entry (the profile "
		         "may be \"unconfined\")",
		         "no entry applies to users that no other entry matches: the module refuses "
		         "their sessions");
}

static void report_path(const char *file, const struct ctl_rule_view *v, const char *who)
{
	const struct ll_fs_rule *r = v->rule;
	if (v->error) {
		ctl_warn(file, r->line, NULL,
		         "%s%ssessions whose profile has this rule are refused: %s", who ? who : "",
		         who ? ": " : "", v->why);
	} else if (!v->exists && r->skip_missing) {
		ctl_note(file, r->line, NULL, "%s%spath '%s' does not exist: the rule is skipped",
		         who ? who : "", who ? ": " : "", v->path);
	} else if (!v->exists) {
		ctl_warn(file, r->line, "create it, or add missing = \"skip\"; to the rule",
		         "%s%spath '%s' does not exist: sessions whose profile has this rule are "
		         "refused",
		         who ? who : "", who ? ": " : "", v->path);
	}
}

static void check_paths(const struct ll_policy *pol, int abi)
{
	for (size_t i = 0; i < pol->nprofiles; i++) {
		const struct ll_profile *p = &pol->profiles[i];
		for (size_t j = 0; j < p->nfs; j++) {
			struct ctl_rule_view v;
			if (strchr(p->fs[j].path, '$'))
				continue; /* per user: check_user_paths(), explain */
			ctl_view_rule(&p->fs[j], NULL, abi, pol->file, &v);
			report_path(pol->file, &v, NULL);
			ctl_view_free(&v);
		}
	}
}

/* Paths with variables, for the existing users that user entries name. */
static void check_user_paths(const struct ll_policy *pol, int abi)
{
	for (size_t i = 0; i < pol->nmatches; i++) {
		const struct ll_match *m = &pol->matches[i];
		if (!m->nusers || strcmp(m->profile, LL_UNCONFINED) == 0)
			continue;
		for (size_t u = 0; u < m->nusers; u++) {
			struct ll_identity id;
			struct ll_decision dec;
			struct ll_resolved prof;
			if (!getpwnam(m->users[u]) ||
			    ll_identity_load(m->users[u], m->nservices ? m->services[0] : NULL, &id,
			                     NULL) < 0)
				continue;
			if (ll_policy_decide(pol, &id, &dec, NULL) == 0 && dec.entry == m &&
			    ll_policy_resolve(pol, m->profile, &prof, NULL) == 0) {
				char who[300];
				snprintf(who, sizeof(who), "for user '%s'", id.user);
				for (size_t j = 0; j < prof.nfs; j++) {
					struct ctl_rule_view v;
					if (!strchr(prof.fs[j]->path, '$'))
						continue;
					ctl_view_rule(prof.fs[j], &id, abi, pol->file, &v);
					report_path(pol->file, &v, who);
					ctl_view_free(&v);
				}
				ll_resolved_free(&prof);
			}
			ll_identity_free(&id);
		}
	}
}

/* Whether any rule without a variable, in any profile, is at or below DIR. */
static bool holds_a_rule(const struct ll_policy *pol, const char *dir)
{
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--;
	for (size_t i = 0; i < pol->nprofiles; i++)
		for (size_t j = 0; j < pol->profiles[i].nfs; j++) {
			const char *p = pol->profiles[i].fs[j].path;
			if (strchr(p, '$'))
				continue;
			if ((n == 1 && dir[0] == '/') ||
			    (strncmp(p, dir, n) == 0 && (p[n] == '\0' || p[n] == '/')))
				return true;
		}
	return false;
}

/* Whether SHELL is in /etc/shells (nologin, false and sync are not). */
static bool login_shell(const char *shell)
{
	bool found = false;
	setusershell();
	for (const char *s; !found && (s = getusershell());)
		found = strcmp(s, shell) == 0;
	endusershell();
	return found;
}

/* Users whose home directory ("/", "/var", "/srv/x" holding a rule) makes a
 * ${HOME} rule open what the profile keeps read-only: the module refuses
 * their sessions.  The verdict is the module's own (ll_session_prepare);
 * only accounts whose home holds another rule's path are put to it. */
static void check_homes(const char *conf, const struct ll_policy *pol, int abi)
{
	setpwent();
	for (struct passwd *pw; (pw = getpwent());) {
		/* The module opens the home, so a symlink to "/" is "/". */
		char real[PATH_MAX];
		if (!pw->pw_dir || !pw->pw_dir[0] ||
		    !(holds_a_rule(pol, pw->pw_dir) ||
		      (realpath(pw->pw_dir, real) && holds_a_rule(pol, real))))
			continue;
		char *user = strdup(pw->pw_name);
		if (!user)
			break;
		struct ll_session s;
		struct ll_diag d = { 0 };
		const char *sh = pw->pw_shell ? pw->pw_shell : "";
		bool nologin = !login_shell(sh);
		if (ll_session_prepare(&s, conf, LL_SESSION_PLAN_ONLY, user, NULL, NULL,
		                       abi < 1 ? LL_ABI_MAX : abi, &d, NULL) < 0 &&
		    strstr(d.msg, LL_VAR_RULE_REFUSED)) {
			/* An account without a login shell still has sessions (su -s,
			 * cron, services): a note, since most systems have several. */
			if (nologin)
				ctl_note(pol->file, d.line, NULL,
				         "account '%s' (home %s, shell %s): its sessions are refused: %s",
				         user, s.id.home ? s.id.home : "?", *sh ? sh : "none", d.msg);
			else
				ctl_warn(pol->file, d.line, d.hint,
				         "user '%s' (home %s): their sessions are refused: %s", user,
				         s.id.home ? s.id.home : "?", d.msg);
		}
		ll_session_free(&s);
		free(user);
	}
	endpwent();
}

/* What the ABI drops, or refuses, for each profile a match entry names. */
static void check_rights(const struct ll_policy *pol, int abi, bool simulated)
{
	char label[64], dropped[512];
	abi_label(abi, simulated, label, sizeof(label));
	for (size_t i = 0; i < pol->nmatches; i++) {
		const struct ll_match *m = &pol->matches[i];
		const struct ll_profile *p = ll_policy_profile(pol, m->profile);
		bool seen = false;
		for (size_t k = 0; k < i && !seen; k++)
			seen = strcmp(pol->matches[k].profile, m->profile) == 0;
		if (!p || seen)
			continue;
		struct ll_resolved prof;
		struct ll_plan plan = { 0 };
		struct ll_diag d = { 0 };
		if (ll_policy_resolve(pol, p->name, &prof, &d) < 0) {
			ctl_warn(pol->file, p->line, d.hint, "%s", d.msg);
			continue;
		}
		if (abi < 1) {
			ctl_warn(pol->file, p->line, ll_abi_error_hint(abi),
			         "sessions with profile '%s' are refused on this kernel: Landlock is "
			         "not available (%s)",
			         p->name, strerror(-abi));
		} else if (ctl_plan_rights(&prof, abi, pol->file, &plan, &d) < 0) {
			ctl_warn(pol->file, d.line > 0 ? d.line : p->line, d.hint,
			         "sessions with profile '%s' are refused on %s: %s", p->name, label,
			         d.msg);
		} else if (ll_plan_partial(&plan)) {
			ctl_warn(pol->file, p->line,
			         "a right this ABI does not handle is allowed everywhere in these "
			         "sessions, a dropped log flag leaves denials unlogged; "
			         "'landlockctl explain USER' lists the gaps",
			         "profile '%s': %s does not enforce %s", p->name, label,
			         ll_plan_dropped_str(&plan, dropped, sizeof(dropped)));
		}
		ll_plan_free(&plan);
		ll_resolved_free(&prof);
	}
}

int ctl_check(const struct ctl_opts *o)
{
	struct ll_policy *pol = NULL;
	struct ll_diag d = { 0 };
	int kernel, abi;

	if (!ctl_readable(o->conf))
		return CTL_USAGE;
	ctl_collect = true;
	if (ll_policy_load(o->conf, 0, &pol, NULL, &d, &ctl_sink) < 0) {
		ctl_flush();
		ctl_error(&d);
		return CTL_INVALID;
	}
	abi = ctl_abi(o, &kernel);
	check_trust(o->conf);
	check_names(pol);
	check_unused(pol);
	check_shadowed(pol);
	check_fallback(pol);
	check_paths(pol, abi);
	check_user_paths(pol, abi);
	check_homes(o->conf, pol, abi);
	check_rights(pol, abi, o->abi > 0);
	ctl_flush();

	int rc = CTL_OK;
	if (o->strict && ctl_nwarnings) {
		fprintf(stderr, "%s: invalid with --strict: %u warning%s\n", o->conf, ctl_nwarnings,
		        ctl_nwarnings == 1 ? "" : "s");
		rc = CTL_INVALID;
	} else if (!o->quiet) {
		printf("%s: valid (%zu profile%s, %zu match entr%s, %u warning%s)\n", o->conf,
		       pol->nprofiles, pol->nprofiles == 1 ? "" : "s", pol->nmatches,
		       pol->nmatches == 1 ? "y" : "ies", ctl_nwarnings,
		       ctl_nwarnings == 1 ? "" : "s");
		printf("%s: digest sha256 %s (the digest= of the module's audit records)\n", o->conf,
		       pol->digest);
	}
	ll_policy_free(pol);
	return rc;
}
