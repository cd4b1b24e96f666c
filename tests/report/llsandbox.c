/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * llsandbox.c - test-only Landlock sandboxer that produces real audit
 * records for the reporter's corpus (tests/report/make-corpus.sh).  As
 * root: optionally set the login uid (new auid and session), restrict
 * itself with forced logging (LANDLOCK_RESTRICT_SELF_LOG_NEW_EXEC_ON),
 * optionally log a pam_landlock-style TRUSTED_APP record, drop to a uid,
 * and exec the command.  Not installed.
 *
 * Usage: llsandbox [-l LOGINUID] [-u UID] [-r PATH]... [-w PATH]... [-t PATH]...
 *                  [-c PORT]... [-b PORT]... [-s] [-P SERVICE [-O OP] [-A ACCT] [-E]]
 *                  -- CMD [ARG]...
 * -r read and execute, -w all fs rights but refer, -t like -w without
 * truncate, -c/-b allowed TCP ports, -s scope signals and abstract sockets.
 * -P logs a pam_landlock record for SERVICE from the confined process, as
 * the module does: -O enforce (default), try (landlockctl run) or refused
 * (logged, then exit 1 without running CMD); -A the account (default
 * corpusUID); -E adds fields newer modules write (confine=, digest=, and
 * hex-encoded hostname= and terminal= with spaces in them).
 */
#include "config.h"

#include "ll_sys.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libaudit.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define NET_BIND_TCP        (1ULL << 0)
#define NET_CONNECT_TCP     (1ULL << 1)
#define SCOPE_ABSTRACT_UNIX (1ULL << 0)
#define SCOPE_SIGNAL        (1ULL << 1)
#define FS_READ             ((1ULL << 0) | (1ULL << 2) | (1ULL << 3))
#define FS_ALL_ABI7         ((1ULL << 16) - 1)
#define FS_WRITE            (FS_ALL_ABI7 & ~(1ULL << 13)) /* all but refer */
#define FS_FILE             ((1ULL << 0) | (1ULL << 1) | (1ULL << 2) | (1ULL << 14) | (1ULL << 15))

static int die(const char *what)
{
	fprintf(stderr, "llsandbox: %s: %s\n", what, strerror(errno));
	exit(125);
}

static void add_path(int rs, const char *path, uint64_t access)
{
	struct ll_path_beneath_attr pb = {0};
	int fd = open(path, O_PATH | O_CLOEXEC);
	if (fd < 0)
		die(path);
	struct stat st;
	if (fstat(fd, &st) == 0 && !S_ISDIR(st.st_mode))
		access &= FS_FILE;
	pb.allowed_access = access;
	pb.parent_fd = fd;
	if (syscall(__NR_landlock_add_rule, rs, LL_RULE_PATH_BENEATH, &pb, 0))
		die("landlock_add_rule(path)");
	close(fd);
}

static void add_port(int rs, unsigned long port, uint64_t access)
{
	struct ll_net_port_attr np = {.allowed_access = access, .port = port};
	if (syscall(__NR_landlock_add_rule, rs, LL_RULE_NET_PORT, &np, 0))
		die("landlock_add_rule(port)");
}

int main(int argc, char **argv)
{
	struct ll_ruleset_attr attr = {0};
	const char *loginuid = NULL, *service = NULL, *op = "enforce", *acct = NULL;
	int extra = 0;
	long uid = -1;
	int c, scoped = 0;
	const char *ro[32], *rw[32], *nt[32];
	unsigned long conn[16], bind_[16];
	int nro = 0, nrw = 0, nnt = 0, nconn = 0, nbind = 0;

	while ((c = getopt(argc, argv, "+l:u:r:w:t:c:b:sP:O:A:E")) != -1) {
		switch (c) {
		case 'l':
			loginuid = optarg;
			break;
		case 'u':
			uid = strtol(optarg, NULL, 10);
			break;
		case 'r':
			if (nro < 32)
				ro[nro++] = optarg;
			break;
		case 'w':
			if (nrw < 32)
				rw[nrw++] = optarg;
			break;
		case 't':
			if (nnt < 32)
				nt[nnt++] = optarg;
			break;
		case 'c':
			if (nconn < 16)
				conn[nconn++] = strtoul(optarg, NULL, 10);
			break;
		case 'b':
			if (nbind < 16)
				bind_[nbind++] = strtoul(optarg, NULL, 10);
			break;
		case 's':
			scoped = 1;
			break;
		case 'P':
			service = optarg;
			break;
		case 'O':
			op = optarg;
			break;
		case 'A':
			acct = optarg;
			break;
		case 'E':
			extra = 1;
			break;
		default:
			return 125;
		}
	}
	if (optind >= argc) {
		fputs("usage: llsandbox [options] -- CMD [ARG]...\n", stderr);
		return 125;
	}
	if (loginuid) {
		int fd = open("/proc/self/loginuid", O_WRONLY | O_CLOEXEC);
		if (fd < 0 || write(fd, loginuid, strlen(loginuid)) < 0)
			die("/proc/self/loginuid");
		close(fd);
	}
	int abi = (int)syscall(__NR_landlock_create_ruleset, NULL, 0, LL_CREATE_RULESET_VERSION);
	if (abi < 7) {
		fprintf(stderr, "llsandbox: Landlock ABI %d < 7: no audit logging\n", abi);
		return 125;
	}
	attr.handled_access_fs = FS_ALL_ABI7;
	attr.handled_access_net = NET_BIND_TCP | NET_CONNECT_TCP;
	attr.scoped = scoped ? (SCOPE_ABSTRACT_UNIX | SCOPE_SIGNAL) : 0;
	int rs = (int)syscall(__NR_landlock_create_ruleset, &attr, sizeof(attr), 0);
	if (rs < 0)
		die("landlock_create_ruleset");
	for (int i = 0; i < nro; i++)
		add_path(rs, ro[i], FS_READ);
	for (int i = 0; i < nrw; i++)
		add_path(rs, rw[i], FS_WRITE);
	for (int i = 0; i < nnt; i++)
		add_path(rs, nt[i], FS_WRITE & ~(1ULL << 14)); /* no truncate */
	for (int i = 0; i < nconn; i++)
		add_port(rs, conn[i], NET_CONNECT_TCP);
	for (int i = 0; i < nbind; i++)
		add_port(rs, bind_[i], NET_BIND_TCP);
	int afd = service ? audit_open() : -1;
	int refused = !strcmp(op, "refused");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		die("no_new_privs");
	if (!refused && syscall(__NR_landlock_restrict_self, rs, LL_RESTRICT_SELF_LOG_NEW_EXEC_ON))
		die("landlock_restrict_self");
	close(rs);
	if (afd >= 0) {
		char msg[1024], name[64];
		snprintf(name, sizeof(name), "corpus%ld", uid);
		char *a = audit_encode_nv_string("acct", acct ? acct : name, 0);
		char *h = audit_encode_nv_string("hostname", "corpus host 1", 0);
		char *t = audit_encode_nv_string("terminal", "pts 7", 0);
		char *why = audit_encode_nv_string("reason", "no profile for this user", 0);
		if (refused)
			snprintf(msg, sizeof(msg), "op=pam_landlock-refused %s service=%s %s", a,
			         service, why);
		else
			snprintf(msg, sizeof(msg),
			         "op=pam_landlock-%s %s service=%s profile=shell "
			         "match=/etc/security/landlock.conf:12 abi=%d enforcement=full "
			         "flags=log_new_exec_on nnp=yes%s%s%s%s",
			         op, a, service, abi,
			         extra ? " confine=children second_layer=none digest="
			                 "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b"
			                 "0f00a08 "
			               : "",
			         extra ? h : "", extra ? " " : "", extra ? t : "");
		if (audit_log_user_message(afd, AUDIT_TRUSTED_APP, msg, "corpus-host", "127.0.0.1",
		                           "ssh", !refused) <= 0)
			fprintf(stderr, "llsandbox: audit_log_user_message failed\n");
		free(a);
		free(h);
		free(t);
		free(why);
		audit_close(afd);
	}
	if (refused)
		return 1;
	if (uid >= 0) {
		if (setgroups(0, NULL) || setresgid((gid_t)uid, (gid_t)uid, (gid_t)uid) ||
		    setresuid((uid_t)uid, (uid_t)uid, (uid_t)uid))
			die("setuid");
	}
	execvp(argv[optind], argv + optind);
	die(argv[optind]);
	return 125;
}
