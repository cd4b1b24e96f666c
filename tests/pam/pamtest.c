/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pamtest.c - fixtures for the libpam-level tests (see pamtest.h).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <signal.h>
#include <spawn.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <poll.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "pamtest.h"

extern char **environ;

int pt_fails;
static struct pt *cleanup_t;
static pid_t main_pid;
static pid_t catcher_pid; /* pt_private_syslog */

/* The Landlock calls the probes need, defined here rather than taken from
 * the project's ll_sys.h, so that a mistake there cannot hide in a test. */
struct probe_ruleset_attr {
	uint64_t handled_access_fs;
};
#define PROBE_FS_MAKE_BLOCK (1ULL << 11)

bool pt_check(bool cond, const char *fmt, ...)
{
	va_list ap;
	printf("%s - ", cond ? "ok" : "not ok");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	fflush(stdout);
	if (!cond)
		pt_fails++;
	return cond;
}

int pt_finish(void)
{
	if (pt_fails) {
		printf("FAIL: %d check(s) failed\n", pt_fails);
		return 1;
	}
	printf("PASS\n");
	return 0;
}

static void die(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));
static void die(const char *fmt, ...)
{
	va_list ap;
	printf("not ok - fixture: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\nERROR\n");
	exit(99); /* a hard error, even for a test listed in XFAIL_TESTS */
}

static void prereq_missing(const char *why)
{
	const char *ci = getenv("CI");
	if (ci && strcmp(ci, "true") == 0) {
		printf("ERROR: missing prerequisite under CI=true: %s\n", why);
		exit(99);
	}
	printf("SKIP: %s\n", why);
	exit(77);
}

/* Runs the command ARG0 ARGS... NULL (no shell) and returns its exit
 * status, or -1 if it did not run. */
static int run_cmd(const char *arg0, ...)
{
	char *argv[16];
	int argc = 0, st, rc = -1;
	pid_t pid;
	va_list ap;
	va_start(ap, arg0);
	for (const char *a = arg0; a && argc < 15; a = va_arg(ap, const char *))
		argv[argc++] = strdup(a);
	va_end(ap);
	argv[argc] = NULL;
	if (posix_spawnp(&pid, argv[0], NULL, NULL, argv, environ) == 0 &&
	    waitpid(pid, &st, 0) == pid)
		rc = WIFEXITED(st) ? WEXITSTATUS(st) : -1;
	for (int i = 0; i < argc; i++)
		free(argv[i]);
	return rc;
}

static void cleanup(void)
{
	struct pt *t = cleanup_t;
	if (!t || getpid() != main_pid)
		return;
	cleanup_t = NULL;
	if (catcher_pid > 0) {
		kill(catcher_pid, SIGKILL);
		waitpid(catcher_pid, NULL, 0);
		catcher_pid = 0;
	}
	if (t->user[0]) {
		/* /etc/passwd may be locked by another test for a moment. */
		for (int i = 0; i < 20 && run_cmd("userdel", "-r", "-f", t->user, NULL) != 0; i++)
			usleep(250000);
	}
	if (t->denied[0])
		run_cmd("rm", "-rf", "--", t->denied, NULL);
	if (t->mail[0])
		unlink(t->mail);
	if (t->dir[0]) {
		/* The module's compiled forms of our policies (policycache.h). */
		run_cmd("sh", "-c",
		        "grep -l -a -F -- \"$1/\" /run/pam_landlock/*.policy 2>/dev/null | xargs -r rm -f",
		        "sh", t->dir, NULL);
		run_cmd("rm", "-rf", "--", t->dir, NULL);
	}
}

static void on_signal(int sig)
{
	cleanup();
	signal(sig, SIG_DFL);
	raise(sig);
}

static void add_user(struct pt *t, const char *name)
{
	snprintf(t->user, sizeof(t->user), "llp%d%s", (int)getpid(), name);
	int rc = -1;
	/* Other tests may hold the passwd lock (exit 1 or 10): retry. */
	for (int i = 0; i < 20; i++) {
		rc = run_cmd("useradd", "-m", "-s", "/bin/bash", t->user, NULL);
		if (rc == 0 || (rc != 1 && rc != 10))
			break;
		usleep(250000);
	}
	if (rc != 0) {
		t->user[0] = '\0';
		if (rc < 0)
			prereq_missing("useradd not found (passwd package)");
		die("useradd %s failed with status %d", t->user, rc);
	}
	struct passwd *pw = getpwnam(t->user);
	if (!pw)
		die("getpwnam(%s) after useradd", t->user);
	t->uid = pw->pw_uid;
	t->gid = pw->pw_gid;
	snprintf(t->home, sizeof(t->home), "%s", pw->pw_dir);
	/* A mail spool, so that the shipped policy's /var/mail/${USER} rule
	 * applies and open_session has no warning to log. */
	snprintf(t->mail, sizeof(t->mail), "/var/mail/%s", t->user);
	int fd = open(t->mail, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (fd < 0 || fchown(fd, t->uid, t->gid) != 0)
		die("create %s: %s", t->mail, strerror(errno));
	close(fd);
}

static int count_layers_fn(struct pt *t, const void *arg)
{
	(void)t;
	(void)arg;
	int n = pt_count_layers();
	return n < 0 ? 255 : n;
}

void pt_init(struct pt *t, const char *name)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	memset(t, 0, sizeof(*t));
	if (geteuid() != 0)
		prereq_missing("needs root (setuid to a test user, audit)");
	const char *b = getenv("top_builddir");
	const char *s = getenv("top_srcdir");
	snprintf(t->module, sizeof(t->module), "%s/pam_landlock/.libs/pam_landlock.so",
	         b ? b : ".");
	if (t->module[0] != '/')
		die("top_builddir must be absolute (got '%s')", t->module);
	if (access(t->module, R_OK) != 0)
		prereq_missing("module not built (run make)");

	main_pid = getpid();
	cleanup_t = t;
	atexit(cleanup);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGHUP, on_signal);

	snprintf(t->dir, sizeof(t->dir), "/tmp/pam_landlock-pamtest.XXXXXX");
	if (!mkdtemp(t->dir))
		die("mkdtemp: %s", strerror(errno));
	chmod(t->dir, 0755);
	add_user(t, name);
	snprintf(t->denied, sizeof(t->denied), "/var/tmp/pam_landlock-pamtest.XXXXXX");
	if (!mkdtemp(t->denied))
		die("mkdtemp in /var/tmp: %s", strerror(errno));
	if (chown(t->denied, t->uid, t->gid) != 0)
		die("chown %s: %s", t->denied, strerror(errno));

	/* The shipped default policy, root-owned 0644 as the module wants. */
	char src[PATH_MAX];
	snprintf(src, sizeof(src), "%s/conf/landlock.conf", s ? s : "..");
	FILE *in = fopen(src, "r");
	if (!in)
		die("cannot read the shipped policy %s (top_srcdir): %s", src, strerror(errno));
	static char conf[64 * 1024];
	size_t n = fread(conf, 1, sizeof(conf) - 1, in);
	conf[n] = '\0';
	fclose(in);
	snprintf(t->policy, sizeof(t->policy), "%s", pt_file(t, "landlock.conf", conf, 0644));

	/* Without an "other" file libpam logs to syslog in pam_start, which
	 * opens the syslog socket in the test process before any session. */
	pt_file(t, "other",
	        "auth required pam_deny.so\naccount required pam_deny.so\npassword required "
	        "pam_deny.so\nsession required pam_deny.so\n",
	        0644);

	t->layers = pt_run(t, count_layers_fn, NULL);
	printf("# user %s uid %d home %s; denied dir %s; free Landlock layers %d\n", t->user,
	       (int)t->uid, t->home, t->denied, t->layers);
	if (t->layers < 2 || t->layers > 16)
		die("an unconfined process can stack %d Landlock layers (need 2..16; is Landlock "
		    "enabled?)",
		    t->layers);
}

const char *pt_file(struct pt *t, const char *name, const char *content, mode_t mode)
{
	static char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s", t->dir, name);
	unlink(path);
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		die("create %s: %s", path, strerror(errno));
	size_t len = strlen(content);
	if (write(fd, content, len) != (ssize_t)len || fchmod(fd, mode) != 0)
		die("write %s: %s", path, strerror(errno));
	close(fd);
	return path;
}

void pt_service(struct pt *t, const char *name, const char *args)
{
	char line[PATH_MAX * 3];
	snprintf(line, sizeof(line), "session required %s %s\n", t->module, args);
	pt_file(t, name, line, 0644);
}

static int null_conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	(void)n;
	(void)msg;
	(void)resp;
	(void)data;
	return PAM_CONV_ERR;
}

pam_handle_t *pt_start(struct pt *t, const char *service, const char *user)
{
	static const struct pam_conv conv = {null_conv, NULL};
	pam_handle_t *pamh = NULL;
	int rc = pam_start_confdir(service, user, &conv, t->dir, &pamh);
	if (rc != PAM_SUCCESS || !pamh)
		die("pam_start_confdir(%s, %s): %s", service, user, pam_strerror(pamh, rc));
	return pamh;
}

int pt_run(struct pt *t, int (*fn)(struct pt *, const void *), const void *arg)
{
	int st;
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (pid == 0) {
		int rc = fn(t, arg);
		fflush(stdout);
		_exit(rc);
	}
	if (waitpid(pid, &st, 0) < 0)
		die("waitpid: %s", strerror(errno));
	return WIFEXITED(st) ? WEXITSTATUS(st) : 255;
}

void pt_sub(struct pt *t, int (*fn)(struct pt *, const void *), const void *arg)
{
	int rc = pt_run(t, fn, arg);
	if (rc == 255)
		pt_check(false, "a test child died or exited with 255");
	else
		pt_fails += rc;
}

int pt_become_user(struct pt *t)
{
	if (setgroups(0, NULL) != 0 || setgid(t->gid) != 0 || setuid(t->uid) != 0)
		return -errno;
	if (getuid() != t->uid || geteuid() != t->uid)
		return -EPERM;
	return 0;
}

int pt_try_create(const char *dir, const char *name)
{
	char path[PATH_MAX];
	snprintf(path, sizeof(path), "%s/%s-%d", dir, name, (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0)
		return errno;
	int e = 0;
	if (write(fd, "x\n", 2) != 2)
		e = errno;
	close(fd);
	if (unlink(path) != 0 && !e)
		e = errno;
	return e;
}

int pt_count_layers(void)
{
	struct probe_ruleset_attr attr = {PROBE_FS_MAKE_BLOCK};
	int n = 0;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return -errno;
	int fd = (int)syscall(SYS_landlock_create_ruleset, &attr, sizeof(attr), 0U);
	if (fd < 0)
		return -errno;
	for (; n < 32; n++) {
		if (syscall(SYS_landlock_restrict_self, fd, 0U) != 0) {
			int e = errno;
			close(fd);
			return e == E2BIG ? n : -e;
		}
	}
	close(fd);
	return -ERANGE;
}

bool pt_holds_ruleset_fd(void)
{
	char buf[8192];
	pt_list_fds(buf, sizeof(buf));
	return strstr(buf, "landlock-ruleset") != NULL;
}

static int cmp_int(const void *a, const void *b)
{
	return *(const int *)a - *(const int *)b;
}

void pt_list_fds(char *buf, size_t len)
{
	int fds[1024], nfds = 0;
	DIR *d = opendir("/proc/self/fd");
	buf[0] = '\0';
	if (!d) {
		snprintf(buf, len, "cannot open /proc/self/fd: %s\n", strerror(errno));
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) && nfds < 1024) {
		if (e->d_name[0] == '.')
			continue;
		int fd = atoi(e->d_name);
		if (fd != dirfd(d))
			fds[nfds++] = fd;
	}
	closedir(d);
	qsort(fds, (size_t)nfds, sizeof(int), cmp_int);
	size_t off = 0;
	for (int i = 0; i < nfds && off < len; i++) {
		char p[64], target[PATH_MAX - 64];
		snprintf(p, sizeof(p), "/proc/self/fd/%d", fds[i]);
		ssize_t n = readlink(p, target, sizeof(target) - 1);
		if (n < 0)
			n = 0;
		target[n] = '\0';
		/* For sockets, the family too (AF_UNIX 1, AF_NETLINK 16). */
		int dom = -1;
		socklen_t sl = sizeof(dom);
		if (strncmp(target, "socket:", 7) == 0)
			getsockopt(fds[i], SOL_SOCKET, SO_DOMAIN, &dom, &sl);
		int fl = fcntl(fds[i], F_GETFD);
		off += (size_t)snprintf(buf + off, len - off, "%d -> %s%s%s\n", fds[i], target,
		                        dom == -1   ? ""
		                        : dom == 1  ? " (unix)"
		                        : dom == 16 ? " (netlink)"
		                                    : " (other family)",
		                        fl >= 0 && (fl & FD_CLOEXEC) ? " cloexec" : "");
	}
}

int pt_expect_confined(struct pt *t, const char *who)
{
	int before = pt_fails, rc;
	rc = pt_become_user(t);
	if (!pt_check(rc == 0, "%s: runs as %s (uid %d)", who, t->user, (int)t->uid))
		return pt_fails - before;
	rc = pt_try_create(t->denied, "denied");
	pt_check(rc == EACCES,
	         "%s: creating a file in %s (outside the profile) fails with EACCES (got %s)", who,
	         t->denied, rc ? strerror(rc) : "success");
	rc = pt_try_create(t->home, "allowed");
	pt_check(rc == 0, "%s: creating a file in the home %s succeeds (%s)", who, t->home,
	         rc ? strerror(rc) : "ok");
	rc = pt_try_create("/tmp", "allowed");
	pt_check(rc == 0, "%s: creating a file in /tmp succeeds (%s)", who,
	         rc ? strerror(rc) : "ok");
	rc = pt_count_layers();
	pt_check(rc == t->layers - 1,
	         "%s: exactly one Landlock layer is stacked (%d free, unconfined %d)", who, rc,
	         t->layers);
	return pt_fails - before;
}

int pt_expect_unconfined(struct pt *t, const char *who)
{
	int before = pt_fails, rc;
	rc = pt_become_user(t);
	if (!pt_check(rc == 0, "%s: runs as %s (uid %d)", who, t->user, (int)t->uid))
		return pt_fails - before;
	rc = pt_try_create(t->denied, "free");
	pt_check(rc == 0, "%s: not confined: creating a file in %s succeeds (%s)", who, t->denied,
	         rc ? strerror(rc) : "ok");
	rc = pt_count_layers();
	pt_check(rc == t->layers, "%s: no Landlock layer is stacked (%d free, unconfined %d)", who,
	         rc, t->layers);
	return pt_fails - before;
}

void pt_expect_second_refused(struct pt *t, const char *service, const char *who)
{
	pam_handle_t *second = pt_start(t, service, t->user);
	int rc = pam_open_session(second, 0);
	pt_check(rc == PAM_PERM_DENIED, "a second open_session in %s is refused (%s)", who,
	         pam_strerror(second, rc));
	pam_end(second, rc);
}

/* Whether LINE (without its newline) is one of the lines of LIST. */
bool pt_has_line(const char *list, const char *line)
{
	size_t len = strlen(line);
	for (const char *l = list; *l;) {
		const char *nl = strchr(l, '\n');
		size_t n = nl ? (size_t)(nl - l) : strlen(l);
		if (n == len && strncmp(l, line, len) == 0)
			return true;
		if (!nl)
			break;
		l = nl + 1;
	}
	return false;
}

/* ---- a private /dev/log --------------------------------------------------- */

/* The /dev entries the shipped policy names (a missing one would refuse the
 * session) and what programs expect to find there. */
static void stage_dev(const char *stage)
{
	static const char *const files[] = {"null", "zero",    "full", "random",
	                                    "urandom", "tty", "ptmx", NULL};
	static const char *const dirs[] = {"pts", "shm", NULL};
	static const char *const links[][2] = {{"fd", "/proc/self/fd"},
	                                       {"stdin", "/proc/self/fd/0"},
	                                       {"stdout", "/proc/self/fd/1"},
	                                       {"stderr", "/proc/self/fd/2"}};
	char src[64], dst[400];
	struct stat st;
	for (int i = 0; files[i]; i++) {
		snprintf(src, sizeof(src), "/dev/%s", files[i]);
		snprintf(dst, sizeof(dst), "%s/%s", stage, files[i]);
		if (lstat(src, &st) != 0)
			continue;
		if (S_ISLNK(st.st_mode)) {
			char to[PATH_MAX];
			ssize_t n = readlink(src, to, sizeof(to) - 1);
			to[n > 0 ? n : 0] = '\0';
			if (n <= 0 || symlink(to, dst) != 0)
				die("copy the symlink %s: %s", src, strerror(errno));
			continue;
		}
		int fd = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			die("create %s: %s", dst, strerror(errno));
		close(fd);
		if (mount(src, dst, NULL, MS_BIND, NULL) != 0)
			die("bind-mount %s on %s: %s", src, dst, strerror(errno));
	}
	for (int i = 0; dirs[i]; i++) {
		snprintf(src, sizeof(src), "/dev/%s", dirs[i]);
		snprintf(dst, sizeof(dst), "%s/%s", stage, dirs[i]);
		if (stat(src, &st) != 0 || !S_ISDIR(st.st_mode))
			continue;
		if (mkdir(dst, 0755) != 0 || mount(src, dst, NULL, MS_BIND | MS_REC, NULL) != 0)
			die("bind-mount %s on %s: %s", src, dst, strerror(errno));
	}
	for (size_t i = 0; i < sizeof(links) / sizeof(links[0]); i++) {
		snprintf(dst, sizeof(dst), "%s/%s", stage, links[i][0]);
		if (symlink(links[i][1], dst) != 0)
			die("symlink %s: %s", dst, strerror(errno));
	}
}

void pt_private_syslog(struct pt *t)
{
	char stage[300], logfile[300];
	snprintf(stage, sizeof(stage), "%s/dev", t->dir);
	snprintf(logfile, sizeof(logfile), "%s/syslog", t->dir);
	if (unshare(CLONE_NEWNS) != 0)
		die("unshare(CLONE_NEWNS): %s", strerror(errno));
	if (mount(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
		die("make / private in the new mount namespace: %s", strerror(errno));
	if (mkdir(stage, 0755) != 0 ||
	    mount("tmpfs", stage, "tmpfs", MS_NOSUID | MS_NOEXEC, "mode=0755") != 0)
		die("tmpfs on %s: %s", stage, strerror(errno));
	stage_dev(stage);
	if (mount(stage, "/dev", NULL, MS_MOVE, NULL) != 0)
		die("move %s onto /dev: %s", stage, strerror(errno));

	struct sockaddr_un sa = {.sun_family = AF_UNIX, .sun_path = "/dev/log"};
	int s = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0 || bind(s, (struct sockaddr *)&sa, sizeof(sa)) != 0 || chmod("/dev/log", 0666))
		die("bind the private /dev/log: %s", strerror(errno));
	int out = open(logfile, O_WRONLY | O_CREAT | O_TRUNC | O_APPEND | O_CLOEXEC, 0644);
	if (out < 0)
		die("create %s: %s", logfile, strerror(errno));
	fflush(stdout);
	catcher_pid = fork();
	if (catcher_pid < 0)
		die("fork: %s", strerror(errno));
	if (catcher_pid == 0) {
		static char buf[16384];
		for (;;) {
			ssize_t n = recv(s, buf, sizeof(buf) - 1, 0);
			if (n < 0 && errno != EINTR)
				_exit(1);
			if (n <= 0)
				continue;
			/* A stream-style line ends with NUL: one line either way. */
			while (n > 0 && (buf[n - 1] == '\0' || buf[n - 1] == '\n'))
				n--;
			buf[n++] = '\n';
			if (write(out, buf, (size_t)n) != n)
				_exit(1);
		}
	}
	close(s);
	close(out);
}

char *pt_syslog_read(struct pt *t)
{
	char path[PATH_MAX];
	struct stat st;
	off_t last = -1;
	snprintf(path, sizeof(path), "%s/syslog", t->dir);
	/* Datagrams still queued are written within milliseconds. */
	for (int i = 0; i < 50; i++) {
		if (stat(path, &st) == 0 && st.st_size == last)
			break;
		last = stat(path, &st) == 0 ? st.st_size : -1;
		usleep(20000);
	}
	FILE *f = fopen(path, "r");
	if (!f)
		die("read %s: %s", path, strerror(errno));
	size_t cap = 65536, n = 0;
	char *buf = malloc(cap);
	for (size_t got; buf && (got = fread(buf + n, 1, cap - n - 1, f)) > 0;) {
		n += got;
		if (cap - n < 4096) {
			char *nb = realloc(buf, cap * 2);
			if (!nb)
				free(buf);
			buf = nb;
			cap *= 2;
		}
	}
	fclose(f);
	if (!buf)
		die("out of memory reading %s", path);
	buf[n] = '\0';
	return buf;
}

/* The state letter of PID in /proc/PID/stat, or 0. */
static char proc_state(pid_t pid)
{
	char path[64], buf[512];
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	const char *p = strrchr(buf, ')'); /* comm may hold spaces and ')' */
	return p && p[1] == ' ' ? p[2] : 0;
}

/* Holding returns only once the catcher has stopped: kill(SIGSTOP) returns
 * while it may still be inside recv() on the other CPU, and a datagram it
 * takes then makes room in a /dev/log the test believes full. */
void pt_syslog_hold(bool hold)
{
	if (catcher_pid <= 0 || kill(catcher_pid, hold ? SIGSTOP : SIGCONT) != 0)
		die("no private syslog catcher to %s", hold ? "stop" : "resume");
	for (int i = 0; hold && proc_state(catcher_pid) != 'T'; i++) {
		if (i == 5000)
			die("the private syslog catcher %d did not stop within 5 s", (int)catcher_pid);
		usleep(1000);
	}
}

int pt_wait_deadline(pid_t pid, int deadline_ms)
{
	int st, pfd = (int)syscall(SYS_pidfd_open, pid, 0);
	if (pfd < 0)
		die("pidfd_open(%d): %s", (int)pid, strerror(errno));
	struct pollfd p = {.fd = pfd, .events = POLLIN};
	struct timespec t0, now;
	int rc, left = deadline_ms;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while ((rc = poll(&p, 1, left)) < 0 && errno == EINTR) {
		clock_gettime(CLOCK_MONOTONIC, &now);
		long spent = (now.tv_sec - t0.tv_sec) * 1000 + (now.tv_nsec - t0.tv_nsec) / 1000000;
		left = spent >= deadline_ms ? 0 : deadline_ms - (int)spent;
	}
	close(pfd);
	if (rc == 0)
		kill(pid, SIGKILL);
	if (waitpid(pid, &st, 0) != pid)
		die("waitpid(%d): %s", (int)pid, strerror(errno));
	return rc == 0 ? -1 : st;
}
