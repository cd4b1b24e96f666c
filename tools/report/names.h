/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * names.h - the reporter's own uid -> user name cache.  Misses (uids with
 * no passwd entry, common on log collectors) are cached too, so an unknown
 * uid costs one getpwuid_r() per run, not one per record.
 */
#ifndef LLR_NAMES_H
#define LLR_NAMES_H

#include <stdint.h>

/* The name of uid, or NULL if it has none.  The string lives in the cache. */
const char *llr_uid_name(uint32_t uid);
/* Look a user name up (cached, also misses): 0 and *uid on success. */
int llr_name_uid(const char *name, uint32_t *uid);
/* Whether S is a user name, not a placeholder the kernel or auditd
 * writes for none ("unset", "?", "(null)", "unknown(N)", "unknown-N"). */
int llr_name_usable(const char *s);
/* Statistics for tests: lookups done through getpwuid_r(). */
unsigned long llr_names_misses(void);
/* Disable the passwd database (tests, --no-resolve): every uid is a miss. */
void llr_names_disable(int off);
void llr_names_reset(void);

#endif
