/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * genlog.c - synthetic but realistic audit log for the reporter benchmark.
 * Writes ENRICHED records (0x1d trailer) as auditd 3.0.9 does: ordinary
 * SYSCALL events with CWD/PATH/PROCTITLE, USER_* PAM events, and about 1%
 * Landlock denial events (UNKNOWN[1423] + UNKNOWN[1424] allocated on a
 * domain's first denial + SYSCALL + PROCTITLE), pam_landlock TRUSTED_APP
 * records at session start and UNKNOWN[1424] deallocated records when a
 * session's domain ends.  Deterministic (fixed seed).
 *
 * Usage: genlog MEGABYTES [LANDLOCK_PERCENT] > audit.log
 * Prints the expected Landlock counts to stderr.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint32_t rnd(uint32_t n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (uint32_t)(rng % n);
}

#define NUSERS 200
#define LIVE   64

struct sess {
	uint32_t uid, ses;
	uint64_t domain;
	uint32_t pid, logged;
	int allocated;
};

static const char *const files[] = {
    "/etc/shadow",      "/etc/ssh/sshd_config", "/var/log/syslog",         "/root/.bashrc",
    "/srv/app/data.db", "/usr/local/bin/tool",  "/home/shared/report.csv", "/opt/secret/key.pem"};
static const char *const dirs[] = {"/tmp", "/var/tmp", "/etc", "/home", "/srv/www", "/opt"};
static const char *const progs[][2] = {{"bash", "/usr/bin/bash"},
                                       {"cat", "/usr/bin/cat"},
                                       {"python3", "/usr/bin/python3.11"},
                                       {"curl", "/usr/bin/curl"},
                                       {"vim", "/usr/bin/vim.basic"}};

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: genlog MEGABYTES [LANDLOCK_PERCENT]\n", stderr);
		return 2;
	}
	uint64_t target = strtoull(argv[1], NULL, 10) * 1024 * 1024, written = 0;
	double pct = argc > 2 ? atof(argv[2]) : 1.0;
	uint64_t sec = 1795400000, serial = 1000, ms = 0;
	uint64_t denials = 0, kernel = 0, events = 0, llevents = 0, next_domain = 0x1cc000000ULL;
	uint32_t next_ses = 10, next_pid = 3000;
	struct sess s[LIVE];
	static char buf[1 << 16];
	setvbuf(stdout, buf, _IOFBF, sizeof(buf));

	for (int i = 0; i < LIVE; i++)
		s[i] =
		    (struct sess){1000 + rnd(NUSERS), next_ses++, next_domain++, next_pid++, 0, 0};
	while (written < target) {
		int n = 0;
		ms += 1 + rnd(20);
		if (ms >= 1000) {
			sec += ms / 1000;
			ms %= 1000;
		}
		serial++;
		events++;
		uint32_t r = rnd(10000);
		struct sess *x = &s[rnd(LIVE)];
		const char *const *pg = progs[rnd(5)];
		if (r < (uint32_t)(pct * 100)) { /* Landlock denial */
			llevents++;
			uint32_t kind = rnd(10);
			if (kind < 5)
				n += printf(
				    "type=UNKNOWN[1423] msg=audit(%llu.%03llu:%llu): domain=%llx "
				    "blockers=fs.read_file path=\"%s\" dev=\"vda\" ino=%u\n",
				    (unsigned long long)sec, (unsigned long long)ms,
				    (unsigned long long)serial, (unsigned long long)x->domain,
				    files[rnd(8)], 1000 + rnd(90000));
			else if (kind < 8)
				n += printf(
				    "type=UNKNOWN[1423] msg=audit(%llu.%03llu:%llu): domain=%llx "
				    "blockers=fs.make_reg path=\"%s\" dev=\"vda\" ino=%u\n",
				    (unsigned long long)sec, (unsigned long long)ms,
				    (unsigned long long)serial, (unsigned long long)x->domain,
				    dirs[rnd(6)], 100 + rnd(900));
			else if (kind < 9)
				n += printf(
				    "type=UNKNOWN[1423] msg=audit(%llu.%03llu:%llu): domain=%llx "
				    "blockers=net.connect_tcp daddr=10.0.%u.%u dest=%u\n",
				    (unsigned long long)sec, (unsigned long long)ms,
				    (unsigned long long)serial, (unsigned long long)x->domain,
				    rnd(4), rnd(250), rnd(2) ? 25 : 443);
			else
				n += printf(
				    "type=UNKNOWN[1423] msg=audit(%llu.%03llu:%llu): domain=%llx "
				    "blockers=scope.signal opid=%u ocomm=\"systemd\"\n",
				    (unsigned long long)sec, (unsigned long long)ms,
				    (unsigned long long)serial, (unsigned long long)x->domain,
				    1 + rnd(3));
			denials++;
			x->logged++;
			if (!x->allocated) {
				x->allocated = 1;
				n += printf(
				    "type=UNKNOWN[1424] msg=audit(%llu.%03llu:%llu): domain=%llx "
				    "status=allocated mode=enforcing pid=%u uid=0 "
				    "exe=\"/usr/sbin/sshd\" comm=\"sshd\"\035UID=\"root\"\n",
				    (unsigned long long)sec, (unsigned long long)ms,
				    (unsigned long long)serial, (unsigned long long)x->domain,
				    x->pid);
			}
			n += printf(
			    "type=SYSCALL msg=audit(%llu.%03llu:%llu): arch=c000003e syscall=257 "
			    "success=no exit=-13 a0=ffffff9c a1=7ffd3b2c a2=241 a3=1b6 items=0 "
			    "ppid=%u pid=%u auid=%u uid=%u gid=%u euid=%u suid=%u fsuid=%u egid=%u "
			    "sgid=%u fsgid=%u tty=pts%u ses=%u comm=\"%s\" exe=\"%s\" "
			    "key=(null)\035ARCH=x86_64 SYSCALL=openat AUID=\"user%u\" "
			    "UID=\"user%u\" GID=\"user%u\" EUID=\"user%u\" SUID=\"user%u\" "
			    "FSUID=\"user%u\" EGID=\"user%u\" SGID=\"user%u\" FSGID=\"user%u\"\n",
			    (unsigned long long)sec, (unsigned long long)ms,
			    (unsigned long long)serial, x->pid, x->pid + 1 + rnd(50), x->uid,
			    x->uid, x->uid, x->uid, x->uid, x->uid, x->uid, x->uid, x->uid,
			    x->ses % 8, x->ses, pg[0], pg[1], x->uid, x->uid, x->uid, x->uid,
			    x->uid, x->uid, x->uid, x->uid, x->uid);
			n += printf("type=PROCTITLE msg=audit(%llu.%03llu:%llu): "
			            "proctitle=2F62696E2F7368002D63006563686F\n",
			            (unsigned long long)sec, (unsigned long long)ms,
			            (unsigned long long)serial);
		} else if (r < 300) { /* session end and a new session */
			if (x->allocated) {
				uint32_t extra = rnd(3);
				kernel += x->logged + extra;
				n += printf("type=UNKNOWN[1424] msg=audit(%llu.%03llu:%llu): "
				            "domain=%llx status=deallocated denials=%u\n",
				            (unsigned long long)sec, (unsigned long long)ms,
				            (unsigned long long)serial,
				            (unsigned long long)x->domain, x->logged + extra);
				serial++;
			}
			n += printf(
			    "type=USER_END msg=audit(%llu.%03llu:%llu): pid=%u uid=0 auid=%u "
			    "ses=%u msg='op=PAM:session_close "
			    "grantors=pam_loginuid,pam_env,pam_unix,pam_landlock acct=\"user%u\" "
			    "exe=\"/usr/sbin/sshd\" hostname=10.1.2.3 addr=10.1.2.3 terminal=ssh "
			    "res=success'\035UID=\"root\" AUID=\"user%u\"\n",
			    (unsigned long long)sec, (unsigned long long)ms,
			    (unsigned long long)serial, x->pid, x->uid, x->ses, x->uid, x->uid);
			*x = (struct sess){1000 + rnd(NUSERS), next_ses++, next_domain++,
			                   next_pid += 7,      0,          0};
			serial++;
			n += printf(
			    "type=USER_START msg=audit(%llu.%03llu:%llu): pid=%u uid=0 auid=%u "
			    "ses=%u msg='op=PAM:session_open "
			    "grantors=pam_loginuid,pam_env,pam_unix,pam_landlock acct=\"user%u\" "
			    "exe=\"/usr/sbin/sshd\" hostname=10.1.2.3 addr=10.1.2.3 terminal=ssh "
			    "res=success'\035UID=\"root\" AUID=\"user%u\"\n",
			    (unsigned long long)sec, (unsigned long long)ms,
			    (unsigned long long)serial, x->pid, x->uid, x->ses, x->uid, x->uid);
			serial++;
			n += printf("type=TRUSTED_APP msg=audit(%llu.%03llu:%llu): pid=%u uid=0 "
			            "auid=%u ses=%u msg='op=pam_landlock-enforce acct=\"user%u\" "
			            "service=sshd profile=shell abi=7 enforcement=partial "
			            "dropped=fs.resolve_unix flags=log_new_exec_on nnp=yes "
			            "exe=\"/usr/sbin/sshd\" hostname=10.1.2.3 addr=10.1.2.3 "
			            "terminal=ssh res=success'\035UID=\"root\" AUID=\"user%u\"\n",
			            (unsigned long long)sec, (unsigned long long)ms,
			            (unsigned long long)serial, x->pid, x->uid, x->ses, x->uid,
			            x->uid);
		} else if (r < 2500) { /* PAM noise */
			static const char *const t[] = {"USER_ACCT", "CRED_ACQ", "USER_AUTH",
			                                "CRED_DISP", "USER_LOGIN"};
			n += printf("type=%s msg=audit(%llu.%03llu:%llu): pid=%u uid=0 auid=%u "
			            "ses=%u msg='op=PAM:accounting grantors=pam_permit "
			            "acct=\"user%u\" exe=\"/usr/sbin/cron\" hostname=? addr=? "
			            "terminal=cron res=success'\035UID=\"root\" AUID=\"user%u\"\n",
			            t[rnd(5)], (unsigned long long)sec, (unsigned long long)ms,
			            (unsigned long long)serial, 2000 + rnd(30000), x->uid, x->ses,
			            x->uid, x->uid);
		} else { /* a watched syscall */
			uint32_t items = 1 + rnd(2);
			n += printf(
			    "type=SYSCALL msg=audit(%llu.%03llu:%llu): arch=c000003e syscall=257 "
			    "success=yes exit=3 a0=ffffff9c a1=7f1c2a a2=80000 a3=0 items=%u "
			    "ppid=%u pid=%u auid=%u uid=%u gid=%u euid=%u suid=%u fsuid=%u egid=%u "
			    "sgid=%u fsgid=%u tty=(none) ses=%u comm=\"%s\" exe=\"%s\" "
			    "key=\"watched\"\035ARCH=x86_64 SYSCALL=openat AUID=\"user%u\" "
			    "UID=\"user%u\" GID=\"user%u\" EUID=\"user%u\" SUID=\"user%u\" "
			    "FSUID=\"user%u\" EGID=\"user%u\" SGID=\"user%u\" FSGID=\"user%u\"\n",
			    (unsigned long long)sec, (unsigned long long)ms,
			    (unsigned long long)serial, items, x->pid, x->pid + rnd(90), x->uid,
			    x->uid, x->uid, x->uid, x->uid, x->uid, x->uid, x->uid, x->uid, x->ses,
			    pg[0], pg[1], x->uid, x->uid, x->uid, x->uid, x->uid, x->uid, x->uid,
			    x->uid, x->uid);
			n += printf("type=CWD msg=audit(%llu.%03llu:%llu): cwd=\"/home/user%u\"\n",
			            (unsigned long long)sec, (unsigned long long)ms,
			            (unsigned long long)serial, x->uid);
			for (uint32_t i = 0; i < items; i++)
				n += printf(
				    "type=PATH msg=audit(%llu.%03llu:%llu): item=%u name=\"%s\" "
				    "inode=%u dev=fe:01 mode=0100644 ouid=0 ogid=0 rdev=00:00 "
				    "nametype=NORMAL cap_fp=0 cap_fi=0 cap_fe=0 cap_fver=0 "
				    "cap_frootid=0\035OUID=\"root\" OGID=\"root\"\n",
				    (unsigned long long)sec, (unsigned long long)ms,
				    (unsigned long long)serial, i, files[rnd(8)],
				    1000 + rnd(900000));
			n += printf(
			    "type=PROCTITLE msg=audit(%llu.%03llu:%llu): "
			    "proctitle=2F7573722F62696E2F636174002F6574632F686F73746E616D65\n",
			    (unsigned long long)sec, (unsigned long long)ms,
			    (unsigned long long)serial);
		}
		written += (uint64_t)n;
	}
	fflush(stdout);
	fprintf(stderr,
	        "events=%llu landlock_events=%llu denials=%llu kernel_denials=%llu bytes=%llu\n",
	        (unsigned long long)events, (unsigned long long)llevents,
	        (unsigned long long)denials, (unsigned long long)kernel,
	        (unsigned long long)written);
	return 0;
}
