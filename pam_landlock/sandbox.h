/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sandbox.h - from a resolved profile and a user to a Landlock domain and
 * its second layer.
 *
 * Steps, so that everything that can fail is done before the session is let
 * in, and the last step is a few async-signal-safe system calls:
 *   ll_plan_build()       expand paths, mask rights by ABI, decide what is
 *                         dropped, refuse per compatibility, open each path
 *                         and (LL_PLAN_RULESET) add it to the ruleset at
 *                         once, closing its fd; refuse rules whose variable
 *                         would open the whole system;
 *   ll_enforce_prepare()  the second layer's BPF program, the ruleset fd;
 *   ll_enforce_apply()    no_new_privs + landlock_restrict_self() +
 *                         seccomp().
 */
#ifndef LL_SANDBOX_H
#define LL_SANDBOX_H

#include <stdbool.h>
#include <stdint.h>

#include "diag.h"
#include "layer2.h"
#include "policy.h"
#include "rights.h"

struct ll_plan_rule {
	char *path;      /* expanded */
	char *canon;     /* for a path from a variable, what the opened path really
	                  * is (/proc/self/fd); else the path */
	uint64_t access; /* what is granted on this kernel, trimmed for files */
	uint64_t asked;  /* what the config asked for */
	int line;
	bool is_dir;
	bool from_var;   /* the path has a variable */
	const char *tmpl; /* the path as written (the policy's string) */
	dev_t dev;       /* of the opened path */
	ino_t ino;
};

/* In the message of a session refused because a rule from a variable would
 * open the system (landlockctl check looks for it). */
#define LL_VAR_RULE_REFUSED "would open the system"

/* Rights that let a session change or run files: what a rule from a
 * variable must not bring to the whole system. */
#define LL_FS_WRITE_EXEC (LL_FS_READ_WRITE_EXEC & ~LL_FS_READ_ONLY)

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
	/* The second layer: parts asked for and applicable (the profile
	 * restricts TCP; nothing is writable and executable), and enforced. */
	unsigned l2_want, l2_have;
	int l2_exec_line;          /* a rule that lets the session write and exec */
	struct ll_l2_env l2_env;
	int ruleset_fd;            /* LL_PLAN_RULESET: the ruleset, else -1 */
};

/* ll_plan_build() flags */
#define LL_PLAN_RULESET (1U << 0)     /* build the ruleset as the paths are opened */
#define LL_PLAN_ALL_THREADS (1U << 1) /* every thread of the caller is to be confined:
                                       * LL_RESTRICT_SELF_TSYNC is asked for (ABI 8) */

/* The running kernel's ABI: >= 1, or -errno (ENOSYS: not built in,
 * EOPNOTSUPP: disabled at boot). */
int ll_abi_probe(void);
/* Hint for an ll_abi_probe() error. */
const char *ll_abi_error_hint(int err);

/* ABI is the (possibly simulated) ABI; FILE is the policy, for messages.
 * With LL_PLAN_RULESET, plan->ruleset_fd is the ruleset (O_CLOEXEC); no path
 * fd is held longer than it takes to add its rule. */
int ll_plan_build(const struct ll_resolved *prof, const struct ll_identity *id, int abi,
                  const char *file, unsigned flags, struct ll_plan *plan, struct ll_diag *diag,
                  const struct ll_diag_sink *sink);
void ll_plan_free(struct ll_plan *plan);

bool ll_plan_partial(const struct ll_plan *plan);
/* "fs.resolve_unix,net.bind_udp,log_new_exec_on" or "none". */
char *ll_plan_dropped_str(const struct ll_plan *plan, char *buf, size_t len);
/* Names of restrict_self flags in FLAGS: "log_new_exec_on,log_subdomains_off". */
char *ll_flags_str(uint32_t flags, char *buf, size_t len);

/* What a process needs to confine itself. */
struct ll_enforce {
	int ruleset_fd;
	bool nnp;
	uint32_t flags;          /* landlock_restrict_self() */
	struct ll_l2_filter l2;  /* may be empty */
};
/* Takes PLAN's ruleset fd and the second layer: from COMPILED (the
 * policy's programs by part mask, may be NULL) when it has the one PLAN
 * needs, else built.  0 or -1 with DIAG. */
int ll_enforce_prepare(struct ll_plan *plan, struct ll_enforce *e,
                       const struct ll_l2_filter *compiled, struct ll_diag *diag);
void ll_enforce_free(struct ll_enforce *e);

enum ll_enforce_step { LL_STEP_NNP, LL_STEP_LANDLOCK, LL_STEP_LAYER2 };
const char *ll_enforce_step_name(enum ll_enforce_step s);
/* Async-signal-safe: no_new_privs if asked, landlock_restrict_self(), the
 * second layer; each for the calling thread, or every thread of the process
 * with ALL_THREADS (LL_RESTRICT_SELF_TSYNC must then be in E's flags).
 * Returns 0, or -errno with *STEP (may be NULL) the step that failed. */
int ll_enforce_apply(const struct ll_enforce *e, bool all_threads, enum ll_enforce_step *step);

#endif /* LL_SANDBOX_H */
