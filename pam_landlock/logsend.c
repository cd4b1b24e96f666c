/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * logsend.c - non-blocking syslog datagrams and audit netlink messages,
 * safe to send from a forked child (see logsend.h).
 */
#include "config.h"

#include <arpa/inet.h>
#include <errno.h>
#include <linux/audit.h>
#include <linux/netlink.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#include "logsend.h"

#ifndef AUDIT_TRUSTED_APP
#define AUDIT_TRUSTED_APP 1121
#endif
#define LL_LOG_MAX 2048       /* one syslog line */
#define LL_AUDIT_MAX 8970     /* the kernel's MAX_AUDIT_MESSAGE_LENGTH */

/* Lines that could not be sent since the last one that could, by the
 * process dropped_by: a forked child starts with none (it would otherwise
 * repeat its parent's count in its own line). */
static unsigned long dropped;
static pid_t dropped_by;

size_t ll_fmt_str(char *buf, size_t len, size_t off, const char *s)
{
	while (*s && off + 1 < len)
		buf[off++] = *s++;
	if (off < len)
		buf[off] = '\0';
	return off;
}

size_t ll_fmt_uint(char *buf, size_t len, size_t off, unsigned long v)
{
	char tmp[24];
	size_t n = 0;
	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n && off + 1 < len)
		buf[off++] = tmp[--n];
	if (off < len)
		buf[off] = '\0';
	return off;
}

const char *ll_errno_name(int e, char *buf, size_t len)
{
	static const struct {
		int e;
		const char *name;
	} names[] = {
		{ EPERM, "EPERM" },   { EACCES, "EACCES" },         { EAGAIN, "EAGAIN" },
		{ ENOBUFS, "ENOBUFS" }, { ENOMEM, "ENOMEM" },       { EMFILE, "EMFILE" },
		{ ENFILE, "ENFILE" }, { ECONNREFUSED, "ECONNREFUSED" }, { ENOENT, "ENOENT" },
		{ EINVAL, "EINVAL" }, { EBADF, "EBADF" },           { E2BIG, "E2BIG" },
		{ ENOSYS, "ENOSYS" }, { EOPNOTSUPP, "EOPNOTSUPP" }, { EBADFD, "EBADFD" },
		{ ESRCH, "ESRCH" },   { EFAULT, "EFAULT" },         { ENOTSOCK, "ENOTSOCK" },
		{ EPROTOTYPE, "EPROTOTYPE" }, { EMSGSIZE, "EMSGSIZE" },
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (names[i].e == e)
			return names[i].name;
	size_t off = ll_fmt_str(buf, len, 0, "errno ");
	ll_fmt_uint(buf, len, off, (unsigned long)e);
	return buf;
}

/* ---- syslog ---------------------------------------------------------------- */

void ll_log_prepare(struct ll_log *l, const char *service, const char *rhost, const char *tty)
{
	char exe[1024], host[300], term[300], addr[64] = "?";
	time_t now = time(NULL);
	struct tm tm;

	memset(l, 0, sizeof(*l));
	snprintf(l->ident, sizeof(l->ident), "%s", program_invocation_short_name);
	if (service)
		snprintf(l->tag, sizeof(l->tag), "pam_landlock(%s:session): ", service);
	else
		snprintf(l->tag, sizeof(l->tag), "pam_landlock: ");
	l->gmtoff = localtime_r(&now, &tm) ? tm.tm_gmtoff : 0;

	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	exe[n > 0 ? n : 0] = '\0';
	if (n <= 0)
		snprintf(exe, sizeof(exe), "?");
	/* libaudit resolves a host name into addr= with getaddrinfo(): a lock
	 * and possibly DNS, at login.  Only a numeric address is copied. */
	unsigned char bin[16];
	if (rhost && (inet_pton(AF_INET, rhost, bin) == 1 || inet_pton(AF_INET6, rhost, bin) == 1))
		snprintf(addr, sizeof(addr), "%s", rhost);
	size_t off = 0;
	off += (size_t)snprintf(l->audit_tail, sizeof(l->audit_tail), " ");
	off += ll_audit_encode(l->audit_tail + off, sizeof(l->audit_tail) - off, "exe", exe, true);
	if (rhost && *rhost)
		ll_audit_encode(host, sizeof(host), "hostname", rhost, false);
	else
		snprintf(host, sizeof(host), "hostname=?");
	if (tty && *tty)
		ll_audit_encode(term, sizeof(term), "terminal", tty, false);
	else
		snprintf(term, sizeof(term), "terminal=?");
	snprintf(l->audit_tail + off, sizeof(l->audit_tail) - off, " %s addr=%s %s", host, addr,
	         term);
}

/* "Mmm dd hh:mm:ss" (syslog's %b %e %H:%M:%S) from the clock, by hand:
 * localtime_r() takes the time-zone lock. */
static size_t stamp(const struct ll_log *l, char *buf, size_t len, size_t off)
{
	static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	long long t = (long long)ts.tv_sec + l->gmtoff;
	long long days = t / 86400, secs = t % 86400;
	if (secs < 0) {
		secs += 86400;
		days--;
	}
	/* Days since 1970-01-01 to a civil date, counting in 400-year eras
	 * that start on 1 March (so the leap day is the era's last day). */
	long long z = days + 719468;
	long long era = (z >= 0 ? z : z - 146096) / 146097;
	long long doe = z - era * 146097;
	long long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	long long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	long long mp = (5 * doy + 2) / 153;
	int day = (int)(doy - (153 * mp + 2) / 5 + 1);
	int month = (int)(mp < 10 ? mp + 3 : mp - 9); /* 1..12 */
	char s[16] = { months[(month - 1) * 3], months[(month - 1) * 3 + 1],
		       months[(month - 1) * 3 + 2], ' ', (char)(day >= 10 ? '0' + day / 10 : ' '),
		       (char)('0' + day % 10), ' ',
		       (char)('0' + secs / 36000), (char)('0' + secs / 3600 % 10), ':',
		       (char)('0' + secs % 3600 / 600), (char)('0' + secs % 600 / 60), ':',
		       (char)('0' + secs % 60 / 10), (char)('0' + secs % 10), '\0' };
	return ll_fmt_str(buf, len, off, s);
}

static int send_dgram(const char *line, size_t n)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	memcpy(sa.sun_path, _PATH_LOG, sizeof(_PATH_LOG));
	int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	int rc = 0;
	if (sendto(fd, line, n, MSG_DONTWAIT | MSG_NOSIGNAL, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		rc = -errno;
	close(fd);
	if (rc != -EPROTOTYPE)
		return rc;
	/* /dev/log is a stream socket: one connection, the line ends at NUL. */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -errno;
	rc = 0;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    send(fd, line, n + 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
		rc = -errno;
	close(fd);
	return rc;
}

int ll_syslog_send(const struct ll_log *l, int prio, const char *msg, size_t len, bool with_pid)
{
	char line[LL_LOG_MAX];
	unsigned long pid = (unsigned long)getpid();
	size_t off = 0;

	line[off++] = '<';
	off = ll_fmt_uint(line, sizeof(line), off, (unsigned long)(LOG_AUTHPRIV | (prio & 7)));
	off = ll_fmt_str(line, sizeof(line), off, ">");
	off = stamp(l, line, sizeof(line), off);
	off = ll_fmt_str(line, sizeof(line), off, " ");
	off = ll_fmt_str(line, sizeof(line), off, l->ident);
	off = ll_fmt_str(line, sizeof(line), off, "[");
	off = ll_fmt_uint(line, sizeof(line), off, pid);
	off = ll_fmt_str(line, sizeof(line), off, "]: ");
	off = ll_fmt_str(line, sizeof(line), off, l->tag);
	/* Control characters as #ooo (rsyslog's form): a name with a newline
	 * (PAM_USER, a path) must not start a line of its own. */
	for (size_t i = 0; i < len && msg[i] && off + 4 < sizeof(line) - 128; i++) {
		unsigned char c = (unsigned char)msg[i];
		if (c >= 0x20 && c != 0x7f) {
			line[off++] = (char)c;
			continue;
		}
		line[off++] = '#';
		line[off++] = (char)('0' + (c >> 6));
		line[off++] = (char)('0' + ((c >> 3) & 7));
		line[off++] = (char)('0' + (c & 7));
	}
	line[off] = '\0';
	if (with_pid) {
		off = ll_fmt_str(line, sizeof(line), off, " pid=");
		off = ll_fmt_uint(line, sizeof(line), off, pid);
	}
	if (__atomic_load_n(&dropped_by, __ATOMIC_RELAXED) != (pid_t)pid) {
		__atomic_store_n(&dropped, 0, __ATOMIC_RELAXED);
		__atomic_store_n(&dropped_by, (pid_t)pid, __ATOMIC_RELAXED);
	}
	unsigned long lost = __atomic_load_n(&dropped, __ATOMIC_RELAXED);
	if (lost) {
		off = ll_fmt_str(line, sizeof(line), off, " (");
		off = ll_fmt_uint(line, sizeof(line), off, lost);
		off = ll_fmt_str(line, sizeof(line), off, " earlier pam_landlock syslog line(s) dropped)");
	}
	int rc = send_dgram(line, off);
	if (rc < 0)
		__atomic_add_fetch(&dropped, 1, __ATOMIC_RELAXED);
	else if (lost)
		__atomic_sub_fetch(&dropped, lost, __ATOMIC_RELAXED);
	return rc;
}

int ll_syslogf(const struct ll_log *l, int prio, const char *fmt, ...)
{
	char msg[LL_LOG_MAX];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (n < 0)
		return -EINVAL;
	return ll_syslog_send(l, prio, msg, strlen(msg), false);
}

/* ---- audit ----------------------------------------------------------------- */

size_t ll_audit_encode(char *buf, size_t len, const char *name, const char *value, bool quote)
{
	static const char hex[] = "0123456789ABCDEF";
	bool plain = *value != '\0';
	for (const unsigned char *c = (const unsigned char *)value; *c && plain; c++)
		plain = *c > 0x20 && *c < 0x7f && *c != '"';
	size_t off = ll_fmt_str(buf, len, 0, name);
	off = ll_fmt_str(buf, len, off, plain && quote ? "=\"" : "=");
	if (plain) {
		off = ll_fmt_str(buf, len, off, value);
		return quote ? ll_fmt_str(buf, len, off, "\"") : off;
	}
	for (const unsigned char *c = (const unsigned char *)value; *c && off + 2 < len; c++) {
		buf[off++] = hex[*c >> 4];
		buf[off++] = hex[*c & 15];
	}
	if (!*value && off + 1 < len) /* empty: audit writes "" */
		off = ll_fmt_str(buf, len, off, "\"\"");
	if (off < len)
		buf[off] = '\0';
	return off;
}

size_t ll_audit_text(const struct ll_log *l, char *buf, size_t len, const char *op,
                     const char *user, const char *body, bool success)
{
	size_t off = ll_fmt_str(buf, len, 0, "op=");
	off = ll_fmt_str(buf, len, off, op);
	off = ll_fmt_str(buf, len, off, " ");
	off += ll_audit_encode(buf + off, len - off, "acct", user && *user ? user : "?", true);
	if (body && *body) {
		off = ll_fmt_str(buf, len, off, " ");
		off = ll_fmt_str(buf, len, off, body);
	}
	off = ll_fmt_str(buf, len, off, l->audit_tail);
	return ll_fmt_str(buf, len, off, success ? " res=success" : " res=failed");
}

int ll_audit_send_text(const char *text, size_t len)
{
	/* Header, text and its NUL go out as three pieces: no copy of the
	 * text on the stack, which may be a small one (a thread's, a signal
	 * handler's) when this runs in a forked child. */
	struct nlmsghdr nlh = { 0 };
	struct sockaddr_nl kernel = { .nl_family = AF_NETLINK };
	static const char nul = '\0';

	if (len > LL_AUDIT_MAX)
		len = LL_AUDIT_MAX;
	nlh.nlmsg_len = (unsigned)NLMSG_LENGTH(len + 1);
	nlh.nlmsg_type = AUDIT_TRUSTED_APP;
	nlh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK;
	nlh.nlmsg_seq = 1;
	struct iovec iov[3] = {
		{ .iov_base = &nlh, .iov_len = NLMSG_HDRLEN },
		{ .iov_base = (void *)(uintptr_t)text, .iov_len = len },
		{ .iov_base = (void *)(uintptr_t)&nul, .iov_len = 1 },
	};
	struct msghdr msg = { .msg_name = &kernel, .msg_namelen = sizeof(kernel),
		              .msg_iov = iov, .msg_iovlen = 3 };

	int fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC | SOCK_NONBLOCK, NETLINK_AUDIT);
	if (fd < 0)
		return -errno;
	int rc = 0;
	if (sendmsg(fd, &msg, MSG_DONTWAIT | MSG_NOSIGNAL) < 0) {
		rc = -errno;
	} else {
		/* The kernel handles a user message while we send it, so its
		 * answer (ack or error) is already queued. */
		union {
			struct nlmsghdr h;
			char buf[512];
		} ans;
		ssize_t n = recv(fd, &ans, sizeof(ans), MSG_DONTWAIT);
		if (n >= (ssize_t)NLMSG_LENGTH(sizeof(struct nlmsgerr)) &&
		    ans.h.nlmsg_type == NLMSG_ERROR) {
			const struct nlmsgerr *err = NLMSG_DATA(&ans.h);
			rc = err->error;
		}
	}
	close(fd);
	return rc;
}
