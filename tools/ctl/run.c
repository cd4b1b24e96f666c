/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * run.c - "landlockctl run USER -- COMMAND": the command inside exactly the
 * domain the module builds for USER, so a profile can be tried before it is
 * deployed.
 *
 * The domain comes from ll_session_prepare() with LL_LOAD_TRUSTED and the
 * kernel's ABI, and is enforced with ll_apply(fd, no_new_privs,
 * ll_session_flags()) - the module's own calls.  The only difference is
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

static void audit_try(const char *user, const char *msg, bool success)
{
	int rc = ll_audit_send("pam_landlock-try", user, msg, NULL, tty_name(), success);
	if (rc < 0)
		fprintf(stderr, "landlockctl: note: no audit record sent: %s\n", strerror(-rc));
}

static void audit_try_failed(const char *user, const char *service, const char *reason)
{
	int rc = ll_audit_refused("pam_landlock-try", user, service, NULL, tty_name(), reason);
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
	if (ll_session_prepare(&s, conf, LL_LOAD_TRUSTED, o->user, o->service, ll_abi_probe(),
	                       &d, &ctl_sink) < 0) {
		ll_diag_format(&d, buf, sizeof(buf));
		fprintf(stderr, "landlockctl: the module would refuse this session: %s\n", buf);
		audit_try_failed(o->user, o->service, buf);
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
		uint32_t flags = trial_flags(ll_session_flags(&s), s.plan.abi);
		int arc = ll_apply(s.ruleset_fd, s.plan.nnp, flags);
		if (arc < 0) {
			snprintf(buf, sizeof(buf), "landlock_restrict_self failed: %s", strerror(-arc));
			fprintf(stderr, "landlockctl: %s; %s\n", buf,
			        arc == -EPERM ? "it needs root or no_new_privs = true in the profile"
			        : arc == -E2BIG
			            ? "16 Landlock layers are already stacked: run outside other sandboxes"
			            : "check the kernel log");
			audit_try_failed(user, o->service, buf);
			goto fail;
		}
		audit_try(user, s.audit, true);
		fprintf(stderr, "landlockctl: trial: confined %s pid=%d", s.summary, (int)getpid());
		if (o->as_caller)
			fprintf(stderr, " (as the caller, uid %u)", (unsigned)getuid());
		if (flags != ll_session_flags(&s))
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
