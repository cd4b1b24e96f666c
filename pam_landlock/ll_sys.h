/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ll_sys.h - the Landlock system-call interface, self-contained.
 *
 * Debian 12's <linux/landlock.h> stops at ABI 2, so every constant and
 * structure field this project uses is defined here, from the kernel's UAPI,
 * behind #ifndef guards.  Nothing else in the project includes the kernel
 * header directly.
 */
#ifndef LL_SYS_H
#define LL_SYS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_add_rule
#define __NR_landlock_add_rule 445
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif

/* landlock_create_ruleset() flags */
#define LL_CREATE_RULESET_VERSION (1U << 0)
#define LL_CREATE_RULESET_ERRATA (1U << 1)

/* landlock_add_rule() rule types */
#define LL_RULE_PATH_BENEATH 1
#define LL_RULE_NET_PORT 2

/* landlock_restrict_self() flags (ABI 7, TSYNC ABI 8) */
#define LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF (1U << 0)
#define LL_RESTRICT_SELF_LOG_NEW_EXEC_ON (1U << 1)
#define LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF (1U << 2)
#define LL_RESTRICT_SELF_TSYNC (1U << 3)

/* Full-size attribute; the size passed to the kernel depends on the ABI. */
struct ll_ruleset_attr {
	uint64_t handled_access_fs;  /* ABI 1 */
	uint64_t handled_access_net; /* ABI 4 */
	uint64_t scoped;             /* ABI 6 */
};

struct ll_path_beneath_attr {
	uint64_t allowed_access;
	int32_t parent_fd;
} __attribute__((packed));

struct ll_net_port_attr {
	uint64_t allowed_access;
	uint64_t port;
};

static inline long ll_sys_create_ruleset(const struct ll_ruleset_attr *attr, size_t size,
                                         uint32_t flags)
{
	return syscall(__NR_landlock_create_ruleset, attr, size, flags);
}

static inline long ll_sys_add_rule(int ruleset_fd, int type, const void *attr, uint32_t flags)
{
	return syscall(__NR_landlock_add_rule, ruleset_fd, type, attr, flags);
}

static inline long ll_sys_restrict_self(int ruleset_fd, uint32_t flags)
{
	return syscall(__NR_landlock_restrict_self, ruleset_fd, flags);
}

#endif /* LL_SYS_H */
