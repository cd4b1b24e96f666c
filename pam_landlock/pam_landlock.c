/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_landlock.c - the PAM entry points and the fork hook.
 *
 * The mechanism (see pam_landlock(8), "HOW THE SESSION IS CONFINED"): every
 * session is either confined or refused, for any application.
 *
 * pam_sm_open_session() does all the work that can fail - policy, user,
 * profile, ABI, paths, ruleset, second layer - and refuses the session on
 * any failure.  Then one of two things happens, chosen by the opener's
 * executable (something root controls):
 *
 * - confine=opener (the default, for every application the module does not
 *   know): the opening process itself enforces the domain before
 *   open_session returns.  Whatever the application does next - exec the
 *   user's program (pkexec), serve the user in the same process (proftpd,
 *   smbd), start them with clone/vfork/posix_spawn (vsftpd) - runs inside.
 *
 * - confine=children, for the supervisors listed in openers.c, each verified
 *   end to end: they fork the session's first process and keep working
 *   outside it (sshd's monitor writes wtmp and lastlog, login/su/sudo wait
 *   and close the session).  The opener stays unconfined and a
 *   pthread_atfork hook enforces the prepared domain in every process it
 *   forks until close_session, before that process returns from fork().  The hook only
 *   makes async-signal-safe system calls with prepared data, so a fork from
 *   a multi-threaded opener or a signal handler cannot block on a lock.  A
 *   child that cannot enforce the domain exits at once.
 *
 * A module line may force either with confine=children|opener.
 */
#include "config.h"

#include <dirent.h>
#include <dlfcn.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <syslog.h>
#include <unistd.h>

#define PAM_SM_SESSION
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "ll_sys.h"
#include "openers.h"
#include "session.h"

#define DATA_NAME "pam_landlock"

enum confine { CONFINE_AUTO, CONFINE_CHILDREN, CONFINE_OPENER };

/* Written by confined children, read by the opener at close_session. */
#define MAX_SEEN 256
struct seen {
	unsigned long confined, failed;
	pid_t pid[MAX_SEEN];
};

/* The state the fork hook reads: one armed session per process. */
static struct {
	int armed;            /* the hook enforces in new children */
	bool hook_ok;         /* pthread_atfork succeeded (at load) */
	bool opener_mode;     /* the opener confined itself (a thread of it) */
	bool closed;          /* close_session ran */
	pid_t opener;
	/* Opener mode: set (to &g) in the confined thread only.  A forked child
	 * is a copy of the thread that forked it, so pthread_getspecific() there
	 * (lock-free) tells whether that thread was the confined one; a thread
	 * created later, even with a reused descriptor, starts with NULL. */
	pthread_key_t confined_key;
	bool key_ok;
	struct ll_enforce enf;
	dev_t rs_dev;         /* the ruleset's identity: see remember_ruleset() */
	ino_t rs_ino;
	pid_t rs_mark;
	struct ll_log log;
	struct seen *seen;    /* MAP_SHARED */
	char user[256];
	char service[128];
	char digest[LL_SHA256_HEX];
	char confined[1600];  /* "confined user=... confine=children" */
	char audit[1600];     /* the enforce record's fields */
} g = { .enf = { .ruleset_fd = -1 } };

struct args {
	const char *conf;
	bool debug;
	enum confine confine;
};

/* ---- the fork hook: async-signal-safe only ------------------------------ */

/* After a successful enforcement: one syslog line and one audit record from
 * the confined process (its pid is the domain's creator pid); each says
 * when the other could not be written. */
static void report_confined(void)
{
	char body[1700], text[2600], err[32];
	size_t n = strlen(g.confined);
	int srs = ll_syslog_send(&g.log, LOG_NOTICE, g.confined, n, true);
	size_t off = ll_fmt_str(body, sizeof(body), 0, g.audit);
	if (srs < 0) {
		off = ll_fmt_str(body, sizeof(body), off, " syslog=");
		ll_fmt_str(body, sizeof(body), off, ll_errno_name(-srs, err, sizeof(err)));
	}
	n = ll_audit_text(&g.log, text, sizeof(text), "pam_landlock-enforce", g.user, body, true);
	int ars = ll_audit_send_text(text, n);
	if (ars < 0) {
		off = ll_fmt_str(body, sizeof(body), 0, "audit record of the confinement of ");
		off = ll_fmt_str(body, sizeof(body), off, g.user);
		off = ll_fmt_str(body, sizeof(body), off, " not written: ");
		off = ll_fmt_str(body, sizeof(body), off, ll_errno_name(-ars, err, sizeof(err)));
		ll_syslog_send(&g.log, LOG_WARNING, body, off, true);
	}
}

/* Writes LINE to stderr if that does not wait: stderr may be a full pipe
 * (a stuck logger) or a stopped terminal.  RWF_NOWAIT where the file
 * supports it (pipes, regular files), else only if poll says it is
 * writable now (terminals, sockets). */
static void write_stderr_nowait(const char *line, size_t len)
{
	struct iovec v = { .iov_base = (void *)(uintptr_t)line, .iov_len = len };
	if (pwritev2(STDERR_FILENO, &v, 1, -1, RWF_NOWAIT) >= 0 ||
	    (errno != EOPNOTSUPP && errno != EINVAL && errno != ENOSYS))
		return;
	struct pollfd p = { .fd = STDERR_FILENO, .events = POLLOUT };
	if (poll(&p, 1, 0) == 1 && (p.revents & POLLOUT)) {
		ssize_t w = write(STDERR_FILENO, line, len);
		(void)w;
	}
}

/* Refusal from a process that must not go on: stderr, syslog, audit. */
static void report_refused(const char *what, int e)
{
	char msg[900], body[1400], text[2200], err[32];
	size_t off = ll_fmt_str(msg, sizeof(msg), 0, "session refused for ");
	off = ll_fmt_str(msg, sizeof(msg), off, g.user);
	off = ll_fmt_str(msg, sizeof(msg), off, ": ");
	off = ll_fmt_str(msg, sizeof(msg), off, what);
	if (e) {
		off = ll_fmt_str(msg, sizeof(msg), off, ": ");
		off = ll_fmt_str(msg, sizeof(msg), off, ll_errno_name(e, err, sizeof(err)));
	}
	off = ll_fmt_str(msg, sizeof(msg), off,
	                 e == E2BIG ? "; 16 Landlock layers are already stacked: start the service "
	                              "outside other sandboxes"
	                            : "; the process exits");
	char line[960];
	size_t ln = ll_fmt_str(line, sizeof(line), 0, "pam_landlock: ");
	ln = ll_fmt_str(line, sizeof(line), ln, msg);
	ln = ll_fmt_str(line, sizeof(line), ln, "\n");
	write_stderr_nowait(line, ln);
	int srs = ll_syslog_send(&g.log, LOG_CRIT, msg, off, true);
	size_t bo = ll_fmt_str(body, sizeof(body), 0, "service=");
	bo = ll_fmt_str(body, sizeof(body), bo, g.service);
	if (g.digest[0]) {
		bo = ll_fmt_str(body, sizeof(body), bo, " digest=");
		bo = ll_fmt_str(body, sizeof(body), bo, g.digest);
	}
	if (srs < 0)
		bo = ll_fmt_str(body, sizeof(body), bo, " syslog=failed");
	bo = ll_fmt_str(body, sizeof(body), bo, " ");
	ll_audit_encode(body + bo, sizeof(body) - bo, "reason", msg, true);
	size_t tn = ll_audit_text(&g.log, text, sizeof(text), "pam_landlock-refused", g.user, body,
	                          false);
	ll_audit_send_text(text, tn);
}

/* Whether FD is still the ruleset open_session prepared (async-signal-safe).
 * fstat alone cannot tell: every anonymous-inode file (eventfd, signalfd,
 * epoll, the application's own Landlock ruleset) has the same device and
 * inode.  The mark does: the ruleset's owner (F_SETOWN_EX, inert on a file
 * that sends no SIGIO) is the opener process.  A process, not the thread:
 * a thread's ownership reads as 0 once the thread has exited, a process's
 * lasts as long as the process. */
static bool is_our_ruleset(int fd)
{
	struct stat st;
	struct f_owner_ex own;
	return fd >= 0 && fstat(fd, &st) == 0 && st.st_dev == g.rs_dev && st.st_ino == g.rs_ino &&
	       (!g.rs_mark || (fcntl(fd, F_GETOWN_EX, &own) == 0 && own.type == F_OWNER_PID &&
	                       own.pid == g.rs_mark));
}

static int remember_ruleset(int fd)
{
	struct stat st;
	struct f_owner_ex own = { .type = F_OWNER_PID, .pid = getpid() };
	if (fstat(fd, &st) < 0)
		return -1;
	g.rs_dev = st.st_dev;
	g.rs_ino = st.st_ino;
	g.rs_mark = fcntl(fd, F_SETOWN_EX, &own) == 0 ? own.pid : 0;
	return 0;
}

#define RULESET_REPLACED                                                                           \
	"the Landlock ruleset's file descriptor was closed or replaced by the application "        \
	"after the session opened (closefrom?); this process cannot be confined"

static void enforce_child(void)
{
	int fd = g.enf.ruleset_fd;
	enum ll_enforce_step step;

	if (!is_our_ruleset(fd)) {
		report_refused(RULESET_REPLACED, 0);
		goto fail;
	}
	int rc = ll_enforce_apply(&g.enf, false, &step);
	if (rc == -EBADFD && step == LL_STEP_LANDLOCK) {
		report_refused(RULESET_REPLACED, 0); /* not a ruleset after all */
		goto fail;
	}
	if (rc < 0) {
		char what[200];
		size_t off = ll_fmt_str(what, sizeof(what), 0, ll_enforce_step_name(step));
		ll_fmt_str(what, sizeof(what), off, " failed in the forked child");
		report_refused(what, -rc);
		goto fail;
	}
	close(fd);
	g.enf.ruleset_fd = -1;
	if (g.seen) {
		unsigned long i = __atomic_fetch_add(&g.seen->confined, 1, __ATOMIC_SEQ_CST);
		if (i < MAX_SEEN)
			__atomic_store_n(&g.seen->pid[i], getpid(), __ATOMIC_SEQ_CST);
	}
	report_confined();
	return;
fail:
	if (g.seen)
		__atomic_fetch_add(&g.seen->failed, 1, __ATOMIC_SEQ_CST);
	_exit(EXIT_FAILURE);
}

/* While armed, a fork runs with every signal blocked from the prepare
 * handler to the end of the child handler: otherwise a signal that reaches
 * the new process first (the terminal's, one sent to the process group)
 * would run the application's handler in it before it is confined.  Each
 * forking thread keeps its mask in a slot it finds again by pthread_self()
 * (the child is a copy of that thread).  Concurrent forks beyond the slots
 * go unblocked. */
#define MAX_FORKING 64
static struct {
	int state; /* 0 free, 1 taken, 2 filled */
	pthread_t self;
	sigset_t mask;
} forking[MAX_FORKING];

static int my_fork_slot(void)
{
	pthread_t me = pthread_self();
	for (int i = 0; i < MAX_FORKING; i++)
		if (__atomic_load_n(&forking[i].state, __ATOMIC_ACQUIRE) == 2 &&
		    pthread_equal(forking[i].self, me))
			return i;
	return -1;
}

static void restore_mask(void)
{
	int i = my_fork_slot();
	if (i < 0)
		return;
	sigset_t mask = forking[i].mask;
	__atomic_store_n(&forking[i].state, 0, __ATOMIC_RELEASE);
	pthread_sigmask(SIG_SETMASK, &mask, NULL);
}

static void hook_prepare(void)
{
	if (!__atomic_load_n(&g.armed, __ATOMIC_SEQ_CST))
		return;
	int saved = errno;
	for (int i = 0; i < MAX_FORKING; i++) {
		int free_slot = 0;
		if (!__atomic_compare_exchange_n(&forking[i].state, &free_slot, 1, false,
		                                 __ATOMIC_ACQ_REL, __ATOMIC_RELAXED))
			continue;
		sigset_t all;
		sigfillset(&all);
		forking[i].self = pthread_self();
		pthread_sigmask(SIG_SETMASK, &all, &forking[i].mask);
		__atomic_store_n(&forking[i].state, 2, __ATOMIC_RELEASE);
		break;
	}
	errno = saved;
}

static void hook_parent(void)
{
	int saved = errno;
	restore_mask();
	errno = saved;
}

static void hook_child(void)
{
	int saved = errno;
	if (__atomic_load_n(&g.armed, __ATOMIC_SEQ_CST)) {
		/* This copy of the state is disarmed whatever happens: the
		 * child's own children inherit its domain. */
		g.armed = 0;
		if (!g.opener_mode || pthread_getspecific(g.confined_key) != &g)
			enforce_child();
	}
	restore_mask();
	errno = saved;
}

/* Registered when the module is loaded (pam_start), so that fork handlers
 * the application registers later run after this one in the child. */
__attribute__((constructor)) static void module_init(void)
{
	g.hook_ok = pthread_atfork(hook_prepare, hook_parent, hook_child) == 0;
}

/* ---- the opener ------------------------------------------------------------ */

static int parse_args(const struct ll_log *log, int argc, const char **argv, struct args *a)
{
	a->conf = LL_DEFAULT_CONF;
	a->debug = false;
	a->confine = CONFINE_AUTO;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "conf=", 5) == 0 && argv[i][5] == '/') {
			a->conf = argv[i] + 5;
		} else if (strcmp(argv[i], "debug") == 0) {
			a->debug = true;
		} else if (strcmp(argv[i], "confine=auto") == 0) {
			a->confine = CONFINE_AUTO;
		} else if (strcmp(argv[i], "confine=children") == 0) {
			a->confine = CONFINE_CHILDREN;
		} else if (strcmp(argv[i], "confine=opener") == 0) {
			a->confine = CONFINE_OPENER;
		} else {
			ll_syslogf(log, LOG_ERR,
			           "unknown or bad module argument '%s'; session refused (valid: "
			           "conf=/absolute/path, confine=auto|children|opener, debug)",
			           argv[i]);
			return -1;
		}
	}
	return 0;
}

static void warn_to_syslog(void *arg, const char *file, int line, const char *msg)
{
	if (line > 0)
		ll_syslogf(arg, LOG_WARNING, "%s:%d: %s", file, line, msg);
	else
		ll_syslogf(arg, LOG_WARNING, "%s: %s", file, msg);
}

/* The opener's entry in the table of known applications (openers.c), if
 * its executable is listed there and owned by root; NULL if not. */
static const struct ll_opener *known_opener(void)
{
	char exe[4096];
	return ll_opener_self(exe, sizeof(exe)) == 0 ? ll_opener_by_exe(exe) : NULL;
}

static int count_threads(void)
{
	DIR *d = opendir("/proc/self/task");
	int n = 0;
	if (!d)
		return 2; /* unknown: assume others exist */
	for (struct dirent *e; (e = readdir(d));)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n > 0 ? n : 2;
}

/* Refusal in the opener: syslog, audit, and stderr when neither worked. */
static void refuse(const struct ll_log *log, const char *user, const char *service,
                   const char *digest, const char *fmt, ...) __attribute__((format(printf, 5, 6)));
static void refuse(const struct ll_log *log, const char *user, const char *service,
                   const char *digest, const char *fmt, ...)
{
	char msg[1800], reason[1400], err[32];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(reason, sizeof(reason), fmt, ap);
	va_end(ap);
	snprintf(msg, sizeof(msg), "session refused for %s: %s", user ? user : "?", reason);
	int srs = ll_syslog_send(log, LOG_ERR, msg, strlen(msg), false);
	char svc[200];
	snprintf(svc, sizeof(svc), "%s%s", service ? service : "?", srs < 0 ? " syslog=failed" : "");
	int ars = ll_audit_refused(log, "pam_landlock-refused", user, svc, digest, reason);
	if (ars < 0 && srs == 0)
		ll_syslogf(log, LOG_WARNING, "audit record of the refusal for %s not written: %s",
		           user ? user : "?", ll_errno_name(-ars, err, sizeof(err)));
	if (ars < 0 && srs < 0)
		dprintf(STDERR_FILENO, "pam_landlock: %s\n", msg);
}

/* Keeps the module loaded for good: pam_end() unloads modules, which would
 * take the fork hook away while the session is still open. */
static int pin_module(void)
{
	Dl_info info;
	if (!dladdr((void *)pin_module, &info) || !info.dli_fname)
		return -1;
	return dlopen(info.dli_fname, RTLD_NOW | RTLD_NOLOAD | RTLD_NODELETE) ? 0 : -1;
}

static void disarm(void)
{
	__atomic_store_n(&g.armed, 0, __ATOMIC_SEQ_CST);
	int fd = g.enf.ruleset_fd;
	g.enf.ruleset_fd = -1;
	/* Only our own fd: the application may have closed it and reused the
	 * number (closefrom). */
	char proc[64], target[64];
	snprintf(proc, sizeof(proc), "/proc/self/fd/%d", fd);
	ssize_t n = fd >= 0 ? readlink(proc, target, sizeof(target) - 1) : -1;
	if (n > 0)
		target[n] = '\0';
	if (is_our_ruleset(fd) && n > 0 && strcmp(target, "anon_inode:[landlock-ruleset]") == 0)
		close(fd);
	ll_l2_free(&g.enf.l2);
}

/* What close_session says about children the hook could not see. */
static void check_children(const struct ll_log *log)
{
	char path[300], buf[4096];
	unsigned long confined = __atomic_load_n(&g.seen->confined, __ATOMIC_SEQ_CST);
	unsigned long failed = __atomic_load_n(&g.seen->failed, __ATOMIC_SEQ_CST);
	if (failed)
		ll_syslogf(log, LOG_WARNING,
		           "session of %s: %lu process(es) forked by the opener could not be confined "
		           "and exited",
		           g.user, failed);
	if (confined == 0)
		ll_syslogf(log, LOG_WARNING,
		           "session of %s closed without any process confined by the fork hook: "
		           "nothing of this session ran in its domain (an application that starts the "
		           "session with vfork, posix_spawn, system, popen or clone does not belong "
		           "with confine=children; with dovecot-like services the session is not a "
		           "child of the opener at all)",
		           g.user);
	/* Live children that did not come through the hook. */
	DIR *d = opendir("/proc/self/task");
	for (struct dirent *e; d && (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/children", e->d_name);
		int fd = open(path, O_RDONLY | O_CLOEXEC);
		ssize_t n = fd >= 0 ? read(fd, buf, sizeof(buf) - 1) : -1;
		if (fd >= 0)
			close(fd);
		buf[n > 0 ? n : 0] = '\0';
		char *save = NULL;
		for (char *tok = strtok_r(buf, " \n", &save); tok;
		     tok = strtok_r(NULL, " \n", &save)) {
			pid_t pid = (pid_t)atoi(tok);
			bool known = false;
			for (unsigned long i = 0; i < confined && i < MAX_SEEN && !known; i++)
				known = g.seen->pid[i] == pid;
			if (known)
				continue;
			/* Past MAX_SEEN confined children the table is incomplete:
			 * say so rather than nothing. */
			if (confined <= MAX_SEEN)
				ll_syslogf(log, LOG_WARNING,
				           "session of %s: process %d was started by the opener without "
				           "fork(2) (vfork, posix_spawn, system, popen, clone): it is NOT "
				           "confined",
				           g.user, (int)pid);
			else
				ll_syslogf(log, LOG_WARNING,
				           "session of %s: process %d of the opener could not be checked "
				           "(%lu processes were confined in this session, the module "
				           "records %d): if it was started without fork(2) (vfork, "
				           "posix_spawn, system, popen, clone), it is NOT confined",
				           g.user, (int)pid, confined, MAX_SEEN);
		}
	}
	if (d)
		closedir(d);
}

static void cleanup_data(pam_handle_t *pamh, void *data, int status)
{
	(void)pamh;
	(void)data;
	if (!__atomic_load_n(&g.armed, __ATOMIC_SEQ_CST) || getpid() != g.opener || g.closed ||
	    g.opener_mode)
		return;
	if (status & PAM_DATA_SILENT) {
		/* The opener ends PAM to become the session (systemd's user
		 * manager, after forking the helper that closes it). */
		__atomic_store_n(&g.armed, 0, __ATOMIC_SEQ_CST);
		enum ll_enforce_step step;
		int rc = ll_enforce_apply(&g.enf, false, &step);
		if (rc < 0) {
			report_refused("the process ending PAM to become the session could not be "
			               "confined",
			               -rc);
			_exit(EXIT_FAILURE);
		}
		report_confined();
		disarm();
		return;
	}
	/* pam_end() while the session is open: the module stays loaded and
	 * the hook armed, so nothing this process forks later escapes. */
	ll_syslogf(&g.log, LOG_WARNING,
	           "PAM ended while the session of %s is still open (no close_session): every "
	           "process this process forks from now on is confined",
	           g.user);
}

static int open_opener(pam_handle_t *pamh, const struct args *a, const char *user,
                       const char *svc, const char *rhost, struct ll_log *log)
{
	struct ll_session s;
	struct ll_diag diag = { 0 };
	struct ll_diag_sink sink = { warn_to_syslog, log };
	char buf[1400];
	int threads = count_threads();
	unsigned flags = LL_LOAD_TRUSTED | LL_LOAD_CACHE | LL_SESSION_OPENER |
	                 (threads > 1 ? LL_SESSION_ALL_THREADS : 0);
	int ret = PAM_PERM_DENIED;

	if (ll_session_prepare(&s, a->conf, flags, user, svc, rhost, ll_abi_probe(), &diag,
	                       &sink) < 0) {
		refuse(log, user, svc, s.digest, "%s", ll_diag_format(&diag, buf, sizeof(buf)));
		goto out;
	}
	if (s.unconfined) {
		ll_syslogf(log, LOG_NOTICE, "not confined (exempt by policy): %s", s.summary);
		ret = PAM_SUCCESS;
		goto out;
	}
	bool tsync = (s.enf.flags & LL_RESTRICT_SELF_TSYNC) != 0;
	if (threads > 1 && !tsync && !g.key_ok)
		g.key_ok = pthread_key_create(&g.confined_key, NULL) == 0;
	/* The module stays loaded after pam_end: it must remember that this
	 * process is confined (a second session here is refused), and, when
	 * the hook stays armed for the other threads, dlclose would unregister
	 * the hook.  Only the latter needs it. */
	bool pinned = pin_module() == 0;
	if (threads > 1 && !tsync && (!g.hook_ok || !g.key_ok || !pinned)) {
		refuse(log, user, svc, s.digest,
		       "the opener has %d threads and this kernel cannot confine them all (no "
		       "Landlock TSYNC), and the fork hook %s",
		       threads, !g.hook_ok  ? "is not registered"
		                : !g.key_ok ? "cannot tell threads apart (pthread_key_create failed)"
		                            : "cannot keep the module loaded (dlopen failed)");
		goto out;
	}
	/* Everything the report needs, in the form the hook uses. */
	g.log = *log;
	snprintf(g.user, sizeof(g.user), "%s", user);
	snprintf(g.service, sizeof(g.service), "%s", svc);
	snprintf(g.digest, sizeof(g.digest), "%s", s.digest);
	snprintf(g.confined, sizeof(g.confined), "confined %s", s.summary);
	snprintf(g.audit, sizeof(g.audit), "%s", s.audit);
	enum ll_enforce_step step;
	int rc = ll_enforce_apply(&s.enf, tsync, &step);
	if (rc < 0) {
		refuse(log, user, svc, s.digest, "%s failed in the opener: %s%s",
		       ll_enforce_step_name(step), strerror(-rc),
		       rc == -E2BIG ? "; 16 Landlock layers are already stacked: start the service "
		                      "outside other sandboxes"
		                    : "");
		goto out;
	}
	g.opener = getpid();
	g.opener_mode = true;
	if (g.key_ok)
		pthread_setspecific(g.confined_key, &g);
	report_confined();
	/* Marks the stack, so that a second line says "listed twice". */
	pam_set_data(pamh, DATA_NAME, &g, cleanup_data);
	if (threads > 1 && !tsync) {
		/* The other threads are not in the domain: what they fork is
		 * confined by the hook. */
		g.enf = s.enf;
		s.enf.ruleset_fd = -1;
		s.enf.l2 = (struct ll_l2_filter){ 0 };
		remember_ruleset(g.enf.ruleset_fd);
		__atomic_store_n(&g.armed, 1, __ATOMIC_SEQ_CST);
		ll_syslogf(log, LOG_WARNING,
		           "%d other thread(s) of the opener stay outside the domain (Landlock TSYNC "
		           "needs ABI 8): what they fork is confined, what they do themselves is not",
		           threads - 1);
	}
	ret = PAM_SUCCESS;
out:
	ll_session_free(&s);
	return ret;
}

static int open_children(pam_handle_t *pamh, const struct args *a, const char *user,
                         const char *svc, const char *rhost, struct ll_log *log)
{
	struct ll_session s;
	struct ll_diag diag = { 0 };
	struct ll_diag_sink sink = { warn_to_syslog, log };
	char buf[1400];
	int ret = PAM_PERM_DENIED;

	if (ll_session_prepare(&s, a->conf, LL_LOAD_TRUSTED | LL_LOAD_CACHE, user, svc, rhost, ll_abi_probe(),
	                       &diag, &sink) < 0) {
		refuse(log, user, svc, s.digest, "%s", ll_diag_format(&diag, buf, sizeof(buf)));
		goto out;
	}
	if (s.unconfined) {
		ll_syslogf(log, LOG_NOTICE, "not confined (exempt by policy): %s", s.summary);
		ret = PAM_SUCCESS;
		goto out;
	}
	struct seen *seen = mmap(NULL, sizeof(struct seen), PROT_READ | PROT_WRITE,
	                         MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (!g.hook_ok || pin_module() < 0 || seen == MAP_FAILED ||
	    remember_ruleset(s.enf.ruleset_fd) < 0 ||
	    pam_set_data(pamh, DATA_NAME, &g, cleanup_data) != PAM_SUCCESS) {
		if (seen != MAP_FAILED)
			munmap(seen, sizeof(struct seen));
		refuse(log, user, svc, s.digest, "cannot arm the fork hook (%s)",
		       !g.hook_ok ? "pthread_atfork failed when the module was loaded"
		                  : "out of memory, or dlopen/mmap failed");
		goto out;
	}
	g.log = *log;
	snprintf(g.user, sizeof(g.user), "%s", user);
	snprintf(g.service, sizeof(g.service), "%s", svc);
	snprintf(g.digest, sizeof(g.digest), "%s", s.digest);
	snprintf(g.confined, sizeof(g.confined), "confined %s", s.summary);
	snprintf(g.audit, sizeof(g.audit), "%s", s.audit);
	g.opener = getpid();
	g.opener_mode = false;
	g.closed = false;
	g.seen = seen;
	g.enf = s.enf;
	s.enf.ruleset_fd = -1;
	s.enf.l2 = (struct ll_l2_filter){ 0 };
	__atomic_store_n(&g.armed, 1, __ATOMIC_SEQ_CST);
	if (a->debug)
		ll_syslogf(log, LOG_DEBUG, "armed: %s", s.summary);
	ret = PAM_SUCCESS;
out:
	ll_session_free(&s);
	return ret;
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct args a;
	struct ll_log log;
	const char *user = NULL;
	const void *service = NULL, *rhost = NULL, *tty = NULL;

	(void)flags;
	pam_get_item(pamh, PAM_SERVICE, &service);
	pam_get_item(pamh, PAM_RHOST, &rhost);
	pam_get_item(pamh, PAM_TTY, &tty);
	const char *svc = service ? (const char *)service : "?";
	ll_log_prepare(&log, svc, rhost, tty);
	if (parse_args(&log, argc, argv, &a) < 0)
		return PAM_SERVICE_ERR;
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || !user || !*user) {
		refuse(&log, NULL, svc, NULL, "cannot determine the user");
		return PAM_USER_UNKNOWN;
	}

	if (g.opener == getpid() && (g.opener_mode || __atomic_load_n(&g.armed, __ATOMIC_SEQ_CST))) {
		const void *mine = NULL;
		if (pam_get_data(pamh, DATA_NAME, &mine) == PAM_SUCCESS && mine)
			refuse(&log, user, svc, NULL,
			       "pam_landlock is listed twice in the session stack of service %s (for "
			       "example in su-l and in su, which su-l includes): list the module once",
			       svc);
		else if (g.opener_mode)
			refuse(&log, user, svc, NULL,
			       "this process was confined for a session of %s and cannot open another "
			       "one: an application that serves several users in one process cannot be "
			       "confined per user (see pam_landlock(8))",
			       g.user);
		else
			refuse(&log, user, svc, NULL,
			       "a pam_landlock session is already open in this process (close the first "
			       "session before opening another)");
		return PAM_PERM_DENIED;
	}
	/* A child of an armed opener has been confined already; its copy of the
	 * state is disarmed, so it prepares afresh (a nested layer). */

	enum confine mode = a.confine;
	const struct ll_opener *known = known_opener();
	if (known && known->mode == LL_OPENER_REFUSED) {
		/* Whatever the confine= argument: neither mode reaches the
		 * session's processes, and confining the opener breaks it. */
		refuse(&log, user, svc, NULL,
		       "pam_landlock cannot confine sessions opened by %s (%s, %s): it %s; the "
		       "module does not belong in the session stack of service %s: %s (see "
		       "pam_landlock(8))",
		       known->exe, known->app, known->role, known->after, svc, known->hint);
		return PAM_PERM_DENIED;
	}
	const char *sup = known && known->mode == LL_OPENER_CHILDREN ? known->exe : NULL;
	if (mode == CONFINE_AUTO)
		mode = sup ? CONFINE_CHILDREN : CONFINE_OPENER;
	else if (mode == CONFINE_CHILDREN && !sup)
		/* The admin's word, said out loud: nothing checks it before the
		 * session runs (a warning at close comes after the fact). */
		ll_syslogf(&log, LOG_WARNING,
		           "confine=children for an application pam_landlock does not know to fork "
		           "its sessions: only what this process forks is confined; if it serves or "
		           "execs the user itself, the session of %s is NOT confined",
		           user);
	if (a.debug)
		ll_syslogf(&log, LOG_DEBUG, "opener %s: confine=%s", sup ? sup : "(not a known supervisor)",
		           mode == CONFINE_CHILDREN ? "children" : "opener");
	if (mode == CONFINE_CHILDREN)
		return open_children(pamh, &a, user, svc, rhost, &log);
	return open_opener(pamh, &a, user, svc, rhost, &log);
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)flags;
	(void)argc;
	(void)argv;
	if (getpid() != g.opener || g.opener_mode || g.closed ||
	    !__atomic_load_n(&g.armed, __ATOMIC_SEQ_CST))
		return PAM_SUCCESS;
	const void *service = NULL, *rhost = NULL, *tty = NULL;
	pam_get_item(pamh, PAM_SERVICE, &service);
	pam_get_item(pamh, PAM_RHOST, &rhost);
	pam_get_item(pamh, PAM_TTY, &tty);
	struct ll_log log;
	ll_log_prepare(&log, service, rhost, tty);
	g.closed = true;
	disarm();
	if (g.seen) {
		check_children(&log);
		munmap(g.seen, sizeof(struct seen));
		g.seen = NULL;
	}
	return PAM_SUCCESS;
}
