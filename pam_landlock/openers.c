/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * openers.c - the applications pam_landlock knows, by the executable of the
 * process that calls pam_open_session (see openers.h).
 *
 * An entry is added only together with an end-to-end test (named in the
 * entry) that runs the real application on Debian 12 and shows what the
 * entry claims: that a supervisor forks the session and keeps its
 * bookkeeping (confine=children), that an opener-mode application is
 * confined and still serves the user, or that a refused application cannot
 * be confined by any PAM module.
 */
#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "openers.h"

const struct ll_opener ll_openers[] = {
    {
        .exe = "/usr/sbin/sshd",
        .mode = LL_OPENER_CHILDREN,
        .app = "OpenSSH sshd",
        .services = "sshd",
        .role = "the privileged monitor (sshd: USER [priv])",
        .after = "forks the post-auth child, which forks every shell, command, sftp and "
                 "forwarding; allocates ptys, writes utmp, wtmp and lastlog, closes the session",
        .test = "tests/e2e/sshd.sh",
    },
    {
        .exe = "/usr/bin/login",
        .mode = LL_OPENER_CHILDREN,
        .app = "login (shadow)",
        .services = "login",
        .role = "login",
        .after = "forks the login shell, waits, closes the session; pam_lastlog writes wtmp",
        .test = "tests/e2e/login.sh",
    },
    {
        .exe = "/usr/bin/su",
        .mode = LL_OPENER_CHILDREN,
        .app = "su (util-linux)",
        .services = "su su-l",
        .role = "su",
        .after = "forks the shell, waits (relays the pty with --pty), closes the session",
        .test = "tests/e2e/su_supervisor.sh",
    },
    {
        .exe = "/usr/sbin/runuser",
        .mode = LL_OPENER_CHILDREN,
        .app = "runuser (util-linux)",
        .services = "runuser runuser-l",
        .role = "runuser",
        .after = "forks the shell, waits, closes the session",
        .test = "tests/e2e/su_supervisor.sh",
    },
    {
        .exe = "/usr/bin/sudo",
        .mode = LL_OPENER_CHILDREN,
        .app = "sudo",
        .services = "sudo sudo-i",
        .role = "the sudo front-end",
        .after = "forks its monitor (use_pty) or the command; writes utmp, relays the pty, "
                 "closes the session",
        .test = "tests/e2e/sudo.sh",
    },
    {
        .exe = "/usr/sbin/lightdm",
        .mode = LL_OPENER_CHILDREN,
        .app = "lightdm",
        .services = "lightdm lightdm-autologin lightdm-greeter",
        .role = "the session worker (lightdm --session-child)",
        .after = "forks the session (Xsession or the greeter), writes utmp and wtmp, waits, "
                 "closes the session and writes the logout records",
        .test = "tests/e2e/kiosk.sh",
    },
    {
        .exe = "/usr/sbin/greetd",
        .mode = LL_OPENER_CHILDREN,
        .app = "greetd",
        .services = "greetd greetd-greeter",
        .role = "the session worker (greetd --session-worker)",
        .after = "writes utmp and wtmp, forks the session command, waits, closes the session",
        .test = "tests/e2e/kiosk.sh",
    },
    {
        .exe = "/usr/sbin/nodm",
        .mode = LL_OPENER_CHILDREN,
        .app = "nodm",
        .services = "nodm",
        .role = "nodm's session process (a fork of nodm)",
        .after = "forks the X session (/etc/X11/Xsession), waits, closes the session",
        .test = "tests/e2e/kiosk.sh",
    },
    {
        .exe = "/usr/sbin/proftpd",
        .mode = LL_OPENER_OPENER,
        .app = "proftpd",
        .services = "proftpd",
        .role = "the process that serves the connection",
        .after = "serves the user in that process, without forking: it is confined, its data "
                 "connections (bind_tcp for PassivePorts) and its own wtmp and TransferLog "
                 "writes too",
        .test = "tests/e2e/proftpd.sh",
    },
    {
        .exe = "/usr/sbin/smbd",
        .mode = LL_OPENER_OPENER,
        .app = "Samba smbd",
        .services = "samba",
        .role = "the process that serves the connection",
        .after = "ends PAM at once (pam_end without PAM_DATA_SILENT) and serves the user in "
                 "that process, which is confined, with the share scripts it forks",
        .test = "tests/e2e/samba.sh",
    },
    {
        .exe = "/usr/bin/pkexec",
        .mode = LL_OPENER_OPENER,
        .app = "pkexec (polkit)",
        .services = "polkit-1",
        .role = "pkexec itself",
        .after = "execve()s the program in the same process and never closes the session: "
                 "pkexec confines itself and the program inherits the domain",
        .test = "tests/e2e/pkexec.sh",
    },
    {
        .exe = "/usr/sbin/vsftpd",
        .mode = LL_OPENER_OPENER,
        .app = "vsftpd (session_support=YES)",
        .services = "vsftpd",
        .role = "the privileged per-connection process",
        .after = "starts the user's process with a raw clone(CLONE_NEWNET), which runs no "
                 "fork handlers: the privileged process is confined and the user's process "
                 "inherits; its wtmp writes are lost",
        .test = "tests/e2e/vsftpd.sh",
    },
    {
        .exe = "/usr/sbin/atd",
        .mode = LL_OPENER_OPENER,
        .app = "atd",
        .services = "atd",
        .role = "the per-job runner (uid daemon, euid 0)",
        .after = "forks the job's shell, waits, then removes or mails the job's output: "
                 "confined, it can no longer remove the output file, which stays in the spool",
        .test = "tests/e2e/atd.sh",
    },
    {
        .exe = "/usr/bin/doas",
        .mode = LL_OPENER_OPENER,
        .app = "doas (OpenDoas)",
        .services = "doas",
        .role = "doas itself",
        .after = "forks the command and waits: doas confines itself, the command inherits",
        .test = "tests/e2e/doas.sh",
    },
    {
        .exe = "/usr/sbin/cron",
        .mode = LL_OPENER_OPENER,
        .app = "cron (Debian 3.0pl1)",
        .services = "cron",
        .role = "the per-job CRON process (a fork of the daemon)",
        .after = "forks the job, waits, and mails its output from the same process: the "
                 "CRON process is confined, the job inherits, the mail program runs in the "
                 "domain (a job's mail is lost on the shipped profile)",
        .test = "tests/e2e/cron.sh",
    },
    {
        .exe = "/usr/lib/dovecot/auth",
        .mode = LL_OPENER_REFUSED,
        .app = "dovecot",
        .services = "dovecot",
        .role = "the auth worker, dovecot/auth -w",
        .after = "opens and closes the session while it authenticates the user, and serves "
                 "other users afterwards, while the imap or pop3 process is forked by the "
                 "dovecot master, not by this process: no PAM module can confine it",
        .test = "tests/e2e/dovecot.sh",
        .hint = "remove the pam_landlock line from this stack (or session=yes from the "
                "passdb's args in dovecot's configuration)",
    },
};
const size_t ll_nopeners = sizeof(ll_openers) / sizeof(ll_openers[0]);

const struct ll_opener *ll_opener_by_exe(const char *exe)
{
	for (size_t i = 0; i < ll_nopeners; i++)
		if (strcmp(exe, ll_openers[i].exe) == 0)
			return &ll_openers[i];
	return NULL;
}

const struct ll_opener *ll_opener_by_service(const char *service)
{
	size_t n = strlen(service);
	for (size_t i = 0; i < ll_nopeners; i++)
		for (const char *p = ll_openers[i].services; *p;) {
			size_t w = strcspn(p, " ");
			if (w == n && strncmp(p, service, n) == 0)
				return &ll_openers[i];
			p += w + (p[w] == ' ');
		}
	return NULL;
}

const char *ll_opener_mode_name(enum ll_opener_mode m)
{
	switch (m) {
	case LL_OPENER_CHILDREN:
		return "children";
	case LL_OPENER_REFUSED:
		return "refused";
	case LL_OPENER_OPENER:
		break;
	}
	return "opener";
}

int ll_opener_self(char *buf, size_t len)
{
	struct stat st;
	if (len < 2)
		return -1;
	ssize_t n = readlink("/proc/self/exe", buf, len - 1);
	if (n <= 0 || (size_t)n >= len - 1)
		return -1;
	buf[n] = '\0';
	static const char deleted[] = " (deleted)";
	size_t dl = sizeof(deleted) - 1;
	if ((size_t)n > dl && strcmp(buf + n - dl, deleted) == 0)
		buf[n - dl] = '\0';
	if (stat("/proc/self/exe", &st) < 0 || st.st_uid != 0 || (st.st_mode & (S_IWGRP | S_IWOTH)))
		return -1;
	return 0;
}
