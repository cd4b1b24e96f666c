/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * policycache.c - writing and reading the compiled form of a policy (see
 * policycache.h).
 *
 * Layout (host byte order: the file never leaves the machine):
 *   header           struct hdr
 *   kinds            u8 per match entry: user, group or default
 *   match table      per match entry: u64 offset of its record, u32 length,
 *                    u32 hash of the record
 *   user index       per (user name, entry) pair, sorted by name:
 *                    u64 offset of the name (a string), u32 entry, u32 hash
 *                    of the name and the entry
 *   programs         per part mask: u64 offset, u32 instructions, u32 0
 *   body             the programs; the profiles, one after the other; the
 *                    match records; the user index's names
 * A string is u32 length then its bytes; a list is u32 count then items.
 * Reading checks every offset, count and length against the file's size,
 * and the hash of everything it uses (against disk errors and truncation;
 * the trust rules are what keep others out).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "layer2.h"
#include "policycache.h"
#include "rights.h"
#include "sha256.h"

#define MAGIC "LLPOLC1"
#define FORMAT 1
#define MAX_FILE (64U << 20)

enum { KIND_USER, KIND_GROUP, KIND_DEFAULT };

struct hdr {
	char magic[8];
	uint32_t format, hdr_size;
	uint32_t l2_rules, abi_max;
	char version[32];
	uint64_t dev, ino, size;
	int64_t mtime_s, mtime_ns, ctime_s, ctime_ns;
	char digest[LL_SHA256_HEX];
	char pad[7];
	char source[256]; /* the policy's path, for people (cut at 255 bytes) */
	uint64_t total;
	uint64_t nprofiles, nmatches, nuindex;
	uint64_t off_kinds, off_moffs, off_uindex, off_l2, off_profiles, off_matches;
	/* What is read is checked: the kinds and the programs whole, the
	 * profiles whole, each index row and each match record it loads. */
	uint64_t h_kinds, h_l2, h_profiles;
	uint64_t h_header; /* of this header, with this field 0 */
};

/* A 64-bit mixing hash of LEN bytes (8 at a time; not for adversaries: the
 * file is root's). */
static uint64_t hash64(const void *p, size_t len, uint64_t h)
{
	const unsigned char *b = p;
	h ^= 0x9e3779b97f4a7c15ULL ^ len;
	while (len >= 8) {
		uint64_t w;
		memcpy(&w, b, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
		b += 8;
		len -= 8;
	}
	uint64_t w = 0;
	memcpy(&w, b, len);
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	return h ^ (h >> 29);
}

static uint32_t hash32(const void *p, size_t len, uint64_t seed)
{
	return (uint32_t)hash64(p, len, seed);
}

/* ---- writing ------------------------------------------------------------- */

struct out {
	unsigned char *b;
	size_t len, cap;
	bool oom;
};

static size_t put(struct out *o, const void *p, size_t n)
{
	size_t at = o->len;
	if (o->oom)
		return at;
	if (o->len + n > o->cap) {
		size_t nc = (o->cap ? o->cap * 2 : 65536) + n;
		unsigned char *nb = realloc(o->b, nc);
		if (!nb) {
			o->oom = true;
			return at;
		}
		o->b = nb;
		o->cap = nc;
	}
	if (p)
		memcpy(o->b + o->len, p, n);
	else
		memset(o->b + o->len, 0, n);
	o->len += n;
	return at;
}

static void put32(struct out *o, uint32_t v)
{
	put(o, &v, sizeof(v));
}

static void put64(struct out *o, uint64_t v)
{
	put(o, &v, sizeof(v));
}

static size_t put_str(struct out *o, const char *s)
{
	uint32_t n = (uint32_t)strlen(s);
	size_t at = put(o, &n, sizeof(n));
	put(o, s, n);
	return at;
}

static void put_strv(struct out *o, char *const *v, size_t n)
{
	put32(o, (uint32_t)n);
	for (size_t i = 0; i < n; i++)
		put_str(o, v[i]);
}

static void put_profile(struct out *o, const struct ll_profile *p)
{
	put_str(o, p->name);
	put32(o, (uint32_t)p->line);
	put_strv(o, p->extends, p->nextends);
	put32(o, (uint32_t)p->extends_line);
	put32(o, (uint32_t)p->nfs);
	for (size_t i = 0; i < p->nfs; i++) {
		put_str(o, p->fs[i].path);
		put64(o, p->fs[i].access);
		put32(o, p->fs[i].skip_missing);
		put32(o, (uint32_t)p->fs[i].line);
	}
	put64(o, p->net_handled);
	for (int i = 0; i < LL_NET_NRIGHTS; i++) {
		put32(o, (uint32_t)p->ports[i].n);
		put(o, p->ports[i].port, p->ports[i].n * sizeof(uint16_t));
	}
	put64(o, p->scoped);
	const int set[] = { p->compat,   p->min_abi,  p->nnp,      p->logging, p->log_subdomains,
		            p->block[0], p->block[1], p->block[2], p->block[3] };
	for (int i = 0; i < LL_NSETTINGS; i++) {
		put32(o, (uint32_t)set[i]);
		put32(o, (uint32_t)p->setting_line[i]);
	}
}

static void put_match(struct out *o, const struct ll_match *m)
{
	put32(o, (uint32_t)m->line);
	put_strv(o, m->users, m->nusers);
	put_strv(o, m->groups, m->ngroups);
	put_strv(o, m->services, m->nservices);
	put32(o, (uint32_t)m->nfrom);
	put(o, m->from, m->nfrom * sizeof(*m->from));
	put32(o, m->is_default);
	put_str(o, m->profile);
}

struct uref {
	const char *name;
	uint32_t entry;
};

static int uref_cmp(const void *a, const void *b)
{
	const struct uref *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	return c ? c : (x->entry > y->entry) - (x->entry < y->entry);
}

/* A root-owned directory for the compiled forms, not writable by others. */
static int cache_dir(const char *cache)
{
	char dir[256];
	struct stat st;
	snprintf(dir, sizeof(dir), "%s", cache);
	char *slash = strrchr(dir, '/');
	if (!slash || slash == dir)
		return -EINVAL;
	*slash = '\0';
	if (mkdir(dir, 0755) < 0 && errno != EEXIST)
		return -errno;
	if (lstat(dir, &st) < 0)
		return -errno;
	if (!S_ISDIR(st.st_mode) || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -EPERM;
	return 0;
}

int ll_cache_write(const struct ll_policy *pol, const struct stat *st, const char *cache)
{
	struct out o = { 0 };
	struct hdr h;
	struct uref *u = NULL;
	size_t nu = 0;
	int rc = cache_dir(cache);
	if (rc < 0 || geteuid() != 0)
		return rc < 0 ? rc : -EPERM;

	memset(&h, 0, sizeof(h));
	memcpy(h.magic, MAGIC, sizeof(MAGIC));
	h.format = FORMAT;
	h.hdr_size = sizeof(h);
	h.l2_rules = LL_L2_RULES_VERSION;
	h.abi_max = LL_ABI_MAX;
	snprintf(h.version, sizeof(h.version), "%s", PACKAGE_VERSION);
	h.dev = st->st_dev;
	h.ino = st->st_ino;
	h.size = (uint64_t)st->st_size;
	h.mtime_s = st->st_mtim.tv_sec;
	h.mtime_ns = st->st_mtim.tv_nsec;
	h.ctime_s = st->st_ctim.tv_sec;
	h.ctime_ns = st->st_ctim.tv_nsec;
	memcpy(h.digest, pol->digest, sizeof(h.digest));
	snprintf(h.source, sizeof(h.source), "%s", pol->file ? pol->file : "");
	h.nprofiles = pol->nprofiles;
	h.nmatches = pol->nmatches;
	put(&o, NULL, sizeof(h));

	h.off_kinds = put(&o, NULL, 0);
	for (size_t i = 0; i < pol->nmatches; i++) {
		const struct ll_match *m = &pol->matches[i];
		unsigned char k = m->nusers ? KIND_USER : m->ngroups ? KIND_GROUP : KIND_DEFAULT;
		put(&o, &k, 1);
		nu += m->nusers;
	}
	h.off_moffs = put(&o, NULL, pol->nmatches * 16);
	u = calloc(nu + 1, sizeof(*u));
	if (!u) {
		free(o.b);
		return -ENOMEM;
	}
	nu = 0;
	for (size_t i = 0; i < pol->nmatches; i++)
		for (size_t j = 0; j < pol->matches[i].nusers; j++)
			u[nu++] = (struct uref){ pol->matches[i].users[j], (uint32_t)i };
	qsort(u, nu, sizeof(*u), uref_cmp);
	h.nuindex = nu;
	h.off_uindex = put(&o, NULL, nu * 16);

	/* The second layer, for every combination of parts. */
	h.off_l2 = put(&o, NULL, LL_L2_NMASKS * 16);
	for (unsigned mask = 1; mask < LL_L2_NMASKS && !o.oom; mask++) {
		struct ll_l2_filter f;
		if (ll_l2_build(mask, &f, NULL) < 0) {
			free(u);
			free(o.b);
			return -EINVAL;
		}
		uint64_t at = put(&o, f.insns, (size_t)f.len * sizeof(struct sock_filter));
		uint32_t len = f.len;
		ll_l2_free(&f);
		if (!o.oom) {
			memcpy(o.b + h.off_l2 + mask * 16, &at, 8);
			memcpy(o.b + h.off_l2 + mask * 16 + 8, &len, 4);
		}
	}

	h.off_profiles = put(&o, NULL, 0);
	for (size_t i = 0; i < pol->nprofiles; i++)
		put_profile(&o, &pol->profiles[i]);
	h.off_matches = put(&o, NULL, 0);
	for (size_t i = 0; i < pol->nmatches && !o.oom; i++) {
		uint64_t at = put(&o, NULL, 0);
		put_match(&o, &pol->matches[i]);
		if (o.oom)
			break;
		uint32_t len = (uint32_t)(o.len - at), hash = hash32(o.b + at, len, i);
		memcpy(o.b + h.off_moffs + i * 16, &at, 8);
		memcpy(o.b + h.off_moffs + i * 16 + 8, &len, 4);
		memcpy(o.b + h.off_moffs + i * 16 + 12, &hash, 4);
	}
	for (size_t i = 0; i < nu && !o.oom; i++) {
		uint64_t at = put_str(&o, u[i].name);
		if (o.oom)
			break;
		uint32_t hash = hash32(u[i].name, strlen(u[i].name), u[i].entry);
		memcpy(o.b + h.off_uindex + i * 16, &at, 8);
		memcpy(o.b + h.off_uindex + i * 16 + 8, &u[i].entry, 4);
		memcpy(o.b + h.off_uindex + i * 16 + 12, &hash, 4);
	}
	free(u);
	if (o.oom || o.len > MAX_FILE) {
		free(o.b);
		return -ENOMEM;
	}
	h.total = o.len;
	h.h_kinds = hash64(o.b + h.off_kinds, h.nmatches, 1);
	h.h_profiles = hash64(o.b + h.off_profiles, h.off_matches - h.off_profiles, 2);
	h.h_l2 = hash64(o.b + h.off_l2, h.off_profiles - h.off_l2, 3);
	h.h_header = 0;
	h.h_header = hash64(&h, sizeof(h), 4);
	memcpy(o.b, &h, sizeof(h));

	/* Atomically: a temporary file in the same directory, renamed. */
	char tmp[300];
	snprintf(tmp, sizeof(tmp), "%s.%d.tmp", cache, (int)getpid());
	int fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
	if (fd < 0) {
		rc = -errno;
		free(o.b);
		return rc;
	}
	size_t done = 0;
	while (done < o.len) {
		ssize_t w = write(fd, o.b + done, o.len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		done += (size_t)w;
	}
	free(o.b);
	if (done != h.total || fchmod(fd, 0644) < 0 || close(fd) < 0 || rename(tmp, cache) < 0) {
		rc = -errno;
		unlink(tmp);
		return rc ? rc : -EIO;
	}
	return 0;
}

/* ---- reading ------------------------------------------------------------- */

struct in {
	const unsigned char *b;
	size_t len, at;
	bool bad;
};

static const void *take(struct in *i, size_t n)
{
	if (i->bad || n > i->len - i->at) {
		i->bad = true;
		return NULL;
	}
	const void *p = i->b + i->at;
	i->at += n;
	return p;
}

static uint32_t get32(struct in *i)
{
	uint32_t v = 0;
	const void *p = take(i, 4);
	if (p)
		memcpy(&v, p, 4);
	return v;
}

static uint64_t get64(struct in *i)
{
	uint64_t v = 0;
	const void *p = take(i, 8);
	if (p)
		memcpy(&v, p, 8);
	return v;
}

static char *get_str(struct in *i)
{
	uint32_t n = get32(i);
	const char *p = take(i, n);
	char *s = p ? strndup(p, n) : NULL;
	if (!s || strlen(s) != n) { /* a NUL inside is not a policy's */
		free(s);
		i->bad = true;
		return NULL;
	}
	return s;
}

static char **get_strv(struct in *i, size_t *n)
{
	uint32_t c = get32(i);
	*n = 0;
	if (i->bad || c > (i->len - i->at) / 4) {
		i->bad = true;
		return NULL;
	}
	char **v = calloc((size_t)c + 1, sizeof(char *));
	if (!v) {
		i->bad = true;
		return NULL;
	}
	for (uint32_t k = 0; k < c && !i->bad; k++) {
		v[k] = get_str(i);
		*n = k + 1;
	}
	return v;
}

static void get_profile(struct in *i, struct ll_profile *p)
{
	p->name = get_str(i);
	p->line = (int)get32(i);
	p->extends = get_strv(i, &p->nextends);
	p->extends_line = (int)get32(i);
	uint32_t nfs = get32(i);
	if (i->bad || nfs > (i->len - i->at) / 20 || !(p->fs = calloc((size_t)nfs + 1, sizeof(*p->fs)))) {
		i->bad = true;
		return;
	}
	for (uint32_t k = 0; k < nfs && !i->bad; k++) {
		p->fs[k].path = get_str(i);
		p->fs[k].access = get64(i);
		p->fs[k].skip_missing = get32(i) != 0;
		p->fs[k].line = (int)get32(i);
		p->nfs = k + 1;
	}
	p->net_handled = get64(i);
	for (int k = 0; k < LL_NET_NRIGHTS && !i->bad; k++) {
		uint32_t n = get32(i);
		const void *ports = take(i, (size_t)n * sizeof(uint16_t));
		if (!ports || !(p->ports[k].port = calloc((size_t)n + 1, sizeof(uint16_t)))) {
			i->bad = true;
			return;
		}
		memcpy(p->ports[k].port, ports, (size_t)n * sizeof(uint16_t));
		p->ports[k].n = n;
	}
	p->scoped = get64(i);
	int *set[] = { &p->compat,   &p->min_abi,  &p->nnp,      &p->logging, &p->log_subdomains,
		       &p->block[0], &p->block[1], &p->block[2], &p->block[3] };
	for (int k = 0; k < LL_NSETTINGS; k++) {
		*set[k] = (int)get32(i);
		p->setting_line[k] = (int)get32(i);
	}
}

static void get_match(struct in *i, struct ll_match *m)
{
	m->line = (int)get32(i);
	m->users = get_strv(i, &m->nusers);
	m->groups = get_strv(i, &m->ngroups);
	m->services = get_strv(i, &m->nservices);
	uint32_t nf = get32(i);
	const void *from = take(i, (size_t)nf * sizeof(*m->from));
	if (!from || !(m->from = calloc((size_t)nf + 1, sizeof(*m->from)))) {
		i->bad = true;
		return;
	}
	memcpy(m->from, from, (size_t)nf * sizeof(*m->from));
	m->nfrom = nf;
	m->is_default = get32(i) != 0;
	m->profile = get_str(i);
}

/* Row K of the user index, checked: its name (and length), entry. */
static const char *uindex_row(const struct in *in, const struct hdr *h, size_t k, uint32_t *n,
                              uint32_t *entry, bool *bad)
{
	uint64_t off;
	uint32_t hash;
	memcpy(&off, in->b + h->off_uindex + k * 16, 8);
	memcpy(entry, in->b + h->off_uindex + k * 16 + 8, 4);
	memcpy(&hash, in->b + h->off_uindex + k * 16 + 12, 4);
	struct in s = { in->b, in->len, (size_t)off, off >= h->off_matches ? false : true };
	*n = get32(&s);
	const char *name = take(&s, *n);
	if (!name || *entry >= h->nmatches || hash32(name, *n, *entry) != hash) {
		*bad = true;
		return NULL;
	}
	return name;
}

/* The entries that name USER, from the sorted user index: its rows for
 * USER are consecutive, found by one binary search, and list the entries
 * in increasing order.  *NE entries in a malloc'ed *ENTRIES (NULL when
 * none).  Returns false when a row it reads is damaged or memory is short. */
static bool user_entries(const struct in *in, const struct hdr *h, const char *user,
                         uint32_t **entries, size_t *ne)
{
	size_t lo = 0, hi = h->nuindex, ul = strlen(user), cap = 0;
	uint32_t n, entry;
	bool bad = false;
	*entries = NULL;
	*ne = 0;
	/* The first index row whose name is >= USER. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const char *name = uindex_row(in, h, mid, &n, &entry, &bad);
		if (!name)
			return false;
		int c = memcmp(name, user, n < ul ? n : ul);
		if (c < 0 || (c == 0 && n < ul))
			lo = mid + 1;
		else
			hi = mid;
	}
	for (size_t k = lo; k < h->nuindex; k++) {
		const char *name = uindex_row(in, h, k, &n, &entry, &bad);
		if (!name)
			goto bad;
		if (n != ul || memcmp(name, user, ul) != 0)
			break;
		if (*ne > 0 && entry < (*entries)[*ne - 1])
			goto bad; /* not in the order the compiler writes */
		if (*ne > 0 && entry == (*entries)[*ne - 1])
			continue; /* the user named twice in one entry */
		if (*ne == cap) {
			uint32_t *more = reallocarray(*entries, cap = cap ? 2 * cap : 4, sizeof(*more));
			if (!more)
				goto bad;
			*entries = more;
		}
		(*entries)[(*ne)++] = entry;
	}
	return true;
bad:
	free(*entries);
	*entries = NULL;
	return false;
}

static bool header_ok(const struct hdr *hp, const struct stat *st, size_t len)
{
	struct hdr copy = *hp;
	const struct hdr *h = hp;
	copy.h_header = 0;
	if (hash64(&copy, sizeof(copy), 4) != hp->h_header)
		return false;
	char version[32];
	snprintf(version, sizeof(version), "%s", PACKAGE_VERSION);
	if (memcmp(h->magic, MAGIC, sizeof(MAGIC)) != 0 || h->format != FORMAT ||
	    h->hdr_size != sizeof(*h) || h->l2_rules != LL_L2_RULES_VERSION ||
	    h->abi_max != LL_ABI_MAX || strncmp(h->version, version, sizeof(version)) != 0 ||
	    h->total != len)
		return false;
	if (h->dev != (uint64_t)st->st_dev || h->ino != (uint64_t)st->st_ino ||
	    h->size != (uint64_t)st->st_size || h->mtime_s != st->st_mtim.tv_sec ||
	    h->mtime_ns != st->st_mtim.tv_nsec || h->ctime_s != st->st_ctim.tv_sec ||
	    h->ctime_ns != st->st_ctim.tv_nsec)
		return false;
	if (h->digest[LL_SHA256_HEX - 1] != '\0' || strlen(h->digest) != 64)
		return false;
	/* Every table inside the file, in order, and the counts sane. */
	if (h->nmatches > len || h->nprofiles > len || h->nuindex > len ||
	    h->off_kinds != sizeof(*h) || h->off_moffs != h->off_kinds + h->nmatches ||
	    h->off_uindex != h->off_moffs + h->nmatches * 16 ||
	    h->off_l2 != h->off_uindex + h->nuindex * 16 ||
	    h->off_profiles < h->off_l2 + LL_L2_NMASKS * 16 || h->off_profiles > len ||
	    h->off_matches < h->off_profiles || h->off_matches > len)
		return false;
	return true;
}

int ll_cache_load(const char *cache, const struct stat *st, const char *user,
                  struct ll_policy **out)
{
	struct stat cs;
	struct hdr h;
	*out = NULL;
	/* The compiled form is held to the policy's own trust rules. */
	struct ll_diag ignored;
	int fd = ll_policy_open(cache, LL_LOAD_TRUSTED, &cs, &ignored);
	if (fd < 0)
		return -1;
	if (cs.st_size < (off_t)sizeof(h) || cs.st_size > (off_t)MAX_FILE) {
		close(fd);
		return -1;
	}
	size_t len = (size_t)cs.st_size;
	void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (map == MAP_FAILED)
		return -1;
	memcpy(&h, map, sizeof(h));
	struct ll_policy *pol = NULL;
	uint32_t *mine = NULL; /* the entries that name USER */
	size_t nmine = 0;
	struct in in = { map, len, (size_t)h.off_profiles, false };
	if (!header_ok(&h, st, len) || !(pol = calloc(1, sizeof(*pol))))
		goto bad;
	const unsigned char *base = map;
	if (hash64(base + h.off_kinds, h.nmatches, 1) != h.h_kinds ||
	    hash64(base + h.off_profiles, h.off_matches - h.off_profiles, 2) != h.h_profiles ||
	    hash64(base + h.off_l2, h.off_profiles - h.off_l2, 3) != h.h_l2)
		goto bad;
	memcpy(pol->digest, h.digest, sizeof(pol->digest));
	pol->partial = user != NULL;
	if (!(pol->profiles = calloc((size_t)h.nprofiles + 1, sizeof(*pol->profiles))))
		goto bad;
	for (size_t i = 0; i < h.nprofiles && !in.bad; i++) {
		pol->nprofiles = i + 1;
		get_profile(&in, &pol->profiles[i]);
	}
	const unsigned char *kinds = (const unsigned char *)map + h.off_kinds;
	if (user && !user_entries(&in, &h, user, &mine, &nmine))
		goto bad;
	/* Room for the entries that are read: every one, or for USER the
	 * entries that are not user entries and USER's own. */
	size_t keep = h.nmatches;
	if (user) {
		keep = nmine;
		for (size_t i = 0; i < h.nmatches; i++)
			keep += kinds[i] != KIND_USER;
	}
	if (!(pol->matches = calloc(keep + 1, sizeof(*pol->matches))))
		goto bad;
	for (size_t i = 0, next = 0; i < h.nmatches && !in.bad; i++) {
		if (kinds[i] > KIND_DEFAULT)
			goto bad;
		/* A user entry that does not name USER cannot decide: not read. */
		if (user && kinds[i] == KIND_USER) {
			while (next < nmine && mine[next] < i)
				next++;
			if (next == nmine || mine[next] != i)
				continue;
		}
		uint64_t off;
		uint32_t rlen, rhash;
		memcpy(&off, base + h.off_moffs + i * 16, 8);
		memcpy(&rlen, base + h.off_moffs + i * 16 + 8, 4);
		memcpy(&rhash, base + h.off_moffs + i * 16 + 12, 4);
		if (off < h.off_matches || off >= len || rlen > len - off ||
		    hash32(base + off, rlen, i) != rhash)
			goto bad;
		in.at = (size_t)off;
		get_match(&in, &pol->matches[pol->nmatches++]);
		if (in.at != off + rlen)
			goto bad;
	}
	for (unsigned mask = 1; mask < LL_L2_NMASKS && !in.bad; mask++) {
		uint64_t off;
		uint32_t n;
		memcpy(&off, (const unsigned char *)map + h.off_l2 + mask * 16, 8);
		memcpy(&n, (const unsigned char *)map + h.off_l2 + mask * 16 + 8, 4);
		size_t bytes = (size_t)n * sizeof(struct sock_filter);
		if (n == 0 || n > BPF_MAXINSNS || off > len || bytes > len - off ||
		    !(pol->l2[mask].insns = malloc(bytes)))
			goto bad;
		memcpy(pol->l2[mask].insns, (const unsigned char *)map + off, bytes);
		pol->l2[mask].len = (unsigned short)n;
	}
	if (in.bad)
		goto bad;
	free(mine);
	munmap(map, len);
	*out = pol;
	return 0;
bad:
	free(mine);
	munmap(map, len);
	ll_policy_free(pol);
	return -1;
}

char *ll_cache_path(const char *policy, char *buf, size_t len)
{
	char hex[LL_SHA256_HEX];
	ll_sha256_hex(policy, strlen(policy), hex);
	snprintf(buf, len, "%s/%s.policy", LL_CACHE_DIR, hex);
	return buf;
}
