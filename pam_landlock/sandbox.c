/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sandbox.c - ABI probe, the plan (what is enforced and what is dropped on
 * this kernel), ruleset construction and enforcement.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "ll_sys.h"
#include "sandbox.h"

#ifndef SYS_openat2
#define SYS_openat2 437
#endif
struct ll_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
#define LL_RESOLVE_NO_MAGICLINKS 0x02
#define LL_RESOLVE_NO_SYMLINKS 0x04
#define LL_RESOLVE_BENEATH 0x08

int ll_abi_probe(void)
{
	long v = ll_sys_create_ruleset(NULL, 0, LL_CREATE_RULESET_VERSION);
	if (v < 0)
		return -errno;
	return v < 1 ? -ENOSYS : (int)v;
}

const char *ll_abi_error_hint(int err)
{
	switch (err) {
	case -ENOSYS:
		return "this kernel is built without Landlock (CONFIG_SECURITY_LANDLOCK); use a kernel "
		       "with Landlock, or exempt these users with profile \"unconfined\"";
	case -EOPNOTSUPP:
		return "Landlock is disabled at boot; add landlock to the lsm= kernel parameter";
	default:
		return "check the kernel's Landlock support";
	}
}

static uint32_t wanted_flags(const struct ll_resolved *p)
{
	uint32_t f = 0;
	if (p->logging == LL_LOG_FORCED)
		f |= LL_RESTRICT_SELF_LOG_NEW_EXEC_ON;
	else if (p->logging == LL_LOG_OFF)
		f |= LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF;
	if (!p->log_subdomains)
		f |= LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF;
	return f;
}

char *ll_flags_str(uint32_t flags, char *buf, size_t len)
{
	static const struct {
		uint32_t bit;
		const char *name;
	} names[] = {
		{ LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF, "log_same_exec_off" },
		{ LL_RESTRICT_SELF_LOG_NEW_EXEC_ON, "log_new_exec_on" },
		{ LL_RESTRICT_SELF_LOG_SUBDOMAINS_OFF, "log_subdomains_off" },
		{ LL_RESTRICT_SELF_TSYNC, "tsync" },
	};
	size_t off = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!(flags & names[i].bit))
			continue;
		int n = snprintf(buf + off, len - off, "%s%s", off ? "," : "", names[i].name);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	if (!off)
		snprintf(buf, len, "none");
	return buf;
}

static bool landlock_partial(const struct ll_plan *plan)
{
	for (int k = 0; k < 3; k++)
		if (plan->want[k] & ~plan->have[k])
			return true;
	return (plan->want_flags & ~plan->have_flags) != 0;
}

bool ll_plan_partial(const struct ll_plan *plan)
{
	return landlock_partial(plan) || (plan->l2_want & ~plan->l2_have) != 0;
}

char *ll_plan_dropped_str(const struct ll_plan *plan, char *buf, size_t len)
{
	size_t off = 0;
	char part[512];
	buf[0] = '\0';
	for (int k = 0; k < 3; k++) {
		uint64_t d = plan->want[k] & ~plan->have[k];
		if (!d)
			continue;
		ll_rights_str((enum ll_kind)k, d, true, part, sizeof(part));
		off += (size_t)snprintf(buf + off, off < len ? len - off : 0, "%s%s", off ? "," : "", part);
	}
	uint32_t df = plan->want_flags & ~plan->have_flags;
	if (df && off < len) {
		ll_flags_str(df, part, sizeof(part));
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? "," : "", part);
	}
	unsigned dl2 = plan->l2_want & ~plan->l2_have;
	if (dl2 && off < len) {
		ll_l2_str(dl2, "second_layer.", part, sizeof(part));
		off += (size_t)snprintf(buf + off, len - off, "%s%s", off ? "," : "", part);
	}
	if (!off)
		snprintf(buf, len, "none");
	return buf;
}

/* Opens a rule's path as an O_PATH fd.  The part of a path that comes from a
 * variable may be chosen by the user, so it is resolved beneath the fixed part
 * before it: "${HOME}/x" beneath the home directory (symlinks allowed as long
 * as they stay in it), "/tmp/${USER}/x" beneath /tmp with no symlink at all.
 * A user's symlink can thus never point a rule somewhere else. */
static int open_rule_path(const struct ll_fs_rule *r, const char *expanded,
                          const struct ll_identity *id)
{
	const char *var = strstr(r->path, "${");
	struct ll_open_how how = { .flags = O_PATH | O_CLOEXEC };
	const char *rest;
	int base;

	if (!id || !var)
		return open(expanded, O_PATH | O_CLOEXEC);
	if (var == r->path && strncmp(r->path, "${HOME}", 7) == 0 &&
	    (r->path[7] == '\0' || r->path[7] == '/')) {
		base = open(id->home, O_PATH | O_DIRECTORY | O_CLOEXEC);
		rest = expanded + strlen(id->home);
		how.resolve = LL_RESOLVE_BENEATH | LL_RESOLVE_NO_MAGICLINKS;
	} else {
		size_t plen = (size_t)(var - r->path);
		while (plen > 0 && r->path[plen - 1] != '/')
			plen--;
		char prefix[4096];
		snprintf(prefix, sizeof(prefix), "%.*s", plen > 1 ? (int)plen - 1 : 1, r->path);
		base = open(prefix, O_PATH | O_DIRECTORY | O_CLOEXEC);
		rest = expanded + plen;
		how.resolve = LL_RESOLVE_BENEATH | LL_RESOLVE_NO_SYMLINKS | LL_RESOLVE_NO_MAGICLINKS;
	}
	if (base < 0)
		return -1;
	while (*rest == '/')
		rest++;
	if (!*rest)
		return base;
	int fd = (int)syscall(SYS_openat2, base, rest, &how, sizeof(how));
	int e = errno;
	close(base);
	errno = e;
	return fd;
}

static int add_plan_rule(struct ll_plan *plan, const struct ll_fs_rule *r, char *path, int fd,
                         const struct stat *st, struct ll_diag *diag)
{
	struct ll_plan_rule *nr = realloc(plan->rules, (plan->nrules + 1) * sizeof(*nr));
	if (!nr)
		return -ENOMEM;
	plan->rules = nr;
	bool is_dir = S_ISDIR(st->st_mode);
	uint64_t access = r->access & plan->have[LL_KIND_FS];
	if (!is_dir)
		access &= ~LL_FS_DIR_ONLY;
	/* What a path from a variable really is, for check_var_rules():
	 * "${HOME}" may be a symlink to "/".  Fixed paths are the admin's. */
	char proc[64], canon[4096];
	bool from_var = strchr(r->path, '$') != NULL;
	ssize_t n = -1;
	if (from_var) {
		snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
		n = readlink(proc, canon, sizeof(canon) - 1);
	}
	if (n > 0 && canon[0] == '/')
		canon[n] = '\0';
	else
		snprintf(canon, sizeof(canon), "%s", path);
	char *c = strdup(canon);
	if (!c)
		return -ENOMEM;
	if (plan->ruleset_fd >= 0 && access) {
		struct ll_path_beneath_attr pb = { .allowed_access = access, .parent_fd = fd };
		if (ll_sys_add_rule(plan->ruleset_fd, LL_RULE_PATH_BENEATH, &pb, 0) < 0) {
			ll_diag_set(diag, plan->file, r->line, "check the rule's rights",
			            "landlock_add_rule(%s) failed: %s", path, strerror(errno));
			free(c);
			return -EINVAL;
		}
	}
	nr[plan->nrules++] = (struct ll_plan_rule){ .path = path, .canon = c, .access = access,
		                                    .asked = r->access, .line = r->line,
		                                    .is_dir = is_dir,
		                                    .from_var = from_var,
		                                    .tmpl = r->path,
		                                    .dev = st->st_dev, .ino = st->st_ino };
	return 0;
}

/* Whether path A is B or holds it. */
static bool path_holds(const char *a, const char *b)
{
	size_t n = strlen(a);
	if (n == 1 && a[0] == '/')
		return true;
	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

/* A rule whose path comes from a variable (a home of "/", "/var", ...) must
 * not bring write or execute rights to the whole system, nor to a place
 * that holds a fixed path of the profile with fewer rights (/etc, /usr,
 * /var/lib: it would widen them, since Landlock adds up the rights of every
 * rule above a file). */
static int check_var_rules(const struct ll_plan *plan, const struct ll_identity *id,
                           struct ll_diag *diag)
{
	char rights[256];
	for (size_t i = 0; i < plan->nrules; i++) {
		const struct ll_plan_rule *r = &plan->rules[i];
		uint64_t wx = r->access & LL_FS_WRITE_EXEC;
		if (!r->from_var || !wx || !r->is_dir)
			continue;
		const char *user = id ? id->user : "?";
		if (strcmp(r->canon, "/") == 0) {
			ll_diag_set(diag, plan->file, r->line,
			            "give the account a real home directory, or match it to a profile "
			            "without this rule",
			            "'%s' is '/' for user %s: the rule " LL_VAR_RULE_REFUSED ", "
			            "granting %s on the whole filesystem",
			            r->tmpl, user, ll_rights_str(LL_KIND_FS, wx, false, rights, sizeof(rights)));
			return -1;
		}
		for (size_t j = 0; j < plan->nrules; j++) {
			const struct ll_plan_rule *q = &plan->rules[j];
			uint64_t more = wx & ~q->access;
			if (j == i || q->from_var || !more ||
			    !(path_holds(r->canon, q->path) || path_holds(r->path, q->path)))
				continue;
			ll_diag_set(diag, plan->file, r->line,
			            "give the account a home directory of its own, or match it to a "
			            "profile without this rule",
			            "'%s' is '%s' for user %s, which holds '%s' (line %d): the rule "
			            LL_VAR_RULE_REFUSED ", granting %s there too",
			            r->tmpl, r->canon, user, q->path, q->line,
			            ll_rights_str(LL_KIND_FS, more, false, rights, sizeof(rights)));
			return -1;
		}
	}
	return 0;
}

/* Which second-layer parts apply to this profile. */
static void plan_layer2(const struct ll_resolved *prof, struct ll_plan *plan)
{
	unsigned want = prof->block;
	if (!(prof->net_handled & (LL_NET_BIND_TCP | LL_NET_CONNECT_TCP)))
		want &= ~LL_L2_BIT(LL_L2_UNCHECKED_PROTOCOLS);
	plan->l2_exec_line = 0;
	for (size_t i = 0; i < plan->nrules && !plan->l2_exec_line; i++) {
		uint64_t a = plan->rules[i].access;
		if ((a & LL_FS_EXECUTE) && (a & (LL_FS_WRITE_FILE | LL_FS_MAKE_REG)))
			plan->l2_exec_line = plan->rules[i].line;
	}
	if (plan->l2_exec_line)
		want &= ~LL_L2_BIT(LL_L2_FD_EXEC);
	ll_l2_probe(&plan->l2_env, false);
	plan->l2_want = want;
	plan->l2_have = want & ~ll_l2_unsupported(&plan->l2_env, want);
}

static int create_ruleset(struct ll_plan *plan, struct ll_diag *diag)
{
	struct ll_ruleset_attr attr = {
		.handled_access_fs = plan->have[LL_KIND_FS],
		.handled_access_net = plan->have[LL_KIND_NET],
		.scoped = plan->have[LL_KIND_SCOPE],
	};
	/* The size the kernel of this ABI knows; later fields are zero anyway. */
	size_t size = plan->abi >= 6   ? sizeof(attr)
	              : plan->abi >= 4 ? offsetof(struct ll_ruleset_attr, scoped)
	                               : offsetof(struct ll_ruleset_attr, handled_access_net);
	int fd = (int)ll_sys_create_ruleset(&attr, size, 0);
	if (fd < 0) {
		ll_diag_set(diag, NULL, 0, "check the kernel log; report a bug if it persists",
		            "landlock_create_ruleset failed: %s", strerror(errno));
		return -1;
	}
	/* Out of the way of the low numbers the application allocates next:
	 * with the module, its descriptors keep the numbers they have without. */
	int high = fcntl(fd, F_DUPFD_CLOEXEC, 64);
	if (high >= 0) {
		close(fd);
		fd = high;
	}
	plan->ruleset_fd = fd;
	return 0;
}

static int add_ports(struct ll_plan *plan, struct ll_diag *diag)
{
	for (int i = 0; i < LL_NET_NRIGHTS; i++) {
		for (size_t j = 0; j < plan->ports[i].n; j++) {
			struct ll_net_port_attr np = { .allowed_access = 1ULL << i,
				                       .port = plan->ports[i].port[j] };
			if (ll_sys_add_rule(plan->ruleset_fd, LL_RULE_NET_PORT, &np, 0) < 0) {
				ll_diag_set(diag, NULL, 0, NULL, "landlock_add_rule(port %u) failed: %s",
				            (unsigned)np.port, strerror(errno));
				return -1;
			}
		}
	}
	return 0;
}

static int hard_refusal(const struct ll_plan *plan, struct ll_diag *diag)
{
	char buf[512];
	ll_diag_set(diag, plan->file, plan->prof->compat_line,
	            "use a newer kernel, or set compatibility = \"best_effort\" (or min_abi) in "
	            "the profile",
	            "profile '%s' is a hard requirement but Landlock ABI %d cannot enforce: %s",
	            plan->prof->name, plan->kernel_abi, ll_plan_dropped_str(plan, buf, sizeof(buf)));
	return -1;
}

/* The rules skipped because their path does not exist, for one warning (a
 * session's syslog lines go out without blocking: one line each would
 * crowd out the line that says it was confined).  As many as fit are named,
 * the rest counted. */
struct skipped {
	char list[400];
	size_t len;
	int more;
};

static void skipped_add(struct skipped *s, int line, const char *path)
{
	char item[300];
	int n = snprintf(item, sizeof(item), "%sline %d '%s'", s->len ? ", " : "", line, path);
	if (s->more || n < 0 || (size_t)n >= sizeof(item) || (size_t)n >= sizeof(s->list) - s->len) {
		s->more++;
		return;
	}
	memcpy(s->list + s->len, item, (size_t)n + 1);
	s->len += (size_t)n;
}

static void skipped_warn(const struct skipped *s, const char *file,
                         const struct ll_diag_sink *sink)
{
	char more[40] = "";
	if (!s->len && !s->more)
		return;
	if (s->more)
		snprintf(more, sizeof(more), "%s%d more", s->len ? ", and " : "", s->more);
	ll_warn(sink, file, 0, "rules skipped, their paths do not exist: %s%s", s->list, more);
}

int ll_plan_build(const struct ll_resolved *prof, const struct ll_identity *id, int abi,
                  const char *file, unsigned flags, struct ll_plan *plan, struct ll_diag *diag,
                  const struct ll_diag_sink *sink)
{

	memset(plan, 0, sizeof(*plan));
	plan->ruleset_fd = -1;
	plan->prof = prof;
	plan->file = file;
	plan->kernel_abi = abi;
	plan->abi = abi > LL_ABI_MAX ? LL_ABI_MAX : abi;
	plan->nnp = prof->nnp;
	plan->want[LL_KIND_FS] = LL_FS_ALL;
	plan->want[LL_KIND_NET] = prof->net_handled;
	plan->want[LL_KIND_SCOPE] = prof->scoped;
	plan->want_flags = wanted_flags(prof);
	if (flags & LL_PLAN_ALL_THREADS)
		plan->want_flags |= LL_RESTRICT_SELF_TSYNC;
	for (int k = 0; k < 3; k++)
		plan->have[k] = plan->want[k] & ll_abi_mask((enum ll_kind)k, plan->abi);
	plan->have_flags = plan->want_flags & ll_abi_restrict_flags(plan->abi);

	if (abi < 1) {
		ll_diag_set(diag, file, prof->line, ll_abi_error_hint(abi),
		            "Landlock is not available (%s); profile '%s' cannot be enforced",
		            strerror(-abi), prof->name);
		return -1;
	}
	if (prof->min_abi > plan->abi) {
		ll_diag_set(diag, file, prof->min_abi_line, "use a newer kernel or lower min_abi",
		            "profile '%s' needs Landlock ABI %d, this kernel has %d", prof->name,
		            prof->min_abi, abi);
		return -1;
	}
	if (prof->compat == LL_COMPAT_HARD && landlock_partial(plan))
		return hard_refusal(plan, diag);

	for (int i = 0; i < LL_NET_NRIGHTS; i++) {
		if (!(plan->have[LL_KIND_NET] & (1ULL << i)) || !prof->ports[i].n)
			continue;
		plan->ports[i].port = malloc(prof->ports[i].n * sizeof(uint16_t));
		if (!plan->ports[i].port)
			goto oom;
		memcpy(plan->ports[i].port, prof->ports[i].port, prof->ports[i].n * sizeof(uint16_t));
		plan->ports[i].n = prof->ports[i].n;
	}
	if ((flags & LL_PLAN_RULESET) && create_ruleset(plan, diag) < 0)
		goto fail;

	struct skipped skipped = {.len = 0};
	for (size_t i = 0; i < prof->nfs; i++) {
		const struct ll_fs_rule *r = prof->fs[i];
		char *path = ll_expand(r->path, id, file, r->line, diag);
		struct stat st;
		if (!path)
			goto fail;
		int fd = open_rule_path(r, path, id);
		if (fd < 0) {
			int e = errno;
			if ((e == ENOENT || e == ENOTDIR) && r->skip_missing) {
				skipped_add(&skipped, r->line, path);
				free(path);
				continue;
			}
			ll_diag_set(diag, file, r->line,
			            e == EXDEV ? "the path leaves the home directory through a symlink; "
			                         "fix the path or the link"
			            : e == ELOOP ? "the part of the path that comes from a variable "
			                           "must not contain a symlink"
			            : e == ENOENT ? "create it, or add missing = \"skip\"; to the rule"
			            : e == EMFILE || e == ENFILE ? "raise the process's file limit"
			                                         : "check the path",
			            "cannot open '%s': %s", path, strerror(e));
			free(path);
			goto fail;
		}
		int rc = fstat(fd, &st) < 0 ? -errno : add_plan_rule(plan, r, path, fd, &st, diag);
		close(fd);
		if (rc < 0) {
			free(path);
			if (rc == -ENOMEM)
				goto oom;
			if (rc != -EINVAL)
				ll_diag_set(diag, file, r->line, NULL, "cannot stat '%s': %s", r->path,
				            strerror(-rc));
			goto fail;
		}
	}
	skipped_warn(&skipped, file, sink);
	if (plan->ruleset_fd >= 0 && add_ports(plan, diag) < 0)
		goto fail;
	if (check_var_rules(plan, id, diag) < 0)
		goto fail;
	plan_layer2(prof, plan);
	if (prof->compat == LL_COMPAT_HARD && ll_plan_partial(plan)) {
		hard_refusal(plan, diag);
		goto fail;
	}
	return 0;
oom:
	ll_diag_set(diag, file, 0, NULL, "out of memory");
fail:
	ll_plan_free(plan);
	return -1;
}

void ll_plan_free(struct ll_plan *plan)
{
	for (size_t i = 0; i < plan->nrules; i++) {
		free(plan->rules[i].path);
		free(plan->rules[i].canon);
	}
	free(plan->rules);
	for (int i = 0; i < LL_NET_NRIGHTS; i++)
		free(plan->ports[i].port);
	if (plan->ruleset_fd >= 0)
		close(plan->ruleset_fd);
	memset(plan, 0, sizeof(*plan));
	plan->ruleset_fd = -1;
}

int ll_enforce_prepare(struct ll_plan *plan, struct ll_enforce *e,
                       const struct ll_l2_filter *compiled, struct ll_diag *diag)
{
	memset(e, 0, sizeof(*e));
	e->ruleset_fd = -1;
	const struct ll_l2_filter *c = compiled ? &compiled[plan->l2_have] : NULL;
	if (c && c->len && plan->l2_have) {
		size_t bytes = (size_t)c->len * sizeof(struct sock_filter);
		if (!(e->l2.insns = malloc(bytes))) {
			ll_diag_set(diag, NULL, 0, NULL, "out of memory");
			return -1;
		}
		memcpy(e->l2.insns, c->insns, bytes);
		e->l2.len = c->len;
	} else if (ll_l2_build(plan->l2_have, &e->l2, diag) < 0) {
		return -1;
	}
	e->nnp = plan->nnp;
	e->flags = plan->have_flags;
	e->ruleset_fd = plan->ruleset_fd;
	plan->ruleset_fd = -1;
	return 0;
}

void ll_enforce_free(struct ll_enforce *e)
{
	if (e->ruleset_fd >= 0)
		close(e->ruleset_fd);
	e->ruleset_fd = -1;
	ll_l2_free(&e->l2);
}

const char *ll_enforce_step_name(enum ll_enforce_step s)
{
	switch (s) {
	case LL_STEP_NNP:
		return "prctl(PR_SET_NO_NEW_PRIVS)";
	case LL_STEP_LANDLOCK:
		return "landlock_restrict_self";
	case LL_STEP_LAYER2:
		return "seccomp (second layer)";
	}
	return "?";
}

int ll_enforce_apply(const struct ll_enforce *e, bool all_threads, enum ll_enforce_step *step)
{
	enum ll_enforce_step dummy;
	if (!step)
		step = &dummy;
	*step = LL_STEP_NNP;
	if (e->nnp && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		return -errno;
	*step = LL_STEP_LANDLOCK;
	if (ll_sys_restrict_self(e->ruleset_fd, e->flags) < 0)
		return -errno;
	*step = LL_STEP_LAYER2;
	return ll_l2_apply(&e->l2, all_threads);
}
