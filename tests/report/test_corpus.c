/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_corpus.c - the reporter against real audit logs (tests/report/corpus:
 * real Landlock sandboxes and pam_landlock end-to-end sessions on this
 * project's test machine; see make-corpus.sh).  The expected counts are
 * computed here by a deliberately naive, independent reading of the same
 * file (grep-like: count the 1423 lines, find each one's SYSCALL line by
 * node and serial), then compared exactly with the reporter: total
 * denials, per-user denials (auid, else uid), per-blocker counts, per-domain
 * logged counts, kernel-counted denials.  Each file is read through the
 * built-in record parser, libauparse, and as a gzip file.  (The
 * differential layer, tests/report/diff.sh, compares every view and format
 * against an independent counter; this is its quick in-process cousin.)
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

#include <dirent.h>
#include <unistd.h>
#include <zlib.h>

#define MAXK 4096

struct kv {
	char key[160];
	uint64_t n;
};

struct truth {
	uint64_t denials, kernel, pam_tied;
	struct kv tied[MAXK];
	int ntied;
	struct kv uid[MAXK], blk[MAXK], dom[MAXK];
	int nuid, nblk, ndom;
};

static void bump(struct kv *v, int *n, const char *key)
{
	for (int i = 0; i < *n; i++)
		if (!strcmp(v[i].key, key)) {
			v[i].n++;
			return;
		}
	assert_true(*n < MAXK);
	snprintf(v[*n].key, sizeof(v[*n].key), "%s", key);
	v[(*n)++].n = 1;
}

static uint64_t get(const struct kv *v, int n, const char *key)
{
	for (int i = 0; i < n; i++)
		if (!strcmp(v[i].key, key))
			return v[i].n;
	return 0;
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	assert_non_null(f);
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	fseek(f, 0, SEEK_SET);
	char *b = malloc((size_t)n + 1);
	assert_int_equal(fread(b, 1, (size_t)n, f), (size_t)n);
	b[n] = '\0';
	fclose(f);
	*len = (size_t)n;
	return b;
}

/* "node=X " prefix (or "") and the serial, as text: the event key. */
static void event_key(const char *l, char *out, size_t n)
{
	const char *node = "", *ne = node;
	if (!strncmp(l, "node=", 5)) {
		node = l + 5;
		ne = strchr(node, ' ');
	}
	const char *m = strstr(l, "msg=audit(");
	const char *c = m ? strchr(m, ':') : NULL;
	const char *e = c ? strstr(c, "):") : NULL;
	if (!e) {
		snprintf(out, n, "?");
		return;
	}
	snprintf(out, n, "%.*s|%.*s", (int)(ne - node), node, (int)(e - c - 1), c + 1);
}

static unsigned long long field(const char *l, const char *name)
{
	const char *p = strstr(l, name);
	return p ? strtoull(p + strlen(name), NULL, 10) : 0;
}

static void ground_truth(char *text, struct truth *t)
{
	char **lines = NULL;
	size_t n = 0;
	char *save = NULL;
	for (char *p = strtok_r(text, "\n", &save); p; p = strtok_r(NULL, "\n", &save)) {
		lines = realloc(lines, (n + 1) * sizeof(*lines));
		lines[n++] = p;
	}
	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < n; i++) {
		const char *l = lines[i];
		if (strstr(l, "status=deallocated"))
			t->kernel += field(l, " denials=");
		if (strstr(l, "status=allocated")) { /* creator pid with an earlier pam_landlock
			                                record? */
			char key[160], pid[32], dk[200];
			event_key(l, key, sizeof(key));
			snprintf(pid, sizeof(pid), " pid=%llu ", field(l, " pid="));
			for (size_t j = 0; j < i; j++) {
				char k2[160];
				event_key(lines[j], k2, sizeof(k2));
				if (strstr(lines[j], "type=TRUSTED_APP ") &&
				    strstr(lines[j], "op=pam_landlock-enforce") &&
				    strstr(lines[j], pid) &&
				    !strncmp(k2, key, strcspn(key, "|") + 1)) {
					const char *d = strstr(l, " domain=");
					snprintf(dk, sizeof(dk), "%.*s|%.*s",
					         (int)strcspn(key, "|"), key,
					         (int)strcspn(d + 8, " "), d + 8);
					bump(t->tied, &t->ntied, dk);
					break;
				}
			}
		}
		if (!strstr(l, "type=UNKNOWN[1423] ") && !strstr(l, "type=LANDLOCK_ACCESS "))
			continue;
		t->denials++;
		char key[160], k2[160], uid[32] = "-", dom[200];
		event_key(l, key, sizeof(key));
		for (size_t j = 0; j < n; j++) {
			if (!strstr(lines[j], "type=SYSCALL "))
				continue;
			event_key(lines[j], k2, sizeof(k2));
			if (strcmp(key, k2))
				continue;
			unsigned long long a = field(lines[j], " auid=");
			snprintf(uid, sizeof(uid), "%llu",
			         a != 4294967295ULL ? a : field(lines[j], " uid="));
		}
		bump(t->uid, &t->nuid, uid);
		const char *d = strstr(l, " domain=");
		snprintf(dom, sizeof(dom), "%.*s|%.*s", (int)strcspn(key, "|"), key,
		         (int)strcspn(d + 8, " "), d + 8);
		bump(t->dom, &t->ndom, dom);
		const char *b = strstr(l, " blockers=") + 10;
		size_t bl = strcspn(b, " ");
		char blk[256];
		snprintf(blk, sizeof(blk), "%.*s", (int)bl, b);
		char *bsave = NULL;
		for (char *s = strtok_r(blk, ",", &bsave); s; s = strtok_r(NULL, ",", &bsave))
			bump(t->blk, &t->nblk, s);
	}
	free(lines);
}

static void compare(const char *name, struct llr_report *r, const struct truth *t)
{
	const struct llr_totals *tot = llr_agg_totals(r->agg);
	uint64_t sum_users = 0;
	struct kv got[MAXK];
	int ngot = 0;
	print_message("  %s: %llu denials, %llu kernel-counted, %d users, %d domains\n", name,
	              (unsigned long long)t->denials, (unsigned long long)t->kernel, t->nuid,
	              t->ndom);
	assert_int_equal(llr_asm_stats(r->as)->malformed, 0);
	assert_int_equal(tot->denials, t->denials);
	assert_int_equal(tot->kernel_denials, t->kernel);
	for (int i = 0; i < llr_agg_nusers(r->agg); i++) {
		struct llr_user *u = llr_agg_user(r->agg, i);
		char uid[32];
		if (u->uid == LLR_UID_UNSET)
			snprintf(uid, sizeof(uid), "-");
		else
			snprintf(uid, sizeof(uid), "%u", u->uid);
		for (uint64_t k = 0; k < u->denials; k++)
			bump(got, &ngot, uid);
		sum_users += u->denials;
	}
	assert_int_equal(sum_users, t->denials);
	assert_int_equal(ngot, t->nuid);
	for (int i = 0; i < t->nuid; i++) {
		if (get(got, ngot, t->uid[i].key) != t->uid[i].n)
			print_error("%s: uid %s: expected %llu got %llu\n", name, t->uid[i].key,
			            (unsigned long long)t->uid[i].n,
			            (unsigned long long)get(got, ngot, t->uid[i].key));
		assert_int_equal(get(got, ngot, t->uid[i].key), t->uid[i].n);
	}
	for (int i = 0; i < t->nblk; i++) {
		int id = llr_blocker_find(t->blk[i].key);
		uint64_t sum = 0;
		assert_true(id >= 0);
		for (int k = 0; k < llr_agg_nusers(r->agg); k++)
			sum += llr_agg_user(r->agg, k)->blockers[id];
		assert_int_equal(sum, t->blk[i].n);
	}
	for (int i = 0; i < t->ndom; i++) {
		char node[128];
		const char *bar = strchr(t->dom[i].key, '|');
		snprintf(node, sizeof(node), "%.*s", (int)(bar - t->dom[i].key), t->dom[i].key);
		struct llr_domain *d = domain_by_id(r, node, strtoull(bar + 1, NULL, 16));
		assert_int_equal(d->logged, t->dom[i].n);
	}
	for (int i = 0; i < t->ntied; i++) {
		char node[128];
		const char *bar = strchr(t->tied[i].key, '|');
		snprintf(node, sizeof(node), "%.*s", (int)(bar - t->tied[i].key), t->tied[i].key);
		struct llr_domain *d = domain_by_id(r, node, strtoull(bar + 1, NULL, 16));
		assert_non_null(d->pam);
	}
	if (t->ntied)
		print_message("    %d domains tied to their pam_landlock session\n", t->ntied);
}

static void run_file(const char *path, const char *name)
{
	struct truth *t = calloc(1, sizeof(*t));
	struct llr_input_err e;
	size_t len;
	char *text = slurp(path, &len);
	ground_truth(text, t);
	free(text);
	assert_true(t->denials > 0);

	struct llr_opts *o = opts_default();
	o->view = LLR_VIEW_DOMAIN; /* keep every domain for the per-domain check */
	struct llr_input_res res;

	for (int engine = 0; engine < 2; engine++) {
		o->engine_auparse = engine;
		struct llr_report *r = llr_report_new(o, NULL);
		assert_non_null(r);
		assert_int_equal(llr_input_read(path, &LLR_REPORT_READER(r), &e, &res), 0);
		llr_asm_flush(r->as);
		compare(engine ? "  (libauparse)" : name, r, t);
		llr_report_free(r);
	}
	o->engine_auparse = 0;

	/* gzip-compressed copy */
	char gz[] = "/tmp/llr-corpus-XXXXXX";
	int fdz = mkstemp(gz);
	assert_true(fdz >= 0);
	text = slurp(path, &len);
	gzFile z = gzdopen(fdz, "wb");
	assert_int_equal(gzwrite(z, text, (unsigned)len), (int)len);
	gzclose(z);
	free(text);
	struct llr_report *r = llr_report_new(o, NULL);
	assert_int_equal(llr_input_read(gz, &LLR_REPORT_READER(r), &e, &res), 0);
	llr_asm_flush(r->as);
	compare("  (gzip)", r, t);
	llr_report_free(r);
	unlink(gz);
	free(t);
}

static void test_corpus(void **state)
{
	const char *top = getenv("top_srcdir");
	char dir[4096], path[8192];
	int n = 0;
	(void)state;
	snprintf(dir, sizeof(dir), "%s/tests/report/corpus", top ? top : ".");
	DIR *d = opendir(dir);
	assert_non_null(d);
	struct dirent *de;
	while ((de = readdir(d))) {
		size_t l = strlen(de->d_name);
		if (l < 5 || strcmp(de->d_name + l - 4, ".log"))
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		run_file(path, de->d_name);
		n++;
	}
	closedir(d);
	assert_true(n >= 3);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_corpus),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
