/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vocab.c - blocker and object-kind names.  The known list is pam_landlock's
 * rights table (pam_landlock/rights.c, the kernel's words for ABI 1..10)
 * plus fs.change_topology and ptrace; names a newer kernel writes are
 * appended at run time.
 */
#include "config.h"

#include "vocab.h"
#include "util.h"

#include <stdio.h>
#include <string.h>

#include "rights.h"

/* pam_landlock knows 23 rights (ABI 10); room for a few more. */
#define LL_NRIGHTS_MAX 32

/* The rights, in the kernel's order (pam_landlock's own table, so a blocker
 * and a landlock.conf word can never drift apart), then the blockers that are
 * not rights. */
static const char *const not_rights[] = {"fs.change_topology", "ptrace"};
#define NKNOWN (int)(LL_NRIGHTS_MAX + sizeof(not_rights) / sizeof(not_rights[0]))
static char known_buf[LL_NRIGHTS_MAX][40];
static const char *known[NKNOWN];
static int nknown;

static void init_known(void)
{
	if (nknown)
		return;
	for (size_t i = 0; i < ll_nrights && i < LL_NRIGHTS_MAX; i++) {
		snprintf(known_buf[i], sizeof(known_buf[i]), "%s.%s",
		         ll_kind_prefix(ll_rights[i].kind), ll_rights[i].name);
		known[nknown++] = known_buf[i];
	}
	for (size_t i = 0; i < sizeof(not_rights) / sizeof(not_rights[0]); i++)
		known[nknown++] = not_rights[i];
}

static char *extra[LLR_MAX_BLOCKERS];
static int nextra;

int llr_blocker_count(void)
{
	init_known();
	return nknown + nextra;
}

const char *llr_blocker_name(int id)
{
	init_known();
	if (id < 0 || id >= nknown + nextra)
		return "?";
	return id < nknown ? known[id] : extra[id - nknown];
}

static int find(const char *name, size_t len)
{
	init_known();
	for (int i = 0; i < nknown + nextra; i++) {
		const char *n = llr_blocker_name(i);
		if (strlen(n) == len && !memcmp(n, name, len))
			return i;
	}
	return -1;
}

int llr_blocker_find(const char *name)
{
	return find(name, strlen(name));
}

int llr_blocker_id(const char *name, size_t len)
{
	int id = find(name, len);
	if (id >= 0 || !len)
		return id;
	if (nknown + nextra >= LLR_MAX_BLOCKERS)
		return -1;
	extra[nextra] = llr_xstrndup(name, len);
	return nknown + nextra++;
}

enum llr_bclass llr_blocker_class(int id)
{
	const char *n = llr_blocker_name(id);
	if (!strncmp(n, "fs.", 3))
		return LLR_BC_FS;
	if (!strncmp(n, "net.", 4))
		return LLR_BC_NET;
	if (!strncmp(n, "scope.", 6))
		return LLR_BC_SCOPE;
	return LLR_BC_OTHER;
}

const char *llr_blocker_right(int id)
{
	const char *n = llr_blocker_name(id), *dot = strchr(n, '.');
	return dot ? dot + 1 : n;
}

int llr_blocker_is_dir_right(int id)
{
	const struct ll_right *r = ll_right_by_name(llr_blocker_right(id));
	return llr_blocker_class(id) == LLR_BC_FS && r && r->kind == LL_KIND_FS &&
	       (r->bit & LL_FS_DIR_ONLY) != 0;
}

const char *llr_objkind_name(enum llr_objkind k)
{
	static const char *const names[LLR_OBJ_KINDS] = {
	    "none", "path", "dentry", "ioctl", "bind", "connect", "unix", "task",
	};
	return (unsigned)k < LLR_OBJ_KINDS ? names[k] : "none";
}

uint64_t llr_parse_blockers(const char *s, size_t len)
{
	uint64_t mask = 0;
	const char *p = s, *end = s + len;
	while (p < end) {
		const char *c = memchr(p, ',', (size_t)(end - p));
		if (!c)
			c = end;
		int id = llr_blocker_id(p, (size_t)(c - p));
		if (id >= 0)
			mask |= 1ULL << id;
		p = c + 1;
	}
	return mask;
}
