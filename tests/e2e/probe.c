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
 *   probe memfd-exec    run a copy of the probe from an executable memfd
 *                       (memfd_create without MFD_NOEXEC_SEAL, execveat
 *                       AT_EMPTY_PATH); the copy prints "ok pid=N"
 *   probe fd-exec PATH  execveat(open(PATH), "", AT_EMPTY_PATH): PATH runs
 *                       as "PATH ran-from-fd" (the probe prints "ok pid=N";
 *                       another program does what it does)
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
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif

extern char **environ;

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

/* execveat(FD, "", AT_EMPTY_PATH) as "probe ran-from-fd"; returns the
 * error when it does not run. */
static int exec_fd(int fd)
{
	static char arg0[] = "probe", arg1[] = "ran-from-fd";
	char *args[] = {arg0, arg1, NULL};
	syscall(SYS_execveat, fd, "", args, environ, AT_EMPTY_PATH);
	int err = errno;
	close(fd);
	return result(err);
}

static int do_memfd_exec(void)
{
	/* Neither MFD_EXEC nor MFD_NOEXEC_SEAL: executable unless the system
	 * (vm.memfd_noexec) or a filter says otherwise. */
	int fd = memfd_create("probe", MFD_CLOEXEC);
	if (fd < 0)
		return result(errno);
	int self = open("/proc/self/exe", O_RDONLY | O_CLOEXEC);
	struct stat st;
	if (self < 0 || fstat(self, &st) != 0 ||
	    sendfile(fd, self, NULL, (size_t)st.st_size) != st.st_size)
		return result(errno ? errno : EIO);
	close(self);
	return exec_fd(fd);
}

static int do_fd_exec(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0)
		return result(errno);
	return exec_fd(fd);
}

int main(int argc, char **argv)
{
	if (argc == 2 && strcmp(argv[1], "ran-from-fd") == 0)
		return result(0);
	if (argc == 2 && strcmp(argv[1], "memfd-exec") == 0)
		return do_memfd_exec();
	if (argc == 3 && strcmp(argv[1], "fd-exec") == 0)
		return do_fd_exec(argv[2]);
	if (argc == 3 && strcmp(argv[1], "create") == 0)
		return do_create(argv[2]);
	if (argc == 3 && strcmp(argv[1], "connect") == 0)
		return do_connect(number(argv[2], 65535));
	if (argc == 3 && strcmp(argv[1], "kill") == 0)
		return result(kill((pid_t)number(argv[2], 1L << 30), SIGTERM) == 0 ? 0 : errno);
	if (argc == 2 && strcmp(argv[1], "listen") == 0)
		return do_listen();
	fprintf(stderr, "usage: probe create PATH | connect PORT | kill PID | listen | memfd-exec | "
	                "fd-exec PATH\n");
	return 2;
}
