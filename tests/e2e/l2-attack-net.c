/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2-attack-net.c - the network attempts of l2-attack: plain TCP (rules
 * unchanged), the ways to a TCP port that Landlock's TCP rules do not see
 * (MPTCP, SCTP, SMC, TCP Fast Open, listen without bind), with the flags and
 * the garbage in the upper halves of the registers that a filter must not
 * be fooled by, and the same through the i386 system-call ABI.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "l2-attack.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef IPPROTO_SMC
#define IPPROTO_SMC 256
#endif
#ifndef AF_SMC
#define AF_SMC 43
#endif
#ifndef SOCK_DCCP
#define SOCK_DCCP 6
#endif
#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif
#ifndef TCP_ULP
#define TCP_ULP 31
#endif
#ifndef TCP_FASTOPEN_CONNECT
#define TCP_FASTOPEN_CONNECT 30
#endif
#define HI(x)           ((long)((0xdeadbeefUL << 32) | (unsigned long)(unsigned)(x)))
#define X32_SYSCALL_BIT 0x40000000L

/* i386 numbers (asm/unistd_32.h) and socketcall(2)'s calls (linux/net.h) */
enum {
	I386_SOCKETCALL = 102,
	I386_SOCKET = 359,
	I386_CONNECT = 362,
	I386_SETSOCKOPT = 366,
	I386_SENDTO = 369
};
enum {
	SYS_SOCKET_ = 1,
	SYS_CONNECT_ = 3,
	SYS_SENDTO_ = 11,
	SYS_SETSOCKOPT_ = 14,
	SYS_SENDMSG_ = 16
};

struct addr {
	struct sockaddr_storage ss;
	socklen_t len;
};

static struct addr lo4(long port)
{
	struct addr a = {.len = sizeof(struct sockaddr_in)};
	struct sockaddr_in *s = (struct sockaddr_in *)&a.ss;
	s->sin_family = AF_INET;
	s->sin_port = htons((uint16_t)port);
	s->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return a;
}

/* ::1, or ::ffff:127.0.0.1 with MAPPED */
static struct addr lo6(long port, int mapped)
{
	struct addr a = {.len = sizeof(struct sockaddr_in6)};
	struct sockaddr_in6 *s = (struct sockaddr_in6 *)&a.ss;
	s->sin6_family = AF_INET6;
	s->sin6_port = htons((uint16_t)port);
	inet_pton(AF_INET6, mapped ? "::ffff:127.0.0.1" : "::1", &s->sin6_addr);
	return a;
}

/* After a connection: the outside listener's greeting (a line with
 * "hello") must arrive, or the connection did not reach it. */
struct res greeted(int fd)
{
	char buf[256];
	size_t off = 0;
	while (off < sizeof(buf) - 1) {
		struct pollfd p = {.fd = fd, .events = POLLIN};
		if (poll(&p, 1, 3000) <= 0)
			return RES(ETIMEDOUT, "read");
		ssize_t n = read(fd, buf + off, sizeof(buf) - 1 - off);
		if (n < 0)
			return RES(errno, "read");
		if (n == 0)
			break;
		off += (size_t)n;
		buf[off] = '\0';
		if (strstr(buf, "hello"))
			return OK;
	}
	return RES(EPROTO, "read");
}

/* Where an attempt connects or listens (column D of the table). */
#define V4      0          /* 127.0.0.1 */
#define V6      1          /* ::1 */
#define MAPPED  2          /* ::ffff:127.0.0.1 */
#define ALLOWED 4          /* --allowed-port instead of --denied-port */
#define NOBIND  8          /* listen without bind */
#define PORT(k) ((k) << 8) /* listen on --listen-port + k */

static struct addr where(long how, long port)
{
	return (how & 3) == V4 ? lo4(port) : lo6(port, (how & 3) == MAPPED);
}

static struct res fail_close(int fd, const char *step)
{
	int e = errno;
	close(fd);
	return RES(e, step);
}

/* socket(A, B, C) with raw 64-bit arguments, then connect and wait for
 * the outside listener's greeting. */
static struct res op_connect(const struct op *t)
{
	long port = t->d & ALLOWED ? o.allowed_port : o.denied_port;
	if (!port)
		return RES(SKIP, NULL);
	int fd = (int)syscall(SYS_socket, t->a, t->b, t->c);
	if (fd < 0)
		return RES(errno, "socket");
	struct addr a = where(t->d, port);
	if (fcntl(fd, F_SETFL, 0) < 0 || connect(fd, (struct sockaddr *)&a.ss, a.len) < 0)
		return fail_close(fd, "connect");
	struct res r = greeted(fd);
	close(fd);
	return r;
}

/* socket(A, B, C), bind to loopback --listen-port + k (unless NOBIND),
 * listen; a socket that listens is kept for --hold. */
static struct res op_listen(const struct op *t)
{
	if (!o.listen_port && !(t->d & NOBIND))
		return RES(SKIP, NULL);
	int fd = (int)syscall(SYS_socket, t->a, t->b, t->c), one = 1;
	if (fd < 0)
		return RES(errno, "socket");
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	struct addr a = where(t->d, o.listen_port + (t->d >> 8));
	if (!(t->d & NOBIND) && bind(fd, (struct sockaddr *)&a.ss, a.len) < 0)
		return fail_close(fd, "bind");
	if (listen(fd, 4) < 0)
		return fail_close(fd, "listen");
	keep_listener(fd, t->name);
	return OK;
}

/* TCP Fast Open (A: V4 or V6): the connection is made by the first send
 * (B: 0 sendto, 1 sendmsg, 2 sendmmsg), without connect(). */
static struct res op_fastopen(const struct op *t)
{
	static const char *const steps[] = {"sendto", "sendmsg", "sendmmsg"};
	if (!o.denied_port)
		return RES(SKIP, NULL);
	int fd = socket(t->a == V6 ? AF_INET6 : AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return RES(errno, "socket");
	struct addr a = where(t->a, o.denied_port);
	char data[] = "x";
	struct iovec iov = {.iov_base = data, .iov_len = 1};
	struct mmsghdr mm = {
	    .msg_hdr = {.msg_name = &a.ss, .msg_namelen = a.len, .msg_iov = &iov, .msg_iovlen = 1}};
	long rc = t->b == 0   ? sendto(fd, data, 1, MSG_FASTOPEN, (struct sockaddr *)&a.ss, a.len)
	          : t->b == 1 ? sendmsg(fd, &mm.msg_hdr, MSG_FASTOPEN)
	                      : sendmmsg(fd, &mm, 1, MSG_FASTOPEN);
	if (rc < 0)
		return fail_close(fd, steps[t->b]);
	struct res r = greeted(fd);
	close(fd);
	return r;
}

/* TCP_FASTOPEN_CONNECT: connect() is still called, and checked. */
static struct res op_fastopen_connect(const struct op *t)
{
	(void)t;
	if (!o.denied_port)
		return RES(SKIP, NULL);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0), one = 1;
	if (fd < 0)
		return RES(errno, "socket");
	struct addr a = lo4(o.denied_port);
	if (setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN_CONNECT, &one, sizeof(one)) < 0 ||
	    connect(fd, (struct sockaddr *)&a.ss, a.len) < 0 || write(fd, "x", 1) < 0)
		return fail_close(fd, "connect");
	struct res r = greeted(fd);
	close(fd);
	return r;
}

/* setsockopt(TCP_ULP, "smc") turns a TCP socket into SMC, which Landlock's
 * TCP rules do not check. */
static struct res op_ulp_smc(const struct op *t)
{
	(void)t;
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return RES(errno, "socket");
	if (setsockopt(fd, IPPROTO_TCP, TCP_ULP, "smc", 3) < 0)
		return fail_close(fd, "setsockopt");
	close(fd);
	return OK;
}

/* x32 socket() (ENOSYS on a kernel without the x32 ABI) */
static struct res op_x32_socket(const struct op *t)
{
	long fd = syscall(X32_SYSCALL_BIT | 41, t->a, t->b, t->c);
	if (fd < 0)
		return RES(errno, "socket");
	close((int)fd);
	return OK;
}

/* ---- the i386 ABI ------------------------------------------------------------- */

static uint32_t low(const void *p)
{
	return (uint32_t)(uintptr_t)p;
}

/* socketcall(SYS_SOCKET, {A, SOCK_STREAM, B}); the argument block at
 * offset C, so that a filter comparing the pointer learns nothing. */
static struct res op_i386_socketcall(const struct op *t)
{
	unsigned char *page = low_page();
	if (!page)
		return RES(ENOMEM, "mmap");
	uint32_t v[] = {(uint32_t)t->a, SOCK_STREAM, (uint32_t)t->b};
	memcpy(page + 64 + t->c, v, sizeof(v));
	/* edx, esi, edi: garbage that a filter must not depend on */
	long fd =
	    i386_call(I386_SOCKETCALL, SYS_SOCKET_, low(page + 64 + t->c), 7, 262, MSG_FASTOPEN, 0);
	if (i386_err(fd))
		return RES(i386_err(fd), "socketcall");
	close((int)fd);
	return OK;
}

/* The direct i386 socket(AF_INET, SOCK_STREAM, A), then (B) 0 connect(),
 * 1 sendto(MSG_FASTOPEN), 2 socketcall(SYS_SENDTO, MSG_FASTOPEN). */
static struct res op_i386_tcp(const struct op *t)
{
	static const char *const steps[] = {"connect", "sendto", "socketcall(SYS_SENDTO)"};
	if (!o.denied_port)
		return RES(SKIP, NULL);
	unsigned char *page = low_page();
	if (!page)
		return RES(ENOMEM, "mmap");
	struct addr a = lo4(o.denied_port);
	memcpy(page, &a.ss, a.len);
	memcpy(page + 256, "x", 1);
	long fd = i386_call(I386_SOCKET, AF_INET, SOCK_STREAM, t->a, 0, 0, 0), rc;
	if (i386_err(fd))
		return RES(i386_err(fd), "socket");
	if (t->b == 0) {
		rc = i386_call(I386_CONNECT, fd, low(page), a.len, 0, 0, 0);
	} else if (t->b == 1) {
		rc = i386_call(I386_SENDTO, fd, low(page + 256), 1, MSG_FASTOPEN, low(page), a.len);
	} else {
		uint32_t v[] = {(uint32_t)fd, low(page + 256), 1, MSG_FASTOPEN, low(page), a.len};
		memcpy(page + 128, v, sizeof(v));
		rc = i386_call(I386_SOCKETCALL, SYS_SENDTO_, low(page + 128), 0, 0, 0, 0);
	}
	if (i386_err(rc)) {
		close((int)fd);
		return RES(i386_err(rc), steps[t->b]);
	}
	struct res r = greeted((int)fd);
	close((int)fd);
	return r;
}

/* i386 setsockopt(TCP_ULP, "smc"): A 0 direct, 1 through socketcall */
static struct res op_i386_ulp(const struct op *t)
{
	unsigned char *page = low_page();
	if (!page)
		return RES(ENOMEM, "mmap");
	long fd = i386_call(I386_SOCKET, AF_INET, SOCK_STREAM, 0, 0, 0, 0), rc;
	if (i386_err(fd))
		return RES(i386_err(fd), "socket");
	memcpy(page, "smc", 3);
	if (!t->a) {
		rc = i386_call(I386_SETSOCKOPT, fd, IPPROTO_TCP, TCP_ULP, low(page), 3, 0);
	} else {
		uint32_t v[] = {(uint32_t)fd, IPPROTO_TCP, TCP_ULP, low(page), 3};
		memcpy(page + 64, v, sizeof(v));
		rc = i386_call(I386_SOCKETCALL, SYS_SETSOCKOPT_, low(page + 64), 0, 0, 0, 0);
	}
	close((int)fd);
	return i386_err(rc) ? RES(i386_err(rc), "setsockopt") : OK;
}

#define S   SOCK_STREAM
#define NB  (SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC)
#define SEQ SOCK_SEQPACKET
#define MP  IPPROTO_MPTCP

/* Groups: base (Landlock's own rules, which the second layer leaves alone),
 * gap (what no part closes: listen() binds an ephemeral port unchecked),
 * net (what unchecked_protocols closes). */
const struct op net_ops[] = {
    {"base.tcp4_connect_allowed", op_connect, AF_INET, S, 0, V4 | ALLOWED},
    {"base.tcp4_connect_denied", op_connect, AF_INET, S, 0, V4},
    {"base.tcp6_connect_denied", op_connect, AF_INET6, S, 0, V6},
    {"base.tcp6_mapped_connect_denied", op_connect, AF_INET6, S, 0, MAPPED},
    {"base.tcp4_bind_listen", op_listen, AF_INET, S, 0, V4 | PORT(0)},
    {"base.tcp6_bind_listen", op_listen, AF_INET6, S, 0, V6 | PORT(0)},
    {"base.tcp4_fastopen_connect_opt", op_fastopen_connect, 0, 0, 0, 0},
    {"base.tcp4_hi_domain_type_connect", op_connect, HI(AF_INET), HI(S), 0, V4},
    {"base.i386_tcp_connect_denied", op_i386_tcp, 0, 0, 0, 0},
    {"gap.tcp4_listen_without_bind", op_listen, AF_INET, S, 0, NOBIND},
    {"net.tcp4_fastopen_sendto", op_fastopen, V4, 0, 0, 0},
    {"net.tcp4_fastopen_sendmsg", op_fastopen, V4, 1, 0, 0},
    {"net.tcp4_fastopen_sendmmsg", op_fastopen, V4, 2, 0, 0},
    {"net.tcp6_fastopen_sendto", op_fastopen, V6, 0, 0, 0},
    {"net.mptcp4_connect", op_connect, AF_INET, S, MP, V4},
    {"net.mptcp6_connect", op_connect, AF_INET6, S, MP, V6},
    {"net.mptcp4_connect_nonblock_cloexec", op_connect, AF_INET, NB, MP, V4},
    {"net.mptcp6_connect_nonblock_cloexec", op_connect, AF_INET6, NB, MP, V6},
    {"net.mptcp4_bind_listen", op_listen, AF_INET, S, MP, V4 | PORT(1)},
    {"net.mptcp6_bind_listen", op_listen, AF_INET6, S, MP, V6 | PORT(1)},
    {"net.mptcp4_bind_listen_nonblock_cloexec", op_listen, AF_INET, NB, MP, V4 | PORT(2)},
    {"net.mptcp_hi_domain", op_connect, HI(AF_INET), S, MP, V4},
    {"net.mptcp_hi_type", op_connect, AF_INET, HI(S), MP, V4},
    {"net.mptcp_hi_protocol", op_connect, AF_INET, S, HI(MP), V4},
    {"net.mptcp_hi_all", op_connect, HI(AF_INET6), HI(NB), HI(MP), V6},
    {"net.tcp_hi_protocol", op_connect, AF_INET, S, HI(IPPROTO_TCP), V4},
    {"net.sctp4_stream", op_connect, AF_INET, S, IPPROTO_SCTP, V4},
    {"net.sctp6_stream", op_connect, AF_INET6, S, IPPROTO_SCTP, V6},
    {"net.sctp4_seqpacket", op_connect, AF_INET, SEQ, IPPROTO_SCTP, V4},
    {"net.sctp6_seqpacket", op_connect, AF_INET6, SEQ, IPPROTO_SCTP, V6},
    {"net.dccp4", op_connect, AF_INET, SOCK_DCCP, 0, V4},
    {"net.smc_inet", op_connect, AF_INET, S, IPPROTO_SMC, V4},
    {"net.smc_family", op_connect, AF_SMC, S, 0, V4},
    {"net.tcp_ulp_smc", op_ulp_smc, 0, 0, 0, 0},
    {"net.x32_mptcp_socket", op_x32_socket, AF_INET, S, MP, 0},
    {"net.i386_socketcall_mptcp", op_i386_socketcall, AF_INET, MP, 0, 0},
    {"net.i386_socketcall_tcp", op_i386_socketcall, AF_INET, 0, 0, 0},
    {"net.i386_socketcall_tcp_odd_pointer", op_i386_socketcall, AF_INET, 0, 1 + 15 * 16, 0},
    {"net.i386_socketcall_tcp_pointer4", op_i386_socketcall, AF_INET, 0, 4, 0},
    {"net.i386_socketcall_unix", op_i386_socketcall, AF_UNIX, 0, 8, 0},
    {"net.i386_mptcp_connect", op_i386_tcp, MP, 0, 0, 0},
    {"net.i386_fastopen_sendto", op_i386_tcp, 0, 1, 0, 0},
    {"net.i386_fastopen_socketcall", op_i386_tcp, 0, 2, 0, 0},
    {"net.i386_tcp_ulp_smc", op_i386_ulp, 0, 0, 0, 0},
    {"net.i386_tcp_ulp_smc_socketcall", op_i386_ulp, 1, 0, 0, 0},
};
const size_t n_net_ops = sizeof(net_ops) / sizeof(net_ops[0]);
