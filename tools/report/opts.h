/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * opts.h - what the user asked for: inputs, filters, view, format.  Filled
 * by cli.c, read by every other part of the reporter.
 */
#ifndef LLR_OPTS_H
#define LLR_OPTS_H

#include <stdint.h>

enum llr_view { LLR_VIEW_SUMMARY, LLR_VIEW_DOMAIN, LLR_VIEW_DENIALS, LLR_VIEW_NODE };
enum llr_format { LLR_FMT_TEXT, LLR_FMT_CSV, LLR_FMT_JSON };

struct llr_filter {
	int has_start, has_end;
	int64_t start, end; /* seconds, inclusive */
	const char *user;   /* name or number, NULL for all */
	int user_numeric;
	uint32_t user_uid;
	const char *node;
	uint64_t blockers; /* 0: any */
	int has_domain;
	uint64_t domain;
	int has_after; /* --checkpoint: only events after this event id */
	int64_t after_sec;
	unsigned after_ms;
	uint64_t after_serial;
};

struct llr_opts {
	enum llr_view view;
	enum llr_format format;
	struct llr_filter f;
	int top;            /* entries in top lists */
	int interpret;      /* -i: names and local times in text output */
	int no_resolve;     /* never call getpwuid */
	int engine_auparse; /* batch input through libauparse */
	const char **inputs;
	int ninputs;
	int use_stdin, input_logs;
	/* follow mode */
	int follow;
	const char *follow_file; /* NULL: stdin (plugin) */
	int interval;            /* seconds between live summaries, 0: stream */
	const char *output;      /* -o FILE: append there instead of stdout */
	/* suggestions */
	const char *suggest;
	const char *checkpoint;
	int quiet_stats;
};

#endif
