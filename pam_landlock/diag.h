/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag.h - errors and warnings that carry where they come from.
 *
 * The parser, the resolver and the sandbox builder never print: they fill a
 * struct ll_diag (errors) or call a sink (warnings).  The module sends them to
 * syslog, the tools to stderr.
 */
#ifndef LL_DIAG_H
#define LL_DIAG_H

#include <stdarg.h>

struct ll_diag {
	char file[256]; /* "" when not about a file */
	int line;       /* 0 when unknown */
	char msg[512];  /* what */
	char hint[256]; /* what to do; may be "" */
};

struct ll_diag_sink {
	void (*warn)(void *arg, const char *file, int line, const char *msg);
	void *arg;
};

void ll_diag_set(struct ll_diag *d, const char *file, int line, const char *hint,
                 const char *fmt, ...) __attribute__((format(printf, 5, 6)));
void ll_warn(const struct ll_diag_sink *sink, const char *file, int line, const char *fmt,
             ...) __attribute__((format(printf, 4, 5)));

/* "FILE:LINE: MSG; HINT" (parts left out when empty) into BUF. */
const char *ll_diag_format(const struct ll_diag *d, char *buf, size_t len);

#endif /* LL_DIAG_H */
