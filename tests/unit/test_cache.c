/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_cache.c - the compiled form of a policy (policycache.c) against the
 * parsed policy: the same profiles and entries, the same decision for every
 * identity tried (users named and not, groups, services, origins), the same
 * second-layer programs as freshly built ones; and it is never used when it
 * is stale (the policy's mtime or ctime changed), untrusted (mode, owner,
 * directory), truncated or damaged (every byte flipped in turn: either the
 * compiled form is refused, or what it loads is exactly the policy).
 * The module's own path (ll_policy_load_for with LL_LOAD_CACHE) writes it
 * on first use and reads it after.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layer2.h"
#include "policycache.h"
#include "sha256.h"
#include "unit.h"

static char *conf, *cache;
static struct ll_policy *full;
static struct stat conf_st;

#define NUSERS 300

/* A policy with every kind of entry and setting, and many users. */
static char *policy_text(void)
{
	size_t cap = 1 << 20, off = 0;
	char *t = malloc(cap);
	assert_non_null(t);
	off += (size_t)snprintf(
	    t + off, cap - off,
	    "version = 1;\n"
	    "profiles = {\n"
	    "  base = { filesystem = ( { path = \"/usr\"; access = \"read_exec\"; },\n"
	    "                          { path = \"/nonexistent\"; access = \"read_only\"; missing = \"skip\"; } );\n"
	    "           scope = [\"signal\"]; block_io_uring = false; logging = \"kernel_default\"; };\n"
	    "  shell = { extends = \"base\"; filesystem = ( { path = \"${HOME}\"; access = \"read_write_exec\"; } );\n"
	    "            network = { connect_tcp = [22, 443]; bind_tcp = []; bind_udp = [53]; };\n"
	    "            min_abi = 2; no_new_privs = false; };\n"
	    "  sftp = { extends = [\"base\"]; compatibility = \"best_effort\"; log_subdomains = false;\n"
	    "           block_fd_exec = false; block_terminal_injection = true; };\n"
	    "};\n"
	    "match = (\n"
	    "  { user = \"root\"; profile = \"unconfined\"; },\n"
	    "  { user = [\"alice\", \"bob\"]; service = \"sshd\"; profile = \"sftp\"; },\n"
	    "  { user = \"alice\"; from = [\"10.0.0.0/8\", \"2001:db8::/32\"]; profile = \"shell\"; },\n"
	    "  { user = [\"dave\", \"dave\"]; profile = \"sftp\"; },\n"
	    "  { group = [\"staff\", \"wheel\"]; profile = \"shell\"; },\n"
	    "  { group = \"sftponly\"; service = [\"sshd\", \"vsftpd\"]; from = \"192.0.2.0/24\"; profile = \"sftp\"; },\n"
	    "  { default = true; service = \"cron\"; profile = \"base\"; },\n");
	for (int i = 0; i < NUSERS; i++)
		off += (size_t)snprintf(t + off, cap - off,
		                        "  { user = \"u%03d\"; profile = \"%s\"; },\n", i,
		                        i % 3 ? "sftp" : "shell");
	snprintf(t + off, cap - off, "  { default = true; profile = \"shell\"; }\n);\n");
	return t;
}

static int setup(void **state)
{
	if (ut_group_setup(state) < 0)
		return -1;
	char *text = policy_text();
	conf = ut_write(text, 0, 0644);
	free(text);
	cache = ut_path("compiled.policy");
	return 0;
}

static int teardown(void **state)
{
	ll_policy_free(full);
	free(conf);
	free(cache);
	return ut_group_teardown(state);
}

/* ---- comparing ---------------------------------------------------------- */

static void same_strv(char **a, size_t na, char **b, size_t nb)
{
	assert_int_equal(na, nb);
	for (size_t i = 0; i < na; i++)
		assert_string_equal(a[i], b[i]);
}

static void same_profile(const struct ll_profile *a, const struct ll_profile *b)
{
	assert_string_equal(a->name, b->name);
	assert_int_equal(a->line, b->line);
	same_strv(a->extends, a->nextends, b->extends, b->nextends);
	assert_int_equal(a->extends_line, b->extends_line);
	assert_int_equal(a->nfs, b->nfs);
	for (size_t i = 0; i < a->nfs; i++) {
		assert_string_equal(a->fs[i].path, b->fs[i].path);
		assert_int_equal(a->fs[i].access, b->fs[i].access);
		assert_int_equal(a->fs[i].skip_missing, b->fs[i].skip_missing);
		assert_int_equal(a->fs[i].line, b->fs[i].line);
	}
	assert_int_equal(a->net_handled, b->net_handled);
	for (int i = 0; i < LL_NET_NRIGHTS; i++) {
		assert_int_equal(a->ports[i].n, b->ports[i].n);
		if (a->ports[i].n)
			assert_memory_equal(a->ports[i].port, b->ports[i].port,
			                    a->ports[i].n * sizeof(uint16_t));
	}
	assert_int_equal(a->scoped, b->scoped);
	assert_int_equal(a->compat, b->compat);
	assert_int_equal(a->min_abi, b->min_abi);
	assert_int_equal(a->nnp, b->nnp);
	assert_int_equal(a->logging, b->logging);
	assert_int_equal(a->log_subdomains, b->log_subdomains);
	assert_memory_equal(a->block, b->block, sizeof(a->block));
	assert_memory_equal(a->setting_line, b->setting_line, sizeof(a->setting_line));
}

static void same_match(const struct ll_match *a, const struct ll_match *b)
{
	assert_int_equal(a->line, b->line);
	same_strv(a->users, a->nusers, b->users, b->nusers);
	same_strv(a->groups, a->ngroups, b->groups, b->ngroups);
	same_strv(a->services, a->nservices, b->services, b->nservices);
	assert_int_equal(a->nfrom, b->nfrom);
	if (a->nfrom)
		assert_memory_equal(a->from, b->from, a->nfrom * sizeof(*a->from));
	assert_int_equal(a->is_default, b->is_default);
	assert_string_equal(a->profile, b->profile);
}

static bool equal_policy(const struct ll_policy *a, const struct ll_policy *b)
{
	/* assert_* abort the test; this returns instead, for the damage loop. */
	if (a->nprofiles != b->nprofiles || a->nmatches != b->nmatches ||
	    strcmp(a->digest, b->digest) != 0)
		return false;
	for (size_t i = 0; i < a->nprofiles; i++)
		same_profile(&a->profiles[i], &b->profiles[i]);
	for (size_t i = 0; i < a->nmatches; i++)
		same_match(&a->matches[i], &b->matches[i]);
	return true;
}

/* The decision for an identity made up of USER, GROUPS (comma list or
 * NULL), SERVICE and FROM, as "line class profile". */
static void decide(const struct ll_policy *pol, const char *user, const char *groups,
                   const char *service, const char *from, char *out, size_t len)
{
	struct ll_identity id = { 0 };
	struct ll_decision dec;
	char *g[4] = { 0 };
	char gl[128];
	id.user = strdup(user);
	id.by_name = true;
	if (groups) {
		snprintf(gl, sizeof(gl), "%s", groups);
		for (char *t = strtok(gl, ","); t && id.ngroups < 4; t = strtok(NULL, ","))
			g[id.ngroups++] = t;
		id.groups = g;
	}
	id.service = service ? strdup(service) : NULL;
	assert_int_equal(ll_identity_set_rhost(&id, from), 0);
	if (ll_policy_decide(pol, &id, &dec, NULL) == 0)
		snprintf(out, len, "%d %s %s", dec.entry->line, ll_match_class_name(dec.class),
		         dec.entry->profile);
	else
		snprintf(out, len, "refused");
	id.groups = NULL;
	id.ngroups = 0;
	ll_identity_free(&id);
}

static void same_decisions(const struct ll_policy *part, const char *user)
{
	static const char *const groups[] = { NULL, "staff", "sftponly", "wheel,sftponly", "other" };
	static const char *const services[] = { NULL, "sshd", "cron", "vsftpd", "login" };
	static const char *const froms[] = { NULL, "10.1.2.3", "192.0.2.9", "2001:db8::5",
		                             "::ffff:10.9.9.9", "host.example" };
	char a[128], b[128];
	for (size_t g = 0; g < 5; g++)
		for (size_t s = 0; s < 5; s++)
			for (size_t f = 0; f < 6; f++) {
				decide(full, user, groups[g], services[s], froms[f], a, sizeof(a));
				decide(part, user, groups[g], services[s], froms[f], b, sizeof(b));
				if (strcmp(a, b) != 0)
					fail_msg("user %s groups %s service %s from %s: parsed '%s', "
					         "compiled '%s'",
					         user, groups[g] ? groups[g] : "-",
					         services[s] ? services[s] : "-", froms[f] ? froms[f] : "-",
					         a, b);
			}
}

/* ---- tests --------------------------------------------------------------- */

static void test_roundtrip(void **state)
{
	struct ll_diag d = { 0 };
	ut_need_root("the compiled form is held to root's ownership");
	if (ll_policy_load(conf, LL_LOAD_TRUSTED, &full, NULL, &d, NULL) != 0)
		fail_msg("%s:%d: %s", d.file, d.line, d.msg);
	assert_int_equal(stat(conf, &conf_st), 0);
	assert_int_equal(ll_cache_write(full, &conf_st, cache), 0);

	/* All of it, entry for entry. */
	struct ll_policy *all = NULL;
	assert_int_equal(ll_cache_load(cache, &conf_st, NULL, &all), 0);
	assert_true(equal_policy(full, all));
	assert_false(all->partial);
	/* The programs are the ones a session would build. */
	for (unsigned mask = 1; mask < LL_L2_NMASKS; mask++) {
		struct ll_l2_filter f;
		assert_int_equal(ll_l2_build(mask, &f, NULL), 0);
		assert_int_equal(all->l2[mask].len, f.len);
		assert_memory_equal(all->l2[mask].insns, f.insns, f.len * sizeof(struct sock_filter));
		ll_l2_free(&f);
	}
	ll_policy_free(all);

	/* For one user: fewer entries, the same decisions. */
	static const char *const users[] = { "alice", "bob", "root", "u000", "u001",
		                             "u299", "carol", "u300", "dave", "" };
	for (size_t i = 0; i < sizeof(users) / sizeof(users[0]); i++) {
		struct ll_policy *part = NULL;
		assert_int_equal(ll_cache_load(cache, &conf_st, users[i], &part), 0);
		assert_true(part->partial);
		assert_true(part->nmatches < full->nmatches);
		assert_int_equal(part->nprofiles, full->nprofiles);
		same_decisions(part, users[i]);
		ll_policy_free(part);
	}
}

static void test_stale(void **state)
{
	ut_need_root("the compiled form is held to root's ownership");
	struct ll_policy *p = NULL;
	struct stat st = conf_st;
	assert_int_equal(ll_cache_load(cache, &st, "alice", &p), 0);
	ll_policy_free(p);
	/* Another mtime, another ctime, another inode, another size. */
	struct stat mod = st;
	mod.st_mtim.tv_nsec ^= 1;
	assert_int_equal(ll_cache_load(cache, &mod, "alice", &p), -1);
	mod = st;
	mod.st_ctim.tv_sec += 1;
	assert_int_equal(ll_cache_load(cache, &mod, "alice", &p), -1);
	mod = st;
	mod.st_ino += 1;
	assert_int_equal(ll_cache_load(cache, &mod, "alice", &p), -1);
	mod = st;
	mod.st_size += 1;
	assert_int_equal(ll_cache_load(cache, &mod, "alice", &p), -1);
}

static void test_untrusted(void **state)
{
	ut_need_root("the compiled form is held to root's ownership");
	struct ll_policy *p = NULL;
	assert_int_equal(chmod(cache, 0666), 0);
	assert_int_equal(ll_cache_load(cache, &conf_st, "alice", &p), -1);
	assert_int_equal(chmod(cache, 0644), 0);
	assert_int_equal(chown(cache, 65534, 0), 0);
	assert_int_equal(ll_cache_load(cache, &conf_st, "alice", &p), -1);
	assert_int_equal(chown(cache, 0, 0), 0);
	assert_int_equal(chmod(ut_dir(), 0777), 0);
	assert_int_equal(ll_cache_load(cache, &conf_st, "alice", &p), -1);
	assert_int_equal(chmod(ut_dir(), 0700), 0);
	assert_int_equal(ll_cache_load(cache, &conf_st, "alice", &p), 0);
	ll_policy_free(p);
}

static unsigned char *slurp(const char *path, size_t *len)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	unsigned char *b = malloc((size_t)st.st_size);
	assert_non_null(b);
	assert_int_equal(read(fd, b, (size_t)st.st_size), st.st_size);
	close(fd);
	*len = (size_t)st.st_size;
	return b;
}

static void spill(const char *path, const unsigned char *b, size_t len)
{
	int fd = open(path, O_WRONLY | O_TRUNC | O_CLOEXEC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, b, len), (ssize_t)len);
	close(fd);
}

/* Every byte flipped in turn, and every length cut: refused, or exactly the
 * policy (a flip where nothing is read). */
static void test_damaged(void **state)
{
	ut_need_root("the compiled form is held to root's ownership");
	size_t len;
	unsigned char *good = slurp(cache, &len);
	unsigned char *bad = malloc(len);
	assert_non_null(bad);
	unsigned refused = 0, harmless = 0;
	for (size_t at = 0; at < len; at += (at < 4096 ? 1 : 61)) {
		memcpy(bad, good, len);
		bad[at] ^= 0x5a;
		spill(cache, bad, len);
		struct ll_policy *p = NULL;
		if (ll_cache_load(cache, &conf_st, NULL, &p) < 0) {
			refused++;
			continue;
		}
		if (!equal_policy(full, p))
			fail_msg("a flip at byte %zu loaded another policy", at);
		for (unsigned mask = 1; mask < LL_L2_NMASKS; mask++)
			if (p->l2[mask].len != full->l2[mask].len && full->l2[mask].len)
				fail_msg("a flip at byte %zu changed program %u", at, mask);
		ll_policy_free(p);
		harmless++;
	}
	for (size_t cut = 0; cut < len; cut += len / 97 + 1) {
		int fd = open(cache, O_WRONLY | O_TRUNC | O_CLOEXEC);
		assert_true(fd >= 0);
		assert_int_equal(write(fd, good, cut), (ssize_t)cut);
		close(fd);
		struct ll_policy *p = NULL;
		assert_int_equal(ll_cache_load(cache, &conf_st, "alice", &p), -1);
	}
	print_message("%u damaged copies refused, %u flips where nothing is read\n", refused,
	              harmless);
	assert_true(refused > 100);
	spill(cache, good, len);
	free(good);
	free(bad);
}

/* The module's path: the first load parses and writes the compiled form,
 * the next one reads it; a changed policy is read afresh. */
static void test_module_path(void **state)
{
	ut_need_root("the compiled form is held to root's ownership");
	char path[256], digest[LL_SHA256_HEX], digest2[LL_SHA256_HEX];
	struct ll_diag d = { 0 };
	struct ll_policy *p = NULL;
	struct stat dst;
	bool had_dir = stat(LL_CACHE_DIR, &dst) == 0;
	ll_cache_path(conf, path, sizeof(path));
	unlink(path);
	assert_int_equal(ll_policy_load_for(conf, LL_LOAD_TRUSTED | LL_LOAD_CACHE, "alice", &p,
	                                    digest, &d, NULL),
	                 0);
	assert_false(p->partial); /* parsed */
	assert_string_equal(digest, full->digest);
	ll_policy_free(p);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_uid, 0);
	assert_int_equal(st.st_mode & 07777, 0644);
	assert_int_equal(ll_policy_load_for(conf, LL_LOAD_TRUSTED | LL_LOAD_CACHE, "alice", &p,
	                                    digest2, &d, NULL),
	                 0);
	assert_true(p->partial); /* compiled */
	assert_string_equal(digest2, full->digest);
	assert_string_equal(p->file, conf);
	same_decisions(p, "alice");
	ll_policy_free(p);

	/* An invalid policy in its place is refused, compiled form or not. */
	char *saved = NULL;
	size_t slen;
	saved = (char *)slurp(conf, &slen);
	FILE *f = fopen(conf, "w");
	assert_non_null(f);
	fputs("version = 1; profiles = { }; match = ( { default = true; profile = \"x\"; } );\n", f);
	fclose(f);
	assert_int_equal(ll_policy_load_for(conf, LL_LOAD_TRUSTED | LL_LOAD_CACHE, "alice", &p,
	                                    digest2, &d, NULL),
	                 -1);
	assert_null(p);
	spill(conf, (unsigned char *)saved, slen);
	free(saved);
	unlink(path);
	if (!had_dir)
		rmdir(LL_CACHE_DIR);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_roundtrip),   cmocka_unit_test(test_stale),
		cmocka_unit_test(test_untrusted),   cmocka_unit_test(test_damaged),
		cmocka_unit_test(test_module_path),
	};
	return cmocka_run_group_tests_name("cache", tests, setup, teardown);
}
