/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * logsend.h - syslog lines and audit records that never block a login and
 * can be sent from a forked child of a multi-threaded process.
 *
 * Everything that needs locks (time zone, name resolution, stdio, malloc)
 * is done once, when a sender is prepared (ll_log_prepare, in the process
 * that opens the session).  Sending (ll_syslog_send, ll_audit_send_prepared)
 * only uses async-signal-safe system calls with hand-written formatting:
 * socket, connect, send(MSG_DONTWAIT), recv(MSG_DONTWAIT), close.
 *
 * Syslog: one datagram to /dev/log in syslog(3)'s format, facility authpriv,
 * "<PRI>Mmm dd hh:mm:ss IDENT[PID]: pam_landlock(SERVICE:session): MSG".  A
 * full or absent receiver drops the line (counted: the next line that goes
 * through says how many were lost).
 * Audit: one AUDIT_TRUSTED_APP netlink message in libaudit's text format
 * ("op=... acct=... <fields> exe=... hostname=... addr=... terminal=...
 * res=..."); the kernel adds pid, uid, auid and ses of the sender.  The
 * kernel's answer is read without waiting, so EPERM (no CAP_AUDIT_WRITE, a
 * job under atd) or ECONNREFUSED (audit off) is known at once.
 */
#ifndef LL_LOGSEND_H
#define LL_LOGSEND_H

#include <stdbool.h>
#include <stddef.h>

struct ll_log {
	char ident[64];   /* program name */
	char tag[200];    /* "pam_landlock(sshd:session): " */
	long gmtoff;      /* local time offset, seconds east of UTC */
	/* libaudit's trailer for this process: " exe=... hostname=... addr=...
	 * terminal=..." (without res=) */
	char audit_tail[1200];
};

/* Prepares L for SERVICE (NULL: the tag is "pam_landlock: "), the session's
 * RHOST and TTY (may be NULL or "").  Not async-signal-safe. */
void ll_log_prepare(struct ll_log *l, const char *service, const char *rhost, const char *tty);

/* Async-signal-safe.  Sends MSG (LEN bytes) at priority PRIO (LOG_ERR, ...),
 * with " pid=PID" appended when WITH_PID.  Returns 0, or -errno when the line
 * could not be sent (it is then counted as dropped). */
int ll_syslog_send(const struct ll_log *l, int prio, const char *msg, size_t len, bool with_pid);
/* printf-like ll_syslog_send for the opener (not async-signal-safe). */
int ll_syslogf(const struct ll_log *l, int prio, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Builds the text of an audit record: "op=OP acct=ENC(USER) BODY" + the
 * prepared tail + " res=success|failed".  Not async-signal-safe (only the
 * encoding: no locks are taken, but it is not meant for a child hook). */
size_t ll_audit_text(const struct ll_log *l, char *buf, size_t len, const char *op,
                     const char *user, const char *body, bool success);
/* Async-signal-safe: sends TEXT as an AUDIT_TRUSTED_APP user message.
 * Returns 0 or -errno (the kernel's answer when it refused). */
int ll_audit_send_text(const char *text, size_t len);

/* Audit's encoding of a field: NAME="value" (or NAME=value without QUOTE,
 * as libaudit writes hostname= and terminal=) when the value is printable
 * ASCII without a quote or space, else NAME=HEX (upper case), into BUF.
 * Returns the length written. */
size_t ll_audit_encode(char *buf, size_t len, const char *name, const char *value, bool quote);

/* Async-signal-safe helpers for building messages in a child. */
size_t ll_fmt_str(char *buf, size_t len, size_t off, const char *s);
size_t ll_fmt_uint(char *buf, size_t len, size_t off, unsigned long v);
/* A short name for an errno value ("EPERM"), or "errno N" into BUF. */
const char *ll_errno_name(int e, char *buf, size_t len);

#endif /* LL_LOGSEND_H */
