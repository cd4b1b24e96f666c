/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * resolve.c - who is logging in (identity) and from where, which match entry
 * decides for them (precedence), and a profile's "extends" chain merged into
 * one.
 *
 * Precedence: the most specific class that has a matching entry decides;
 * within a rank the first matching entry in file order wins.  Ranks, most
 * specific first, for user, then group, then default entries: with both
 * service and from; with one of them; with neither.
 *
 * Groups: the policy's group names are resolved to gids (getgrnam_r, with
 * the buffer grown on ERANGE) and compared with the user's gid list
 * (getgrouplist), and with the group's member list; only for entries that
 * could still decide.  A lookup error refuses the session: a user whose
 * restricting group cannot be looked up must not fall through to a laxer
 * entry.  The order in which the system lists groups plays no part.
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "layer2.h"
#include "policy.h"
#include "rights.h"

static bool in_list(char *const *v, size_t n, const char *s)
{
	for (size_t i = 0; s && i < n; i++)
		if (strcmp(v[i], s) == 0)
			return true;
	return false;
}

enum ll_match_class ll_match_class_of(const struct ll_match *m)
{
	int who = m->nusers ? 0 : m->ngroups ? 1 : 2;
	int qual = (m->nservices > 0) + (m->nfrom > 0);
	/* Within a who: service+from, service, from, none. */
	int idx = qual == 2 ? 0 : qual == 0 ? 3 : m->nservices ? 1 : 2;
	return (enum ll_match_class)(who * 4 + idx);
}

int ll_match_rank(enum ll_match_class c)
{
	if (c >= LL_CLASS_NONE)
		return 1000;
	int who = (int)c / 4, idx = (int)c % 4;
	return who * 3 + (idx == 0 ? 0 : idx == 3 ? 2 : 1);
}

static bool from_matches(const struct ll_match *m, const struct ll_identity *id)
{
	if (!m->nfrom)
		return true;
	for (size_t i = 0; id->has_addr && i < m->nfrom; i++)
		if (ll_cidr_contains(&m->from[i], &id->addr))
			return true;
	return false;
}

int ll_match_test(const struct ll_match *m, struct ll_identity *id, enum ll_match_class *out,
                  struct ll_diag *diag)
{
	*out = LL_CLASS_NONE;
	if (m->nservices && !in_list(m->services, m->nservices, id->service))
		return 0;
	if (!from_matches(m, id))
		return 0;
	if (m->nusers) {
		if (in_list(m->users, m->nusers, id->user))
			*out = ll_match_class_of(m);
		return 0;
	}
	if (m->ngroups) {
		for (size_t i = 0; i < m->ngroups; i++) {
			int r = ll_identity_in_group(id, m->groups[i], diag);
			if (r < 0) {
				/* Say which entry needed the group (from a copy: the
				 * file and hint must not be copied onto themselves). */
				if (diag) {
					struct ll_diag was = *diag;
					ll_diag_set(
					    diag, was.file[0] ? was.file : NULL, m->line, was.hint,
					    "%s (needed by the match entry at this line)", was.msg);
				}
				return -1;
			}
			if (r) {
				*out = ll_match_class_of(m);
				return 0;
			}
		}
		return 0;
	}
	if (m->is_default)
		*out = ll_match_class_of(m);
	return 0;
}

const char *ll_match_class_name(enum ll_match_class c)
{
	static const char *const names[] = {
		"user+service+from",    "user+service",    "user+from",    "user",
		"group+service+from",   "group+service",   "group+from",   "group",
		"default+service+from", "default+service", "default+from", "default",
		"none"
	};
	return names[c <= LL_CLASS_NONE ? c : LL_CLASS_NONE];
}

/* Whether M could still beat the entry BEST (at index BEST_I) found so far:
 * a lower rank, or the same rank earlier in the file. */
static bool could_win(const struct ll_policy *pol, const struct ll_match *m,
                      const struct ll_decision *best)
{
	int r = ll_match_rank(ll_match_class_of(m)), b = ll_match_rank(best->class);
	return r < b || (r == b && best->entry && m < best->entry);
}

/* How many distinct group names the group entries that could still decide
 * name (counting stops above LIMIT). */
static size_t candidate_names(const struct ll_policy *pol, const struct ll_identity *id,
                              const struct ll_decision *best, size_t limit)
{
	size_t n = 0;
	for (size_t i = 0; i < pol->nmatches && n <= limit; i++) {
		const struct ll_match *m = &pol->matches[i];
		if (!m->ngroups || !could_win(pol, m, best) ||
		    (m->nservices && !in_list(m->services, m->nservices, id->service)))
			continue;
		n += m->ngroups;
	}
	return n;
}

static int test_entry(const struct ll_policy *pol, const struct ll_match *m, struct ll_identity *id,
                      struct ll_decision *out, struct ll_diag *diag)
{
	enum ll_match_class c;
	if (ll_match_test(m, id, &c, diag) < 0) {
		if (diag && !diag->file[0])
			snprintf(diag->file, sizeof(diag->file), "%s", pol->file);
		return -1;
	}
	if (c != LL_CLASS_NONE) {
		out->class = c;
		out->entry = m;
	}
	return 0;
}

int ll_policy_decide(const struct ll_policy *pol, struct ll_identity *id,
                     struct ll_decision *out, struct ll_diag *diag)
{
	memset(out, 0, sizeof(*out));
	out->class = LL_CLASS_NONE;
	/* Entries that need no lookup first; then group entries, but only
	 * those that could still decide. */
	for (size_t i = 0; i < pol->nmatches; i++)
		if (!pol->matches[i].ngroups && could_win(pol, &pol->matches[i], out) &&
		    test_entry(pol, &pol->matches[i], id, out, diag) < 0)
			return -1;
	size_t names = candidate_names(pol, id, out, SIZE_MAX - 1);
	if (names && !id->by_name) {
		if (ll_identity_gids(id, diag) < 0)
			return -1;
		/* The cheaper way round: name the user's groups (lookups that
		 * find their group), or look up the policy's names (which miss
		 * when the group does not exist, through every NSS source: many
		 * times slower). */
		/* If naming fails, the policy's names are looked up instead: a
		 * refusal then names the group and the entry that needs it, and a
		 * broken entry for a group the policy does not name decides
		 * nothing. */
		if (id->ngids <= 8 * names)
			ll_identity_group_names(id, NULL);
	}
	for (size_t i = 0; names && i < pol->nmatches; i++)
		if (pol->matches[i].ngroups && could_win(pol, &pol->matches[i], out) &&
		    test_entry(pol, &pol->matches[i], id, out, diag) < 0)
			return -1;
	if (!out->entry) {
		ll_diag_set(diag, pol->file, 0,
		            "add a match entry for them, or a default: { default = true; profile = ...; }",
		            "no match entry applies to user '%s' (service %s%s%s)", id->user,
		            id->service ? id->service : "?", id->rhost ? ", from " : "",
		            id->rhost ? id->rhost : "");
		return -1;
	}
	out->unconfined = strcmp(out->entry->profile, LL_UNCONFINED) == 0;
	return 0;
}

/* ---- addresses ------------------------------------------------------------- */

static int parse_addr(const char *s, struct ll_cidr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, s, out->addr) == 1) {
		out->family = AF_INET;
		out->prefix = 32;
		return 0;
	}
	if (inet_pton(AF_INET6, s, out->addr) != 1)
		return -1;
	static const unsigned char mapped[12] = { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff };
	if (memcmp(out->addr, mapped, 12) == 0) {
		memmove(out->addr, out->addr + 12, 4);
		memset(out->addr + 4, 0, 12);
		out->family = AF_INET;
		out->prefix = 32;
		return 0;
	}
	out->family = AF_INET6;
	out->prefix = 128;
	return 0;
}

static bool bits_equal(const unsigned char *a, const unsigned char *b, int bits)
{
	int bytes = bits / 8, rest = bits % 8;
	if (memcmp(a, b, (size_t)bytes) != 0)
		return false;
	if (!rest)
		return true;
	unsigned char mask = (unsigned char)(0xff << (8 - rest));
	return (a[bytes] & mask) == (b[bytes] & mask);
}

int ll_cidr_parse(const char *s, struct ll_cidr *out, char *why, size_t len)
{
	char host[INET6_ADDRSTRLEN + 8];
	const char *slash = strchr(s, '/');
	size_t hl = slash ? (size_t)(slash - s) : strlen(s);
	if (hl >= sizeof(host) || hl == 0) {
		snprintf(why, len, "not an IPv4 or IPv6 address");
		return -1;
	}
	memcpy(host, s, hl);
	host[hl] = '\0';
	if (parse_addr(host, out) < 0) {
		bool name = false;
		for (const char *c = host; *c && !name; c++)
			name = (*c >= 'a' && *c <= 'z') || (*c >= 'A' && *c <= 'Z');
		snprintf(why, len, name && !strchr(host, ':') ? "host names are not accepted"
		                                              : "not an IPv4 or IPv6 address");
		return -1;
	}
	int max = strchr(host, ':') ? 128 : 32;
	if (slash) {
		char *end;
		errno = 0;
		long v = strtol(slash + 1, &end, 10);
		if (!slash[1] || *end || errno || v < 0 || v > max || slash[1] == '+' ||
		    slash[1] == '-' || slash[1] == ' ') {
			snprintf(why, len, "the prefix length must be a number from 0 to %d", max);
			return -1;
		}
		/* "::ffff:10.0.0.0/104" is 10.0.0.0/8. */
		if (strchr(host, ':') && out->family == AF_INET) {
			if (v < 96) {
				snprintf(why, len, "an IPv4-mapped block needs a prefix of at least 96");
				return -1;
			}
			v -= 96;
		}
		out->prefix = (int)v;
	}
	unsigned char net[16];
	memcpy(net, out->addr, 16);
	/* Host bits set ("10.1.2.3/8") are a typo more often than not. */
	int bytes = out->prefix / 8, rest = out->prefix % 8;
	if (rest)
		net[bytes++] &= (unsigned char)(0xff << (8 - rest));
	memset(net + bytes, 0, (size_t)(16 - bytes));
	if (memcmp(net, out->addr, 16) != 0) {
		char fixed[INET6_ADDRSTRLEN];
		inet_ntop(out->family, net, fixed, sizeof(fixed));
		snprintf(why, len, "bits are set after the prefix (did you mean %s/%d?)", fixed,
		         out->prefix);
		return -1;
	}
	return 0;
}

bool ll_cidr_contains(const struct ll_cidr *block, const struct ll_cidr *addr)
{
	return block->family == addr->family && bits_equal(block->addr, addr->addr, block->prefix);
}

char *ll_cidr_str(const struct ll_cidr *c, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN] = "?";
	inet_ntop(c->family, c->addr, a, sizeof(a));
	snprintf(buf, len, "%s/%d", a, c->prefix);
	return buf;
}

/* ---- identity ---------------------------------------------------------- */

void ll_identity_free(struct ll_identity *id)
{
	free(id->user);
	free(id->home);
	free(id->service);
	free(id->rhost);
	free(id->gids);
	for (size_t i = 0; i < id->ngroups; i++)
		free(id->groups[i]);
	free(id->groups);
	for (size_t i = 0; i < id->nmemo; i++)
		free(id->memo[i].name);
	free(id->memo);
	memset(id, 0, sizeof(*id));
}

int ll_identity_set_rhost(struct ll_identity *id, const char *rhost)
{
	free(id->rhost);
	id->rhost = NULL;
	id->has_addr = false;
	if (!rhost || !*rhost)
		return 0;
	if (!(id->rhost = strdup(rhost)))
		return -1;
	/* A link-local address may carry its interface: "fe80::1%eth0". */
	char tmp[INET6_ADDRSTRLEN + 1];
	size_t n = strcspn(rhost, "%");
	if (n < sizeof(tmp)) {
		memcpy(tmp, rhost, n);
		tmp[n] = '\0';
		id->has_addr = parse_addr(tmp, &id->addr) == 0;
	}
	return 0;
}

/* getpwnam_r/getgrnam_r/getgrgid_r with a buffer that grows on ERANGE (a
 * group of thousands of members does not fit any fixed size). */
#define NSS_BUF_MAX (64U << 20)
typedef int (*nss_fn)(const void *key, void *ent, char *buf, size_t len, void **res);

static int nss_lookup(nss_fn fn, const void *key, void *ent, char **buf, void **res)
{
	size_t len = 16384;
	for (;;) {
		char *nb = realloc(*buf, len);
		if (!nb)
			return ENOMEM;
		*buf = nb;
		*res = NULL;
		int e = fn(key, ent, *buf, len, res);
		if (e != ERANGE)
			return *res ? 0 : e;
		if (len >= NSS_BUF_MAX)
			return ERANGE;
		len *= 2;
	}
}

static int pw_by_name(const void *k, void *e, char *b, size_t l, void **r)
{
	return getpwnam_r(k, e, b, l, (struct passwd **)r);
}
static int gr_by_name(const void *k, void *e, char *b, size_t l, void **r)
{
	return getgrnam_r(k, e, b, l, (struct group **)r);
}
static int gr_by_gid(const void *k, void *e, char *b, size_t l, void **r)
{
	return getgrgid_r(*(const gid_t *)k, e, b, l, (struct group **)r);
}

int ll_identity_load(const char *user, const char *service, struct ll_identity *id,
                     struct ll_diag *diag)
{
	struct passwd pw;
	void *res = NULL;
	char *buf = NULL;

	memset(id, 0, sizeof(*id));
	int e = nss_lookup(pw_by_name, user, &pw, &buf, &res);
	if (!res) {
		ll_diag_set(diag, NULL, 0, "check the user database (getent passwd) and nsswitch.conf",
		            "cannot look up user '%s': %s", user, e ? strerror(e) : "no such user");
		free(buf);
		return -1;
	}
	id->user = strdup(pw.pw_name);
	id->home = strdup(pw.pw_dir ? pw.pw_dir : "");
	id->service = service ? strdup(service) : NULL;
	id->uid = pw.pw_uid;
	id->gid = pw.pw_gid;
	free(buf);
	if (!id->user || !id->home || (service && !id->service)) {
		ll_identity_free(id);
		ll_diag_set(diag, NULL, 0, NULL, "out of memory");
		return -1;
	}
	return 0;
}

int ll_identity_gids(struct ll_identity *id, struct ll_diag *diag)
{
	gid_t *gids = NULL;
	int ng = 64;
	if (id->gids || id->by_name)
		return 0;
	for (int tries = 0; tries < 16; tries++) {
		gid_t *ng_gids = realloc(gids, (size_t)ng * sizeof(gid_t));
		if (!ng_gids)
			break;
		gids = ng_gids;
		int want = ng;
		if (getgrouplist(id->user, id->gid, gids, &want) >= 0) {
			id->gids = gids;
			id->ngids = (size_t)want;
			return 0;
		}
		ng = want > ng ? want : ng * 2;
	}
	free(gids);
	ll_diag_set(diag, NULL, 0, "check the group database (getent group)",
	            "cannot list the groups of user '%s'", id->user);
	return -1;
}

static bool all_digits(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (*s < '0' || *s > '9')
			return false;
	return true;
}

static bool has_gid(const struct ll_identity *id, gid_t g)
{
	if (g == id->gid)
		return true;
	for (size_t i = 0; i < id->ngids; i++)
		if (id->gids[i] == g)
			return true;
	return false;
}

/* Whether the group database answers at all: 0 if it knows gid 0 (every
 * system names it), -1 if it finds nothing, else the lookup's errno. */
static int group_db_answers(char **buf)
{
	struct group gr;
	void *res = NULL;
	gid_t root = 0;
	int e = nss_lookup(gr_by_gid, &root, &gr, buf, &res);
	return res ? 0 : e ? e : -1;
}

int ll_identity_in_group(struct ll_identity *id, const char *name, struct ll_diag *diag)
{
	if (id->by_name) /* made up: by name only */
		return in_list(id->groups, id->ngroups, name);
	if (ll_identity_gids(id, diag) < 0)
		return -1;
	/* The user's groups are named: a name is theirs or not, but for a
	 * number that no group is called (then it is a gid). */
	if (id->names_complete && (in_list(id->groups, id->ngroups, name) || !all_digits(name)))
		return in_list(id->groups, id->ngroups, name);
	for (size_t i = 0; i < id->nmemo; i++)
		if (strcmp(id->memo[i].name, name) == 0)
			return id->memo[i].member;

	struct group gr;
	void *res = NULL;
	char *buf = NULL;
	bool member = false;
	int e = nss_lookup(gr_by_name, name, &gr, &buf, &res);
	if (res) {
		member = has_gid(id, gr.gr_gid);
		for (char **mem = gr.gr_mem; !member && mem && *mem; mem++)
			member = strcmp(*mem, id->user) == 0;
	} else if (e == 0 && (e = group_db_answers(&buf)) < 0) {
		/* glibc answers "no such group" (0, no entry) also when the group
		 * source of nsswitch.conf cannot be used at all: a restricting
		 * group would then silently match nobody. */
		free(buf);
		ll_diag_set(diag, NULL, 0,
		            "check the group: line of /etc/nsswitch.conf and the group database "
		            "(getent group root); the session is refused rather than matched "
		            "without the group",
		            "cannot look up group '%s' for user '%s': the group database answers "
		            "for no group at all, not even gid 0 (root's group)",
		            name, id->user);
		return -1;
	} else if (e == 0) {
		/* No group of that name: a number is a gid without a name. */
		if (all_digits(name)) {
			errno = 0;
			unsigned long g = strtoul(name, NULL, 10);
			member = errno == 0 && g == (gid_t)g && has_gid(id, (gid_t)g);
		}
	} else {
		free(buf);
		ll_diag_set(diag, NULL, 0,
		            "check the group database (getent group) and the group: line of "
		            "/etc/nsswitch.conf; the session is refused rather than matched "
		            "without the group",
		            "cannot look up group '%s' for user '%s': %s", name, id->user, strerror(e));
		return -1;
	}
	free(buf);
	struct ll_group_memo *nm = realloc(id->memo, (id->nmemo + 1) * sizeof(*nm));
	char *dup = strdup(name);
	if (!nm || !dup) {
		if (nm)
			id->memo = nm;
		free(dup);
		ll_diag_set(diag, NULL, 0, NULL, "out of memory");
		return -1;
	}
	id->memo = nm;
	nm[id->nmemo++] = (struct ll_group_memo){ .name = dup, .member = member };
	return member;
}

int ll_identity_group_names(struct ll_identity *id, struct ll_diag *diag)
{
	char *buf = NULL;
	if (id->by_name || id->names_complete)
		return 0;
	if (ll_identity_gids(id, diag) < 0)
		return -1;
	id->groups = calloc(id->ngids + 1, sizeof(char *));
	if (!id->groups)
		goto oom;
	for (size_t i = 0; i < id->ngids; i++) {
		struct group gr;
		void *res = NULL;
		char num[32];
		const char *name = num;
		snprintf(num, sizeof(num), "%u", (unsigned)id->gids[i]);
		int e = nss_lookup(gr_by_gid, &id->gids[i], &gr, &buf, &res);
		/* "No such group" from a database that knows no group at all is
		 * an unusable group source (see ll_identity_in_group). */
		if (!res && e == 0 && group_db_answers(&buf) < 0)
			e = ENOENT;
		if (res) {
			name = gr.gr_name;
		} else if (e) {
			free(buf);
			ll_diag_set(diag, NULL, 0,
			            "check the group database (getent group) and the group: line of "
			            "/etc/nsswitch.conf; the session is refused rather than matched "
			            "without the group",
			            "cannot look up group %s of user '%s': %s", num, id->user, strerror(e));
			return -1;
		}
		if (in_list(id->groups, id->ngroups, name))
			continue;
		if (!(id->groups[id->ngroups] = strdup(name)))
			goto oom;
		id->ngroups++;
	}
	free(buf);
	id->names_complete = true;
	return 0;
oom:
	free(buf);
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
	const int *mine[LL_NSETTINGS] = { &pr->compat,   &pr->min_abi,  &pr->nnp,
		                          &pr->logging,  &pr->log_subdomains, &pr->block[0],
		                          &pr->block[1], &pr->block[2], &pr->block[3] };
	for (int i = 0; i < LL_NSETTINGS; i++)
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
	 * subdomains logged, every part of the second layer on. */
	int settings[LL_NSETTINGS] = { LL_COMPAT_BEST_EFFORT, 0, 1, LL_LOG_FORCED, 1, 1, 1, 1, 1 };
	int lines[LL_NSETTINGS] = { 0 };

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
	for (int b = 0; b < LL_L2_NPARTS; b++) {
		if (settings[LL_SET_BLOCK_FIRST + b])
			out->block |= LL_L2_BIT(b);
		out->block_line[b] = lines[LL_SET_BLOCK_FIRST + b];
	}
	return 0;
}

void ll_resolved_free(struct ll_resolved *r)
{
	free(r->fs);
	for (int i = 0; i < LL_NET_NRIGHTS; i++)
		free(r->ports[i].port);
	memset(r, 0, sizeof(*r));
}
