/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * timekw.h - --start/--end (-ts/-te) values, as ausearch reads them:
 * keywords now, recent, boot, today, yesterday, this-week, week-ago,
 * this-month, this-year; absolute dates MM/DD/YYYY or YYYY-MM-DD with an
 * optional HH:MM[:SS] (also as a separate argument); a time alone (today);
 * @EPOCH seconds.
 */
#ifndef LLR_TIMEKW_H
#define LLR_TIMEKW_H

#include <stdint.h>
#include <time.h>

/*
 * Parse date (and time, which may be NULL) relative to now.  *used_time is
 * set when the time argument was consumed.  A date without a time means
 * 00:00:00 for a start and 23:59:59 for an end (is_end); the keyword today
 * means midnight for a start and now for an end, as in ausearch.  0 on
 * success.
 */
int llr_parse_time(const char *date, const char *tim, int is_end, time_t now, int64_t *out,
                   int *used_time);
/* Does s look like HH:MM or HH:MM:SS? */
int llr_looks_like_time(const char *s);

#endif
