/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * suggest.c - policy suggestions (see suggest.h).  Rights are grouped per
 * path; file rights on three or more files of one directory that share the
 * same rights become one rule on the directory.  Directory rights
 * (make_*, remove_*, read_dir, refer) are logged on the directory already.
 * Paths are written as libconfig string literals that read back as the
 * same bytes (escape.h, llr_conf_str); a path landlock.conf cannot name is
 * left out with a comment saying why.  Every other string from the log is
 * in a comment, text-escaped (no line can be forged).
 */
#include "config.h"

#include "suggest.h"
#include "escape.h"
#include "names.h"

#include <stdlib.h>
#include <string.h>

struct fsrule {
	char *path;
	uint64_t rights;
	uint64_t count;
	int merged;
};

struct portset {
	uint32_t *v;
	size_t n;
};

struct llr_suggest {
	char *target;
	int is_domain;
	uint64_t domain;
	struct fsrule *fs;
	size_t nfs;
	struct llr_index ix;
	uint64_t dropped, denials, nfs_denials, nnet, nscope, nother;
	struct portset ports[LLR_MAX_BLOCKERS];
	uint64_t scope_counts[LLR_MAX_BLOCKERS];
	struct llr_topk scope_targets, names, other;
};

struct llr_suggest *llr_suggest_new(const char *target)
{
	struct llr_suggest *s = llr_xcalloc(1, sizeof(*s));
	char *e;
	s->target = llr_xstrdup(target);
	if (!strncmp(target, "domain:", 7)) {
		s->is_domain = 1;
		s->domain = strtoull(target + 7, &e, 16);
	} else if (!strncmp(target, "user:", 5)) {
		memmove(s->target, s->target + 5, strlen(s->target + 5) + 1);
	} else if (strlen(target) >= 6 &&
	           strspn(target, "0123456789abcdefABCDEF") == strlen(target) &&
	           strspn(target, "0123456789") != strlen(target)) {
		s->is_domain = 1;
		s->domain = strtoull(target, &e, 16);
	}
	llr_topk_init(&s->scope_targets, 16);
	llr_topk_init(&s->names, 32);
	llr_topk_init(&s->other, 16);
	return s;
}

static int matches(const struct llr_suggest *s, const struct llr_access *a,
                   const struct llr_user *u)
{
	char buf[32];
	if (s->is_domain)
		return a->domain == s->domain;
	if (u->name && !strcmp(u->name, s->target))
		return 1;
	if (u->uid != LLR_UID_UNSET) {
		snprintf(buf, sizeof(buf), "%u", u->uid);
		return !strcmp(buf, s->target);
	}
	return 0;
}

static void add_port(struct portset *p, uint32_t port)
{
	for (size_t i = 0; i < p->n; i++)
		if (p->v[i] == port)
			return;
	if (p->n >= 1024)
		return;
	p->v = llr_xrealloc(p->v, (p->n + 1) * sizeof(*p->v));
	p->v[p->n++] = port;
}

static void add_fs(struct llr_suggest *s, const char *path, uint64_t rights)
{
	uint64_t h = llr_hash(path, strlen(path));
	size_t pos = 0;
	int i;
	while ((i = llr_index_next(&s->ix, h, &pos)) >= 0)
		if (!strcmp(s->fs[i].path, path)) {
			s->fs[i].rights |= rights;
			s->fs[i].count++;
			return;
		}
	if (s->nfs >= LLR_SUGGEST_MAX_PATHS) {
		s->dropped++;
		return;
	}
	s->fs = llr_xrealloc(s->fs, (s->nfs + 1) * sizeof(*s->fs));
	s->fs[s->nfs] = (struct fsrule){llr_xstrdup(path), rights, 1, 0};
	llr_index_put(&s->ix, h, (int)s->nfs++);
}

void llr_suggest_denial(struct llr_suggest *s, const struct llr_event *ev,
                        const struct llr_access *a, const struct llr_user *u)
{
	(void)ev;
	if (!matches(s, a, u))
		return;
	s->denials++;
	uint64_t fs = 0;
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++) {
		if (!(a->blockers & (1ULL << b)))
			continue;
		const char *name = llr_blocker_name(b);
		switch (llr_blocker_class(b)) {
		case LLR_BC_FS:
			if (!strcmp(name, "fs.change_topology"))
				llr_topk_add(&s->other, name, 1);
			else
				fs |= 1ULL << b;
			break;
		case LLR_BC_NET:
			s->nnet++;
			add_port(&s->ports[b], a->port);
			break;
		case LLR_BC_SCOPE:
			s->nscope++;
			s->scope_counts[b]++;
			llr_topk_add(&s->scope_targets, a->object, 1);
			break;
		default:
			s->nother++;
			llr_topk_add(&s->other, name, 1);
			break;
		}
	}
	if (!fs)
		return;
	s->nfs_denials++;
	if ((a->kind == LLR_OBJ_PATH || a->kind == LLR_OBJ_IOCTL) && a->path && a->path[0] == '/')
		add_fs(s, a->path, fs);
	else
		llr_topk_add(&s->names, a->object, 1);
}

/* Why landlock.conf cannot name this path (NULL: it can). */
static const char *unnameable(const char *path)
{
	size_t n = strlen(path);
	if (strchr(path, '$'))
		return "landlock.conf reads '$' as a variable (${HOME}, ${USER}...) and has no "
		       "escape for it";
	if (n >= 10 && !strcmp(path + n - 10, " (deleted)"))
		return "the kernel named a deleted file (\" (deleted)\"): allow its directory";
	return NULL;
}

static int cmp_rule(const void *a, const void *b)
{
	return strcmp(((const struct fsrule *)a)->path, ((const struct fsrule *)b)->path);
}

static int cmp_u32(const void *a, const void *b)
{
	uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
	return x < y ? -1 : x > y;
}

static void print_rights(FILE *f, uint64_t rights)
{
	int first = 1;
	putc('[', f);
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++)
		if (rights & (1ULL << b)) {
			fprintf(f, "%s\"%s\"", first ? "" : ", ", llr_blocker_right(b));
			first = 0;
		}
	putc(']', f);
}

static uint64_t file_rights_mask(void)
{
	uint64_t m = 0;
	for (int b = 0; b < llr_blocker_count(); b++)
		if (llr_blocker_class(b) == LLR_BC_FS && !llr_blocker_is_dir_right(b))
			m |= 1ULL << b;
	return m;
}

/* Merge >= 3 sibling files with the same file-only rights into their directory. */
static void group_siblings(struct llr_suggest *s)
{
	uint64_t fmask = file_rights_mask();
	if (s->nfs > 1)
		qsort(s->fs, s->nfs, sizeof(*s->fs), cmp_rule);
	size_t n0 = s->nfs;
	for (size_t i = 0; i < n0; i++) {
		struct fsrule *r = &s->fs[i];
		if (r->merged || (r->rights & ~fmask))
			continue;
		const char *sl = strrchr(r->path, '/');
		size_t dl = (size_t)(sl - r->path);
		size_t same = 0;
		for (size_t j = i; j < n0; j++) {
			struct fsrule *q = &s->fs[j];
			const char *qs = strrchr(q->path, '/');
			if ((size_t)(qs - q->path) == dl && !strncmp(q->path, r->path, dl) &&
			    !q->merged && q->rights == r->rights)
				same++;
		}
		if (same < 3)
			continue;
		char *dir = dl ? llr_xstrndup(r->path, dl) : llr_xstrdup("/");
		uint64_t count = 0, rights = r->rights;
		for (size_t j = i; j < n0; j++) {
			struct fsrule *q = &s->fs[j];
			const char *qs = strrchr(q->path, '/');
			if ((size_t)(qs - q->path) == dl && !strncmp(q->path, r->path, dl) &&
			    !q->merged && q->rights == rights) {
				q->merged = 1;
				count += q->count;
			}
		}
		s->fs = llr_xrealloc(s->fs, (s->nfs + 1) * sizeof(*s->fs));
		s->fs[s->nfs++] = (struct fsrule){dir, rights, count, 2};
	}
	if (s->nfs > 1)
		qsort(s->fs, s->nfs, sizeof(*s->fs), cmp_rule);
}

void llr_suggest_print(struct llr_suggest *s, FILE *f)
{
	fprintf(
	    f,
	    "# aulandlock --suggest %s%s: %llu denials (%llu filesystem, %llu network, "
	    "%llu scope)\n# A starting point: every line widens the sandbox. Review before use.\n",
	    s->is_domain ? "domain " : "", llr_tx(s->target), (unsigned long long)s->denials,
	    (unsigned long long)s->nfs_denials, (unsigned long long)s->nnet,
	    (unsigned long long)s->nscope);
	if (!s->denials) {
		fputs("# no Landlock denials found for this user or domain\n", f);
		return;
	}
	group_siblings(s);
	size_t last = s->nfs;
	for (size_t i = 0; i < s->nfs; i++)
		if (s->fs[i].merged != 1 && !unnameable(s->fs[i].path))
			last = i;
	int opened = 0;
	for (size_t i = 0; i < s->nfs; i++) {
		struct fsrule *r = &s->fs[i];
		if (r->merged == 1 || unnameable(r->path))
			continue;
		if (!opened)
			fputs("filesystem = (\n", f);
		opened = 1;
		fputs("  { path = ", f);
		llr_conf_str(f, r->path);
		fputs("; access = ", f);
		print_rights(f, r->rights);
		fprintf(f, "; }%s  # %llu denial%s%s\n", i == last ? "" : ",",
		        (unsigned long long)r->count, r->count == 1 ? "" : "s",
		        r->merged == 2 ? ", files of this directory" : "");
	}
	if (opened)
		fputs(");\n", f);
	for (size_t i = 0; i < s->nfs; i++) {
		struct fsrule *r = &s->fs[i];
		const char *why = r->merged == 1 ? NULL : unnameable(r->path);
		if (!why)
			continue;
		fprintf(f, "# not suggested: %llu denial(s) on ", (unsigned long long)r->count);
		llr_text_put(f, r->path);
		fputs(" ", f);
		print_rights(f, r->rights);
		fprintf(f, ": %s\n", why);
	}
	if (s->dropped)
		fprintf(f, "# %llu more paths not shown (limit %d)\n",
		        (unsigned long long)s->dropped, LLR_SUGGEST_MAX_PATHS);
	int n;
	struct llr_topk_ent **v = llr_topk_sorted(&s->names, &n);
	for (int i = 0; i < n; i++) {
		fprintf(f, "# %llu filesystem denial(s) on ", (unsigned long long)v[i]->count);
		llr_text_put(f, v[i]->key);
		fputs(" logged without a full path: allow its directory\n", f);
	}
	free(v);
	int first = 1;
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++) {
		struct portset *p = &s->ports[b];
		if (!p->n)
			continue;
		qsort(p->v, p->n, sizeof(*p->v), cmp_u32);
		fprintf(f, "%s %s = [", first ? "network = {" : "", llr_blocker_right(b));
		for (size_t i = 0; i < p->n; i++)
			fprintf(f, "%s%u", i ? ", " : "", p->v[i]);
		fputs("];", f);
		first = 0;
	}
	if (!first)
		fputs(" };\n", f);
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++) {
		if (!s->scope_counts[b])
			continue;
		fprintf(f, "# scope: %llu %s denial(s) (targets:",
		        (unsigned long long)s->scope_counts[b], llr_blocker_right(b));
		int m;
		struct llr_topk_ent **t = llr_topk_sorted(&s->scope_targets, &m);
		for (int i = 0; i < m && i < 5; i++) {
			putc(' ', f);
			llr_text_put(f, t[i]->key);
		}
		free(t);
		fprintf(f, "); allowing them means removing \"%s\" from scope = [...]\n",
		        llr_blocker_right(b));
	}
	v = llr_topk_sorted(&s->other, &n);
	for (int i = 0; i < n; i++) {
		const char *k = v[i]->key;
		fprintf(f, "# %llu %s denial(s): %s\n", (unsigned long long)v[i]->count, k,
		        !strcmp(k, "fs.change_topology")
		            ? "mount/umount/pivot_root are always denied inside a domain; no rule "
		              "allows them"
		            : "not covered by a landlock.conf rule");
	}
	free(v);
}

void llr_suggest_free(struct llr_suggest *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nfs; i++)
		free(s->fs[i].path);
	free(s->fs);
	for (int b = 0; b < LLR_MAX_BLOCKERS; b++)
		free(s->ports[b].v);
	llr_index_free(&s->ix);
	llr_topk_free(&s->scope_targets);
	llr_topk_free(&s->names);
	llr_topk_free(&s->other);
	free(s->target);
	free(s);
}
