/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * common.c - what landlockctl's commands share: diagnostics on stderr (in
 * file order for check), the ABI to plan for, and views of rules and rights
 * built by the library's own planner.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ctl.h"

bool ctl_collect;
unsigned ctl_nwarnings;

struct pending {
	int line;
	size_t seq;
	char *text;
};
static struct pending *pending;
static size_t npending;

static void emit(const char *file, int line, const char *kind, const char *hint,
                 const char *msg)
{
	char where[300] = "";
	char *text = NULL;
	if (file && file[0] && line > 0)
		snprintf(where, sizeof(where), "%s:%d: ", file, line);
	else if (file && file[0])
		snprintf(where, sizeof(where), "%s: ", file);
	if (asprintf(&text, "%s%s%s%s%s", where, kind, msg, hint && hint[0] ? "; " : "",
	             hint ? hint : "") < 0)
		return;
	if (ctl_collect) {
		struct pending *np = realloc(pending, (npending + 1) * sizeof(*np));
		if (np) {
			pending = np;
			pending[npending] = (struct pending){ line, npending, text };
			npending++;
			return;
		}
	}
	fprintf(stderr, "%s\n", text);
	free(text);
}

static int by_line(const void *a, const void *b)
{
	const struct pending *x = a, *y = b;
	if (x->line != y->line)
		return x->line < y->line ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

void ctl_flush(void)
{
	if (npending)
		qsort(pending, npending, sizeof(*pending), by_line);
	for (size_t i = 0; i < npending; i++) {
		fprintf(stderr, "%s\n", pending[i].text);
		free(pending[i].text);
	}
	free(pending);
	pending = NULL;
	npending = 0;
}

void ctl_error(const struct ll_diag *d)
{
	char buf[1200];
	fprintf(stderr, "%s\n", ll_diag_format(d, buf, sizeof(buf)));
}

void ctl_warn(const char *file, int line, const char *hint, const char *fmt, ...)
{
	char msg[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	ctl_nwarnings++;
	emit(file, line, "warning: ", hint, msg);
}

void ctl_note(const char *file, int line, const char *hint, const char *fmt, ...)
{
	char msg[800];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	emit(file, line, "note: ", hint, msg);
}

static void sink_warn(void *arg, const char *file, int line, const char *msg)
{
	(void)arg;
	ctl_warn(file, line, NULL, "%s", msg);
}
const struct ll_diag_sink ctl_sink = { sink_warn, NULL };

bool ctl_readable(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
	if (fd < 0) {
		fprintf(stderr, "landlockctl: cannot read %s: %s\n", path, strerror(errno));
		return false;
	}
	bool dir = fstat(fd, &st) == 0 && S_ISDIR(st.st_mode);
	close(fd);
	if (dir)
		fprintf(stderr, "landlockctl: %s is a directory; give the policy file\n", path);
	return !dir;
}

const char *ctl_abspath(const char *conf, char *buf, size_t len)
{
	char cwd[4096];
	if (conf[0] == '/' || !getcwd(cwd, sizeof(cwd)) ||
	    snprintf(buf, len, "%s/%s", cwd, conf) >= (int)len)
		snprintf(buf, len, "%s", conf);
	return buf;
}

int ctl_abi(const struct ctl_opts *o, int *kernel)
{
	*kernel = ll_abi_probe();
	return o->abi > 0 ? o->abi : *kernel;
}

static void why_from(char *buf, size_t len, const struct ll_diag *d)
{
	snprintf(buf, len, "%s%s%s", d->msg, d->hint[0] ? "; " : "", d->hint);
}

struct missing {
	bool hit;
	char msg[512];
};

static void missing_cb(void *arg, const char *file, int line, const char *msg)
{
	struct missing *m = arg;
	(void)file;
	(void)line;
	m->hit = true;
	snprintf(m->msg, sizeof(m->msg), "%s", msg);
}

void ctl_view_rule(const struct ll_fs_rule *r, const struct ll_identity *id, int abi,
                   const char *file, struct ctl_rule_view *v)
{
	struct ll_diag d = { 0 };
	memset(v, 0, sizeof(*v));
	v->rule = r;
	v->path = ll_expand(r->path, id, file, r->line, &d);
	if (!v->path) {
		v->error = true;
		why_from(v->why, sizeof(v->why), &d);
		return;
	}
	/* The rule alone, with a missing path reported instead of refused, in
	 * a profile that asks for nothing the ABI could refuse. */
	struct ll_fs_rule copy = *r;
	copy.skip_missing = true;
	const struct ll_fs_rule *one = &copy;
	struct ll_resolved prof = { .name = "?", .fs = &one, .nfs = 1,
		                    .compat = LL_COMPAT_BEST_EFFORT, .nnp = true };
	struct missing m = { 0 };
	struct ll_diag_sink sink = { missing_cb, &m };
	struct ll_plan plan;
	if (ll_plan_build(&prof, id, abi < 1 ? LL_ABI_MAX : abi, file, 0, &plan, &d, &sink) < 0) {
		v->error = true;
		why_from(v->why, sizeof(v->why), &d);
		return;
	}
	if (plan.nrules == 1) {
		v->exists = true;
		v->is_dir = plan.rules[0].is_dir;
		v->granted = plan.rules[0].access;
	} else {
		snprintf(v->why, sizeof(v->why), "%s", m.hit ? m.msg : "path does not exist");
	}
	ll_plan_free(&plan);
}

void ctl_view_free(struct ctl_rule_view *v)
{
	free(v->path);
	v->path = NULL;
}

int ctl_plan_rights(const struct ll_resolved *prof, int abi, const char *file,
                    struct ll_plan *plan, struct ll_diag *diag)
{
	struct ll_resolved bare = *prof;
	bare.fs = NULL;
	bare.nfs = 0;
	int rc = ll_plan_build(&bare, NULL, abi, file, 0, plan, diag, NULL);
	plan->prof = NULL; /* BARE is gone when we return */
	return rc;
}

const struct ll_profile *ctl_rule_owner(const struct ll_policy *pol, const struct ll_fs_rule *r)
{
	for (size_t i = 0; i < pol->nprofiles; i++) {
		const struct ll_profile *p = &pol->profiles[i];
		if (p->nfs && r >= p->fs && r < p->fs + p->nfs)
			return p;
	}
	return NULL;
}

const char *ctl_shorthand(uint64_t mask)
{
	static const char *const names[] = { "read_only", "read_exec", "read_write",
		                             "read_write_exec" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (mask && ll_fs_shorthand(names[i]) == mask)
			return names[i];
	return NULL;
}
