/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * policycache.h - the compiled form of a policy: what libconfig's parse and
 * the validation produce, plus the second layer's BPF programs, in one file
 * that a session reads in microseconds instead of parsing the policy.
 *
 * Trust: the compiled form lives in LL_CACHE_DIR (root-owned, not writable
 * by others, every directory on the way checked as for the policy), is
 * owned by root and not writable by others, is replaced atomically
 * (rename), and names the policy file it was made from by (dev, inode,
 * size, mtime, ctime) - ctime cannot be set from user space, so a changed
 * policy is always read afresh.  A compiled form that is stale, unreadable,
 * untrusted or malformed in any way is ignored (the policy is parsed), never
 * trusted; the policy file's own checks are made on every session.
 *
 * Only valid policies are compiled: every refusal stays a refusal.
 */
#ifndef LL_POLICYCACHE_H
#define LL_POLICYCACHE_H

#include <stddef.h>
#include <sys/stat.h>

#include "diag.h"
#include "policy.h"

#ifndef LL_CACHE_DIR
#define LL_CACHE_DIR "/run/pam_landlock"
#endif

/* The compiled form's file for POLICY (an absolute path): LL_CACHE_DIR/
 * sha256(POLICY).policy, into BUF. */
char *ll_cache_path(const char *policy, char *buf, size_t len);

/* Writes the compiled form of POL, read from the file whose fstat is ST,
 * with the second layer's programs, atomically into CACHE (its directory is
 * created, root-owned 0755, if missing).  Returns 0 or -errno. */
int ll_cache_write(const struct ll_policy *pol, const struct stat *st, const char *cache);

/* Loads from CACHE what decides for USER (every non-user entry, and the
 * user entries that name USER; NULL: every entry), if CACHE is trusted and
 * was made from the file whose fstat is ST.  Returns 0 with *OUT, or -1
 * (then the policy must be parsed; never a reason to refuse a session). */
int ll_cache_load(const char *cache, const struct stat *st, const char *user,
                  struct ll_policy **out);

#endif /* LL_POLICYCACHE_H */
