/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * helpers.h - shared helpers of the reporter's unit tests: run text through
 * the pipeline, find users and domains, capture output.
 */
#ifndef LLR_TEST_HELPERS_H
#define LLR_TEST_HELPERS_H

#include "report/cli.h"
#include "report/input.h"
#include "report/names.h"
#include "report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define GS "\x1d" /* ENRICHED separator */

static inline struct llr_report *run_text(const struct llr_opts *o, const char *text)
{
	struct llr_report *r = llr_report_new(o, NULL);
	llr_input_lines(text, strlen(text), llr_report_line, r);
	llr_asm_flush(r->as);
	return r;
}

static inline struct llr_opts *opts_default(void)
{
	static struct llr_opts o;
	llr_opts_init(&o);
	o.no_resolve = 1;
	llr_names_disable(1);
	return &o;
}

static inline int has_user_uid(struct llr_report *r, unsigned uid)
{
	for (int i = 0; i < llr_agg_nusers(r->agg); i++)
		if (llr_agg_user(r->agg, i)->uid == uid)
			return 1;
	return 0;
}

/* The user with this uid (the first one); the test aborts if none. */
static inline struct llr_user *user_by_uid(struct llr_report *r, unsigned uid)
{
	for (int i = 0; i < llr_agg_nusers(r->agg); i++)
		if (llr_agg_user(r->agg, i)->uid == uid)
			return llr_agg_user(r->agg, i);
	fprintf(stderr, "no user with uid %u\n", uid);
	abort();
}

static inline struct llr_user *user_by_name(struct llr_report *r, const char *name)
{
	for (int i = 0; i < llr_agg_nusers(r->agg); i++) {
		struct llr_user *u = llr_agg_user(r->agg, i);
		if (u->name && !strcmp(u->name, name))
			return u;
	}
	fprintf(stderr, "no user named %s\n", name);
	abort();
}

static inline struct llr_domain *domain_by_id(struct llr_report *r, const char *node, uint64_t id)
{
	struct llr_domain *d = llr_agg_find_domain(r->agg, node, id);
	if (!d) {
		fprintf(stderr, "no domain %llx\n", (unsigned long long)id);
		abort();
	}
	return d;
}

static inline uint64_t blocker_count(const struct llr_user *u, const char *name)
{
	int id = llr_blocker_find(name);
	return id < 0 ? 0 : u->blockers[id];
}

/* Count of a "kind:value" key in a user's top objects (0 if absent). */
static inline uint64_t object_count(const struct llr_user *u, const char *key)
{
	for (int i = 0; i < u->objects.n; i++)
		if (!strcmp(u->objects.e[i].key, key))
			return u->objects.e[i].count;
	return 0;
}

/* Makes TMPL ("...XXXXXX") the name of a file that does not exist (made
 * by mkstemp, removed again): a fresh checkpoint path.  Aborts if none. */
static inline void temp_name(char *tmpl)
{
	int fd = mkstemp(tmpl);
	if (fd < 0) {
		perror(tmpl);
		abort();
	}
	close(fd);
	unlink(tmpl);
}

/* Run and render the report into a malloc'd string. */
static inline char *render(struct llr_opts *o, const char *text)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct llr_report *r = llr_report_new(o, f);
	llr_input_lines(text, strlen(text), llr_report_line, r);
	llr_report_finish(r);
	llr_report_free(r);
	fclose(f);
	return buf;
}

/* Parse a NULL-terminated argument list (copied: options point into it,
 * until the next call). */
static inline int parse_args(struct llr_opts *o, const char *const *args)
{
	static char buf[32][128];
	char *argv[33];
	int argc = 0;
	for (; args[argc] && argc < 32; argc++) {
		snprintf(buf[argc], sizeof(buf[argc]), "%s", args[argc]);
		argv[argc] = buf[argc];
	}
	argv[argc] = NULL;
	llr_opts_init(o);
	return llr_cli_parse(argc, argv, o);
}

#endif
