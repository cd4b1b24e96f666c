/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ctl.h - landlockctl's commands (check, explain, run, stacks) and the few
 * helpers they share: options, diagnostics on stderr, the ABI to plan for,
 * and a per-rule view of what the library makes of a filesystem rule.
 *
 * Nothing here decides policy: parsing, matching, precedence, resolution,
 * planning and enforcement are the library's (policy.h, sandbox.h,
 * session.h), called exactly as the module calls them.
 */
#ifndef LL_CTL_H
#define LL_CTL_H

#include <stdbool.h>
#include <stdint.h>

#include "policy.h"
#include "sandbox.h"
#include "session.h"

/* Exit statuses of check and explain. */
#define CTL_OK 0
#define CTL_INVALID 1 /* check: invalid policy; explain: session refused */
#define CTL_USAGE 2   /* usage or I/O error */
/* Exit statuses of run's own failures (as env(1) and chroot(1)). */
#define CTL_RUN_FAIL 125
#define CTL_RUN_NOEXEC 126
#define CTL_RUN_NOTFOUND 127

struct ctl_opts {
	const char *conf;    /* -c, --conf */
	const char *service; /* --service, or explain's second argument */
	const char *from;    /* --from: PAM_RHOST of the session */
	int abi;             /* --abi N; 0 = probe the kernel */
	bool strict;         /* check: warnings make the policy invalid */
	bool quiet;          /* check: no summary line on success */
	bool as_caller;      /* run: keep the caller's credentials */
	const char *user;    /* explain, run */
	char **cmd;          /* run: the command and its arguments */
	const char *pam_dir; /* stacks: the PAM directory (/etc/pam.d) */
};

int ctl_check(const struct ctl_opts *o);
int ctl_explain(const struct ctl_opts *o);
int ctl_run(const struct ctl_opts *o);
int ctl_stacks(const struct ctl_opts *o);

/* ---- diagnostics (common.c) ---------------------------------------------
 * Errors:   "FILE:LINE: message; hint"          (as the module's syslog)
 * Warnings: "FILE:LINE: warning: message; hint"
 * Notes:    "FILE:LINE: note: message; hint"    (never counted)
 * Warnings and notes are printed at once, or collected and printed sorted by
 * line with ctl_flush() when ctl_collect is set (check). */
extern bool ctl_collect;
extern unsigned ctl_nwarnings;
void ctl_error(const struct ll_diag *d);
void ctl_warn(const char *file, int line, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ctl_note(const char *file, int line, const char *hint, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void ctl_flush(void);
/* A sink that turns the library's warnings into ctl_warn(). */
extern const struct ll_diag_sink ctl_sink;

/* Whether PATH can be opened for reading at all; prints the I/O error and
 * returns false (exit CTL_USAGE) when not.  The policy's own checks are the
 * library's. */
bool ctl_readable(const char *path);

/* CONF as an absolute path that still names the same file (the final
 * component is not resolved, as the module does not follow it); BUF. */
const char *ctl_abspath(const char *conf, char *buf, size_t len);

/* The ABI to plan for: --abi N, else the kernel's (ll_abi_probe(): >= 1 or
 * -errno).  *KERNEL gets the kernel's own. */
int ctl_abi(const struct ctl_opts *o, int *kernel);

/* What the library makes of one filesystem rule for one identity on one ABI:
 * the expanded path (ll_expand), whether it exists and is a directory, and
 * the rights granted (ll_plan_build, rule by rule, with missing paths
 * reported instead of refused). */
struct ctl_rule_view {
	const struct ll_fs_rule *rule;
	char *path;       /* expanded; NULL when the expansion failed */
	bool exists;
	bool is_dir;
	uint64_t granted; /* on the ABI, trimmed for files */
	bool error;       /* cannot be expanded or opened (other than missing) */
	char why[800];    /* the library's message when missing or in error */
};
void ctl_view_rule(const struct ll_fs_rule *r, const struct ll_identity *id, int abi,
                   const char *file, struct ctl_rule_view *v);
void ctl_view_free(struct ctl_rule_view *v);

/* A plan with no filesystem rule, to learn what ABI enforces of PROF and
 * whether the profile is refused there (min_abi, hard_requirement).
 * Returns ll_plan_build()'s result; the caller frees the plan. */
int ctl_plan_rights(const struct ll_resolved *prof, int abi, const char *file,
                    struct ll_plan *plan, struct ll_diag *diag);

/* The profile of POL that owns the rule R (for "line 23 (base)"). */
const struct ll_profile *ctl_rule_owner(const struct ll_policy *pol, const struct ll_fs_rule *r);

/* "read_exec" when MASK is exactly a shorthand, else NULL. */
const char *ctl_shorthand(uint64_t mask);

#endif /* LL_CTL_H */
