/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2-attack.c - run inside a confined session, tries every way around the
 * Landlock domain that pam_landlock's second layer (a seccomp filter) is
 * there to close, and the plain operations whose rules must not change.
 * One line per attempt:
 *
 *   GROUP.NAME RESULT ERRNO [step=CALL]
 *
 * RESULT is "ok" (the attempt worked: for a bypass, a hole), "fail" (ERRNO
 * is what it got; step= says which call of several) or "skip" (an option
 * it needs is missing).  GROUP is the part of the second layer that is
 * meant to stop the attempt: net (unchecked_protocols), tty
 * (terminal_injection), uring (io_uring), exec (fd_exec), or base (plain
 * Landlock rules, which the second layer must leave alone).  Lines starting
 * with "#" are comments (listening ports, holds).  The output depends only
 * on what the sandbox allows, so two sandboxes can be compared line by line.
 *
 *   l2-attack [OPTIONS] [OP...]        the attempts (all without OP)
 *     --allowed-port N  a listener outside on a port the profile allows
 *     --denied-port N   a listener outside on a port the profile denies
 *     --listen-port N   N, N+1 and N+2: free ports the profile does not let
 *                       the session bind (TCP, MPTCP, MPTCP with type flags)
 *     --tmp-prog PATH   a program in a writable place without execute
 *     --wdir DIR        a writable place without execute (O_TMPFILE)
 *     --elf PATH        a program to copy into memory files (default
 *                       /usr/bin/true)
 *     --tty-fd N        a terminal fd inherited from outside the session
 *     --hold SECONDS    afterwards, keep every socket that managed to listen
 *                       for that long, serving "hello-l2" to each client
 *   l2-attack serve PORT LOG
 *                     the listener outside the sessions: on 127.0.0.1 and ::1,
 *                     answers each client with a greeting ("hello-PORT", as an
 *                     HTTP response) and appends a line to LOG, until killed.
 *   l2-attack steal FD DELAY OUT
 *                     the terminal thief: ignores SIGHUP, waits, makes its
 *                     process group the foreground one of the terminal on FD
 *                     (tcsetpgrp) and reads a line from it into OUT.
 *   l2-attack inject FD DELAY TEXT OUT
 *                     the terminal-injection attacker: ignores SIGHUP,
 *                     waits DELAY seconds, then pushes TEXT (with a newline)
 *                     into the terminal on FD with ioctl(TIOCSTI), one byte
 *                     at a time, and writes its result line to OUT.
 *
 * Exit 0, 2 on misuse.  Only libc and kernel headers: a copy runs in a
 * profile that grants nothing but the system directories.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "l2-attack.h"

struct opts o = {.elf = "/usr/bin/true", .tty_fd = -1};

#define MAX_KEPT 16
static struct {
	int fd;
	const char *what;
} kept[MAX_KEPT];
static size_t nkept;

void keep_listener(int fd, const char *what)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);
	unsigned port = 0;
	if (getsockname(fd, (struct sockaddr *)&ss, &len) == 0)
		port = ntohs(ss.ss_family == AF_INET6 ? ((struct sockaddr_in6 *)&ss)->sin6_port
		                                      : ((struct sockaddr_in *)&ss)->sin_port);
	printf("# listening: %s port=%u\n", what, port);
	if (nkept < MAX_KEPT) {
		kept[nkept].fd = fd;
		kept[nkept++].what = what;
	} else {
		close(fd);
	}
}

/* Serves every kept listener for SECONDS: the test connects from outside. */
static void hold(double seconds)
{
	struct timespec t0, t;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	printf("# holding %zu listener(s)\n", nkept);
	fflush(stdout);
	for (;;) {
		clock_gettime(CLOCK_MONOTONIC, &t);
		double left = seconds - ((double)(t.tv_sec - t0.tv_sec) +
		                         (double)(t.tv_nsec - t0.tv_nsec) / 1e9);
		if (left <= 0)
			break;
		struct pollfd p[MAX_KEPT];
		for (size_t i = 0; i < nkept; i++)
			p[i] = (struct pollfd){.fd = kept[i].fd, .events = POLLIN};
		if (!nkept) {
			usleep((useconds_t)(left * 1e6));
			break;
		}
		if (poll(p, nkept, (int)(left * 1000) + 1) <= 0)
			continue;
		for (size_t i = 0; i < nkept; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			int c = accept4(kept[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (c < 0)
				continue;
			static const char hello[] = "hello-l2\n";
			ssize_t w = write(c, hello, sizeof(hello) - 1);
			(void)w;
			close(c);
			printf("# served a client on %s\n", kept[i].what);
			fflush(stdout);
		}
	}
}

/* ---- i386 system calls ------------------------------------------------------- */

long i386_call(long nr, long a, long b, long c, long d, long e, long f)
{
	long ret;
	/* ebp carries the sixth argument; the red zone is stepped over before
	 * anything is pushed.  int $0x80 clobbers r8-r11 in a 64-bit task. */
	register long r12 __asm__("r12") = f;
	__asm__ volatile("sub $128, %%rsp\n\t"
	                 "push %%rbp\n\t"
	                 "mov %%r12, %%rbp\n\t"
	                 "int $0x80\n\t"
	                 "pop %%rbp\n\t"
	                 "add $128, %%rsp"
	                 : "=a"(ret)
	                 : "a"(nr), "b"(a), "c"(b), "d"(c), "S"(d), "D"(e), "r"(r12)
	                 : "memory", "cc", "r8", "r9", "r10", "r11");
	return ret;
}

int i386_err(long ret)
{
	return ret < 0 && ret > -4096 ? (int)-ret : 0;
}

void *low_page(void)
{
	static void *page;
	if (!page) {
		page = mmap(NULL, 4096, PROT_READ | PROT_WRITE,
		            MAP_PRIVATE | MAP_ANONYMOUS | MAP_32BIT, -1, 0);
		if (page == MAP_FAILED)
			page = NULL;
	}
	if (page)
		memset(page, 0, 4096);
	return page;
}

/* ---- the listener outside ------------------------------------------------------ */

static int serve(long port, const char *log)
{
	struct sockaddr_in a4 = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	struct sockaddr_in6 a6 = {.sin6_family = AF_INET6, .sin6_port = htons((uint16_t)port)};
	struct pollfd p[2];
	int one = 1;
	a4.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	a6.sin6_addr = in6addr_loopback;
	p[0].fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	p[1].fd = socket(AF_INET6, SOCK_STREAM | SOCK_CLOEXEC, 0);
	for (int i = 0; i < 2; i++) {
		setsockopt(p[i].fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
		p[i].events = POLLIN;
	}
	setsockopt(p[1].fd, IPPROTO_IPV6, IPV6_V6ONLY, &one, sizeof(one));
	if (bind(p[0].fd, (struct sockaddr *)&a4, sizeof(a4)) < 0 ||
	    bind(p[1].fd, (struct sockaddr *)&a6, sizeof(a6)) < 0 || listen(p[0].fd, 16) < 0 ||
	    listen(p[1].fd, 16) < 0) {
		perror("l2-attack serve");
		return 1;
	}
	char hello[96];
	int n = snprintf(hello, sizeof(hello),
	                 "HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\n"
	                 "hello-%ld\n",
	                 port);
	printf("serving %ld\n", port);
	fflush(stdout);
	for (;;) {
		if (poll(p, 2, -1) < 0)
			continue;
		for (int i = 0; i < 2; i++) {
			if (!(p[i].revents & POLLIN))
				continue;
			int c = accept4(p[i].fd, NULL, NULL, SOCK_CLOEXEC);
			if (c < 0)
				continue;
			int lf = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0644);
			if (lf >= 0) {
				ssize_t w = write(lf, "hit\n", 4);
				(void)w;
				close(lf);
			}
			ssize_t w = write(c, hello, (size_t)n);
			(void)w;
			/* Read what the client sent until it closes (briefly), so
			 * that closing sends a FIN, not a reset. */
			shutdown(c, SHUT_WR);
			char buf[512];
			struct pollfd cp = {.fd = c, .events = POLLIN};
			while (poll(&cp, 1, 200) > 0 && read(c, buf, sizeof(buf)) > 0)
				;
			close(c);
		}
	}
}

/* ---- the terminal-injection attacker ------------------------------------------ */

static int inject(int fd, double delay, const char *text, const char *out)
{
	signal(SIGHUP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	if (fork() > 0) /* the shell's job ends at once */
		return 0;
	usleep((useconds_t)(delay * 1e6));
	int err = 0;
	size_t n = strlen(text);
	for (size_t i = 0; i <= n && !err; i++) {
		char c = i < n ? text[i] : '\n';
		if (ioctl(fd, TIOCSTI, &c) < 0)
			err = errno;
	}
	FILE *f = fopen(out, "w");
	if (!f)
		return 1;
	fprintf(f, "tty.tiocsti_after_exit %s %s\n", err ? "fail" : "ok",
	        err ? strerrorname_np(err) : "-");
	fclose(f);
	return 0;
}

/* The other way into a terminal left behind: become its foreground process
 * group and read what is typed next (tcsetpgrp is job control: the filter
 * lets it through). */
static int steal(int fd, double delay, const char *out)
{
	signal(SIGHUP, SIG_IGN);
	signal(SIGTTOU, SIG_IGN);
	signal(SIGTTIN, SIG_IGN);
	if (fork() > 0)
		return 0;
	usleep((useconds_t)(delay * 1e6));
	char buf[256];
	ssize_t n = -1;
	int err = tcsetpgrp(fd, getpgrp()) < 0 ? errno : 0;
	if (!err && (n = read(fd, buf, sizeof(buf) - 1)) < 0)
		err = errno;
	FILE *f = fopen(out, "w");
	if (!f)
		return 1;
	fprintf(f, "tty.foreground_after_exit %s %s", err ? "fail" : "ok",
	        err ? strerrorname_np(err) : "-");
	if (n > 0) {
		buf[n] = '\0';
		buf[strcspn(buf, "\r\n")] = '\0';
		fprintf(f, " read=%s", buf);
	}
	fprintf(f, "\n");
	fclose(f);
	return 0;
}

/* ---- main ------------------------------------------------------------------------- */

static long number(const char *s, long max)
{
	char *end;
	errno = 0;
	long v = s ? strtol(s, &end, 10) : -1;
	if (!s || errno || end == s || *end || v < 0 || v > max) {
		fprintf(stderr, "l2-attack: bad number '%s'\n", s ? s : "");
		exit(2);
	}
	return v;
}

static void print(const char *name, struct res r)
{
	const char *e = r.err > 0 ? strerrorname_np(r.err) : NULL;
	printf("%s %s %s", name,
	       r.err == SKIP ? "skip"
	       : r.err       ? "fail"
	                     : "ok",
	       r.err > 0 ? (e ? e : "EUNKNOWN") : "-");
	if (r.err > 0 && r.step)
		printf(" step=%s", r.step);
	printf("\n");
	fflush(stdout);
}

static const struct op *find(const char *name)
{
	const struct op *t[] = {net_ops, sys_ops};
	size_t n[] = {n_net_ops, n_sys_ops};
	for (size_t g = 0; g < 2; g++)
		for (size_t i = 0; i < n[g]; i++)
			if (strcmp(t[g][i].name, name) == 0)
				return &t[g][i];
	return NULL;
}

int main(int argc, char **argv)
{
	double hold_s = 0;
	int i = 1;
	if (argc == 4 && strcmp(argv[1], "serve") == 0)
		return serve(number(argv[2], 65535), argv[3]);
	if (argc == 5 && strcmp(argv[1], "steal") == 0)
		return steal((int)number(argv[2], 1023), (double)number(argv[3], 60), argv[4]);
	if (argc == 6 && strcmp(argv[1], "inject") == 0)
		return inject((int)number(argv[2], 1023), (double)number(argv[3], 60), argv[4],
		              argv[5]);
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i += 2) {
		const char *k = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (!v) {
			fprintf(stderr, "l2-attack: %s needs a value\n", k);
			return 2;
		}
		if (strcmp(k, "--allowed-port") == 0)
			o.allowed_port = number(v, 65535);
		else if (strcmp(k, "--denied-port") == 0)
			o.denied_port = number(v, 65535);
		else if (strcmp(k, "--listen-port") == 0)
			o.listen_port = number(v, 65535);
		else if (strcmp(k, "--tmp-prog") == 0)
			o.tmp_prog = v;
		else if (strcmp(k, "--wdir") == 0)
			o.wdir = v;
		else if (strcmp(k, "--elf") == 0)
			o.elf = v;
		else if (strcmp(k, "--tty-fd") == 0)
			o.tty_fd = (int)number(v, 1023);
		else if (strcmp(k, "--hold") == 0)
			hold_s = (double)number(v, 60);
		else {
			fprintf(stderr, "l2-attack: unknown option '%s'\n", k);
			return 2;
		}
	}
	/* A job of an interactive shell must not stop when it touches the
	 * terminal (TIOCSTI from the background). */
	signal(SIGTTOU, SIG_IGN);
	signal(SIGPIPE, SIG_IGN);
	if (i < argc) {
		for (; i < argc; i++) {
			const struct op *op = find(argv[i]);
			if (!op) {
				fprintf(stderr, "l2-attack: unknown attempt '%s'\n", argv[i]);
				return 2;
			}
			print(op->name, op->fn(op));
		}
	} else {
		for (size_t k = 0; k < n_net_ops; k++)
			print(net_ops[k].name, net_ops[k].fn(&net_ops[k]));
		for (size_t k = 0; k < n_sys_ops; k++)
			print(sys_ops[k].name, sys_ops[k].fn(&sys_ops[k]));
	}
	if (hold_s > 0)
		hold(hold_s);
	return 0;
}
