/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * follow.h - the libauparse side of the reporter.  Feed mode (auparse_feed,
 * auparse_feed_age_events, auparse_flush_feed) groups records into events
 * for follow mode (an auditd plugin on stdin, or a tailed log file) and for
 * the optional --engine=auparse batch path; each record of an auparse
 * event then goes through the reporter's own record parser and assembler,
 * which rejoins the pieces libauparse 3.0.9 splits (LANDLOCK_* names).
 */
#ifndef LLR_FOLLOW_H
#define LLR_FOLLOW_H

#include "report.h"

struct llr_feed;
struct llr_feed *llr_feed_new(struct llr_report *r);
void llr_feed_data(void *feed, const char *data, size_t len);
void llr_feed_age(struct llr_feed *fd);
void llr_feed_flush(struct llr_feed *fd);
void llr_feed_free(struct llr_feed *fd);
unsigned long long llr_feed_events(const struct llr_feed *fd);

/* Follow mode main loop; returns the exit status. */
int llr_follow_run(struct llr_report *r, const struct llr_opts *o);

#endif
