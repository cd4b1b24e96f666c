/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * policy.h - landlock.conf: loading, validation, profile resolution and the
 * choice of a profile for a user.  One implementation shared by the module
 * and the tools.
 */
#ifndef LL_POLICY_H
#define LL_POLICY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "diag.h"

#define LL_POLICY_VERSION 1
#define LL_POLICY_MAX_SIZE (1024 * 1024)
#define LL_UNCONFINED "unconfined"

enum ll_compat { LL_COMPAT_BEST_EFFORT = 0, LL_COMPAT_HARD = 1 };
enum ll_logging { LL_LOG_FORCED = 0, LL_LOG_KERNEL_DEFAULT = 1, LL_LOG_OFF = 2 };

struct ll_fs_rule {
	char *path;        /* as written, variables unexpanded */
	uint64_t access;   /* LL_FS_* */
	bool skip_missing; /* missing = "skip" */
	int line;
};

#define LL_NET_NRIGHTS 4
struct ll_ports {
	uint16_t *port;
	size_t n;
};

struct ll_profile {
	char *name;
	int line;
	char **extends;
	size_t nextends;
	struct ll_fs_rule *fs;
	size_t nfs;
	uint64_t net_handled;                 /* rights with a port list */
	struct ll_ports ports[LL_NET_NRIGHTS]; /* index = bit number */
	uint64_t scoped;
	/* Settings: -1 = not set here (inherited or default). */
	int compat, min_abi, nnp, logging, log_subdomains;
	int setting_line[5]; /* where each of the five was set, in that order */
	int extends_line;
};

struct ll_match {
	int line;
	char **users;
	size_t nusers;
	char **groups;
	size_t ngroups;
	char **services;
	size_t nservices;
	bool is_default;
	char *profile;
};

struct ll_policy {
	char *file;
	struct ll_profile *profiles;
	size_t nprofiles;
	struct ll_match *matches;
	size_t nmatches;
};

/* Flags for ll_policy_load(). */
#define LL_LOAD_TRUSTED (1U << 0) /* require root owner, no group/other write */

/* Loads and validates PATH.  Returns 0, or -1 with *DIAG filled (file:line,
 * message, hint).  Warnings (not errors) go to SINK, which may be NULL. */
int ll_policy_load(const char *path, unsigned flags, struct ll_policy **out,
                   struct ll_diag *diag, const struct ll_diag_sink *sink);
void ll_policy_free(struct ll_policy *pol);

/* The checked contents of a policy file, NUL-terminated (free() it), or NULL
 * with DIAG.  Used by ll_policy_load(). */
char *ll_policy_read_file(const char *path, unsigned flags, struct ll_diag *diag);

const struct ll_profile *ll_policy_profile(const struct ll_policy *pol, const char *name);

/* A profile with its "extends" chain merged: parents first. */
struct ll_resolved {
	const char *name;
	int line;        /* where the profile is defined */
	int compat_line; /* where compatibility was set (else the profile's line) */
	int min_abi_line;
	const struct ll_fs_rule **fs;
	size_t nfs;
	uint64_t net_handled;
	struct ll_ports ports[LL_NET_NRIGHTS];
	uint64_t scoped;
	enum ll_compat compat;
	int min_abi;
	bool nnp;
	enum ll_logging logging;
	bool log_subdomains;
};
int ll_policy_resolve(const struct ll_policy *pol, const char *name, struct ll_resolved *out,
                      struct ll_diag *diag);
void ll_resolved_free(struct ll_resolved *r);

/* Who is logging in. */
struct ll_identity {
	char *user;
	uid_t uid;
	gid_t gid;
	char *home;
	char **groups; /* names of primary and supplementary groups */
	size_t ngroups;
	char *service; /* PAM service, may be NULL */
};
int ll_identity_load(const char *user, const char *service, struct ll_identity *id,
                     struct ll_diag *diag);
void ll_identity_free(struct ll_identity *id);

/* Precedence classes, most specific first. */
enum ll_match_class {
	LL_CLASS_USER_SERVICE = 0,
	LL_CLASS_USER,
	LL_CLASS_GROUP_SERVICE,
	LL_CLASS_GROUP,
	LL_CLASS_DEFAULT_SERVICE,
	LL_CLASS_DEFAULT,
	LL_CLASS_NONE
};
const char *ll_match_class_name(enum ll_match_class c);

/* The class in which M matches ID, or LL_CLASS_NONE. */
enum ll_match_class ll_match_test(const struct ll_match *m, const struct ll_identity *id);

struct ll_decision {
	const struct ll_match *entry; /* NULL when nothing matched */
	enum ll_match_class class;
	bool unconfined;
};
/* Returns 0 with the deciding entry, or -1 (with DIAG) when nothing matches. */
int ll_policy_decide(const struct ll_policy *pol, const struct ll_identity *id,
                     struct ll_decision *out, struct ll_diag *diag);

/* Expands ${HOME}, ${USER}, ${UID}, ${GID} in IN.  Returns a new string, or
 * NULL with DIAG (unknown variable, empty value, result not absolute).
 * ID may be NULL to only check the syntax. */
char *ll_expand(const char *in, const struct ll_identity *id, const char *file, int line,
                struct ll_diag *diag);

#endif /* LL_POLICY_H */
