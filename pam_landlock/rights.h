/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * rights.h - the Landlock rights vocabulary and what each ABI supports.
 *
 * Rights are named exactly as the kernel names them in audit "blockers="
 * (without the "fs."/"net."/"scope." prefix), so a denial in a report maps
 * straight back to a word in landlock.conf.
 */
#ifndef LL_RIGHTS_H
#define LL_RIGHTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The newest ABI this code knows; a newer kernel is used as this one. */
#define LL_ABI_MAX 10

enum ll_kind { LL_KIND_FS, LL_KIND_NET, LL_KIND_SCOPE };

struct ll_right {
	const char *name;  /* "write_file" */
	enum ll_kind kind;
	uint64_t bit;      /* bit in handled_access_fs / _net / scoped */
	int abi;           /* first ABI that supports it */
};

/* Filesystem rights (bit numbers are the kernel's). */
#define LL_FS_EXECUTE (1ULL << 0)
#define LL_FS_WRITE_FILE (1ULL << 1)
#define LL_FS_READ_FILE (1ULL << 2)
#define LL_FS_READ_DIR (1ULL << 3)
#define LL_FS_REMOVE_DIR (1ULL << 4)
#define LL_FS_REMOVE_FILE (1ULL << 5)
#define LL_FS_MAKE_CHAR (1ULL << 6)
#define LL_FS_MAKE_DIR (1ULL << 7)
#define LL_FS_MAKE_REG (1ULL << 8)
#define LL_FS_MAKE_SOCK (1ULL << 9)
#define LL_FS_MAKE_FIFO (1ULL << 10)
#define LL_FS_MAKE_BLOCK (1ULL << 11)
#define LL_FS_MAKE_SYM (1ULL << 12)
#define LL_FS_REFER (1ULL << 13)
#define LL_FS_TRUNCATE (1ULL << 14)
#define LL_FS_IOCTL_DEV (1ULL << 15)
#define LL_FS_RESOLVE_UNIX (1ULL << 16)
#define LL_FS_ALL ((1ULL << 17) - 1)

/* Rights that only make sense on a directory: trimmed on file rules. */
#define LL_FS_DIR_ONLY                                                                \
	(LL_FS_READ_DIR | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE | LL_FS_MAKE_CHAR |    \
	 LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO |        \
	 LL_FS_MAKE_BLOCK | LL_FS_MAKE_SYM | LL_FS_REFER | LL_FS_RESOLVE_UNIX)

/* Network rights. */
#define LL_NET_BIND_TCP (1ULL << 0)
#define LL_NET_CONNECT_TCP (1ULL << 1)
#define LL_NET_BIND_UDP (1ULL << 2)
#define LL_NET_CONNECT_SEND_UDP (1ULL << 3)
#define LL_NET_ALL ((1ULL << 4) - 1)

/* Scopes. */
#define LL_SCOPE_ABSTRACT_UNIX_SOCKET (1ULL << 0)
#define LL_SCOPE_SIGNAL (1ULL << 1)
#define LL_SCOPE_ALL ((1ULL << 2) - 1)

/* Shorthands for the usual filesystem right sets. */
#define LL_FS_READ_ONLY (LL_FS_READ_FILE | LL_FS_READ_DIR)
#define LL_FS_READ_EXEC (LL_FS_READ_ONLY | LL_FS_EXECUTE)
#define LL_FS_READ_WRITE                                                              \
	(LL_FS_READ_ONLY | LL_FS_WRITE_FILE | LL_FS_REMOVE_DIR | LL_FS_REMOVE_FILE |  \
	 LL_FS_MAKE_DIR | LL_FS_MAKE_REG | LL_FS_MAKE_SOCK | LL_FS_MAKE_FIFO |        \
	 LL_FS_MAKE_SYM | LL_FS_REFER | LL_FS_TRUNCATE)
#define LL_FS_READ_WRITE_EXEC (LL_FS_READ_WRITE | LL_FS_EXECUTE)

extern const struct ll_right ll_rights[];
extern const size_t ll_nrights;

/* The right called NAME (exact kernel word), or NULL. */
const struct ll_right *ll_right_by_name(const char *name);

/* A filesystem shorthand ("read_only", "read_exec", "read_write",
 * "read_write_exec"); 0 if NAME is none. */
uint64_t ll_fs_shorthand(const char *name);

/* What ABI N supports, per kind (0 for ABI < 1). */
uint64_t ll_abi_mask(enum ll_kind kind, int abi);
/* restrict_self() flags ABI N supports. */
uint32_t ll_abi_restrict_flags(int abi);

/* Writes the comma-separated names of the rights of KIND set in MASK, each
 * prefixed as in audit blockers when PREFIX is true ("fs.write_file").
 * Returns BUF; "none" when MASK is 0. */
char *ll_rights_str(enum ll_kind kind, uint64_t mask, bool prefix, char *buf, size_t len);

/* Audit prefix of a kind: "fs", "net", "scope". */
const char *ll_kind_prefix(enum ll_kind kind);

#endif /* LL_RIGHTS_H */
