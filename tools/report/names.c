/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * names.c - uid -> name and name -> uid caches with negative entries (see
 * names.h).  Direct-mapped tables of 4096 slots: eviction only costs a new
 * lookup.
 */
#include "config.h"

#include "names.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SLOTS 4096

struct slot {
	uint32_t uid;
	unsigned char used, found;
	char name[48];
};

static struct slot cache[SLOTS];
static unsigned long misses;
static int disabled;

static int lookup(uint32_t uid, char *out, size_t n)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	if (disabled)
		return -1;
	if (getpwuid_r((uid_t)uid, &pw, buf, sizeof(buf), &res) || !res)
		return -1;
	snprintf(out, n, "%s", res->pw_name);
	return 0;
}

const char *llr_uid_name(uint32_t uid)
{
	struct slot *s = &cache[(uid * 2654435761U) % SLOTS];
	if (!s->used || s->uid != uid) {
		misses++;
		s->used = 1;
		s->uid = uid;
		s->found = lookup(uid, s->name, sizeof(s->name)) == 0;
	}
	return s->found ? s->name : NULL;
}

struct nslot {
	unsigned char used, found;
	uint32_t uid;
	char name[48];
};

static struct nslot ncache[SLOTS];

static unsigned name_slot(const char *name)
{
	unsigned h = 2166136261U;
	for (const unsigned char *p = (const unsigned char *)name; *p; p++)
		h = (h ^ *p) * 16777619U;
	return h % SLOTS;
}

int llr_name_uid(const char *name, uint32_t *uid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	if (disabled)
		return -1;
	struct nslot *s = &ncache[name_slot(name)];
	size_t n = strlen(name);
	if (n < sizeof(s->name)) { /* cached, also when there is no such user */
		if (!s->used || strcmp(s->name, name)) {
			misses++;
			s->used = 1;
			memcpy(s->name, name, n + 1);
			s->found = !getpwnam_r(name, &pw, buf, sizeof(buf), &res) && res;
			s->uid = s->found ? (uint32_t)res->pw_uid : 0;
		}
		if (!s->found)
			return -1;
		*uid = s->uid;
		return 0;
	}
	if (getpwnam_r(name, &pw, buf, sizeof(buf), &res) || !res)
		return -1;
	*uid = (uint32_t)res->pw_uid;
	return 0;
}

unsigned long llr_names_misses(void)
{
	return misses;
}

void llr_names_disable(int off)
{
	disabled = off;
	llr_names_reset();
}

void llr_names_reset(void)
{
	memset(cache, 0, sizeof(cache));
	memset(ncache, 0, sizeof(ncache));
	misses = 0;
}

int llr_name_usable(const char *s)
{
	return s && *s && strcmp(s, "unset") && strcmp(s, "?") && strcmp(s, "(null)") &&
	       strncmp(s, "unknown(", 8) && strncmp(s, "unknown-", 8);
}
