/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sandbox.h - from a resolved profile and a user to a Landlock domain.
 *
 * Three steps, so that everything that can fail is done before the session
 * is let in, and the last step is two async-signal-safe system calls:
 *   ll_plan_build()     expand paths, mask rights by ABI, decide what is
 *                       dropped, refuse per compatibility, open the paths;
 *   ll_ruleset_create() the ruleset fd with every rule added;
 *   ll_apply()          no_new_privs + landlock_restrict_self().
 */
#ifndef LL_SANDBOX_H
#define LL_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "policy.h"
#include "rights.h"

struct ll_plan_rule {
	char *path;      /* expanded */
	uint64_t access; /* what is granted on this kernel, trimmed for files */
	uint64_t asked;  /* what the config asked for */
	int line;
	bool is_dir;
	int fd; /* O_PATH, -1 once closed */
};

struct ll_plan {
	int kernel_abi; /* what the kernel said (may be above LL_ABI_MAX) */
	int abi;        /* what is used: min(kernel_abi, LL_ABI_MAX) */
	/* Requested and enforced, by kind (index = enum ll_kind). */
	uint64_t want[3];
	uint64_t have[3];
	uint32_t want_flags, have_flags;
	bool nnp;
	const struct ll_resolved *prof;
	const char *file; /* the policy, for messages */
	struct ll_plan_rule *rules;
	size_t nrules;
	struct ll_ports ports[LL_NET_NRIGHTS]; /* only rights in have[NET] */
};

/* The running kernel's ABI: >= 1, or -errno (ENOSYS: not built in,
 * EOPNOTSUPP: disabled at boot). */
int ll_abi_probe(void);
/* Hint for an ll_abi_probe() error. */
const char *ll_abi_error_hint(int err);

/* ABI is the (possibly simulated) ABI; FILE is the policy, for messages. */
int ll_plan_build(const struct ll_resolved *prof, const struct ll_identity *id, int abi,
                  const char *file, struct ll_plan *plan, struct ll_diag *diag,
                  const struct ll_diag_sink *sink);
void ll_plan_free(struct ll_plan *plan);

bool ll_plan_partial(const struct ll_plan *plan);
/* "fs.resolve_unix,net.bind_udp,log_new_exec_on" or "none". */
char *ll_plan_dropped_str(const struct ll_plan *plan, char *buf, size_t len);
/* Names of restrict_self flags in FLAGS: "log_new_exec_on,log_subdomains_off". */
char *ll_flags_str(uint32_t flags, char *buf, size_t len);

/* Builds the ruleset; closes the plan's path fds.  Returns an O_CLOEXEC fd or
 * -1 with DIAG. */
int ll_ruleset_create(struct ll_plan *plan, struct ll_diag *diag);

/* Async-signal-safe: sets no_new_privs if asked, then restricts the calling
 * thread.  Returns 0 or -errno. */
int ll_apply(int ruleset_fd, bool nnp, uint32_t flags);

#endif /* LL_SANDBOX_H */
