/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * probe.c - one action, one exact answer, for the end-to-end tests: run
 * inside a session, it says whether the kernel allowed the action and, if
 * not, which errno it got, with its own pid so the test can find the audit
 * event.  It needs only libc, so a copy in the user's home can run there.
 *
 *   probe create PATH   open(PATH, O_CREAT|O_EXCL), write, unlink
 *   probe connect PORT  TCP connect to 127.0.0.1:PORT
 *   probe kill PID      kill(PID, SIGTERM)
 *   probe listen        listen on 127.0.0.1 (a free port), print "port=N",
 *                       accept and close connections until killed
 *
 * Prints "ok pid=N" (exit 0) or "ERRNAME pid=N" (exit 1); exit 2 on misuse.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int result(int err)
{
	const char *name = err ? strerrorname_np(err) : "ok";
	printf("%s pid=%d\n", name ? name : "EUNKNOWN", (int)getpid());
	return err ? 1 : 0;
}

static long number(const char *s, long max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (errno || end == s || *end || v <= 0 || v > max) {
		fprintf(stderr, "probe: bad number '%s'\n", s);
		exit(2);
	}
	return v;
}

static struct sockaddr_in loopback(long port)
{
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

static int do_create(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return result(errno);
	int err = write(fd, "probe\n", 6) == 6 ? 0 : errno;
	close(fd);
	if (unlink(path) != 0 && !err)
		err = errno;
	return result(err);
}

static int do_connect(long port)
{
	struct sockaddr_in sa = loopback(port);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return result(errno);
	int err = connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 ? 0 : errno;
	close(fd);
	return result(err);
}

static int do_listen(void)
{
	struct sockaddr_in sa = loopback(0);
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0 || listen(fd, 16) != 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) != 0)
		return result(errno);
	printf("port=%d\n", ntohs(sa.sin_port));
	fflush(stdout);
	for (;;) {
		int c = accept(fd, NULL, NULL);
		if (c >= 0)
			close(c);
	}
}

int main(int argc, char **argv)
{
	if (argc == 3 && strcmp(argv[1], "create") == 0)
		return do_create(argv[2]);
	if (argc == 3 && strcmp(argv[1], "connect") == 0)
		return do_connect(number(argv[2], 65535));
	if (argc == 3 && strcmp(argv[1], "kill") == 0)
		return result(kill((pid_t)number(argv[2], 1L << 30), SIGTERM) == 0 ? 0 : errno);
	if (argc == 2 && strcmp(argv[1], "listen") == 0)
		return do_listen();
	fprintf(stderr, "usage: probe create PATH | connect PORT | kill PID | listen\n");
	return 2;
}
