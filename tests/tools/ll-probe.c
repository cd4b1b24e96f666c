/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ll-probe.c - a fixed set of operations, each answered "ok" or with the
 * errno name it got, one "NAME RESULT" line each, for comparing two sandboxes
 * (landlockctl run against a real PAM session).  It needs only libc, so a
 * copy in the user's home can run inside the shipped profile.
 *
 *   ll-probe [--tmp-exe PATH] [--outside-pid PID] [--abstract NAME]
 *            [--allowed-port N] [--denied-port N] [OP...]
 *
 * Without OP, every operation runs (those whose option is missing print
 * "skipped").  Exit 0, or 2 on misuse.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <signal.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *tmp_exe, *abstract_name;
static long outside_pid, allowed_port = 443, denied_port = 9;
static char home[4096];

#define SKIPPED (-1)

static int try_create(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/ll-probe.%d", dir, (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	close(fd);
	return unlink(path) < 0 ? errno : 0;
}

static int try_mkdir(const char *dir)
{
	char path[4200];
	snprintf(path, sizeof(path), "%s/ll-probe-d.%d", dir, (int)getpid());
	if (mkdir(path, 0700) < 0)
		return errno;
	return rmdir(path) < 0 ? errno : 0;
}

static int try_open(const char *path, int flags)
{
	int fd = open(path, flags | O_CLOEXEC);
	if (fd < 0)
		return errno;
	int err = 0;
	if (flags & O_DIRECTORY) {
		DIR *d = fdopendir(fd);
		if (!d) {
			err = errno;
			close(fd);
			return err;
		}
		errno = 0;
		if (!readdir(d) && errno)
			err = errno;
		closedir(d);
		return err;
	}
	if ((flags & O_ACCMODE) == O_RDONLY) {
		char c;
		if (read(fd, &c, 1) < 0)
			err = errno;
	}
	close(fd);
	return err;
}

/* fork + execv; the child's exec errno comes back through a CLOEXEC pipe. */
static int try_exec(const char *path)
{
	int p[2], err = 0, status;
	if (pipe2(p, O_CLOEXEC) < 0)
		return errno;
	pid_t pid = fork();
	if (pid < 0)
		return errno;
	if (pid == 0) {
		char arg0[4096];
		snprintf(arg0, sizeof(arg0), "%s", path);
		char *argv[] = { arg0, NULL };
		close(p[0]);
		execv(path, argv);
		err = errno;
		if (write(p[1], &err, sizeof(err)) < 0)
			_exit(126);
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
		err = 0;
	close(p[0]);
	if (waitpid(pid, &status, 0) < 0)
		return errno;
	if (!err && !(WIFEXITED(status) && WEXITSTATUS(status) == 0))
		err = ECHILD; /* ran, but failed */
	return err;
}

static struct sockaddr_in loopback(long port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)port) };
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	return sa;
}

static int try_connect(long port)
{
	struct sockaddr_in sa = loopback(port);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	int err = connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? errno : 0;
	close(s);
	return err;
}

static int try_bind(void)
{
	struct sockaddr_in sa = loopback(0);
	int s = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	int err = bind(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? errno : 0;
	close(s);
	return err;
}

static int try_udp(long port)
{
	struct sockaddr_in sa = loopback(port);
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	int err = sendto(s, "x", 1, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? errno : 0;
	close(s);
	return err;
}

static int try_abstract(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t n = strlen(abstract_name);
	if (n + 1 > sizeof(sa.sun_path))
		return ENAMETOOLONG;
	memcpy(sa.sun_path + 1, abstract_name, n);
	int s = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return errno;
	int err = connect(s, (struct sockaddr *)&sa,
	                  (socklen_t)(offsetof(struct sockaddr_un, sun_path) + 1 + n)) < 0
	              ? errno
	              : 0;
	close(s);
	return err;
}

static int op(const char *name)
{
	if (strcmp(name, "home_create") == 0)
		return try_create(home);
	if (strcmp(name, "home_mkdir") == 0)
		return try_mkdir(home);
	if (strcmp(name, "tmp_create") == 0)
		return try_create("/tmp");
	if (strcmp(name, "vartmp_create") == 0)
		return try_create("/var/tmp");
	if (strcmp(name, "devshm_create") == 0)
		return try_create("/dev/shm");
	if (strcmp(name, "etc_read") == 0)
		return try_open("/etc/passwd", O_RDONLY);
	if (strcmp(name, "etc_write") == 0)
		return try_open("/etc/passwd", O_WRONLY);
	if (strcmp(name, "varlog_list") == 0)
		return try_open("/var/log", O_RDONLY | O_DIRECTORY);
	if (strcmp(name, "exec_usr") == 0)
		return try_exec("/usr/bin/true");
	if (strcmp(name, "exec_tmp") == 0)
		return tmp_exe ? try_exec(tmp_exe) : SKIPPED;
	if (strcmp(name, "tcp_connect_allowed") == 0)
		return try_connect(allowed_port);
	if (strcmp(name, "tcp_connect_denied") == 0)
		return try_connect(denied_port);
	if (strcmp(name, "tcp_bind") == 0)
		return try_bind();
	if (strcmp(name, "udp_send") == 0)
		return try_udp(denied_port);
	if (strcmp(name, "signal_outside") == 0)
		return outside_pid ? (kill((pid_t)outside_pid, 0) < 0 ? errno : 0) : SKIPPED;
	if (strcmp(name, "abstract_connect") == 0)
		return abstract_name ? try_abstract() : SKIPPED;
	fprintf(stderr, "ll-probe: unknown operation '%s'\n", name);
	exit(2);
}

static const char *const all_ops[] = {
	"home_create",   "home_mkdir",          "tmp_create",         "vartmp_create",
	"devshm_create", "etc_read",            "etc_write",          "varlog_list",
	"exec_usr",      "exec_tmp",            "tcp_connect_allowed", "tcp_connect_denied",
	"tcp_bind",      "udp_send",            "signal_outside",     "abstract_connect",
};

static long number(const char *s)
{
	char *end;
	errno = 0;
	long v = s ? strtol(s, &end, 10) : 0;
	if (!s || errno || end == s || *end || v <= 0 || v > 4194304) {
		fprintf(stderr, "ll-probe: bad number '%s'\n", s ? s : "");
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	int i = 1;
	const char *h = getenv("HOME");
	snprintf(home, sizeof(home), "%s", h && h[0] ? h : "/nonexistent");
	for (; i < argc && strncmp(argv[i], "--", 2) == 0; i++) {
		const char *v = i + 1 < argc ? argv[i + 1] : NULL;
		if (strcmp(argv[i], "--tmp-exe") == 0 && v)
			tmp_exe = v;
		else if (strcmp(argv[i], "--abstract") == 0 && v)
			abstract_name = v;
		else if (strcmp(argv[i], "--outside-pid") == 0)
			outside_pid = number(v);
		else if (strcmp(argv[i], "--allowed-port") == 0)
			allowed_port = number(v);
		else if (strcmp(argv[i], "--denied-port") == 0)
			denied_port = number(v);
		else {
			fprintf(stderr, "ll-probe: bad option '%s'\n", argv[i]);
			return 2;
		}
		i++;
	}
	size_t n = i < argc ? (size_t)(argc - i) : sizeof(all_ops) / sizeof(all_ops[0]);
	for (size_t k = 0; k < n; k++) {
		const char *name = i < argc ? argv[i + (int)k] : all_ops[k];
		int err = op(name);
		const char *res = err == SKIPPED ? "skipped" : err ? strerrorname_np(err) : "ok";
		printf("%s %s\n", name, res ? res : "EUNKNOWN");
	}
	return 0;
}
