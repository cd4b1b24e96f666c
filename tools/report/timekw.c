/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * timekw.c - ausearch-compatible time keywords and dates (see timekw.h).
 * Local time, like ausearch (ausearch-time.c): each keyword is the same
 * instant for -ts and -te (midnight of its day, week, month or year; now,
 * ten minutes ago, boot), except that -te today is now.  The week starts
 * on Sunday, as ausearch counts it (tm_wday).  One deliberate difference:
 * a date without a time ends at 23:59:59 for -te (ausearch takes the
 * current time of day on that date).
 */
#include "config.h"

#include "timekw.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int llr_looks_like_time(const char *s)
{
	unsigned h, m, sec;
	char c;
	if (!s)
		return 0;
	if (sscanf(s, "%2u:%2u:%2u%c", &h, &m, &sec, &c) == 3)
		return h < 24 && m < 60 && sec < 61;
	if (sscanf(s, "%2u:%2u%c", &h, &m, &c) == 2)
		return h < 24 && m < 60;
	return 0;
}

static int parse_hms(const char *s, struct tm *tm)
{
	unsigned h, m, sec = 0;
	char c;
	if (sscanf(s, "%2u:%2u:%2u%c", &h, &m, &sec, &c) != 3 &&
	    sscanf(s, "%2u:%2u%c", &h, &m, &c) != 2)
		return -1;
	if (h > 23 || m > 59 || sec > 60)
		return -1;
	tm->tm_hour = (int)h;
	tm->tm_min = (int)m;
	tm->tm_sec = (int)sec;
	return 0;
}

static int midnight(time_t now, int days_back, int64_t *out)
{
	struct tm tm;
	if (!localtime_r(&now, &tm))
		return -1;
	tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	tm.tm_mday -= days_back;
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm);
	return 0;
}

static int boot_time(time_t now, int64_t *out)
{
	FILE *f = fopen("/proc/uptime", "re");
	double up;
	if (!f)
		return -1;
	int ok = fscanf(f, "%lf", &up) == 1;
	fclose(f);
	if (!ok)
		return -1;
	*out = (int64_t)now - (int64_t)up;
	return 0;
}

static int keyword(const char *s, time_t now, int64_t *out)
{
	struct tm tm;
	if (!strcmp(s, "now")) {
		*out = now;
		return 0;
	}
	if (!strcmp(s, "recent")) {
		*out = (int64_t)now - 600;
		return 0;
	}
	if (!strcmp(s, "boot"))
		return boot_time(now, out);
	if (!strcmp(s, "today"))
		return midnight(now, 0, out);
	if (!strcmp(s, "yesterday"))
		return midnight(now, 1, out);
	if (!strcmp(s, "week-ago"))
		return midnight(now, 7, out);
	if (!localtime_r(&now, &tm))
		return -1;
	if (!strcmp(s, "this-week"))
		return midnight(now, tm.tm_wday, out);
	if (!strcmp(s, "this-month"))
		return midnight(now, tm.tm_mday - 1, out);
	if (!strcmp(s, "this-year"))
		return midnight(now, tm.tm_yday, out);
	return 1; /* not a keyword */
}

int llr_parse_time(const char *date, const char *tim, int is_end, time_t now, int64_t *out,
                   int *used_time)
{
	struct tm tm;
	unsigned y, mo, d;
	char c, *e;
	int r;

	*used_time = 0;
	if (!date || !*date)
		return -1;
	if (date[0] == '@') {
		long long v = strtoll(date + 1, &e, 10);
		if (*e || e == date + 1 || v < 0)
			return -1;
		*out = v;
		return 0;
	}
	r = keyword(date, now, out);
	if (r == 0 && is_end && !strcmp(date, "today"))
		*out = now; /* ausearch: -te today is now (every other keyword: its start) */
	if (r <= 0) {
		if (r == 0 && llr_looks_like_time(tim)) { /* the time replaces the keyword's */
			struct tm k;
			time_t t = (time_t)*out;
			localtime_r(&t, &k);
			parse_hms(tim, &k);
			k.tm_isdst = -1;
			*out = (int64_t)mktime(&k);
			*used_time = 1;
		}
		return r;
	}
	memset(&tm, 0, sizeof(tm));
	if (llr_looks_like_time(date)) { /* a time alone: today */
		if (!localtime_r(&now, &tm) || parse_hms(date, &tm))
			return -1;
		tm.tm_isdst = -1;
		*out = (int64_t)mktime(&tm);
		return 0;
	}
	const char *t = NULL;
	char hms[16];
	if (sscanf(date, "%4u-%2u-%2u%c", &y, &mo, &d, &c) == 4 && c == 'T') {
		const char *p = strchr(date, 'T') + 1;
		snprintf(hms, sizeof(hms), "%s", p);
		t = hms;
	} else if (sscanf(date, "%4u-%2u-%2u%c", &y, &mo, &d, &c) == 3) {
	} else if (sscanf(date, "%2u/%2u/%4u%c", &mo, &d, &y, &c) == 3) {
		if (y < 100)
			y += 2000;
	} else {
		return -1;
	}
	if (y < 1970 || mo < 1 || mo > 12 || d < 1 || d > 31)
		return -1;
	tm.tm_year = (int)y - 1900;
	tm.tm_mon = (int)mo - 1;
	tm.tm_mday = (int)d;
	if (!t && llr_looks_like_time(tim)) {
		t = tim;
		*used_time = 1;
	}
	if (t) {
		if (parse_hms(t, &tm))
			return -1;
	} else if (is_end) {
		tm.tm_hour = 23;
		tm.tm_min = 59;
		tm.tm_sec = 59;
	}
	tm.tm_isdst = -1;
	*out = (int64_t)mktime(&tm);
	return 0;
}
