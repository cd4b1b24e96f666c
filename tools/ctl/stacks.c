/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * stacks.c - "landlockctl stacks": which PAM services have pam_landlock in
 * their session stack, and what the module will do for each.
 *
 * Reads every service file of the PAM directory (/etc/pam.d) as Linux-PAM
 * does: one rule per line, "\" continues a line, "#" starts a comment,
 * [bracketed] controls and arguments may hold spaces; "@include FILE"
 * takes every rule of FILE, "session include|substack FILE" its session
 * rules.  For each service whose session stack reaches pam_landlock.so, it
 * prints where the line is, the control flag, and what the module does for
 * the application that uses the service - from the table the module itself
 * decides with (pam_landlock/openers.c): children for a known supervisor,
 * refused for an application no PAM module can confine, opener for every
 * other one - and whether the project verified that application.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ctl.h"
#include "openers.h"

#define MAX_DEPTH 16 /* includes deep; Linux-PAM stops at a similar depth */
#define MAX_HITS  8

struct hit {
	char where[600];   /* "common-session:30 (via @include at login:25)" */
	char control[128]; /* "required", "[success=1 default=ignore]" */
	char module[300];  /* as written: "pam_landlock.so" or a path */
	char args[512];    /* the module's arguments */
	bool optional;     /* a refusal does not refuse the session */
};

struct stack {
	struct hit hit[MAX_HITS];
	int nhits;
	int after; /* session rules after the last pam_landlock line */
	char after_first[128];
	bool error; /* a file that cannot be read, or too deep */
	char errmsg[5200];
};

/* The next token of *P: a [bracketed] run (with spaces) or a word; NULL at
 * the end.  Brackets are kept. */
static char *token(char **p)
{
	char *s = *p, *t;
	while (*s == ' ' || *s == '\t')
		s++;
	if (!*s)
		return NULL;
	t = s;
	if (*s == '[') {
		while (*s && *s != ']')
			s++;
		if (*s)
			s++;
	} else {
		while (*s && *s != ' ' && *s != '\t')
			s++;
	}
	if (*s)
		*s++ = '\0';
	*p = s;
	return t;
}

static bool is_landlock(const char *module)
{
	const char *b = strrchr(module, '/');
	return strcmp(b ? b + 1 : module, "pam_landlock.so") == 0;
}

/* A control that lets the stack go on when the module fails. */
static bool lenient(const char *control)
{
	if (strcmp(control, "optional") == 0 || strcmp(control, "sufficient") == 0)
		return true;
	/* [... default=ignore ...] or [... perm_denied=ignore ...] */
	return control[0] == '[' &&
	       (strstr(control, "default=ignore") || strstr(control, "perm_denied=ignore") ||
	        strstr(control, "default=ok") || strstr(control, "perm_denied=ok"));
}

static void parse_file(const char *dir, const char *name, const char *via, int depth,
                       struct stack *st);

static void add_rule(struct stack *st, const char *name, int line, const char *via,
                     const char *control, const char *module, const char *args)
{
	if (!is_landlock(module)) {
		if (st->nhits) {
			if (st->after++ == 0)
				snprintf(st->after_first, sizeof(st->after_first), "%s", module);
		}
		return;
	}
	st->after = 0;
	if (st->nhits >= MAX_HITS)
		return;
	struct hit *h = &st->hit[st->nhits++];
	snprintf(h->where, sizeof(h->where), "%s:%d%s", name, line, via);
	snprintf(h->control, sizeof(h->control), "%s", control);
	snprintf(h->module, sizeof(h->module), "%s", module);
	snprintf(h->args, sizeof(h->args), "%s", args);
	h->optional = lenient(control);
}

/* One logical line (continuations joined, comment cut) of NAME. */
/* Only session rules count, so "@include" (every type) and "session
 * include|substack" (session rules only) read the file the same way. */
static void parse_line(const char *dir, const char *name, int line, char *text, const char *via,
                       int depth, struct stack *st)
{
	char *p = text, *type, *control, *module;
	char sub[700];
	if (!(type = token(&p)))
		return;
	if (strcmp(type, "@include") == 0) {
		char *file = token(&p);
		if (!file)
			return;
		snprintf(sub, sizeof(sub), " (via @include at %s:%d)%s", name, line, via);
		parse_file(dir, file, sub, depth + 1, st);
		return;
	}
	if (*type == '-')
		type++;
	if (strcasecmp(type, "session") != 0 || !(control = token(&p)) || !(module = token(&p)))
		return;
	if (strcmp(control, "include") == 0 || strcmp(control, "substack") == 0) {
		snprintf(sub, sizeof(sub), " (via session %s at %s:%d%s)", control, name, line,
		         via);
		parse_file(dir, module, sub, depth + 1, st);
		return;
	}
	while (*p == ' ' || *p == '\t')
		p++;
	add_rule(st, name, line, via, control, module, p);
}

static void parse_file(const char *dir, const char *name, const char *via, int depth,
                       struct stack *st)
{
	char path[4096], buf[4096], logical[8192];
	if (depth > MAX_DEPTH) {
		st->error = true;
		snprintf(st->errmsg, sizeof(st->errmsg), "includes nested deeper than %d at %s%s",
		         MAX_DEPTH, name, via);
		return;
	}
	if (strchr(name, '/'))
		snprintf(path, sizeof(path), "%s", name);
	else
		snprintf(path, sizeof(path), "%s/%s", dir, name);
	FILE *f = fopen(path, "re");
	if (!f) {
		st->error = true;
		snprintf(st->errmsg, sizeof(st->errmsg), "cannot read %s%s: %s", path, via,
		         strerror(errno));
		return;
	}
	int lineno = 0, start = 0;
	size_t len = 0;
	while (fgets(buf, sizeof(buf), f)) {
		lineno++;
		if (len == 0)
			start = lineno;
		size_t n = strcspn(buf, "\n");
		buf[n] = '\0';
		bool cont = n > 0 && buf[n - 1] == '\\';
		if (cont)
			buf[n - 1] = ' ';
		if (len + strlen(buf) + 2 < sizeof(logical)) {
			memcpy(logical + len, buf, strlen(buf) + 1);
			len += strlen(buf);
		}
		if (cont)
			continue;
		char *hash = strchr(logical, '#');
		if (hash)
			*hash = '\0';
		parse_line(dir, name, start, logical, via, depth, st);
		len = 0;
	}
	fclose(f);
}

/* Debian's include files (common-auth, common-session, ...) are no
 * services; editors' and dpkg's leftovers are never read by PAM. */
static bool service_name(const char *n)
{
	size_t l = strlen(n);
	return n[0] != '.' && strncmp(n, "common-", 7) != 0 && n[l - 1] != '~' &&
	       !strstr(n, ".dpkg-") && !strstr(n, ".ucf-");
}

static int by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "confine=children" in ARGS, or NULL. */
static const char *forced(const char *args)
{
	const char *c = strstr(args, "confine=");
	if (!c || (c != args && c[-1] != ' ' && c[-1] != '\t'))
		return NULL;
	c += 8;
	if (strncmp(c, "children", 8) == 0)
		return "children";
	if (strncmp(c, "opener", 6) == 0)
		return "opener";
	return NULL;
}

static int report(const char *svc, const struct stack *st)
{
	const struct ll_opener *o = ll_opener_by_service(svc);
	const struct hit *h = &st->hit[0];
	const char *force = forced(h->args);
	int problems = 0;
	const char *mode;
	if (o && o->mode == LL_OPENER_REFUSED)
		mode = "REFUSED";
	else if (force)
		mode = force;
	else
		mode = o ? ll_opener_mode_name(o->mode) : "opener";
	printf("%s\n", svc);
	printf("  line:    %s: session %s %s%s%s\n", h->where, h->control, h->module,
	       h->args[0] ? " " : "", h->args);
	if (o && o->mode == LL_OPENER_REFUSED) {
		printf("  module:  refuses every session: %s (%s, %s) %s\n", o->app, o->exe,
		       o->role, o->after);
		printf("  fix:     %s\n", o->hint);
		problems++;
	} else if (o) {
		printf("  module:  confine=%s%s: %s (%s) opens the session in %s; it %s\n", mode,
		       force ? " (forced by the line)" : "", o->app, o->exe, o->role, o->after);
	} else {
		printf("  module:  confine=%s%s: not an application the project knows: the process "
		       "that opens the session %s\n",
		       mode, force ? " (forced by the line)" : "",
		       strcmp(mode, "children") == 0
		           ? "stays outside; what it forks is confined"
		           : "is confined, and everything it does afterwards");
	}
	if (o)
		printf("  verified: yes, %s (see doc/services.md)\n", o->test);
	else
		printf(
		    "  verified: no; try a session, and see doc/services.md for what to check\n");
	if (force && o && o->mode != LL_OPENER_REFUSED &&
	    strcmp(force, ll_opener_mode_name(o->mode)) != 0) {
		printf("  warning: the line forces confine=%s, the verified mode is confine=%s\n",
		       force, ll_opener_mode_name(o->mode));
		problems++;
	}
	if (h->optional) {
		printf("  warning: control '%s' lets the session go on when the module refuses it: "
		       "a refused session runs unconfined; use required\n",
		       h->control);
		problems++;
	}
	if (st->nhits > 1) {
		printf("  warning: listed %d times; the second line refuses every session:",
		       st->nhits);
		for (int i = 0; i < st->nhits; i++)
			printf(" %s", st->hit[i].where);
		printf("\n");
		problems++;
	}
	if (st->after)
		printf("  note:    %d session rule(s) after it (%s, ...): they run in the domain "
		       "(confine=opener) or their forks are confined (children); put the module "
		       "last\n",
		       st->after, st->after_first);
	return problems;
}

int ctl_stacks(const struct ctl_opts *o)
{
	const char *dir = o->pam_dir ? o->pam_dir : "/etc/pam.d";
	DIR *d = opendir(dir);
	if (!d) {
		fprintf(stderr, "landlockctl: cannot read %s: %s\n", dir, strerror(errno));
		return CTL_USAGE;
	}
	char **names = NULL;
	size_t n = 0;
	for (struct dirent *e; (e = readdir(d));) {
		char path[4096];
		struct stat sb;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		if (!service_name(e->d_name) || stat(path, &sb) < 0 || !S_ISREG(sb.st_mode))
			continue;
		char **nn = realloc(names, (n + 1) * sizeof(*names));
		if (!nn || !(nn[n] = strdup(e->d_name))) {
			closedir(d);
			fprintf(stderr, "landlockctl: out of memory\n");
			return CTL_USAGE;
		}
		names = nn;
		n++;
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), by_name);
	int with = 0, problems = 0;
	for (size_t i = 0; i < n; i++) {
		struct stack st = {0};
		parse_file(dir, names[i], "", 0, &st);
		if (st.error) {
			printf("%s\n  error:   %s\n", names[i], st.errmsg);
			problems++;
		}
		if (st.nhits) {
			with++;
			problems += report(names[i], &st);
		}
		free(names[i]);
	}
	free(names);
	printf("%s: %d of %zu services have pam_landlock.so in their session stack%s\n", dir, with,
	       n, problems ? "; see the warnings above" : "");
	return problems ? CTL_INVALID : CTL_OK;
}
