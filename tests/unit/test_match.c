/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_match.c - which match entry decides (ll_policy_decide): the six
 * precedence classes, first in file order within a class, the order of a
 * user's groups playing no part, the unconfined exemption, no match; and
 * ll_identity_load() on real users.
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

/* KIND is "user", "group" or "default"; NAMES and SERVICES comma lists. */
static struct ll_match entry(const char *kind, const char *names, const char *services,
                             const char *profile, int line)
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
	m.profile = strdup(profile);
	return m;
}

static void free_entries(struct ll_match *m, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free_strv(m[i].users, m[i].nusers);
		free_strv(m[i].groups, m[i].ngroups);
		free_strv(m[i].services, m[i].nservices);
		free(m[i].profile);
	}
}

static struct ll_identity who(const char *user, const char *groups, const char *service)
{
	struct ll_identity id;
	memset(&id, 0, sizeof(id));
	id.user = strdup(user);
	id.home = strdup("/home/x");
	id.uid = id.gid = 1000;
	id.groups = split(groups, &id.ngroups);
	id.by_name = true;
	id.service = service ? strdup(service) : NULL;
	return id;
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
	static const enum ll_match_class classes[] = {
	    LL_CLASS_USER_SERVICE,    LL_CLASS_USER,    LL_CLASS_GROUP_SERVICE,
	    LL_CLASS_GROUP,           LL_CLASS_DEFAULT_SERVICE, LL_CLASS_DEFAULT};
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
	    cmocka_unit_test(test_classes),       cmocka_unit_test(test_file_order),
	    cmocka_unit_test(test_group_order),   cmocka_unit_test(test_unconfined),
	    cmocka_unit_test(test_no_match),      cmocka_unit_test(test_from_file),
	    cmocka_unit_test(test_identity_root), cmocka_unit_test(test_identity_unknown),
	};
	return cmocka_run_group_tests_name("match", tests, ut_group_setup, ut_group_teardown);
}
