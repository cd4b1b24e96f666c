/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * opts.h - what the user asked for: inputs, filters, view, format.  Filled
 * by cli.c, read by every other part of the reporter.
 */
#ifndef LLR_OPTS_H
#define LLR_OPTS_H

#include <stdint.h>

enum llr_view {
	LLR_VIEW_SUMMARY,
	LLR_VIEW_DOMAIN,
	LLR_VIEW_DENIALS,
	LLR_VIEW_NODE,
	LLR_VIEW_SESSIONS,  /* one row per pam_landlock record */
	LLR_VIEW_REVISIONS, /* per policy digest */
};
#define LLR_NVIEWS 6
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
	/* denial selectors, as in ausearch (-ui -ue -ul -ua -x -c -p -sc --session) */
	int has_uid, has_euid, has_auid, has_anyuid;
	uint32_t uid, euid, auid, anyuid;
	const char *exe, *comm; /* substrings, or exact with -w */
	int exact;
	int has_pid;
	int64_t pid;
	const char *syscall; /* name */
	int64_t syscall_nr;  /* or number (-1: by name) */
	int has_ses;
	uint32_t ses;
};

/* Does the filter select single denials (the kernel's counts are per domain)? */
static inline int llr_filter_per_denial(const struct llr_filter *f)
{
	return f->blockers || f->has_uid || f->has_euid || f->has_auid || f->has_anyuid || f->exe ||
	       f->comm || f->has_pid || f->syscall || f->has_ses;
}

/* Alerts (detect.h): off when every field is zero. */
#define LLR_ALERT_MAX_PATTERNS 64
#define LLR_ALERT_MAX_PORTS    64
struct llr_alert_opts {
	int first_denial;
	int burst_count, burst_window; /* N denials within SECS seconds */
	const char *objects[LLR_ALERT_MAX_PATTERNS];
	int nobjects;
	uint32_t port_lo[LLR_ALERT_MAX_PORTS], port_hi[LLR_ALERT_MAX_PORTS];
	int nports;
};

static inline int llr_alerts_on(const struct llr_alert_opts *a)
{
	return a->first_denial || a->burst_count || a->nobjects || a->nports;
}

struct llr_opts {
	enum llr_view view;
	enum llr_format format;
	struct llr_filter f;
	int top;            /* entries in top lists */
	int interpret;      /* -i: names and local times in text output */
	int no_resolve;     /* never call getpwuid */
	int engine_auparse; /* records parsed by libauparse */
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
	struct llr_alert_opts alert;
};

#endif
