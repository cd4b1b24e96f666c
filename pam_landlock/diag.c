/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * diag.c - filling and formatting diagnostics.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "diag.h"

void ll_diag_set(struct ll_diag *d, const char *file, int line, const char *hint,
                 const char *fmt, ...)
{
	va_list ap;
	if (!d)
		return;
	snprintf(d->file, sizeof(d->file), "%s", file ? file : "");
	d->line = line;
	snprintf(d->hint, sizeof(d->hint), "%s", hint ? hint : "");
	va_start(ap, fmt);
	vsnprintf(d->msg, sizeof(d->msg), fmt, ap);
	va_end(ap);
}

void ll_warn(const struct ll_diag_sink *sink, const char *file, int line, const char *fmt,
             ...)
{
	char msg[512];
	va_list ap;
	if (!sink || !sink->warn)
		return;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	sink->warn(sink->arg, file, line, msg);
}

const char *ll_diag_format(const struct ll_diag *d, char *buf, size_t len)
{
	char where[300] = "";
	if (d->file[0] && d->line > 0)
		snprintf(where, sizeof(where), "%s:%d: ", d->file, d->line);
	else if (d->file[0])
		snprintf(where, sizeof(where), "%s: ", d->file);
	snprintf(buf, len, "%s%s%s%s", where, d->msg, d->hint[0] ? "; " : "", d->hint);
	return buf;
}
