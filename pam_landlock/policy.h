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
#include <sys/stat.h>
#include <sys/types.h>

#include "diag.h"
#include "layer2.h"

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

/* A profile's settings, in this order (ll_profile.setting_line[]). */
enum ll_setting {
	LL_SET_COMPAT = 0,
	LL_SET_MIN_ABI,
	LL_SET_NNP,
	LL_SET_LOGGING,
	LL_SET_LOG_SUBDOMAINS,
	/* The second layer (layer2.h), one per part, in enum ll_l2_part order. */
	LL_SET_BLOCK_FIRST,
	LL_SET_BLOCK_TERMINAL_INJECTION = LL_SET_BLOCK_FIRST,
	LL_SET_BLOCK_UNCHECKED_PROTOCOLS,
	LL_SET_BLOCK_IO_URING,
	LL_SET_BLOCK_FD_EXEC,
	LL_NSETTINGS
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
	int block[4];                    /* block_* (enum ll_l2_part order) */
	int setting_line[LL_NSETTINGS];  /* where each was set (enum ll_setting) */
	int extends_line;
};

/* An address block of a match entry's "from". */
struct ll_cidr {
	int family;          /* AF_INET or AF_INET6 */
	unsigned char addr[16];
	int prefix;          /* bits */
};

struct ll_match {
	int line;
	char **users;
	size_t nusers;
	char **groups;
	size_t ngroups;
	char **services;
	size_t nservices;
	struct ll_cidr *from; /* where the session comes from (PAM_RHOST) */
	size_t nfrom;
	bool is_default;
	char *profile;
};

struct ll_policy {
	char *file;
	char digest[65]; /* sha256 of the file's bytes, hex */
	struct ll_profile *profiles;
	size_t nprofiles;
	struct ll_match *matches;
	size_t nmatches;
	bool partial;    /* from the compiled form for one user (LL_LOAD_CACHE) */
	/* The second layer's programs by part mask, from the compiled form
	 * (len 0: not compiled, build it). */
	struct ll_l2_filter l2[LL_L2_NMASKS];
};

/* Flags for ll_policy_load(). */
#define LL_LOAD_TRUSTED (1U << 0) /* require root owner, no group/other write */
/* With LL_LOAD_TRUSTED: read the compiled form (policycache.h) when it is
 * valid for the file, else parse and write it.  The policy is then partial:
 * only the match entries that can decide for USER are loaded. */
#define LL_LOAD_CACHE (1U << 1)

/* Loads and validates PATH.  Returns 0, or -1 with *DIAG filled (file:line,
 * message, hint).  Warnings (not errors) go to SINK, which may be NULL.
 * DIGEST (may be NULL) gets the sha256 of the file's bytes in hex, also when
 * they do not parse ("" when the file could not be read). */
int ll_policy_load(const char *path, unsigned flags, struct ll_policy **out,
                   char digest[65], struct ll_diag *diag, const struct ll_diag_sink *sink);
/* ll_policy_load() for a session of USER: with LL_LOAD_CACHE, only what can
 * decide for USER is loaded (from the compiled form when it is valid). */
int ll_policy_load_for(const char *path, unsigned flags, const char *user,
                       struct ll_policy **out, char digest[65], struct ll_diag *diag,
                       const struct ll_diag_sink *sink);
/* Parses TEXT (the checked contents of PATH).  For the loaders. */
int ll_policy_parse(const char *path, const char *text, struct ll_policy **out,
                    struct ll_diag *diag, const struct ll_diag_sink *sink);
void ll_policy_free(struct ll_policy *pol);

/* The checked contents of a policy file, NUL-terminated (free() it), or NULL
 * with DIAG.  Used by ll_policy_load(). */
char *ll_policy_read_file(const char *path, unsigned flags, struct ll_diag *diag);
/* Its two steps: open PATH with every check (LL_LOAD_TRUSTED: the directory
 * walk, owner, mode) and fstat it into ST (returns the fd, or -1 with DIAG);
 * read and check the contents. */
int ll_policy_open(const char *path, unsigned flags, struct stat *st, struct ll_diag *diag);
char *ll_policy_read_fd(int fd, const struct stat *st, const char *path, struct ll_diag *diag);

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
	unsigned block;                 /* second-layer parts asked for (LL_L2_BIT) */
	int block_line[4];              /* where each block_* was set (0: default) */
};
int ll_policy_resolve(const struct ll_policy *pol, const char *name, struct ll_resolved *out,
                      struct ll_diag *diag);
void ll_resolved_free(struct ll_resolved *r);

/* Group names asked about, and the answers (ll_identity_in_group). */
struct ll_group_memo {
	char *name;
	bool member;
};

/* Who is logging in, and from where. */
struct ll_identity {
	char *user;
	uid_t uid;
	gid_t gid;
	char *home;
	/* Primary and supplementary gids (getgrouplist), fetched when a group
	 * entry first needs them. */
	gid_t *gids;
	size_t ngids;
	/* The names of the groups: with BY_NAME (an identity made up by
	 * landlockctl check or a test) the only truth, no lookup; otherwise the
	 * names of GIDS once NAMES_COMPLETE (ll_identity_group_names). */
	char **groups;
	size_t ngroups;
	bool by_name;
	bool names_complete;
	char *service; /* PAM service, may be NULL */
	char *rhost;   /* PAM_RHOST, may be NULL */
	bool has_addr; /* rhost is a numeric address: */
	struct ll_cidr addr; /* it (IPv4-mapped IPv6 as IPv4), prefix = full */
	struct ll_group_memo *memo;
	size_t nmemo;
};
/* Looks USER up (ERANGE is retried with larger buffers; any error other than
 * "no such user" is an error, not an absent user). */
int ll_identity_load(const char *user, const char *service, struct ll_identity *id,
                     struct ll_diag *diag);
/* Fetches the user's gids (getgrouplist) if not yet done.  0 or -1. */
int ll_identity_gids(struct ll_identity *id, struct ll_diag *diag);
/* Sets the session's origin (PAM_RHOST); NULL or "" for none. */
int ll_identity_set_rhost(struct ll_identity *id, const char *rhost);
void ll_identity_free(struct ll_identity *id);
/* Whether ID is in the group called NAME (by gid from getgrnam_r, or the
 * group's member list; a name made of digits that is no group's name is a
 * gid).  1, 0, or -1 with DIAG when the group database fails: a lookup
 * error is never taken for "not a member". */
int ll_identity_in_group(struct ll_identity *id, const char *name, struct ll_diag *diag);
/* Fills id->groups with the names of the user's gids (getgrgid_r, ERANGE
 * retried; a gid without a name is named by its number).  0, or -1 with
 * DIAG when a lookup fails. */
int ll_identity_group_names(struct ll_identity *id, struct ll_diag *diag);

/* Parses "10.0.0.0/8", "192.0.2.7", "2001:db8::/32".  Returns 0, or -1 with
 * a message in WHY (host names are refused). */
int ll_cidr_parse(const char *s, struct ll_cidr *out, char *why, size_t len);
bool ll_cidr_contains(const struct ll_cidr *block, const struct ll_cidr *addr);
/* "10.0.0.0/8" into BUF. */
char *ll_cidr_str(const struct ll_cidr *c, char *buf, size_t len);

/* Precedence classes: who (user, group, default) first, then how many of
 * the qualifiers service and from the entry has (both, one, none).  Classes
 * of the same rank (user+service and user+from) are ordered by the file. */
enum ll_match_class {
	LL_CLASS_USER_SERVICE_FROM = 0,
	LL_CLASS_USER_SERVICE,
	LL_CLASS_USER_FROM,
	LL_CLASS_USER,
	LL_CLASS_GROUP_SERVICE_FROM,
	LL_CLASS_GROUP_SERVICE,
	LL_CLASS_GROUP_FROM,
	LL_CLASS_GROUP,
	LL_CLASS_DEFAULT_SERVICE_FROM,
	LL_CLASS_DEFAULT_SERVICE,
	LL_CLASS_DEFAULT_FROM,
	LL_CLASS_DEFAULT,
	LL_CLASS_NONE
};
const char *ll_match_class_name(enum ll_match_class c);
/* Lower decides first; equal ranks: the first entry in the file. */
int ll_match_rank(enum ll_match_class c);
/* The class M has when it matches. */
enum ll_match_class ll_match_class_of(const struct ll_match *m);

/* The class in which M matches ID, or LL_CLASS_NONE, into *OUT.  Returns 0,
 * or -1 with DIAG when a group lookup fails. */
int ll_match_test(const struct ll_match *m, struct ll_identity *id, enum ll_match_class *out,
                  struct ll_diag *diag);

struct ll_decision {
	const struct ll_match *entry; /* NULL when nothing matched */
	enum ll_match_class class;
	bool unconfined;
};
/* Returns 0 with the deciding entry, or -1 (with DIAG) when nothing matches
 * or a lookup fails.  Groups are looked up only for entries that could
 * still decide. */
int ll_policy_decide(const struct ll_policy *pol, struct ll_identity *id,
                     struct ll_decision *out, struct ll_diag *diag);

/* Expands ${HOME}, ${USER}, ${UID}, ${GID} in IN.  Returns a new string, or
 * NULL with DIAG (unknown variable, empty value, result not absolute).
 * ID may be NULL to only check the syntax. */
char *ll_expand(const char *in, const struct ll_identity *id, const char *file, int line,
                struct ll_diag *diag);

#endif /* LL_POLICY_H */
