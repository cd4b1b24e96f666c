/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_match.c - which match entry decides (ll_policy_decide): the twelve
 * precedence classes (who, then service and from), first in file order
 * within a rank (also between user+service and user+from), the order of a
 * user's groups playing no part, the unconfined exemption, no match; where
 * the session comes from (IPv4, IPv6, IPv4-mapped, a link-local address
 * with its interface, a host name, no remote host); and ll_identity_load()
 * on real users.
 */
#include "config.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"

/* "a,b,c" -> a new vector. */
static char **split(const char *list, size_t *n)
{
	*n = 0;
	if (!list)
		return NULL;
	char **v = calloc(16, sizeof(char *));
	char *copy = strdup(list), *save = NULL;
	assert_non_null(v);
	assert_non_null(copy);
	for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
		assert_true(*n < 16);
		v[(*n)++] = strdup(t);
	}
	free(copy);
	return v;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* KIND is "user", "group" or "default"; NAMES, SERVICES and FROM (address
 * blocks) comma lists, or NULL. */
static struct ll_match entry_from(const char *kind, const char *names, const char *services,
                                  const char *from, const char *profile, int line)
{
	struct ll_match m;
	memset(&m, 0, sizeof(m));
	m.line = line;
	if (strcmp(kind, "user") == 0)
		m.users = split(names, &m.nusers);
	else if (strcmp(kind, "group") == 0)
		m.groups = split(names, &m.ngroups);
	else
		m.is_default = true;
	m.services = split(services, &m.nservices);
	size_t nblocks;
	char **blocks = split(from, &nblocks);
	if (nblocks) {
		m.from = calloc(nblocks, sizeof(*m.from));
		assert_non_null(m.from);
	}
	for (size_t i = 0; i < nblocks; i++) {
		char why[200];
		if (ll_cidr_parse(blocks[i], &m.from[i], why, sizeof(why)) != 0)
			fail_msg("bad block '%s': %s", blocks[i], why);
	}
	m.nfrom = nblocks;
	free_strv(blocks, nblocks);
	m.profile = strdup(profile);
	return m;
}

static struct ll_match entry(const char *kind, const char *names, const char *services,
                             const char *profile, int line)
{
	return entry_from(kind, names, services, NULL, profile, line);
}

static void free_entries(struct ll_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free_strv(m[i].users, m[i].nusers);
		free_strv(m[i].groups, m[i].ngroups);
		free_strv(m[i].services, m[i].nservices);
		free(m[i].from);
		free(m[i].profile);
	}
}

/* RHOST: PAM_RHOST, or NULL for none. */
static struct ll_identity who_from(const char *user, const char *groups, const char *service,
                                   const char *rhost)
{
	struct ll_identity id;
	memset(&id, 0, sizeof(id));
	id.user = strdup(user);
	id.home = strdup("/home/x");
	id.uid = id.gid = 1000;
	id.groups = split(groups, &id.ngroups);
	id.by_name = true;
	id.service = service ? strdup(service) : NULL;
	assert_int_equal(ll_identity_set_rhost(&id, rhost), 0);
	return id;
}

static struct ll_identity who(const char *user, const char *groups, const char *service)
{
	return who_from(user, groups, service, NULL);
}

static char hand[] = "hand-built";

static struct ll_policy policy(struct ll_match *m, size_t n)
{
	return (struct ll_policy){.file = hand, .matches = m, .nmatches = n};
}

/* The profile chosen for ID, asserting the class. */
static const char *decide(struct ll_match *m, size_t n, struct ll_identity *id,
                          enum ll_match_class want)
{
	struct ll_policy pol = policy(m, n);
	struct ll_decision dec;
	struct ll_diag d = {0};
	if (ll_policy_decide(&pol, id, &dec, &d) != 0)
		fail_msg("no decision: %s", d.msg);
	assert_non_null(dec.entry);
	assert_string_equal(ll_match_class_name(dec.class), ll_match_class_name(want));
	enum ll_match_class c;
	assert_int_equal(ll_match_test(dec.entry, id, &c, &d), 0);
	assert_int_equal(c, dec.class);
	return dec.entry->profile;
}

/* Most general first in the file, so file order cannot explain the result. */
static void general_first(struct ll_match *m)
{
	m[0] = entry("default", NULL, NULL, "d", 1);
	m[1] = entry("default", NULL, "login,sshd", "ds", 2);
	m[2] = entry("group", "g1", NULL, "g", 3);
	m[3] = entry("group", "g0,g1", "sshd", "gs", 4);
	m[4] = entry("user", "alice", NULL, "u", 5);
	m[5] = entry("user", "bob,alice", "sshd", "us", 6);
}

static void test_classes(void **state)
{
	static const char *const names[] = {"us", "u", "gs", "g", "ds", "d"};
	static const enum ll_match_class classes[] = {LL_CLASS_USER_SERVICE,    LL_CLASS_USER,
	                                              LL_CLASS_GROUP_SERVICE,   LL_CLASS_GROUP,
	                                              LL_CLASS_DEFAULT_SERVICE, LL_CLASS_DEFAULT};
	struct ll_match m[6], rev[6];
	struct ll_identity id = who("alice", "users,g1", "sshd");

	general_first(m);
	for (int i = 0; i < 6; i++)
		rev[i] = m[5 - i];
	/* Remove the most specific entry, one at a time. */
	for (int k = 0; k < 6; k++) {
		size_t n = 6 - (size_t)k;
		assert_string_equal(decide(m, n, &id, classes[k]), names[k]);
		/* Same with the specific ones first. */
		assert_string_equal(decide(rev + k, n, &id, classes[k]), names[k]);
	}
	ll_identity_free(&id);

	/* Another service: the service-restricted entries do not apply. */
	id = who("alice", "g1", "cron");
	assert_string_equal(decide(m, 6, &id, LL_CLASS_USER), "u");
	assert_string_equal(decide(m, 4, &id, LL_CLASS_GROUP), "g");
	assert_string_equal(decide(m, 2, &id, LL_CLASS_DEFAULT), "d");
	ll_identity_free(&id);

	/* No service known: only entries without a service list apply. */
	id = who("alice", "g1", NULL);
	assert_string_equal(decide(m, 6, &id, LL_CLASS_USER), "u");
	assert_string_equal(decide(rev, 6, &id, LL_CLASS_USER), "u");
	ll_identity_free(&id);

	/* bob: only the user+service entry names him. */
	id = who("bob", "g0", "sshd");
	assert_string_equal(decide(m, 6, &id, LL_CLASS_USER_SERVICE), "us");
	assert_string_equal(decide(m, 5, &id, LL_CLASS_GROUP_SERVICE), "gs");
	assert_string_equal(decide(m, 3, &id, LL_CLASS_DEFAULT_SERVICE), "ds");
	ll_identity_free(&id);

	/* Another user, not in g1: a group entry for g1 never applies. */
	id = who("carol", "users", "login");
	assert_string_equal(decide(m, 6, &id, LL_CLASS_DEFAULT_SERVICE), "ds");
	ll_identity_free(&id);
	free_entries(m, 6);
}

static void test_file_order(void **state)
{
	struct ll_match m[8];
	m[0] = entry("default", NULL, NULL, "d1", 1);
	m[1] = entry("group", "g2", NULL, "g2", 2);
	m[2] = entry("group", "g1", NULL, "g1", 3);
	m[3] = entry("default", NULL, NULL, "d2", 4);
	m[4] = entry("user", "alice", "sshd", "us1", 5);
	m[5] = entry("user", "alice", "sshd,login", "us2", 6);
	m[6] = entry("user", "alice", NULL, "u1", 7);
	m[7] = entry("user", "alice", NULL, "u2", 8);
	struct ll_identity id = who("alice", "g1,g2", "sshd");

	assert_string_equal(decide(m, 8, &id, LL_CLASS_USER_SERVICE), "us1");
	assert_string_equal(decide(m + 5, 3, &id, LL_CLASS_USER_SERVICE), "us2");
	assert_string_equal(decide(m + 6, 2, &id, LL_CLASS_USER), "u1");
	assert_string_equal(decide(m + 7, 1, &id, LL_CLASS_USER), "u2");
	assert_string_equal(decide(m, 4, &id, LL_CLASS_GROUP), "g2");
	assert_string_equal(decide(m + 2, 2, &id, LL_CLASS_GROUP), "g1");
	assert_string_equal(decide(m, 1, &id, LL_CLASS_DEFAULT), "d1");
	assert_string_equal(decide(m + 3, 1, &id, LL_CLASS_DEFAULT), "d2");
	ll_identity_free(&id);
	free_entries(m, 8);
}

/* Every order of the user's groups gives the same decision. */
static void permute(char **g, size_t k, size_t n, struct ll_match *m, size_t nm,
                    struct ll_identity *id, const char *want, enum ll_match_class cls, int *count)
{
	if (k == n) {
		assert_string_equal(decide(m, nm, id, cls), want);
		(*count)++;
		return;
	}
	for (size_t i = k; i < n; i++) {
		char *t = g[k];
		g[k] = g[i];
		g[i] = t;
		permute(g, k + 1, n, m, nm, id, want, cls, count);
		g[i] = g[k];
		g[k] = t;
	}
}

static void test_group_order(void **state)
{
	struct ll_match m[5];
	m[0] = entry("group", "g3", NULL, "c", 1);
	m[1] = entry("group", "g1", NULL, "a", 2);
	m[2] = entry("group", "g2,g9", NULL, "b", 3);
	m[3] = entry("group", "g2", "sshd", "bs", 4);
	m[4] = entry("default", NULL, NULL, "d", 5);
	struct ll_identity id = who("alice", "users,g1,g2,g3", "cron");
	int count = 0;

	permute(id.groups, 0, id.ngroups, m, 5, &id, "c", LL_CLASS_GROUP, &count);
	assert_int_equal(count, 24);
	permute(id.groups, 0, id.ngroups, m + 1, 4, &id, "a", LL_CLASS_GROUP, &count);
	permute(id.groups, 0, id.ngroups, m + 2, 3, &id, "b", LL_CLASS_GROUP, &count);
	free(id.service);
	id.service = strdup("sshd");
	permute(id.groups, 0, id.ngroups, m, 5, &id, "bs", LL_CLASS_GROUP_SERVICE, &count);
	assert_int_equal(count, 4 * 24);
	ll_identity_free(&id);
	free_entries(m, 5);
}

static void test_unconfined(void **state)
{
	struct ll_match m[3];
	struct ll_policy pol;
	struct ll_decision dec;
	struct ll_diag d = {0};
	m[0] = entry("group", "admins", NULL, "unconfined", 1);
	m[1] = entry("user", "root", NULL, "unconfined", 2);
	m[2] = entry("default", NULL, NULL, "shell", 3);
	pol = policy(m, 3);

	struct ll_identity id = who("root", "root", "su");
	assert_int_equal(ll_policy_decide(&pol, &id, &dec, &d), 0);
	assert_true(dec.unconfined);
	assert_ptr_equal(dec.entry, &m[1]);
	assert_int_equal(dec.class, LL_CLASS_USER);
	ll_identity_free(&id);

	id = who("alice", "users,admins", "sshd");
	assert_int_equal(ll_policy_decide(&pol, &id, &dec, &d), 0);
	assert_true(dec.unconfined);
	assert_int_equal(dec.class, LL_CLASS_GROUP);
	ll_identity_free(&id);

	id = who("bob", "users", "sshd");
	assert_int_equal(ll_policy_decide(&pol, &id, &dec, &d), 0);
	assert_false(dec.unconfined);
	assert_string_equal(dec.entry->profile, "shell");
	ll_identity_free(&id);
	free_entries(m, 3);
}

static void test_no_match(void **state)
{
	struct ll_match m[3];
	struct ll_decision dec;
	struct ll_diag d = {0};
	m[0] = entry("user", "alice", NULL, "p", 1);
	m[1] = entry("group", "wheel", NULL, "p", 2);
	m[2] = entry("default", NULL, "cron", "p", 3);
	struct ll_policy pol = policy(m, 3);

	struct ll_identity id = who("bob", "users,bob", "sshd");
	assert_int_equal(ll_policy_decide(&pol, &id, &dec, &d), -1);
	assert_null(dec.entry);
	assert_int_equal(dec.class, LL_CLASS_NONE);
	ut_assert_diag(&d, "hand-built", 0, "no match entry applies to user 'bob' (service sshd)");
	ll_identity_free(&id);

	id = who("bob", "users", NULL);
	assert_int_equal(ll_policy_decide(&pol, &id, &dec, &d), -1);
	ut_assert_diag(&d, "hand-built", 0, "no match entry applies to user 'bob' (service ?)");
	ll_identity_free(&id);

	/* An empty policy decides for nobody. */
	pol.nmatches = 0;
	id = who("alice", "wheel", "cron");
	assert_int_equal(ll_policy_decide(&pol, &id, &dec, &d), -1);
	ll_identity_free(&id);
	free_entries(m, 3);
}

/* ---- where the session comes from ------------------------------------- */

/* The twelve classes, most general first in the file: USF last, D first. */
static const char *const from_names[] = {"d",  "df",  "ds", "dsf", "g",  "gf",
                                         "gs", "gsf", "u",  "uf",  "us", "usf"};

static void from_general_first(struct ll_match *m)
{
	static const char *const kinds[] = {"default", "group", "user"};
	static const char *const names[] = {NULL, "g1", "alice"};
	for (int w = 0; w < 3; w++) {
		int b = w * 4;
		m[b + 0] = entry_from(kinds[w], names[w], NULL, NULL, from_names[b + 0], b + 1);
		m[b + 1] =
		    entry_from(kinds[w], names[w], NULL, "10.0.0.0/8", from_names[b + 1], b + 2);
		m[b + 2] = entry_from(kinds[w], names[w], "sshd", NULL, from_names[b + 2], b + 3);
		m[b + 3] = entry_from(kinds[w], names[w], "sshd", "10.0.0.0/8,2001:db8::/32",
		                      from_names[b + 3], b + 4);
	}
}

static void test_from_classes(void **state)
{
	struct ll_match m[12], rev[12];
	from_general_first(m);
	for (int i = 0; i < 12; i++)
		rev[i] = m[11 - i];
	struct ll_identity id = who_from("alice", "users,g1", "sshd", "10.1.2.3");

	/* General first: the first N entries.  When user+service and user+from
	 * both match (same rank), the one earlier in the file decides: here
	 * the "from" entry, which comes first. */
	static const struct {
		size_t n;
		const char *want;
		enum ll_match_class cls;
	} fwd[] = {
	    {12, "usf", LL_CLASS_USER_SERVICE_FROM},
	    {11, "uf", LL_CLASS_USER_FROM},
	    {10, "uf", LL_CLASS_USER_FROM},
	    {9, "u", LL_CLASS_USER},
	    {8, "gsf", LL_CLASS_GROUP_SERVICE_FROM},
	    {7, "gf", LL_CLASS_GROUP_FROM},
	    {6, "gf", LL_CLASS_GROUP_FROM},
	    {5, "g", LL_CLASS_GROUP},
	    {4, "dsf", LL_CLASS_DEFAULT_SERVICE_FROM},
	    {3, "df", LL_CLASS_DEFAULT_FROM},
	    {2, "df", LL_CLASS_DEFAULT_FROM},
	    {1, "d", LL_CLASS_DEFAULT},
	};
	for (size_t k = 0; k < sizeof(fwd) / sizeof(fwd[0]); k++)
		assert_string_equal(decide(m, fwd[k].n, &id, fwd[k].cls), fwd[k].want);

	/* Specific first: the last N entries, in the order of the classes (the
	 * enum's order); the service entry now comes before the from entry of
	 * its rank. */
	for (int k = 0; k < 12; k++)
		assert_string_equal(decide(rev + k, 12 - (size_t)k, &id, (enum ll_match_class)k),
		                    from_names[11 - k]);
	ll_identity_free(&id);

	/* From IPv6 inside the second block of the +service+from entries only. */
	id = who_from("alice", "g1", "sshd", "2001:db8:7::1");
	assert_string_equal(decide(m, 12, &id, LL_CLASS_USER_SERVICE_FROM), "usf");
	assert_string_equal(decide(m, 11, &id, LL_CLASS_USER_SERVICE), "us");
	assert_string_equal(decide(m, 8, &id, LL_CLASS_GROUP_SERVICE_FROM), "gsf");
	assert_string_equal(decide(m, 7, &id, LL_CLASS_GROUP_SERVICE), "gs");
	ll_identity_free(&id);

	/* No remote host (su -l, a console login), a host name, an address
	 * outside every block: only the entries without "from" apply. */
	static const char *const nowhere[] = {NULL, "", "office.example.com", "192.0.2.1",
	                                      "10.1.2.3/8"};
	for (size_t r = 0; r < sizeof(nowhere) / sizeof(nowhere[0]); r++) {
		id = who_from("alice", "g1", "sshd", nowhere[r]);
		assert_string_equal(decide(m, 12, &id, LL_CLASS_USER_SERVICE), "us");
		assert_string_equal(decide(m, 10, &id, LL_CLASS_USER), "u");
		assert_string_equal(decide(m, 8, &id, LL_CLASS_GROUP_SERVICE), "gs");
		assert_string_equal(decide(m, 6, &id, LL_CLASS_GROUP), "g");
		assert_string_equal(decide(m, 4, &id, LL_CLASS_DEFAULT_SERVICE), "ds");
		assert_string_equal(decide(m, 2, &id, LL_CLASS_DEFAULT), "d");
		assert_string_equal(decide(rev, 12, &id, LL_CLASS_USER_SERVICE), "us");
		ll_identity_free(&id);
	}
	free_entries(m, 12);
}

/* Ties of one rank, decided by the file whatever the qualifiers; and who
 * comes before any qualifier. */
static void test_from_ties(void **state)
{
	struct ll_match m[4];
	struct ll_identity id = who_from("alice", "g1", "sshd", "10.1.2.3");

	m[0] = entry_from("user", "alice", "sshd", NULL, "us", 1);
	m[1] = entry_from("user", "alice", NULL, "10.0.0.0/8", "uf", 2);
	assert_string_equal(decide(m, 2, &id, LL_CLASS_USER_SERVICE), "us");
	free_entries(m, 2);
	m[0] = entry_from("user", "alice", NULL, "10.0.0.0/8", "uf", 1);
	m[1] = entry_from("user", "alice", "sshd", NULL, "us", 2);
	assert_string_equal(decide(m, 2, &id, LL_CLASS_USER_FROM), "uf");
	free_entries(m, 2);

	m[0] = entry_from("group", "g1", NULL, "10.1.0.0/16", "gf", 1);
	m[1] = entry_from("group", "g1", "sshd", NULL, "gs", 2);
	assert_string_equal(decide(m, 2, &id, LL_CLASS_GROUP_FROM), "gf");
	free_entries(m, 2);
	m[0] = entry_from("default", NULL, "sshd", NULL, "ds", 1);
	m[1] = entry_from("default", NULL, NULL, "10.1.2.3", "df", 2);
	assert_string_equal(decide(m, 2, &id, LL_CLASS_DEFAULT_SERVICE), "ds");
	free_entries(m, 2);

	/* Two from entries of one rank: the first that matches, not the
	 * narrower block. */
	m[0] = entry_from("user", "alice", NULL, "10.0.0.0/8", "wide", 1);
	m[1] = entry_from("user", "alice", NULL, "10.1.2.0/24", "narrow", 2);
	assert_string_equal(decide(m, 2, &id, LL_CLASS_USER_FROM), "wide");
	free_entries(m, 2);

	/* Who first: a plain user entry beats group and default entries with
	 * both qualifiers, wherever it stands. */
	m[0] = entry_from("group", "g1", "sshd", "10.0.0.0/8", "gsf", 1);
	m[1] = entry_from("default", NULL, "sshd", "10.0.0.0/8", "dsf", 2);
	m[2] = entry_from("user", "alice", NULL, NULL, "u", 3);
	m[3] = entry_from("group", "g1", NULL, NULL, "g", 4);
	assert_string_equal(decide(m, 4, &id, LL_CLASS_USER), "u");
	assert_string_equal(decide(m, 2, &id, LL_CLASS_GROUP_SERVICE_FROM), "gsf");
	assert_string_equal(decide(m + 1, 1, &id, LL_CLASS_DEFAULT_SERVICE_FROM), "dsf");
	assert_string_equal(decide(m + 3, 1, &id, LL_CLASS_GROUP), "g");
	ll_identity_free(&id);
	free_entries(m, 4);
}

/* Which remote host is in which block. */
static void test_from_addresses(void **state)
{
	struct ll_match m[7];
	m[0] = entry_from("user", "alice", NULL, "10.0.0.0/8", "v4", 1);
	m[1] = entry_from("user", "alice", NULL, "2001:db8::/32", "v6", 2);
	m[2] = entry_from("user", "alice", NULL, "fe80::/10", "linklocal", 3);
	m[3] = entry_from("user", "alice", NULL, "::ffff:172.16.0.0/108", "mapped", 4);
	m[4] = entry_from("user", "alice", NULL, "0.0.0.0/0", "any4", 5);
	m[5] = entry_from("user", "alice", NULL, "::/0", "any6", 6);
	m[6] = entry_from("user", "alice", NULL, NULL, "none", 7);
	static const struct {
		const char *rhost, *want;
	} rows[] = {
	    {"10.1.2.3", "v4"},
	    {"10.255.255.255", "v4"},
	    {"::ffff:10.1.2.3", "v4"}, /* an IPv4-mapped address is IPv4 */
	    {"::FFFF:10.1.2.3", "v4"},
	    {"2001:db8:1::7", "v6"},
	    {"2001:0db8:0000::1", "v6"},
	    {"fe80::1%eth0", "linklocal"}, /* the interface is not part of it */
	    {"fe80::1", "linklocal"},
	    {"172.20.0.1", "mapped"}, /* a mapped block is an IPv4 block */
	    {"::ffff:172.31.255.1", "mapped"},
	    {"172.32.0.1", "any4"},
	    {"11.0.0.1", "any4"},
	    {"::ffff:192.0.2.1", "any4"}, /* not in ::/0: it is IPv4 */
	    {"2001:dc8::1", "any6"},
	    {"::1", "any6"},
	    {"office.example.com", "none"}, /* a host name never matches "from" */
	    {"localhost", "none"},
	    {"10.1.2.3/8", "none"}, /* a remote host is an address, not a block */
	    {"10.1.2.3 ", "none"},
	    {"", "none"},
	    {NULL, "none"},
	};
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct ll_identity id = who_from("alice", "", NULL, rows[r].rhost);
		const char *got = decide(
		    m, 7, &id, strcmp(rows[r].want, "none") ? LL_CLASS_USER_FROM : LL_CLASS_USER);
		if (strcmp(got, rows[r].want) != 0)
			fail_msg("rhost '%s': got %s, want %s",
			         rows[r].rhost ? rows[r].rhost : "(none)", got, rows[r].want);
		ll_identity_free(&id);
	}
	free_entries(m, 7);
}

/* ll_cidr_parse: what "from" accepts and why it refuses. */
static void test_cidr_parse(void **state)
{
	static const struct {
		const char *in, *out; /* out: ll_cidr_str, or NULL */
		const char *why;      /* the refusal, or NULL */
	} rows[] = {
	    {"192.0.2.7", "192.0.2.7/32", NULL},
	    {"10.0.0.0/8", "10.0.0.0/8", NULL},
	    {"0.0.0.0/0", "0.0.0.0/0", NULL},
	    {"2001:db8::/32", "2001:db8::/32", NULL},
	    {"::1", "::1/128", NULL},
	    {"::/0", "::/0", NULL},
	    {"::ffff:10.0.0.0/104", "10.0.0.0/8", NULL},
	    {"::ffff:192.0.2.7", "192.0.2.7/32", NULL},
	    {"office.example.com", NULL, "host names are not accepted"},
	    {"localhost", NULL, "host names are not accepted"},
	    {"office.example.com/24", NULL, "host names are not accepted"},
	    {"10.1.2.3/8", NULL, "bits are set after the prefix (did you mean 10.0.0.0/8?)"},
	    {"2001:db8::1/64", NULL, "bits are set after the prefix (did you mean 2001:db8::/64?)"},
	    {"10.0.0.0/33", NULL, "the prefix length must be a number from 0 to 32"},
	    {"2001:db8::/129", NULL, "the prefix length must be a number from 0 to 128"},
	    {"10.0.0.0/", NULL, "the prefix length must be a number from 0 to 32"},
	    {"10.0.0.0/+8", NULL, "the prefix length must be a number from 0 to 32"},
	    {"10.0.0.0/-1", NULL, "the prefix length must be a number from 0 to 32"},
	    {"10.0.0.0/8x", NULL, "the prefix length must be a number from 0 to 32"},
	    {"::ffff:10.0.0.0/95", NULL, "an IPv4-mapped block needs a prefix of at least 96"},
	    {"fe80::1%eth0", NULL, "not an IPv4 or IPv6 address"},
	    {"10.0.0", NULL, "not an IPv4 or IPv6 address"},
	    {"", NULL, "not an IPv4 or IPv6 address"},
	    {"/8", NULL, "not an IPv4 or IPv6 address"},
	};
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct ll_cidr c;
		char why[200] = "", buf[64];
		int rc = ll_cidr_parse(rows[r].in, &c, why, sizeof(why));
		if (rows[r].why) {
			if (rc != -1 || strcmp(why, rows[r].why) != 0)
				fail_msg("'%s': rc %d why '%s', want '%s'", rows[r].in, rc, why,
				         rows[r].why);
		} else {
			if (rc != 0)
				fail_msg("'%s' refused: %s", rows[r].in, why);
			assert_string_equal(ll_cidr_str(&c, buf, sizeof(buf)), rows[r].out);
		}
	}
}

/* From a file, with a real user: "from" entries carry their line and class;
 * a host name is refused with the hint. */
static void test_from_policy_file(void **state)
{
	static const char conf[] =
	    "version = 1;\n"
	    "profiles = { office = { }; remote = { }; v6 = { }; };\n"
	    "match = (\n"
	    "  { group = \"root\"; profile = \"remote\"; },\n"
	    "  { group = \"root\"; from = [\"192.0.2.0/24\", \"2001:db8:1::/48\"];\n"
	    "    profile = \"office\"; },\n"
	    "  { user = \"root\"; service = \"sshd\"; from = \"2001:db8:1:2::/64\"; profile = "
	    "\"v6\"; },\n"
	    "  { default = true; profile = \"remote\"; }\n"
	    ");\n";
	static const struct {
		const char *service, *rhost, *profile, *cls;
		int line;
	} rows[] = {
	    {"sshd", "192.0.2.9", "office", "group+from", 5},
	    {"sshd", "::ffff:192.0.2.9", "office", "group+from", 5},
	    {"login", "2001:db8:1:2::5", "office", "group+from", 5},
	    {"sshd", "2001:db8:1:2::5", "v6", "user+service+from", 7},
	    {"sshd", "198.51.100.1", "remote", "group", 4},
	    {"su-l", NULL, "remote", "group", 4},
	    {"sshd", "office.example.com", "remote", "group", 4},
	};
	struct ll_policy *pol = ut_load_ok(conf, NULL);
	for (size_t r = 0; r < sizeof(rows) / sizeof(rows[0]); r++) {
		struct ll_identity id;
		struct ll_decision dec;
		struct ll_diag d = {0};
		assert_int_equal(ll_identity_load("root", rows[r].service, &id, &d), 0);
		assert_int_equal(ll_identity_set_rhost(&id, rows[r].rhost), 0);
		assert_int_equal(ll_policy_decide(pol, &id, &dec, &d), 0);
		if (strcmp(dec.entry->profile, rows[r].profile) != 0 ||
		    dec.entry->line != rows[r].line ||
		    strcmp(ll_match_class_name(dec.class), rows[r].cls) != 0)
			fail_msg("%s from %s: got %s line %d (%s), want %s line %d (%s)",
			         rows[r].service, rows[r].rhost ? rows[r].rhost : "-",
			         dec.entry->profile, dec.entry->line,
			         ll_match_class_name(dec.class), rows[r].profile, rows[r].line,
			         rows[r].cls);
		ll_identity_free(&id);
	}
	ll_policy_free(pol);

	/* A host name: refused at its line, with a hint that says why. */
	static const char named[] = "version = 1;\n"
	                            "profiles = { p = { }; };\n"
	                            "match = (\n"
	                            "  { default = true; profile = \"p\";\n"
	                            "    from = [\"192.0.2.0/24\",\n"
	                            "            \"office.example.com\"]; }\n"
	                            ");\n";
	char *path = ut_write(named, 0, 0644);
	struct ll_policy *bad = NULL;
	struct ll_diag d = {0};
	assert_int_equal(ll_policy_load(path, ut_load_flags(), &bad, NULL, &d, NULL), -1);
	assert_null(bad);
	ut_assert_diag(&d, path, 6,
	               "bad address 'office.example.com' in 'from': host names are not accepted");
	assert_non_null(strstr(d.hint, "host names are not accepted (PAM_RHOST would be whatever "
	                               "name reverse DNS gives the client)"));
	free(path);
}

/* From a file: the deciding entry carries its line. */
static void test_from_file(void **state)
{
	static const char conf[] =
	    "version = 1;\n"
	    "profiles = { p = { }; q = { }; };\n"
	    "match = (\n"
	    "  { default = true; profile = \"p\"; },\n"
	    "  { group = \"root\"; profile = \"q\"; },\n"
	    "  { user = \"root\"; service = \"su\"; profile = \"unconfined\"; }\n"
	    ");\n";
	struct ll_policy *pol = ut_load_ok(conf, NULL);
	struct ll_identity id;
	struct ll_decision dec;
	struct ll_diag d = {0};

	assert_int_equal(ll_identity_load("root", "su", &id, &d), 0);
	assert_int_equal(ll_policy_decide(pol, &id, &dec, &d), 0);
	assert_int_equal(dec.entry->line, 6);
	assert_true(dec.unconfined);
	ll_identity_free(&id);

	assert_int_equal(ll_identity_load("root", "sshd", &id, &d), 0);
	assert_int_equal(ll_policy_decide(pol, &id, &dec, &d), 0);
	assert_int_equal(dec.entry->line, 5);
	assert_int_equal(dec.class, LL_CLASS_GROUP);
	assert_string_equal(dec.entry->profile, "q");
	assert_false(dec.unconfined);
	ll_identity_free(&id);
	ll_policy_free(pol);
}

static void test_identity_root(void **state)
{
	struct ll_identity id;
	struct ll_diag d = {0};
	struct passwd *pw = getpwnam("root");
	assert_non_null(pw);
	char *home = strdup(pw->pw_dir);

	assert_int_equal(ll_identity_load("root", "sshd", &id, &d), 0);
	assert_string_equal(id.user, "root");
	assert_int_equal(id.uid, 0);
	assert_int_equal(id.gid, 0);
	assert_string_equal(id.home, home);
	assert_string_equal(id.service, "sshd");
	bool has_gid0 = false;
	assert_int_equal(ll_identity_gids(&id, &d), 0);
	for (size_t i = 0; i < id.ngids; i++)
		has_gid0 |= id.gids[i] == 0;
	assert_true(has_gid0);
	assert_int_equal(ll_identity_group_names(&id, &d), 0);
	bool has_root = false;
	for (size_t i = 0; i < id.ngroups; i++) {
		has_root |= strcmp(id.groups[i], "root") == 0;
		for (size_t j = 0; j < i; j++)
			assert_string_not_equal(id.groups[i], id.groups[j]);
	}
	assert_true(has_root);
	ll_identity_free(&id);
	assert_null(id.user);
	assert_int_equal(id.ngroups, 0);

	assert_int_equal(ll_identity_load("root", NULL, &id, &d), 0);
	assert_null(id.service);
	ll_identity_free(&id);
	free(home);
}

static void test_identity_unknown(void **state)
{
	struct ll_identity id;
	struct ll_diag d = {0};
	assert_int_equal(ll_identity_load("ll-unit-no-such-user", "sshd", &id, &d), -1);
	assert_string_equal(d.msg, "cannot look up user 'll-unit-no-such-user': no such user");
	assert_true(d.hint[0] != '\0');
	assert_null(id.user);
	assert_null(id.groups);
	assert_null(id.service);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_classes),          cmocka_unit_test(test_file_order),
	    cmocka_unit_test(test_group_order),      cmocka_unit_test(test_unconfined),
	    cmocka_unit_test(test_no_match),         cmocka_unit_test(test_from_file),
	    cmocka_unit_test(test_from_classes),     cmocka_unit_test(test_from_ties),
	    cmocka_unit_test(test_from_addresses),   cmocka_unit_test(test_cidr_parse),
	    cmocka_unit_test(test_from_policy_file), cmocka_unit_test(test_identity_root),
	    cmocka_unit_test(test_identity_unknown),
	};
	return cmocka_run_group_tests_name("match", tests, ut_group_setup, ut_group_teardown);
}
