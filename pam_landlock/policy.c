/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * policy.c - reading landlock.conf: safe open, libconfig parse, strict
 * validation (every unknown key, wrong type or unknown right is an error at
 * its line), and the policy's data structures.
 *
 * Resolution (extends), identity and matching live in resolve.c; variable
 * expansion in expand.c.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <libconfig.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "policy.h"
#include "layer2.h"
#include "rights.h"
#include "policycache.h"
#include "sha256.h"

#define RIGHTS_HINT                                                                    \
	"use read_only, read_exec, read_write, read_write_exec or rights among execute, "  \
	"write_file, read_file, read_dir, remove_dir, remove_file, make_char, make_dir, "  \
	"make_reg, make_sock, make_fifo, make_block, make_sym, refer, truncate, ioctl_dev, " \
	"resolve_unix"

struct parser {
	const char *file;
	struct ll_diag *diag;
	const struct ll_diag_sink *sink;
	struct ll_policy *pol;
};

static int line_of(const config_setting_t *s)
{
	return s ? (int)config_setting_source_line(s) : 0;
}

static int fail(struct parser *p, const config_setting_t *s, const char *hint, const char *fmt,
                ...) __attribute__((format(printf, 4, 5)));
static int fail(struct parser *p, const config_setting_t *s, const char *hint, const char *fmt,
                ...)
{
	char msg[400];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ll_diag_set(p->diag, p->file, line_of(s), hint, "%s", msg);
	return -1;
}

static const char *type_name(int t)
{
	switch (t) {
	case CONFIG_TYPE_GROUP:
		return "a group { }";
	case CONFIG_TYPE_INT:
	case CONFIG_TYPE_INT64:
		return "a number";
	case CONFIG_TYPE_FLOAT:
		return "a decimal number";
	case CONFIG_TYPE_STRING:
		return "a string";
	case CONFIG_TYPE_BOOL:
		return "a boolean";
	case CONFIG_TYPE_ARRAY:
		return "an array [ ]";
	case CONFIG_TYPE_LIST:
		return "a list ( )";
	}
	return "a value";
}

static int want_type(struct parser *p, const config_setting_t *s, int type, const char *what)
{
	int t = config_setting_type(s);
	if (t == type || (type == CONFIG_TYPE_INT && t == CONFIG_TYPE_INT64))
		return 0;
	char hint[128];
	snprintf(hint, sizeof(hint), "write it as %s", type_name(type));
	char msg[300];
	snprintf(msg, sizeof(msg), "'%s' must be %s, not %s", what, type_name(type), type_name(t));
	ll_diag_set(p->diag, p->file, line_of(s), hint, "%s", msg);
	return -1;
}

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* A string, or an array/list of strings, into a new vector. */
static int str_list(struct parser *p, const config_setting_t *s, const char *what, char ***out,
                    size_t *n)
{
	int t = config_setting_type(s);
	if (t == CONFIG_TYPE_STRING) {
		if (!config_setting_get_string(s)[0])
			return fail(p, s, "remove the empty name", "'%s' holds an empty name", what);
		*out = calloc(1, sizeof(char *));
		if (!*out || !(**out = xstrdup(config_setting_get_string(s))))
			return fail(p, s, NULL, "out of memory");
		*n = 1;
		return 0;
	}
	if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
		return fail(p, s, "write a string or a list of strings: [\"a\", \"b\"]",
		            "'%s' must be a string or a list of strings", what);
	int len = config_setting_length(s);
	if (len == 0)
		return fail(p, s, "remove the key or give at least one name", "'%s' is empty", what);
	*out = calloc((size_t)len, sizeof(char *));
	if (!*out)
		return fail(p, s, NULL, "out of memory");
	for (int i = 0; i < len; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		if (config_setting_type(e) != CONFIG_TYPE_STRING)
			return fail(p, e, "write each name in double quotes",
			            "'%s' must hold only strings", what);
		const char *v = config_setting_get_string(e);
		if (!v[0])
			return fail(p, e, "remove the empty name", "'%s' holds an empty name", what);
		(*out)[i] = xstrdup(v);
		if (!(*out)[i])
			return fail(p, e, NULL, "out of memory");
		*n = (size_t)i + 1;
	}
	return 0;
}

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static int unknown_key(struct parser *p, const config_setting_t *s, const char *where,
                       const char *valid)
{
	char hint[256];
	snprintf(hint, sizeof(hint), "valid keys here: %s", valid);
	return fail(p, s, hint, "unknown key '%s' in %s", config_setting_name(s), where);
}

/* access = "read_exec" | [ "read_file", "write_file", ... ] */
static int parse_access(struct parser *p, const config_setting_t *s, uint64_t *out)
{
	char **v = NULL;
	size_t n = 0;
	if (str_list(p, s, "access", &v, &n) < 0) {
		free_strv(v, n);
		return -1;
	}
	*out = 0;
	for (size_t i = 0; i < n; i++) {
		uint64_t sh = ll_fs_shorthand(v[i]);
		const struct ll_right *r = ll_right_by_name(v[i]);
		const config_setting_t *e =
		    config_setting_type(s) == CONFIG_TYPE_STRING ? s : config_setting_get_elem(s, (unsigned)i);
		if (sh) {
			*out |= sh;
		} else if (r && r->kind == LL_KIND_FS) {
			*out |= r->bit;
		} else if (r) {
			fail(p, e,
			     r->kind == LL_KIND_NET ? "put network rights under network = { ... }"
			                            : "put scopes under scope = [ ... ]",
			     "'%s' is not a filesystem right", v[i]);
			free_strv(v, n);
			return -1;
		} else {
			fail(p, e, RIGHTS_HINT, "unknown right '%s'", v[i]);
			free_strv(v, n);
			return -1;
		}
	}
	free_strv(v, n);
	return 0;
}

static int parse_fs_rule(struct parser *p, const config_setting_t *s, struct ll_fs_rule *r)
{
	if (want_type(p, s, CONFIG_TYPE_GROUP, "filesystem entry") < 0)
		return -1;
	r->line = line_of(s);
	bool have_access = false;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
		const char *k = config_setting_name(m);
		if (strcmp(k, "path") == 0) {
			if (want_type(p, m, CONFIG_TYPE_STRING, "path") < 0)
				return -1;
			r->path = xstrdup(config_setting_get_string(m));
			r->line = line_of(m);
			char *chk = ll_expand(r->path, NULL, p->file, line_of(m), p->diag);
			if (!chk)
				return -1;
			free(chk);
		} else if (strcmp(k, "access") == 0) {
			if (parse_access(p, m, &r->access) < 0)
				return -1;
			have_access = true;
		} else if (strcmp(k, "missing") == 0) {
			if (want_type(p, m, CONFIG_TYPE_STRING, "missing") < 0)
				return -1;
			const char *v = config_setting_get_string(m);
			if (strcmp(v, "skip") == 0)
				r->skip_missing = true;
			else if (strcmp(v, "refuse") == 0)
				r->skip_missing = false;
			else
				return fail(p, m, "use \"skip\" or \"refuse\"",
				            "'missing' is \"%s\"%s", v, "");
		} else {
			return unknown_key(p, m, "a filesystem entry", "path, access, missing");
		}
	}
	if (!r->path)
		return fail(p, s, "add path = \"/some/dir\";", "filesystem entry has no 'path'");
	if (!have_access)
		return fail(p, s, "add access = \"read_only\"; (or a list of rights)",
		            "filesystem entry for '%s' has no 'access'", r->path);
	return 0;
}

static int parse_ports(struct parser *p, const config_setting_t *s, struct ll_ports *out)
{
	int t = config_setting_type(s);
	if (t != CONFIG_TYPE_ARRAY && t != CONFIG_TYPE_LIST)
		return fail(p, s, "write a list of port numbers: [22, 443] (or [] for none)",
		            "'%s' must be a list of port numbers", config_setting_name(s));
	int len = config_setting_length(s);
	out->port = calloc((size_t)len + 1, sizeof(uint16_t));
	if (!out->port)
		return fail(p, s, NULL, "out of memory");
	for (int i = 0; i < len; i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		int et = config_setting_type(e);
		if (et != CONFIG_TYPE_INT && et != CONFIG_TYPE_INT64)
			return fail(p, e, "ports are numbers from 0 to 65535, without quotes",
			            "'%s' holds something that is not a port number",
			            config_setting_name(s));
		long long v = config_setting_get_int64(e);
		if (v < 0 || v > 65535) {
			char num[32];
			snprintf(num, sizeof(num), "%lld", v);
			return fail(p, e, "ports are numbers from 0 to 65535",
			            "port %s in '%s' is out of range", num, config_setting_name(s));
		}
		out->port[out->n++] = (uint16_t)v;
	}
	return 0;
}

static int parse_network(struct parser *p, const config_setting_t *s, struct ll_profile *pr)
{
	if (want_type(p, s, CONFIG_TYPE_GROUP, "network") < 0)
		return -1;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
		const struct ll_right *r = ll_right_by_name(config_setting_name(m));
		if (!r || r->kind != LL_KIND_NET)
			return unknown_key(p, m, "network", "bind_tcp, connect_tcp, bind_udp, connect_send_udp");
		int idx = __builtin_ctzll(r->bit);
		if (parse_ports(p, m, &pr->ports[idx]) < 0)
			return -1;
		pr->net_handled |= r->bit;
	}
	return 0;
}

static int parse_scope(struct parser *p, const config_setting_t *s, struct ll_profile *pr)
{
	char **v = NULL;
	size_t n = 0;
	int rc = 0;
	if (str_list(p, s, "scope", &v, &n) < 0) {
		free_strv(v, n);
		return -1;
	}
	for (size_t i = 0; i < n && rc == 0; i++) {
		const struct ll_right *r = ll_right_by_name(v[i]);
		const config_setting_t *e =
		    config_setting_type(s) == CONFIG_TYPE_STRING ? s : config_setting_get_elem(s, (unsigned)i);
		if (!r || r->kind != LL_KIND_SCOPE)
			rc = fail(p, e, "scopes are abstract_unix_socket and signal",
			          "unknown scope '%s'", v[i]);
		else
			pr->scoped |= r->bit;
	}
	free_strv(v, n);
	return rc;
}

static int parse_enum(struct parser *p, const config_setting_t *m, const char *const *names,
                      int *out, const char *hint)
{
	if (want_type(p, m, CONFIG_TYPE_STRING, config_setting_name(m)) < 0)
		return -1;
	const char *v = config_setting_get_string(m);
	for (int i = 0; names[i]; i++)
		if (strcmp(v, names[i]) == 0) {
			*out = i;
			return 0;
		}
	return fail(p, m, hint, "'%s' has unknown value \"%s\"", config_setting_name(m), v);
}

static int parse_bool(struct parser *p, const config_setting_t *m, int *out)
{
	if (want_type(p, m, CONFIG_TYPE_BOOL, config_setting_name(m)) < 0)
		return -1;
	*out = config_setting_get_bool(m) ? 1 : 0;
	return 0;
}

/* "terminal_injection" -> LL_L2_TERMINAL_INJECTION, or -1. */
static int block_index(const char *part)
{
	for (int i = 0; i < LL_L2_NPARTS; i++)
		if (strcmp(part, ll_l2_name((enum ll_l2_part)i)) == 0)
			return i;
	return -1;
}

static int parse_profile(struct parser *p, const config_setting_t *s, struct ll_profile *pr)
{
	static const char *const compat[] = { "best_effort", "hard_requirement", NULL };
	static const char *const logging[] = { "forced", "kernel_default", "off", NULL };

	pr->name = xstrdup(config_setting_name(s));
	pr->line = line_of(s);
	pr->compat = pr->min_abi = pr->nnp = pr->logging = pr->log_subdomains = -1;
	for (int b = 0; b < 4; b++)
		pr->block[b] = -1;
	if (!pr->name)
		return fail(p, s, NULL, "out of memory");
	if (strcmp(pr->name, LL_UNCONFINED) == 0)
		return fail(p, s, "choose another name",
		            "profile name '%s' is reserved for exemptions", pr->name);
	if (want_type(p, s, CONFIG_TYPE_GROUP, pr->name) < 0)
		return -1;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *m = config_setting_get_elem(s, (unsigned)i);
		const char *k = config_setting_name(m);
		int rc;
		if (strcmp(k, "extends") == 0) {
			rc = str_list(p, m, "extends", &pr->extends, &pr->nextends);
			pr->extends_line = line_of(m);
		} else if (strcmp(k, "filesystem") == 0) {
			int t = config_setting_type(m);
			if (t != CONFIG_TYPE_LIST)
				return fail(p, m,
				            "write filesystem = ( { path = \"/usr\"; access = \"read_exec\"; } );",
				            "'filesystem' must be a list ( ) of { path, access } entries");
			int len = config_setting_length(m);
			pr->fs = calloc((size_t)len + 1, sizeof(*pr->fs));
			if (!pr->fs)
				return fail(p, m, NULL, "out of memory");
			rc = 0;
			for (int j = 0; j < len && rc == 0; j++) {
				rc = parse_fs_rule(p, config_setting_get_elem(m, (unsigned)j), &pr->fs[j]);
				pr->nfs = (size_t)j + 1;
			}
		} else if (strcmp(k, "network") == 0) {
			rc = parse_network(p, m, pr);
		} else if (strcmp(k, "scope") == 0) {
			rc = parse_scope(p, m, pr);
		} else if (strcmp(k, "compatibility") == 0) {
			rc = parse_enum(p, m, compat, &pr->compat,
			                "use \"best_effort\" or \"hard_requirement\"");
			pr->setting_line[0] = line_of(m);
		} else if (strcmp(k, "min_abi") == 0) {
			rc = want_type(p, m, CONFIG_TYPE_INT, "min_abi");
			if (rc == 0) {
				long long v = config_setting_get_int64(m);
				if (v < 1 || v > LL_ABI_MAX)
					return fail(p, m, "min_abi is a Landlock ABI version from 1 to 10",
					            "min_abi is out of range");
				pr->min_abi = (int)v;
				pr->setting_line[1] = line_of(m);
			}
		} else if (strcmp(k, "no_new_privs") == 0) {
			rc = parse_bool(p, m, &pr->nnp);
			pr->setting_line[2] = line_of(m);
		} else if (strcmp(k, "logging") == 0) {
			rc = parse_enum(p, m, logging, &pr->logging,
			                "use \"forced\", \"kernel_default\" or \"off\"");
			pr->setting_line[3] = line_of(m);
		} else if (strcmp(k, "log_subdomains") == 0) {
			rc = parse_bool(p, m, &pr->log_subdomains);
			pr->setting_line[4] = line_of(m);
		} else if (strncmp(k, "block_", 6) == 0 && block_index(k + 6) >= 0) {
			int b = block_index(k + 6);
			rc = parse_bool(p, m, &pr->block[b]);
			pr->setting_line[LL_SET_BLOCK_FIRST + b] = line_of(m);
		} else {
			rc = unknown_key(p, m, "a profile",
			                 "extends, filesystem, network, scope, compatibility, min_abi, "
			                 "no_new_privs, logging, log_subdomains, block_terminal_injection, "
			                 "block_unchecked_protocols, block_io_uring, block_fd_exec");
		}
		if (rc < 0)
			return -1;
	}
	return 0;
}

/* from = "10.0.0.0/8" | [ "192.0.2.0/24", "2001:db8::/32" ] */
static int parse_from(struct parser *p, const config_setting_t *e, struct ll_match *m)
{
	char **v = NULL;
	size_t n = 0;
	int rc = str_list(p, e, "from", &v, &n);
	if (rc == 0 && !(m->from = calloc(n, sizeof(*m->from))))
		rc = fail(p, e, NULL, "out of memory");
	for (size_t i = 0; i < n && rc == 0; i++) {
		char why[200];
		const config_setting_t *el =
		    config_setting_type(e) == CONFIG_TYPE_STRING ? e : config_setting_get_elem(e, (unsigned)i);
		if (ll_cidr_parse(v[i], &m->from[i], why, sizeof(why)) < 0)
			rc = fail(p, el,
			          "write IPv4 or IPv6 addresses or address blocks: \"192.0.2.0/24\", "
			          "\"2001:db8::/32\"; host names are not accepted (PAM_RHOST would be "
			          "whatever name reverse DNS gives the client)",
			          "bad address '%s' in 'from': %s", v[i], why);
		else
			m->nfrom = i + 1;
	}
	free_strv(v, n);
	return rc;
}

static int parse_match(struct parser *p, const config_setting_t *s, struct ll_match *m)
{
	if (want_type(p, s, CONFIG_TYPE_GROUP, "match entry") < 0)
		return -1;
	m->line = line_of(s);
	int who = 0;
	for (int i = 0; i < config_setting_length(s); i++) {
		const config_setting_t *e = config_setting_get_elem(s, (unsigned)i);
		const char *k = config_setting_name(e);
		int rc;
		if (strcmp(k, "user") == 0) {
			rc = str_list(p, e, "user", &m->users, &m->nusers);
			who++;
		} else if (strcmp(k, "group") == 0) {
			rc = str_list(p, e, "group", &m->groups, &m->ngroups);
			who++;
		} else if (strcmp(k, "service") == 0) {
			rc = str_list(p, e, "service", &m->services, &m->nservices);
		} else if (strcmp(k, "from") == 0) {
			rc = parse_from(p, e, m);
		} else if (strcmp(k, "default") == 0) {
			rc = want_type(p, e, CONFIG_TYPE_BOOL, "default");
			if (rc == 0 && !config_setting_get_bool(e))
				return fail(p, e, "write default = true; or remove the key",
				            "'default' can only be true");
			m->is_default = true;
			who++;
		} else if (strcmp(k, "profile") == 0) {
			rc = want_type(p, e, CONFIG_TYPE_STRING, "profile");
			if (rc == 0)
				m->profile = xstrdup(config_setting_get_string(e));
		} else {
			rc = unknown_key(p, e, "a match entry",
			                 "user, group, service, from, default, profile");
		}
		if (rc < 0)
			return -1;
	}
	if (who != 1)
		return fail(p, s, "give exactly one of user = ..., group = ... or default = true",
		            who ? "match entry names more than one of user, group, default"
		                : "match entry names none of user, group, default");
	if (!m->profile)
		return fail(p, s, "add profile = \"name\"; (or \"unconfined\" to exempt)",
		            "match entry has no 'profile'");
	if (strcmp(m->profile, LL_UNCONFINED) != 0 && !ll_policy_profile(p->pol, m->profile))
		return fail(p, config_setting_get_member(s, "profile"),
		            "define it under profiles or fix the name",
		            "match entry names unknown profile '%s'", m->profile);
	return 0;
}

/* Every "extends" names a known profile, and no chain loops. */
static int check_extends(struct parser *p, size_t idx, unsigned char *state)
{
	struct ll_profile *pr = &p->pol->profiles[idx];
	if (state[idx] == 2)
		return 0;
	if (state[idx] == 1) {
		ll_diag_set(p->diag, p->file, pr->extends_line, "remove one of the extends in the loop",
		            "profile '%s' extends itself through a loop", pr->name);
		return -1;
	}
	state[idx] = 1;
	for (size_t i = 0; i < pr->nextends; i++) {
		const struct ll_profile *parent = ll_policy_profile(p->pol, pr->extends[i]);
		if (!parent) {
			ll_diag_set(p->diag, p->file, pr->extends_line, "define it or fix the name",
			            "profile '%s' extends unknown profile '%s'", pr->name,
			            pr->extends[i]);
			return -1;
		}
		if (check_extends(p, (size_t)(parent - p->pol->profiles), state) < 0)
			return -1;
	}
	state[idx] = 2;
	return 0;
}

static int parse_root(struct parser *p, config_t *cfg)
{
	config_setting_t *root = config_root_setting(cfg);
	const config_setting_t *profiles = NULL, *match = NULL, *version = NULL;

	for (int i = 0; i < config_setting_length(root); i++) {
		const config_setting_t *m = config_setting_get_elem(root, (unsigned)i);
		const char *k = config_setting_name(m);
		if (strcmp(k, "version") == 0)
			version = m;
		else if (strcmp(k, "profiles") == 0)
			profiles = m;
		else if (strcmp(k, "match") == 0)
			match = m;
		else
			return unknown_key(p, m, "the top level", "version, profiles, match");
	}
	if (!version)
		return fail(p, NULL, "add version = 1; at the top", "no 'version'");
	if (want_type(p, version, CONFIG_TYPE_INT, "version") < 0)
		return -1;
	if (config_setting_get_int64(version) != LL_POLICY_VERSION)
		return fail(p, version, "this pam_landlock reads version = 1",
		            "unsupported policy version");
	if (!profiles)
		return fail(p, NULL, "add profiles = { name = { ... }; };", "no 'profiles'");
	if (want_type(p, profiles, CONFIG_TYPE_GROUP, "profiles") < 0)
		return -1;
	if (!match)
		return fail(p, NULL, "add match = ( { default = true; profile = \"...\"; } );",
		            "no 'match'");
	if (want_type(p, match, CONFIG_TYPE_LIST, "match") < 0)
		return -1;

	int np = config_setting_length(profiles);
	p->pol->profiles = calloc((size_t)np + 1, sizeof(struct ll_profile));
	if (!p->pol->profiles)
		return fail(p, NULL, NULL, "out of memory");
	for (int i = 0; i < np; i++) {
		p->pol->nprofiles = (size_t)i + 1;
		if (parse_profile(p, config_setting_get_elem(profiles, (unsigned)i),
		                  &p->pol->profiles[i]) < 0)
			return -1;
	}
	unsigned char *state = calloc((size_t)np + 1, 1);
	if (!state)
		return fail(p, NULL, NULL, "out of memory");
	for (size_t i = 0; i < p->pol->nprofiles; i++)
		if (check_extends(p, i, state) < 0) {
			free(state);
			return -1;
		}
	free(state);

	int nm = config_setting_length(match);
	p->pol->matches = calloc((size_t)nm + 1, sizeof(struct ll_match));
	if (!p->pol->matches)
		return fail(p, NULL, NULL, "out of memory");
	for (int i = 0; i < nm; i++) {
		p->pol->nmatches = (size_t)i + 1;
		if (parse_match(p, config_setting_get_elem(match, (unsigned)i), &p->pol->matches[i]) < 0)
			return -1;
	}
	return 0;
}

int ll_policy_parse(const char *path, const char *text, struct ll_policy **out,
                    struct ll_diag *diag, const struct ll_diag_sink *sink)
{
	struct parser p = { .file = path, .diag = diag, .sink = sink };
	config_t cfg;
	int rc = -1;

	*out = NULL;
	p.pol = calloc(1, sizeof(*p.pol));
	if (!p.pol || !(p.pol->file = strdup(path))) {
		ll_diag_set(diag, path, 0, NULL, "out of memory");
		ll_policy_free(p.pol);
		return -1;
	}
	ll_sha256_hex(text, strlen(text), p.pol->digest);
	config_init(&cfg);
	if (config_read_string(&cfg, text) != CONFIG_TRUE) {
		const char *why = config_error_text(&cfg);
		bool plain = !why || strcmp(why, "syntax error") == 0;
		ll_diag_set(diag, path, config_error_line(&cfg),
		            "fix the syntax (see landlock.conf(5)); every setting ends with ';' and "
		            "strings are in double quotes",
		            "syntax error%s%s", plain ? "" : ": ", plain ? "" : why);
	} else {
		rc = parse_root(&p, &cfg);
	}
	config_destroy(&cfg);
	if (rc < 0) {
		ll_policy_free(p.pol);
		return -1;
	}
	*out = p.pol;
	return 0;
}

int ll_policy_load_for(const char *path, unsigned flags, const char *user,
                       struct ll_policy **out, char digest[65], struct ll_diag *diag,
                       const struct ll_diag_sink *sink)
{
	struct stat st;
	char cache[256];
	bool cached = (flags & LL_LOAD_CACHE) && (flags & LL_LOAD_TRUSTED);

	*out = NULL;
	if (digest)
		digest[0] = '\0';
	int fd = ll_policy_open(path, flags, &st, diag);
	if (fd < 0)
		return -1;
	if (cached) {
		ll_cache_path(path, cache, sizeof(cache));
		if (ll_cache_load(cache, &st, user, out) == 0) {
			close(fd);
			if (!((*out)->file = strdup(path))) {
				ll_policy_free(*out);
				*out = NULL;
				ll_diag_set(diag, path, 0, NULL, "out of memory");
				return -1;
			}
			if (digest)
				snprintf(digest, 65, "%s", (*out)->digest);
			return 0;
		}
	}
	char *text = ll_policy_read_fd(fd, &st, path, diag);
	close(fd);
	if (!text)
		return -1;
	if (digest)
		ll_sha256_hex(text, strlen(text), digest);
	int rc = ll_policy_parse(path, text, out, diag, sink);
	free(text);
	/* Best effort: the next session reads the compiled form. */
	if (rc == 0 && cached)
		ll_cache_write(*out, &st, cache);
	return rc;
}

int ll_policy_load(const char *path, unsigned flags, struct ll_policy **out,
                   char digest[65], struct ll_diag *diag, const struct ll_diag_sink *sink)
{
	return ll_policy_load_for(path, flags & ~LL_LOAD_CACHE, NULL, out, digest, diag, sink);
}

const struct ll_profile *ll_policy_profile(const struct ll_policy *pol, const char *name)
{
	for (size_t i = 0; i < pol->nprofiles; i++)
		if (pol->profiles[i].name && strcmp(pol->profiles[i].name, name) == 0)
			return &pol->profiles[i];
	return NULL;
}

void ll_policy_free(struct ll_policy *pol)
{
	if (!pol)
		return;
	for (size_t i = 0; i < pol->nprofiles; i++) {
		struct ll_profile *pr = &pol->profiles[i];
		free(pr->name);
		free_strv(pr->extends, pr->nextends);
		for (size_t j = 0; j < pr->nfs; j++)
			free(pr->fs[j].path);
		free(pr->fs);
		for (int j = 0; j < LL_NET_NRIGHTS; j++)
			free(pr->ports[j].port);
	}
	free(pol->profiles);
	for (size_t i = 0; i < pol->nmatches; i++) {
		struct ll_match *m = &pol->matches[i];
		free_strv(m->users, m->nusers);
		free_strv(m->groups, m->ngroups);
		free_strv(m->services, m->nservices);
		free(m->from);
		free(m->profile);
	}
	free(pol->matches);
	free(pol->file);
	for (unsigned m = 0; m < LL_L2_NMASKS; m++)
		ll_l2_free(&pol->l2[m]);
	free(pol);
}
