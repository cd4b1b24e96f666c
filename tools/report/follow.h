/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * follow.h - follow mode: an auditd plugin's stream on stdin, or the end of
 * a log file (like tail -F, across rotations).  Records go through the same
 * engine and event model as batch runs; events complete as in batch runs,
 * or LLR_FOLLOW_IDLE_MS after their last record arrived (event.h).
 */
#ifndef LLR_FOLLOW_H
#define LLR_FOLLOW_H

#include "report.h"

/* Split a stream into lines for the report (partial lines carried). */
struct llr_splitter {
	char *buf;
	size_t len, cap;
	int skipping;
};
void llr_split_feed(struct llr_splitter *s, const char *data, size_t n, struct llr_report *r);
void llr_split_free(struct llr_splitter *s);

/* Follow mode main loop; returns the exit status. */
int llr_follow_run(struct llr_report *r, const struct llr_opts *o);

#endif
