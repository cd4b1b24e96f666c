/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_records.c - unit tests of the reporter's record and event parsing on
 * hand-written records: every blocker and object kind, raw and ENRICHED
 * formats, UNKNOWN[1423]/[1424] and LANDLOCK_* names (mixed), node=
 * prefixes, events split by other records or out of order, malformed lines.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "report/record.h"

#include <unistd.h>

#define SC(ts, serial, auid, uid, ses, comm)                                                       \
	"type=SYSCALL msg=audit(" #ts ":" #serial "): arch=c000003e syscall=257 success=no "       \
	"exit=-13 a0=ffffff9c a1=55d4 a2=241 a3=1b6 items=1 ppid=2608 pid=2627 auid=" #auid        \
	" uid=" #uid " gid=0 euid=" #uid                                                           \
	" suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=pts0 ses=" #ses " comm=\"" comm                 \
	"\" exe=\"/usr/bin/" comm "\" key=(null)\n"

static void test_header(void **state)
{
	struct llr_hdr h;
	const char *l = "node=web1 type=UNKNOWN[1423] msg=audit(1795468439.526:4): domain=1f "
	                "blockers=fs.execute";
	(void)state;
	assert_int_equal(llr_parse_header(l, strlen(l), &h), 0);
	assert_int_equal(h.type, LLR_RT_ACCESS);
	assert_int_equal(h.node_len, 4);
	assert_memory_equal(h.node, "web1", 4);
	assert_int_equal(h.sec, 1795468439);
	assert_int_equal(h.ms, 526);
	assert_int_equal(h.serial, 4);
	assert_int_equal(strncmp(h.body, "domain=1f", 9), 0);

	const char *names[][2] = {
	    {"type=LANDLOCK_ACCESS msg=audit(1.000:1): x=1", "1"},
	    {"type=LANDLOCK_DOMAIN msg=audit(1.000:1): x=1", "2"},
	    {"type=UNKNOWN[1424] msg=audit(1.000:1): x=1", "2"},
	    {"type=SYSCALL msg=audit(1.000:1): x=1", "3"},
	    {"type=TRUSTED_APP msg=audit(1.000:1): x=1", "4"},
	    {"type=PATH msg=audit(1.000:1): x=1", "0"},
	    {"type=UNKNOWN[1425] msg=audit(1.000:1): x=1", "0"},
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		assert_int_equal(llr_parse_header(names[i][0], strlen(names[i][0]), &h), 0);
		assert_int_equal((int)h.type, atoi(names[i][1]));
	}
	const char *bad[] = {
	    "garbage",
	    "type=SYSCALL",
	    "type=SYSCALL msg=audit(",
	    "type=SYSCALL msg=audit(1.2)",
	    "type=SYSCALL msg=audit(1.2:3",
	    "node= type=X msg=audit(1.2:3):",
	    "type= msg=audit(1.2:3):",
	    "type=X msg=audit(abc.2:3):",
	    "node=onlynode",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_int_equal(llr_parse_header(bad[i], strlen(bad[i]), &h), -1);
	assert_int_equal(llr_parse_header("", 0, &h), 1);
	assert_int_equal(llr_parse_header("  \r", 3, &h), 1);
}

static void test_fields(void **state)
{
	struct llr_fields f;
	char v[256];
	const char *b = "pid=12 uid=0 auid=1001 ses=5 msg='op=pam_landlock-enforce acct=\"alice\" "
	                "service=sshd exe=\"/usr/sbin/sshd\" hostname=10.0.0.1 res=success'" GS
	                "UID=\"root\" AUID=\"alice\"";
	(void)state;
	llr_split_fields(b, strlen(b), &f);
	llr_value(llr_get(&f, "acct"), 1, v, sizeof(v));
	assert_string_equal(v, "alice");
	llr_value(llr_get(&f, "res"), 0, v, sizeof(v));
	assert_string_equal(v, "success");
	llr_value(llr_get(&f, "service"), 0, v, sizeof(v));
	assert_string_equal(v, "sshd");
	llr_value(llr_get_enriched(&f, "AUID"), 0, v, sizeof(v));
	assert_string_equal(v, "alice");
	assert_null(llr_get(&f, "AUID"));
	assert_null(llr_get_enriched(&f, "auid"));
	uint32_t u;
	assert_int_equal(llr_kv_u32(llr_get(&f, "auid"), &u), 0);
	assert_int_equal(u, 1001);
	/* hex-encoded untrusted string (space in name) */
	const char *h = "path=2F746D702F6120622E747874 comm=\"ok\"";
	llr_split_fields(h, strlen(h), &f);
	llr_value(llr_get(&f, "path"), 1, v, sizeof(v));
	assert_string_equal(v, "/tmp/a b.txt");
	/* -1 auid reads as unset */
	const char *m = "auid=-1 uid=4294967295";
	llr_split_fields(m, strlen(m), &f);
	assert_int_equal(llr_kv_u32(llr_get(&f, "auid"), &u), 0);
	assert_int_equal(u, 0xffffffffU);
	assert_int_equal(llr_kv_u32(llr_get(&f, "uid"), &u), 0);
	assert_int_equal(u, 0xffffffffU);
}

/* Every blocker the kernel reports, each to its own user (auid 2000+i). */
static void test_every_blocker(void **state)
{
	static const char *const blockers[] = {
	    "fs.execute",
	    "fs.write_file",
	    "fs.read_file",
	    "fs.read_dir",
	    "fs.remove_dir",
	    "fs.remove_file",
	    "fs.make_char",
	    "fs.make_dir",
	    "fs.make_reg",
	    "fs.make_sock",
	    "fs.make_fifo",
	    "fs.make_block",
	    "fs.make_sym",
	    "fs.refer",
	    "fs.truncate",
	    "fs.ioctl_dev",
	    "fs.resolve_unix",
	    "net.bind_tcp",
	    "net.connect_tcp",
	    "net.bind_udp",
	    "net.connect_send_udp",
	    "scope.abstract_unix_socket",
	    "scope.signal",
	    "fs.change_topology",
	    "ptrace",
	};
	size_t n = sizeof(blockers) / sizeof(blockers[0]), cap = 4096 * n, len = 0;
	char *text = malloc(cap);
	(void)state;
	for (size_t i = 0; i < n; i++) {
		const char *obj = "path=\"/srv/x\" dev=\"vda\" ino=12";
		if (!strncmp(blockers[i], "net.bind", 8))
			obj = "saddr=0.0.0.0 src=8080";
		else if (!strncmp(blockers[i], "net.connect", 11))
			obj = "daddr=10.0.0.1 dest=25";
		else if (!strcmp(blockers[i], "scope.signal") || !strcmp(blockers[i], "ptrace"))
			obj = "opid=1 ocomm=\"systemd\"";
		else if (!strcmp(blockers[i], "scope.abstract_unix_socket"))
			obj = "path=00746573742D736F636B";
		else if (!strcmp(blockers[i], "fs.ioctl_dev"))
			obj = "path=\"/dev/tty\" dev=\"devtmpfs\" ino=9 ioctlcmd=0x5401";
		else if (!strcmp(blockers[i], "fs.refer"))
			obj = "name=\"moved\" dev=\"vda\" ino=77";
		const char *type = i % 2 ? "LANDLOCK_ACCESS" : "UNKNOWN[1423]";
		len += (size_t)snprintf(
		    text + len, cap - len,
		    "type=%s msg=audit(1795468439.%03zu:%zu): domain=%zx blockers=%s %s\n"
		    "type=%s msg=audit(1795468439.%03zu:%zu): domain=%zx status=allocated "
		    "mode=enforcing pid=%zu uid=0 exe=\"/usr/sbin/sshd\" comm=\"sshd\"\n"
		    "type=SYSCALL msg=audit(1795468439.%03zu:%zu): arch=c000003e syscall=59 "
		    "success=no exit=-13 ppid=1 pid=%zu auid=%zu uid=%zu ses=%zu comm=\"t\" "
		    "exe=\"/bin/t\"\n"
		    "type=PROCTITLE msg=audit(1795468439.%03zu:%zu): proctitle=74\n"
		    "type=%s msg=audit(1795468440.%03zu:%zu): domain=%zx status=deallocated "
		    "denials=1\n",
		    type, i, 10 + i, 0x100 + i, blockers[i], obj,
		    i % 3 ? "LANDLOCK_DOMAIN" : "UNKNOWN[1424]", i, 10 + i, 0x100 + i, 500 + i, i,
		    10 + i, 600 + i, 2000 + i, 2000 + i, 10 + i, i, 10 + i,
		    i % 2 ? "UNKNOWN[1424]" : "LANDLOCK_DOMAIN", i, 100 + i, 0x100 + i);
	}
	struct llr_opts *o = opts_default();
	struct llr_report *r = run_text(o, text);
	const struct llr_totals *t = llr_agg_totals(r->agg);
	assert_int_equal(t->denials, n);
	assert_int_equal(t->kernel_denials, n);
	assert_int_equal(t->unattributed_kernel, 0);
	assert_int_equal(llr_asm_stats(r->as)->malformed, 0);
	for (size_t i = 0; i < n; i++) {
		struct llr_user *u = user_by_uid(r, (unsigned)(2000 + i));
		assert_int_equal(u->denials, 1);
		assert_int_equal(blocker_count(u, blockers[i]), 1);
		assert_int_equal(u->kernel_denials, 1);
		assert_int_equal(u->sessions.n, 1);
		assert_int_equal(u->domains.n, 1);
	}
	assert_int_equal(object_count(user_by_uid(r, 2017), "bind:0.0.0.0:8080"), 1);
	assert_int_equal(object_count(user_by_uid(r, 2018), "connect:10.0.0.1:25"), 1);
	assert_int_equal(object_count(user_by_uid(r, 2021), "unix:@test-sock"), 1);
	assert_int_equal(object_count(user_by_uid(r, 2022), "task:systemd"), 1);
	assert_int_equal(object_count(user_by_uid(r, 2015), "ioctl:/dev/tty ioctlcmd=0x5401"), 1);
	assert_int_equal(object_count(user_by_uid(r, 2013), "dentry:moved"), 1);
	assert_int_equal(object_count(user_by_uid(r, 2000), "path:/srv/x"), 1);
	llr_report_free(r);
	free(text);
}

/* Object kinds decoded from one event with several 1423 records. */
static void test_object_kinds(void **state)
{
	const char *text =
	    "type=UNKNOWN[1423] msg=audit(1795468500.100:50): domain=1a "
	    "blockers=fs.refer path=\"/usr/bin\" dev=\"vda2\" ino=351\n"
	    "type=UNKNOWN[1423] msg=audit(1795468500.100:50): domain=1a "
	    "blockers=fs.make_reg,fs.refer path=\"/usr/local\" dev=\"vda2\" ino=365\n"
	    "type=UNKNOWN[1424] msg=audit(1795468500.100:50): domain=1a "
	    "status=allocated mode=enforcing pid=300 uid=0 exe=\"/root/sandboxer\" "
	    "comm=\"sandboxer\"\n" SC(
	        1795468500.100, 50, 1001, 1001, 3,
	        "mv") "type=LANDLOCK_ACCESS msg=audit(1795468500.200:51): "
	              "domain=1a blockers=net.connect_tcp daddr=::1 "
	              "dest=443\n" SC(
	                  1795468500.200, 51, 1001, 1001, 3,
	                  "curl") "type=LANDLOCK_ACCESS "
	                          "msg=audit(1795468500."
	                          "300:52): domain=1a "
	                          "blockers=fs.write_file "
	                          "path="
	                          "2F746D702F6120622E74787"
	                          "4 dev=\"vda\" "
	                          "ino=9\n" SC(
	                              1795468500.300, 52, 1001, 1001, 3,
	                              "sh") "type"
	                                    "=LAN"
	                                    "DLOC"
	                                    "K_"
	                                    "ACCE"
	                                    "SS "
	                                    "msg="
	                                    "audi"
	                                    "t("
	                                    "1795"
	                                    "4685"
	                                    "00."
	                                    "400:"
	                                    "53):"
	                                    " dom"
	                                    "ain="
	                                    "1a "
	                                    "bloc"
	                                    "kers"
	                                    "=fs."
	                                    "chan"
	                                    "ge_"
	                                    "topo"
	                                    "logy"
	                                    "\n" SC(
	                                        1795468500.400, 53, 1001, 1001, 3,
	                                        "mount") "type=LANDLOCK_DOMAIN "
	                                                 "msg=audit(1795468501.000:54): domain=1a "
	                                                 "status=deallocated denials=9\n";
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	struct llr_user *u = user_by_uid(r, 1001);
	assert_int_equal(u->denials, 5);
	assert_int_equal(u->events, 4);
	assert_int_equal(blocker_count(u, "fs.refer"), 2);
	assert_int_equal(blocker_count(u, "fs.make_reg"), 1);
	assert_int_equal(object_count(u, "path:/usr/local"), 1);
	assert_int_equal(object_count(u, "connect:[::1]:443"), 1);
	assert_int_equal(object_count(u, "path:/tmp/a b.txt"), 1);
	assert_int_equal(object_count(u, "none:-"), 1);
	assert_int_equal(u->kernel_denials, 9);
	assert_int_equal(u->unlogged, 4);
	llr_report_free(r);
}

/* ENRICHED names win; raw records fall back to the (disabled) cache: numbers. */
static void test_enriched(void **state)
{
	const char *text =
	    "type=UNKNOWN[1423] msg=audit(1795468600.000:60): domain=2b blockers=fs.read_file "
	    "path=\"/etc/shadow\" dev=\"vda\" ino=5\n"
	    "type=UNKNOWN[1424] msg=audit(1795468600.000:60): domain=2b status=allocated "
	    "mode=enforcing pid=10 uid=0 exe=\"/usr/sbin/sshd\" comm=\"sshd\"" GS "UID=\"root\"\n"
	    "type=SYSCALL msg=audit(1795468600.000:60): arch=c000003e syscall=257 success=no "
	    "exit=-13 ppid=1 pid=11 auid=1001 uid=1001 ses=7 comm=\"cat\" exe=\"/usr/bin/cat\"" GS
	    "ARCH=x86_64 SYSCALL=openat AUID=\"alice\" UID=\"alice\"\n"
	    "type=UNKNOWN[1423] msg=audit(1795468600.100:61): domain=2b blockers=fs.read_file "
	    "path=\"/etc/gshadow\" dev=\"vda\" ino=6\n"
	    "type=SYSCALL msg=audit(1795468600.100:61): arch=c000003e syscall=257 success=no "
	    "exit=-13 ppid=1 pid=11 auid=1001 uid=1001 ses=7 comm=\"cat\" exe=\"/usr/bin/cat\"\n"
	    /* auid unset: uid, with its ENRICHED UID= name */
	    "type=UNKNOWN[1423] msg=audit(1795468600.200:62): domain=2c blockers=fs.read_file "
	    "path=\"/root\" dev=\"vda\" ino=7\n"
	    "type=SYSCALL msg=audit(1795468600.200:62): arch=c000003e syscall=257 success=no "
	    "exit=-13 ppid=1 pid=12 auid=4294967295 uid=33 ses=4294967295 comm=\"php\" "
	    "exe=\"/usr/bin/php\"" GS "AUID=\"unset\" UID=\"www-data\"\n";
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	struct llr_user *alice = user_by_name(r, "alice");
	assert_int_equal(alice->uid, 1001);
	assert_int_equal(alice->denials, 1);
	uint64_t raw = 0;
	for (int i = 0; i < llr_agg_nusers(r->agg); i++)
		if (llr_agg_user(r->agg, i)->uid == 1001 && !llr_agg_user(r->agg, i)->name)
			raw += llr_agg_user(r->agg, i)->denials;
	assert_int_equal(raw, 1); /* same uid without a name: kept apart, never merged wrongly */
	struct llr_user *www = user_by_name(r, "www-data");
	assert_int_equal(www->uid, 33);
	assert_int_equal(www->denials, 1);
	assert_int_equal(www->sessions.n, 1); /* no ses: one per domain */
	struct llr_domain *d = domain_by_id(r, "", 0x2b);
	assert_string_equal(d->creator_name, "root");
	assert_string_equal(d->comm, "sshd");
	assert_int_equal(d->pid, 10);
	llr_report_free(r);
}

/* Same serial on two nodes: two events.  node= on every record. */
static void test_nodes(void **state)
{
	const char *text = "node=web1 type=UNKNOWN[1423] msg=audit(1795468700.000:5): domain=3a "
	                   "blockers=fs.write_file path=\"/etc/hosts\" dev=\"vda\" ino=1\n"
	                   "node=db1 type=LANDLOCK_ACCESS msg=audit(1795468700.000:5): domain=3a "
	                   "blockers=fs.read_file path=\"/etc/hosts\" dev=\"vda\" ino=1\n"
	                   "node=web1 type=SYSCALL msg=audit(1795468700.000:5): arch=c000003e "
	                   "syscall=257 success=no exit=-13 ppid=1 pid=5 auid=1001 uid=1001 ses=1 "
	                   "comm=\"vi\" exe=\"/usr/bin/vi\"\n"
	                   "node=db1 type=SYSCALL msg=audit(1795468700.000:5): arch=c000003e "
	                   "syscall=257 success=no exit=-13 ppid=1 pid=5 auid=1002 uid=1002 ses=1 "
	                   "comm=\"cat\" exe=\"/usr/bin/cat\"\n"
	                   "node=db1 type=LANDLOCK_DOMAIN msg=audit(1795468701.000:6): domain=3a "
	                   "status=deallocated denials=3\n";
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	assert_int_equal(llr_agg_nnodes(r->agg), 2);
	struct llr_user *a = user_by_uid(r, 1001), *b = user_by_uid(r, 1002);
	assert_int_equal(a->denials, 1);
	assert_int_equal(blocker_count(a, "fs.write_file"), 1);
	assert_int_equal(b->denials, 1);
	assert_int_equal(blocker_count(b, "fs.read_file"), 1);
	assert_int_equal(b->kernel_denials, 3);
	assert_int_equal(a->kernel_denials, 0);
	for (int i = 0; i < 2; i++) {
		struct llr_node *n = llr_agg_node(r->agg, i);
		assert_int_equal(n->denials, 1);
		assert_int_equal(n->kernel_denials, strcmp(n->name, "db1") ? 0 : 3);
	}
	llr_report_free(r);
}

/* SYSCALL first, other events interleaved, two events' records interleaved. */
static void test_split_out_of_order(void **state)
{
	const char *text =
	    SC(1795468439.526, 70, 1001, 1001, 4,
	       "a") "type=PATH msg=audit(1795468439.526:70): item=0 name=\"/x\" nametype=NORMAL\n"
	            "type=SYSCALL msg=audit(1795468439.526:69): arch=c000003e syscall=1 "
	            "success=yes exit=1 ppid=1 pid=9 auid=0 uid=0 ses=1 comm=\"x\" exe=\"/x\"\n"
	            "type=UNKNOWN[1423] msg=audit(1795468439.526:70): domain=4a "
	            "blockers=fs.write_file path=\"/x\" dev=\"vda\" ino=1\n"
	            "type=UNKNOWN[1423] msg=audit(1795468439.527:71): domain=4a "
	            "blockers=fs.read_file path=\"/y\" dev=\"vda\" ino=2\n"
	            "type=CWD msg=audit(1795468439.527:71): cwd=\"/\"\n"
	            "type=UNKNOWN[1424] msg=audit(1795468439.526:70): domain=4a status=allocated "
	            "mode=enforcing pid=9 uid=0 exe=\"/x\" comm=\"x\"\n" SC(
	                1795468439.527, 71, 1002, 1002, 5,
	                "b") "type=USER_END msg=audit(1795468439.600:72): pid=1 uid=0 auid=0 ses=1 "
	                     "msg='op=PAM:session_close acct=\"root\" exe=\"/usr/sbin/sshd\" "
	                     "res=success'\n"
	                     "type=UNKNOWN[1423] msg=audit(1795468439.527:71): domain=4a "
	                     "blockers=fs.truncate path=\"/y\" dev=\"vda\" ino=2\n";
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	struct llr_user *a = user_by_uid(r, 1001), *b = user_by_uid(r, 1002);
	assert_int_equal(a->denials, 1);
	assert_int_equal(blocker_count(a, "fs.write_file"), 1);
	assert_int_equal(b->denials, 2);
	assert_int_equal(b->events, 1);
	assert_int_equal(blocker_count(b, "fs.truncate"), 1);
	assert_false(has_user_uid(r, 0));
	assert_int_equal(llr_agg_totals(r->agg)->no_syscall, 0);
	llr_report_free(r);
}

/* A Landlock event whose SYSCALL never comes: counted, to "(unknown)". */
/* Same serial, different time: two events (e.g. two hosts' logs, no node=). */
static void test_same_serial_other_time(void **state)
{
	const char *text =
	    "type=UNKNOWN[1423] msg=audit(1795468439.526:100): domain=7a blockers=fs.read_file "
	    "path=\"/a\"\n" SC(1795468439.526, 100, 1001, 1001, 1,
	                       "a") "type=UNKNOWN[1423] msg=audit(1795469999.001:100): domain=7b "
	                            "blockers=fs.read_file path=\"/b\"\n" SC(1795469999.001, 100,
	                                                                     1002, 1002, 1, "b");
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	assert_int_equal(user_by_uid(r, 1001)->denials, 1);
	assert_int_equal(user_by_uid(r, 1002)->denials, 1);
	assert_int_equal(llr_agg_totals(r->agg)->events, 2);
	llr_report_free(r);
}

static void test_missing_syscall(void **state)
{
	const char *text = "type=UNKNOWN[1423] msg=audit(1795468439.526:80): domain=5a "
	                   "blockers=fs.read_file path=\"/z\" dev=\"vda\" ino=1\n";
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	struct llr_user *u = user_by_uid(r, LLR_UID_UNSET);
	assert_int_equal(u->denials, 1);
	assert_int_equal(llr_agg_totals(r->agg)->no_syscall, 1);
	llr_report_free(r);
}

static void test_malformed(void **state)
{
	const char *text = "this is not an audit record\n"
	                   "type=UNKNOWN[1423] msg=audit(1795468439.526:90\n"
	                   "type=UNKNOWN[1423] msg=audit(1795468439.526:91): domain=zz blockers=\n"
	                   "type=UNKNOWN[1423] msg=audit(1795468439.526:92): \n"
	                   "\x01\x02\xff\xfe binary\n"
	                   "node=\n"
	                   "\n"
	                   "type=SYSCALL msg=audit(1795468439.526:93): auid=notanumber uid= ses=\n"
	                   "type=UNKNOWN[1423] msg=audit(1795468439.526:93): domain=6a "
	                   "blockers=fs.read_file,,fs.bogus_new path=\"/q\n" SC(
	                       1795468439.526, 94, 1001, 1001, 2,
	                       "ok") "type=UNKNOWN[1423] msg=audit(1795468439.526:94): domain=6b "
	                             "blockers=fs.read_file path=\"/ok\" dev=\"vda\" ino=1\n";
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	const struct llr_stats *st = llr_asm_stats(r->as);
	assert_int_equal(st->malformed, 4);
	assert_int_equal(st->blank, 1);
	assert_int_equal(st->first_malformed_line, 1);
	struct llr_user *u = user_by_uid(r, 1001);
	assert_int_equal(u->denials, 1);
	assert_int_equal(llr_agg_totals(r->agg)->denials, 4);
	assert_true(llr_blocker_find("fs.bogus_new") >= 0); /* new blocker names are counted */
	llr_report_free(r);
}

static void feed(void *arg, const char *l, size_t n)
{
	llr_report_line(arg, l, n);
}

/* A file larger than the reader's mapping window: lines cross windows,
 * and one window has more short lines than are parsed ahead.  Read one
 * line at a time, in blocks, and parsed ahead: the same counts. */
static void test_big_file(void **state)
{
	char path[] = "/tmp/llr-big-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");
	unsigned n = 0, shorts = 0;
	struct llr_input_err e;
	(void)state;
	assert_non_null(f);
	for (size_t bytes = 0; bytes < 20u * 1024 * 1024; n++) {
		int k = fprintf(
		    f,
		    "type=UNKNOWN[1423] msg=audit(1795468439.%03u:%u): domain=%x "
		    "blockers=fs.read_file path=\"/data/%u\" dev=\"vda\" ino=%u\n"
		    "type=SYSCALL msg=audit(1795468439.%03u:%u): arch=c000003e syscall=257 "
		    "success=no exit=-13 ppid=1 pid=2 auid=%u uid=%u ses=%u comm=\"c\" exe=\"/c\"\n"
		    "type=PATH msg=audit(1795468439.%03u:%u): item=0 name=\"%*u\"\n",
		    n % 1000, n, 0x100 + n % 7, n, n, n % 1000, n, 1000 + n % 3, 1000 + n % 3,
		    n % 11, n % 1000, n, (int)(n % 300), n);
		bytes += (size_t)k;
		if (n == 30000) /* 5 MB of short lines */
			for (; shorts < 150000; shorts++)
				bytes += (size_t)fprintf(
				    f, "type=EOE msg=audit(1795468439.999:%u): \n", shorts);
	}
	fclose(f);
	for (int how = 0; how < 3; how++) {
		struct llr_report *r = llr_report_new(opts_default(), NULL);
		struct llr_input_res res;
		struct llr_reader rd = LLR_REPORT_READER(r);
		if (how == 0)
			rd = (struct llr_reader){feed, NULL, llr_report_release, r, NULL};
		else if (how == 1)
			rd.parsed = NULL;
		assert_int_equal(llr_input_read(path, &rd, &e, &res), 0);
		llr_asm_flush(r->as);
		assert_int_equal(llr_asm_stats(r->as)->malformed, 0);
		assert_int_equal(llr_agg_totals(r->agg)->denials, n);
		assert_int_equal(llr_asm_stats(r->as)->lines, 3 * (uint64_t)n + shorts);
		assert_int_equal(res.lines, 3 * (uint64_t)n + shorts);
		uint64_t per[3] = {0, 0, 0};
		for (unsigned i = 0; i < n; i++)
			per[i % 3]++;
		for (unsigned u = 0; u < 3; u++)
			assert_int_equal(user_by_uid(r, 1000 + u)->denials, per[u]);
		llr_report_free(r);
	}
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_header),
	    cmocka_unit_test(test_fields),
	    cmocka_unit_test(test_every_blocker),
	    cmocka_unit_test(test_object_kinds),
	    cmocka_unit_test(test_enriched),
	    cmocka_unit_test(test_nodes),
	    cmocka_unit_test(test_split_out_of_order),
	    cmocka_unit_test(test_same_serial_other_time),
	    cmocka_unit_test(test_missing_syscall),
	    cmocka_unit_test(test_malformed),
	    cmocka_unit_test(test_big_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
