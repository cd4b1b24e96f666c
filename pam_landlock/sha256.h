/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sha256.h - SHA-256 (FIPS 180-4), for the policy digest that the module's
 * audit records carry: which revision of the policy decided a session.
 */
#ifndef LL_SHA256_H
#define LL_SHA256_H

#include <stddef.h>
#include <stdint.h>

#define LL_SHA256_HEX 65 /* 64 hex digits and NUL */

/* The digest of LEN bytes at DATA, as lower-case hex, into HEX. */
void ll_sha256_hex(const void *data, size_t len, char hex[LL_SHA256_HEX]);

#endif /* LL_SHA256_H */
