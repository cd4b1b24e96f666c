/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pam_landlock.c - the PAM entry points and the fork hook.
 *
 * The mechanism (see pam_landlock(8), "HOW THE SESSION IS CONFINED"):
 *
 * pam_sm_open_session() does all the work that can fail - policy, user,
 * profile, ABI, paths, ruleset - and refuses the session on any failure.  It
 * does NOT confine its caller: the caller is a supervisor (sshd's monitor,
 * login, su, sudo) that still writes utmp/wtmp/lastlog and closes the
 * session.  Instead it arms a fork hook: every process the supervisor forks
 * from then until pam_sm_close_session() enforces the prepared ruleset as its
 * first action, before any of its own code runs.  The shell, sftp server and
 * port forwardings all descend from such a child.  A child that cannot
 * enforce the domain exits at once (fail closed), so no unconfined process of
 * the session ever runs.
 *
 * One more case: a caller that ends PAM with PAM_DATA_SILENT in the opener
 * is about to become the session itself (systemd's user manager, after
 * forking the helper that closes the session).  The data cleanup hook sees
 * that and enforces the domain on the caller.
 */
#include "config.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <syslog.h>
#include <time.h>
#include <unistd.h>

#define PAM_SM_SESSION
#include <security/pam_ext.h>
#include <security/pam_modules.h>

#include "session.h"

#define DATA_NAME "pam_landlock"

/* One armed session per process: the state the fork hook reads. */
static struct {
	bool armed;
	bool hook_registered;
	pid_t opener;
	unsigned long forks; /* forks seen in the opener while armed */
	int ruleset_fd;
	bool nnp;
	uint32_t flags;
	char user[256];
	char service[128];
	char rhost[256];
	char tty[64];
	char summary[1024];
	char audit[1024];
} g = { .ruleset_fd = -1 };

struct args {
	const char *conf;
	bool debug;
};

static int parse_args(pam_handle_t *pamh, int argc, const char **argv, struct args *a)
{
	a->conf = LL_DEFAULT_CONF;
	a->debug = false;
	for (int i = 0; i < argc; i++) {
		if (strncmp(argv[i], "conf=", 5) == 0 && argv[i][5] == '/') {
			a->conf = argv[i] + 5;
		} else if (strcmp(argv[i], "debug") == 0) {
			a->debug = true;
		} else {
			pam_syslog(pamh, LOG_ERR,
			           "unknown or bad module argument '%s'; session refused "
			           "(valid: conf=/absolute/path, debug)",
			           argv[i]);
			return -1;
		}
	}
	return 0;
}

static void warn_to_syslog(void *arg, const char *file, int line, const char *msg)
{
	if (line > 0)
		pam_syslog((pam_handle_t *)arg, LOG_WARNING, "%s:%d: %s", file, line, msg);
	else
		pam_syslog((pam_handle_t *)arg, LOG_WARNING, "%s: %s", file, msg);
}

static void disarm(void)
{
	if (g.ruleset_fd >= 0)
		close(g.ruleset_fd);
	g.ruleset_fd = -1;
	g.armed = false;
}

/* syslog from the fork hook.  pam_syslog() needs a module context, which the
 * hook does not have, and syslog(3) would leave its /dev/log socket open in
 * the session's process (sshd's post-auth child never execs).  So the line is
 * sent over a socket of our own, closed at once, in the same format syslog(3)
 * uses: "<PRI>Mmm dd hh:mm:ss ident[pid]: message". */
static void hook_log(int prio, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void hook_log(int prio, const char *fmt, ...)
{
	char msg[1400], line[1700], stamp[32];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	time_t now = time(NULL);
	struct tm tm;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	strftime(stamp, sizeof(stamp), "%b %e %H:%M:%S", localtime_r(&now, &tm));
	int n = snprintf(line, sizeof(line), "<%d>%s %s[%d]: pam_landlock(%s:session): %s",
	                 LOG_AUTHPRIV | prio, stamp, program_invocation_short_name, (int)getpid(),
	                 g.service, msg);
	if (n < 0)
		return;
	if ((size_t)n >= sizeof(line))
		n = (int)sizeof(line) - 1;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", _PATH_LOG);
	static const int types[] = { SOCK_DGRAM, SOCK_STREAM };
	for (size_t i = 0; i < 2; i++) {
		int fd = socket(AF_UNIX, types[i] | SOCK_CLOEXEC, 0);
		if (fd < 0)
			continue;
		if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) == 0 &&
		    send(fd, line, (size_t)n + (types[i] == SOCK_STREAM), MSG_NOSIGNAL) >= 0) {
			close(fd);
			return;
		}
		close(fd);
	}
	/* No syslog daemon: a refusal still reaches the user's terminal. */
	if (prio <= LOG_ERR)
		dprintf(STDERR_FILENO, "%s\n", line);
}

static void refuse_audit(const char *user, const char *service, const char *rhost,
                         const char *tty, const char *reason)
{
	ll_audit_refused("pam_landlock-refused", user, service, rhost, tty, reason);
}

/* Enforces the armed domain on the calling process; on failure the process
 * exits, so that nothing of the session runs unconfined. */
static void enforce_here(const char *where)
{
	int fd = g.ruleset_fd;
	g.armed = false;
	g.ruleset_fd = -1;
	int rc = ll_apply(fd, g.nnp, g.flags);
	close(fd);
	if (rc < 0) {
		char reason[256];
		snprintf(reason, sizeof(reason), "landlock_restrict_self failed in %s: %s", where,
		         strerror(-rc));
		hook_log(LOG_CRIT,
		           "session refused for %s: %s; the process exits (%s)", g.user, reason,
		           rc == -E2BIG ? "16 Landlock layers already stacked: start the service "
		                          "outside other sandboxes"
		                        : "check the kernel log");
		refuse_audit(g.user, g.service, g.rhost, g.tty, reason);
		_exit(EXIT_FAILURE);
	}
	hook_log(LOG_NOTICE, "confined %s pid=%d", g.summary, (int)getpid());
	ll_audit_send("pam_landlock-enforce", g.user, g.audit, g.rhost[0] ? g.rhost : NULL,
	              g.tty[0] ? g.tty : NULL, true);
}

static void hook_child(void)
{
	if (g.armed)
		enforce_here("the forked child");
}

static void hook_parent(void)
{
	if (g.armed && getpid() == g.opener)
		g.forks++;
}

static void cleanup_data(pam_handle_t *pamh, void *data, int status)
{
	(void)pamh;
	(void)data;
	if (!g.armed || getpid() != g.opener)
		return;
	if (status & PAM_DATA_SILENT)
		enforce_here("the process ending PAM to become the session");
	else
		disarm();
}

PAM_EXTERN int pam_sm_open_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	struct args a;
	const char *user = NULL;
	const void *service = NULL, *rhost = NULL, *tty = NULL;
	struct ll_session s;
	struct ll_diag diag = { 0 };
	struct ll_diag_sink sink = { warn_to_syslog, pamh };
	char buf[1200];
	int ret = PAM_PERM_DENIED;

	(void)flags;
	if (parse_args(pamh, argc, argv, &a) < 0)
		return PAM_SERVICE_ERR;
	if (pam_get_user(pamh, &user, NULL) != PAM_SUCCESS || !user || !*user) {
		pam_syslog(pamh, LOG_ERR, "cannot determine the user; session refused");
		return PAM_USER_UNKNOWN;
	}
	pam_get_item(pamh, PAM_SERVICE, &service);
	pam_get_item(pamh, PAM_RHOST, &rhost);
	pam_get_item(pamh, PAM_TTY, &tty);
	const char *svc = service ? (const char *)service : "?";

	if (g.armed && getpid() == g.opener) {
		const void *mine = NULL;
		if (pam_get_data(pamh, DATA_NAME, &mine) == PAM_SUCCESS && mine)
			pam_syslog(pamh, LOG_ERR,
			           "pam_landlock is listed twice in the session stack of service %s "
			           "(for example in su-l and in su, which su-l includes); session for "
			           "%s refused: list the module once",
			           svc, user);
		else
			pam_syslog(pamh, LOG_ERR,
			           "a pam_landlock session is already open in this process; session "
			           "for %s refused (close the first session before opening another)",
			           user);
		refuse_audit(user, svc, rhost, tty, "a session is already open in this process");
		return PAM_PERM_DENIED;
	}
	/* A child of an armed opener has been confined already; its copy of the
	 * state is disarmed, so it prepares afresh (a nested layer). */

	if (ll_session_prepare(&s, a.conf, LL_LOAD_TRUSTED, user, (const char *)service,
	                       ll_abi_probe(), &diag, &sink) < 0) {
		ll_diag_format(&diag, buf, sizeof(buf));
		pam_syslog(pamh, LOG_ERR, "session refused for %s: %s", user, buf);
		refuse_audit(user, svc, rhost, tty, buf);
		goto out;
	}
	if (s.unconfined) {
		pam_syslog(pamh, LOG_NOTICE, "not confined (exempt by policy): %s", s.summary);
		ret = PAM_SUCCESS;
		goto out;
	}
	if (!g.hook_registered) {
		if (pthread_atfork(NULL, hook_parent, hook_child) != 0) {
			pam_syslog(pamh, LOG_ERR, "session refused for %s: cannot register the fork "
			                          "hook (out of memory)", user);
			refuse_audit(user, svc, rhost, tty, "cannot register the fork hook");
			goto out;
		}
		g.hook_registered = true;
	}
	if (pam_set_data(pamh, DATA_NAME, &g, cleanup_data) != PAM_SUCCESS) {
		pam_syslog(pamh, LOG_ERR, "session refused for %s: pam_set_data failed", user);
		refuse_audit(user, svc, rhost, tty, "pam_set_data failed");
		goto out;
	}
	snprintf(g.user, sizeof(g.user), "%s", user);
	snprintf(g.service, sizeof(g.service), "%s", svc);
	snprintf(g.rhost, sizeof(g.rhost), "%s", rhost ? (const char *)rhost : "");
	snprintf(g.tty, sizeof(g.tty), "%s", tty ? (const char *)tty : "");
	g.opener = getpid();
	g.forks = 0;
	g.nnp = s.plan.nnp;
	g.flags = ll_session_flags(&s);
	g.ruleset_fd = s.ruleset_fd;
	s.ruleset_fd = -1;
	snprintf(g.summary, sizeof(g.summary), "%s", s.summary);
	snprintf(g.audit, sizeof(g.audit), "%s", s.audit);
	g.armed = true;
	if (a.debug)
		pam_syslog(pamh, LOG_DEBUG, "armed: %s", g.summary);
	ret = PAM_SUCCESS;
out:
	ll_session_free(&s);
	return ret;
}

PAM_EXTERN int pam_sm_close_session(pam_handle_t *pamh, int flags, int argc, const char **argv)
{
	(void)flags;
	(void)argc;
	(void)argv;
	if (g.armed && getpid() == g.opener) {
		if (g.forks == 0)
			pam_syslog(pamh, LOG_WARNING,
			           "session of %s closed without any process forked from its opener: "
			           "nothing was confined (does this application start the session "
			           "with vfork or posix_spawn?)",
			           g.user);
		disarm();
	}
	return PAM_SUCCESS;
}
