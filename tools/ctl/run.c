/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run.c - "landlockctl run USER -- COMMAND": the command inside exactly the
 * domain the module builds for USER, so a profile can be tried before it is
 * deployed.
 *
 * The domain comes from ll_session_prepare() with LL_LOAD_TRUSTED and the
 * kernel's ABI, and is enforced with ll_enforce_apply() - the module's own
 * calls, second layer included.  The only difference is
 * logging: a trial always logs its denials (LOG_NEW_EXEC_ON, where the ABI
 * has it), which changes what is logged, never what is allowed.  As in the
 * module's fork hook, the process enforces the domain while still root, then
 * sends the audit record (op=pam_landlock-try instead of
 * pam_landlock-enforce, so reports can tell trials apart), then becomes the
 * user (setgid, initgroups, setuid), goes home and execs the command.
 * With --as-caller the caller's credentials, environment and directory are
 * kept.
 */
#include "config.h"

#include <errno.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ctl.h"
#include "ll_sys.h"

static const char *tty_name(void)
{
	return isatty(STDIN_FILENO) ? ttyname(STDIN_FILENO) : NULL;
}

static void audit_try(const struct ll_log *l, const char *user, const char *msg)
{
	char text[2600];
	size_t n = ll_audit_text(l, text, sizeof(text), "pam_landlock-try", user, msg, true);
	int rc = ll_audit_send_text(text, n);
	if (rc < 0)
		fprintf(stderr, "landlockctl: note: no audit record sent: %s\n", strerror(-rc));
}

static void audit_try_failed(const struct ll_log *l, const char *user, const char *service,
                             const char *digest, const char *reason)
{
	int rc = ll_audit_refused(l, "pam_landlock-try", user, service, digest, reason);
	if (rc < 0)
		fprintf(stderr, "landlockctl: note: no audit record sent: %s\n", strerror(-rc));
}

/* The session's flags, with logging forced for the trial. */
static uint32_t trial_flags(uint32_t flags, int abi)
{
	if (!(ll_abi_restrict_flags(abi) & LL_RESTRICT_SELF_LOG_NEW_EXEC_ON))
		return flags;
	return (flags & ~LL_RESTRICT_SELF_LOG_SAME_EXEC_OFF) | LL_RESTRICT_SELF_LOG_NEW_EXEC_ON;
}

static int become_user(const char *user, uid_t uid, gid_t gid)
{
	if (setgid(gid) < 0 || initgroups(user, gid) < 0) {
		fprintf(stderr, "landlockctl: cannot take the groups of %s: %s\n", user,
		        strerror(errno));
		return -1;
	}
	return 0;
}

int ctl_run(const struct ctl_opts *o)
{
	struct ll_session s;
	struct ll_diag d = { 0 };
	char conf[4096], buf[1200], flagstr[128];

	if (o->abi > 0) {
		fprintf(stderr, "landlockctl: --abi is for check and explain; run uses this "
		                "kernel's ABI\n");
		return CTL_RUN_FAIL;
	}
	if (!o->as_caller && geteuid() != 0) {
		fprintf(stderr, "landlockctl: run needs root to become %s; add --as-caller for a dry "
		                "try with your own credentials\n",
		        o->user);
		return CTL_RUN_FAIL;
	}
	ctl_abspath(o->conf, conf, sizeof(conf));
	struct ll_log log;
	ll_log_prepare(&log, NULL, o->from, tty_name());
	/* A single-threaded process confining itself, as the module confines
	 * an opener it does not know. */
	if (ll_session_prepare(&s, conf, LL_LOAD_TRUSTED | LL_LOAD_CACHE | LL_SESSION_OPENER, o->user, o->service,
	                       o->from, ll_abi_probe(), &d, &ctl_sink) < 0) {
		ll_diag_format(&d, buf, sizeof(buf));
		fprintf(stderr, "landlockctl: the module would refuse this session: %s\n", buf);
		audit_try_failed(&log, o->user, o->service, s.digest, buf);
		ll_session_free(&s);
		return CTL_RUN_FAIL;
	}

	/* What the command needs once the session is gone. */
	uid_t uid = s.id.uid;
	gid_t gid = s.id.gid;
	char *user = strdup(s.id.user), *home = strdup(s.id.home);
	const struct passwd *pw = getpwnam(o->user);
	char *shell = strdup(pw && pw->pw_shell && pw->pw_shell[0] ? pw->pw_shell : "/bin/sh");
	int rc = CTL_RUN_FAIL;
	if (!user || !home || !shell) {
		fprintf(stderr, "landlockctl: out of memory\n");
		goto fail;
	}
	if (!o->as_caller && become_user(user, uid, gid) < 0)
		goto fail;

	if (s.unconfined) {
		fprintf(stderr, "landlockctl: not confined (exempt by policy): %s\n", s.summary);
	} else {
		struct ll_enforce trial = s.enf;
		enum ll_enforce_step step;
		trial.flags = trial_flags(s.enf.flags, s.plan.abi);
		int arc = ll_enforce_apply(&trial, false, &step);
		if (arc < 0) {
			snprintf(buf, sizeof(buf), "%s failed: %s", ll_enforce_step_name(step),
			         strerror(-arc));
			fprintf(stderr, "landlockctl: %s; %s\n", buf,
			        arc == -EPERM ? "it needs root or no_new_privs = true in the profile"
			        : arc == -E2BIG
			            ? "16 Landlock layers are already stacked: run outside other sandboxes"
			            : "check the kernel log");
			audit_try_failed(&log, user, o->service, s.digest, buf);
			goto fail;
		}
		uint32_t flags = trial.flags;
		audit_try(&log, user, s.audit);
		fprintf(stderr, "landlockctl: trial: confined %s pid=%d", s.summary, (int)getpid());
		if (o->as_caller)
			fprintf(stderr, " (as the caller, uid %u)", (unsigned)getuid());
		if (flags != s.enf.flags)
			fprintf(stderr, " (logging forced for the trial: flags=%s)",
			        ll_flags_str(flags, flagstr, sizeof(flagstr)));
		fprintf(stderr, "\n");
	}
	ll_session_free(&s);

	if (!o->as_caller) {
		if (setuid(uid) < 0 || (uid != 0 && setuid(0) == 0)) {
			fprintf(stderr, "landlockctl: cannot become %s: %s\n", user, strerror(errno));
			goto out;
		}
		if (setenv("HOME", home, 1) < 0 || setenv("USER", user, 1) < 0 ||
		    setenv("LOGNAME", user, 1) < 0 || setenv("SHELL", shell, 1) < 0) {
			fprintf(stderr, "landlockctl: out of memory\n");
			goto out;
		}
		if (chdir(home) < 0) {
			fprintf(stderr, "landlockctl: note: cannot enter %s (%s); starting in /\n", home,
			        strerror(errno));
			if (chdir("/") < 0)
				goto out;
		}
	}
	execvp(o->cmd[0], o->cmd);
	int e = errno;
	fprintf(stderr, "landlockctl: cannot run %s: %s\n", o->cmd[0], strerror(e));
	rc = e == ENOENT ? CTL_RUN_NOTFOUND : CTL_RUN_NOEXEC;
	goto out;
fail:
	ll_session_free(&s);
out:
	free(user);
	free(home);
	free(shell);
	return rc;
}
