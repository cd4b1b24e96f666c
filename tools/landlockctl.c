/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * landlockctl.c - the operator's tool for pam_landlock policies: command line
 * and dispatch.  The commands live in tools/ctl/: check.c (validate a
 * policy), explain.c (what a user's session gets, and why), run.c (try a
 * command in a user's sandbox), stacks.c (which PAM services have the
 * module, and what it does for each).  See landlockctl(8).
 */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ctl/ctl.h"

enum cmd { CMD_NONE, CMD_CHECK, CMD_EXPLAIN, CMD_RUN, CMD_STACKS };

static void usage(FILE *f)
{
	fprintf(f,
	        "usage: landlockctl [-c FILE] check [--strict] [-q] [--abi N]\n"
	        "       landlockctl [-c FILE] explain [--abi N] [--service NAME] [--from ADDR] USER "
	        "[SERVICE]\n"
	        "       landlockctl [-c FILE] run [--as-caller] [--service NAME] [--from ADDR] USER -- "
	        "COMMAND [ARG...]\n"
	        "       landlockctl stacks [--pam-dir DIR]\n"
	        "       landlockctl --help | --version\n"
	        "\n"
	        "  -c, --conf FILE    the policy (default %s)\n"
	        "  --service NAME     the PAM service of the session (explain, run)\n"
	        "  --from ADDR        where the session comes from, as PAM_RHOST (explain, run)\n"
	        "  --abi N            plan for Landlock ABI N instead of this kernel's (check, "
	        "explain)\n"
	        "  --strict           check: warnings make the policy invalid\n"
	        "  -q, --quiet        check: print nothing but diagnostics\n"
	        "  --as-caller        run: keep your own credentials (a dry try)\n"
	        "  --pam-dir DIR      stacks: the PAM configuration (default /etc/pam.d)\n"
	        "\n"
	        "See landlockctl(8).\n",
	        LL_DEFAULT_CONF);
}

/* Usage errors exit 2, or 125 for run (as env(1)). */
static int bad(enum cmd c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int bad(enum cmd c, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "landlockctl: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nTry 'landlockctl --help'.\n");
	return c == CMD_RUN ? CTL_RUN_FAIL : CTL_USAGE;
}

static int parse_abi(const char *s)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v < 1 || v > LL_ABI_MAX)
		return -1;
	return (int)v;
}

/* The option's value: "--opt=VALUE" or the next argument. */
static const char *value(int argc, char **argv, int *i, const char *name)
{
	const char *a = argv[*i];
	size_t n = strlen(name);
	if (strncmp(a, name, n) == 0 && a[n] == '=')
		return a + n + 1;
	if (*i + 1 >= argc)
		return NULL;
	return argv[++*i];
}

static bool is_opt(const char *a, const char *name)
{
	size_t n = strlen(name);
	return strncmp(a, name, n) == 0 && (a[n] == '\0' || (a[1] == '-' && a[n] == '='));
}

int main(int argc, char **argv)
{
	struct ctl_opts o = { .conf = LL_DEFAULT_CONF };
	enum cmd cmd = CMD_NONE;
	const char *pos[3];
	int npos = 0;
	bool strict_seen = false, quiet_seen = false, service_opt = false;

	for (int i = 1; i < argc; i++) {
		const char *a = argv[i], *v;
		if (strcmp(a, "--") == 0) {
			if (cmd == CMD_RUN && npos == 1) {
				o.cmd = argv + i + 1;
				break;
			}
			return bad(cmd, "unexpected '%s'", a);
		}
		if (a[0] == '-' && a[1]) {
			if (is_opt(a, "-c") || is_opt(a, "--conf")) {
				if (!(v = value(argc, argv, &i, a[1] == '-' ? "--conf" : "-c")))
					return bad(cmd, "%s needs a file", a);
				o.conf = v;
			} else if (is_opt(a, "--service")) {
				if (!(v = value(argc, argv, &i, "--service")) || !v[0])
					return bad(cmd, "%s needs a name", a);
				o.service = v;
				service_opt = true;
			} else if (is_opt(a, "--from")) {
				if (!(v = value(argc, argv, &i, "--from")) || !v[0])
					return bad(cmd, "%s needs an address", a);
				o.from = v;
			} else if (is_opt(a, "--abi")) {
				if (!(v = value(argc, argv, &i, "--abi")) || (o.abi = parse_abi(v)) < 0)
					return bad(cmd, "--abi needs a Landlock ABI number from 1 to %d",
					           LL_ABI_MAX);
			} else if (strcmp(a, "--strict") == 0) {
				o.strict = strict_seen = true;
			} else if (strcmp(a, "-q") == 0 || strcmp(a, "--quiet") == 0) {
				o.quiet = quiet_seen = true;
			} else if (is_opt(a, "--pam-dir")) {
				if (!(v = value(argc, argv, &i, "--pam-dir")) || !v[0])
					return bad(cmd, "%s needs a directory", a);
				o.pam_dir = v;
			} else if (strcmp(a, "--as-caller") == 0) {
				o.as_caller = true;
			} else if (strcmp(a, "-h") == 0 || strcmp(a, "--help") == 0) {
				usage(stdout);
				return 0;
			} else if (strcmp(a, "--version") == 0) {
				printf("landlockctl (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
				return 0;
			} else {
				return bad(cmd, "unknown option '%s'", a);
			}
			continue;
		}
		if (cmd == CMD_NONE) {
			if (strcmp(a, "check") == 0)
				cmd = CMD_CHECK;
			else if (strcmp(a, "explain") == 0)
				cmd = CMD_EXPLAIN;
			else if (strcmp(a, "run") == 0)
				cmd = CMD_RUN;
			else if (strcmp(a, "stacks") == 0)
				cmd = CMD_STACKS;
			else
				return bad(cmd, "unknown command '%s' (check, explain, run or stacks)", a);
			continue;
		}
		if (cmd == CMD_RUN && npos == 1) {
			o.cmd = argv + i; /* the command starts at its first word */
			break;
		}
		if (npos == 2)
			return bad(cmd, "unexpected argument '%s'", a);
		pos[npos++] = a;
	}

	switch (cmd) {
	case CMD_NONE:
		usage(stderr);
		return CTL_USAGE;
	case CMD_STACKS:
		if (npos || o.service || o.as_caller || o.from || o.abi || strict_seen || quiet_seen)
			return bad(cmd, "%s", "stacks takes no argument but --pam-dir");
		return ctl_stacks(&o);
	case CMD_CHECK:
		if (npos || o.service || o.as_caller || o.from)
			return bad(cmd, "%s", "check takes no user, service, --from or --as-caller");
		return ctl_check(&o);
	case CMD_EXPLAIN:
		if (strict_seen || quiet_seen || o.as_caller)
			return bad(cmd, "%s", "--strict, --quiet and --as-caller are not for explain");
		if (npos < 1)
			return bad(cmd, "%s", "explain needs a user");
		o.user = pos[0];
		if (npos == 2) {
			if (service_opt && strcmp(o.service, pos[1]) != 0)
				return bad(cmd, "%s", "two different services given");
			o.service = pos[1];
		}
		return ctl_explain(&o);
	case CMD_RUN:
		if (strict_seen || quiet_seen)
			return bad(cmd, "%s", "--strict and --quiet are for check");
		if (npos < 1)
			return bad(cmd, "%s", "run needs a user");
		if (!o.cmd || !o.cmd[0])
			return bad(cmd, "%s", "run needs a command: run USER -- COMMAND [ARG...]");
		o.user = pos[0];
		return ctl_run(&o);
	}
	return CTL_USAGE;
}
