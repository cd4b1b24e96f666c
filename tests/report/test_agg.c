/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_agg.c - unit tests of attribution (SYSCALL auid, else uid; ses),
 * domain creators and pam_landlock sessions, filters, time keywords, the
 * output schemas, suggestions and the bounded top-N counters.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "report/cli.h"
#include "report/timekw.h"
#include "report/topk.h"

/* One denial event: domain, blocker, object, auid, uid, ses, time. */
static size_t ev(char *b, size_t n, unsigned serial, unsigned long long sec, const char *dom,
                 const char *blk, const char *obj, const char *auid, unsigned uid, const char *ses)
{
	return (size_t)snprintf(
	    b, n,
	    "type=UNKNOWN[1423] msg=audit(%llu.100:%u): domain=%s blockers=%s %s\n"
	    "type=SYSCALL msg=audit(%llu.100:%u): arch=c000003e syscall=257 success=no exit=-13 "
	    "ppid=1 pid=77 auid=%s uid=%u gid=0 ses=%s comm=\"sh\" exe=\"/usr/bin/dash\"\n"
	    "type=PROCTITLE msg=audit(%llu.100:%u): proctitle=7368\n",
	    sec, serial, dom, blk, obj, sec, serial, auid, uid, ses, sec, serial);
}

#define PAM(sec, serial, pid, acct, service, profile, host)                                        \
	"type=TRUSTED_APP msg=audit(" #sec ".000:" #serial "): pid=" #pid                          \
	" uid=0 auid=1001 ses=5 "                                                                  \
	"msg='op=pam_landlock-enforce acct=\"" acct "\" service=" service " profile=" profile      \
	" abi=7 enforcement=partial dropped=fs.resolve_unix flags=log_new_exec_on nnp=yes "        \
	"exe=\"/usr/sbin/sshd\" hostname=" host " addr=" host " terminal=ssh res=success'" GS      \
	"UID=\"root\" AUID=\"alice\"\n"

static void test_attribution(void **state)
{
	char t[8192];
	size_t n = 0;
	(void)state;
	/* auid set: to auid even when uid is root (su inside a session) */
	n += ev(t + n, sizeof(t) - n, 1, 1795468000, "a1", "fs.read_file", "path=\"/etc/shadow\"",
	        "1001", 0, "5");
	n += ev(t + n, sizeof(t) - n, 2, 1795468001, "a1", "fs.read_file", "path=\"/etc/shadow\"",
	        "1001", 1001, "5");
	/* second session of 1001, other domain */
	n += ev(t + n, sizeof(t) - n, 3, 1795468002, "a2", "fs.write_file", "path=\"/etc/passwd\"",
	        "1001", 1001, "6");
	/* auid unset (-1 and 4294967295): to uid */
	n += ev(t + n, sizeof(t) - n, 4, 1795468003, "a3", "fs.write_file", "path=\"/var/www\"",
	        "4294967295", 33, "4294967295");
	n += ev(t + n, sizeof(t) - n, 5, 1795468004, "a3", "fs.write_file", "path=\"/var/www\"",
	        "-1", 33, "4294967295");
	n += (size_t)snprintf(t + n, sizeof(t) - n,
	                      "type=UNKNOWN[1424] msg=audit(1795468010.000:6): domain=a1 "
	                      "status=deallocated denials=2\n"
	                      "type=UNKNOWN[1424] msg=audit(1795468010.000:7): domain=a3 "
	                      "status=deallocated denials=5\n"
	                      "type=UNKNOWN[1424] msg=audit(1795468010.000:8): domain=ff "
	                      "status=deallocated denials=4\n");
	struct llr_report *r = run_text(opts_default(), t);
	struct llr_user *u = user_by_uid(r, 1001), *w = user_by_uid(r, 33);
	assert_false(has_user_uid(r, 0));
	assert_int_equal(u->denials, 3);
	assert_int_equal(u->sessions.n, 2);
	assert_int_equal(u->domains.n, 2);
	assert_int_equal(u->kernel_denials, 2);
	assert_int_equal(w->denials, 2);
	assert_int_equal(w->sessions.n, 1);
	assert_int_equal(w->kernel_denials, 5);
	assert_int_equal(w->unlogged, 3);
	const struct llr_totals *tot = llr_agg_totals(r->agg);
	assert_int_equal(tot->denials, 5);
	assert_int_equal(tot->kernel_denials, 11);
	assert_int_equal(tot->unattributed_kernel, 4);
	llr_report_free(r);
}

static void test_pam_tie(void **state)
{
	const char *text =
	    /* an older record of a recycled pid, then the right one, then a later one */
	    PAM(1795460000, 1, 2627, "bob", "login", "admin", "?") PAM(
	        1795468439, 2, 2627, "alice", "sshd", "shell",
	        "10.0.0.9") "type=UNKNOWN[1423] msg=audit(1795468440.000:3): domain=1f "
	                    "blockers=fs.make_reg path=\"/tmp\" dev=\"vda\" ino=1\n"
	                    "type=UNKNOWN[1424] msg=audit(1795468440.000:3): domain=1f "
	                    "status=allocated mode=enforcing pid=2627 uid=0 exe=\"/usr/sbin/sshd\" "
	                    "comm=\"sshd\"\n"
	                    "type=SYSCALL msg=audit(1795468440.000:3): arch=c000003e syscall=257 "
	                    "success=no exit=-13 ppid=2627 pid=2700 auid=1001 uid=1001 ses=5 "
	                    "comm=\"sh\" exe=\"/usr/bin/dash\"\n" PAM(
	                        1795468441, 4, 2627, "carol", "sshd", "dev",
	                        "10.0.0.7") "type=TRUSTED_APP msg=audit(1795468442.000:5): "
	                                    "pid=3000 uid=0 auid=1003 ses=9 "
	                                    "msg='op=pam_landlock-refused acct=\"dave\" "
	                                    "service=sshd reason=\"no profile\" "
	                                    "exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh "
	                                    "res=failed'\n"
	                                    "type=TRUSTED_APP msg=audit(1795468442.000:6): "
	                                    "pid=3000 uid=0 auid=0 ses=9 msg='op=PAM:session_open "
	                                    "acct=\"dave\" res=success'\n";
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	struct llr_domain *d = domain_by_id(r, "", 0x1f);
	assert_non_null(d->pam);
	assert_string_equal(d->pam->service, "sshd");
	assert_string_equal(d->pam->profile, "shell");
	assert_string_equal(d->pam->acct, "alice");
	assert_string_equal(d->pam->hostname, "10.0.0.9");
	assert_string_equal(d->pam->terminal, "ssh");
	const struct llr_totals *t = llr_agg_totals(r->agg);
	assert_int_equal(t->pam_sessions, 3);
	assert_int_equal(t->pam_refused, 1);
	assert_int_equal(user_by_name(r, "dave")->pam_refused, 1);
	assert_int_equal(user_by_name(r, "alice")->pam_sessions, 1);
	assert_int_equal(user_by_name(r, "carol")->pam_sessions, 1);
	assert_int_equal(llr_agg_totals(r->agg)->denials, 1);
	llr_report_free(r);
}

/* A pam_landlock record known by name only joins the user's later denials. */
static void test_pam_user_merge(void **state)
{
	const char *text =
	    "type=TRUSTED_APP msg=audit(1795468439.000:1): pid=77 uid=0 auid=4294967295 "
	    "ses=4294967295 msg='op=pam_landlock-enforce acct=\"zed\" service=login "
	    "profile=shell res=success'\n"
	    "type=UNKNOWN[1423] msg=audit(1795468440.000:2): domain=9 blockers=fs.read_file "
	    "path=\"/x\"\n"
	    "type=SYSCALL msg=audit(1795468440.000:2): arch=c000003e syscall=2 pid=78 auid=1500 "
	    "uid=1500 ses=3 comm=\"x\" exe=\"/x\"" GS "AUID=\"zed\" UID=\"zed\"\n";
	(void)state;
	struct llr_report *r = run_text(opts_default(), text);
	int n;
	free(llr_sorted_users(r->agg, &n)); /* the output merges name-only rows */
	assert_int_equal(n, 1);
	struct llr_user *u = user_by_uid(r, 1500);
	assert_int_equal(u->uid, 1500);
	assert_int_equal(u->pam_sessions, 1);
	assert_int_equal(u->denials, 1);
	llr_report_free(r);
}

static const char *filter_log(void)
{
	static char t[16384];
	size_t n = 0;
	n += ev(t + n, sizeof(t) - n, 1, 1795468000, "b1", "fs.read_file", "path=\"/a\"", "1001",
	        1001, "1");
	n += ev(t + n, sizeof(t) - n, 2, 1795468100, "b1", "fs.write_file", "path=\"/b\"", "1001",
	        1001, "1");
	n += ev(t + n, sizeof(t) - n, 3, 1795468200, "b2", "net.connect_tcp",
	        "daddr=1.2.3.4 dest=25", "1002", 1002, "2");
	n += ev(t + n, sizeof(t) - n, 4, 1795468300, "b2", "fs.read_file,fs.execute", "path=\"/c\"",
	        "1002", 1002, "2");
	(void)snprintf(t + n, sizeof(t) - n,
	               "node=other type=UNKNOWN[1423] msg=audit(1795468400.000:5): domain=b1 "
	               "blockers=fs.read_file path=\"/d\"\n"
	               "node=other type=SYSCALL msg=audit(1795468400.000:5): arch=c000003e "
	               "syscall=2 auid=1001 uid=1001 ses=3 comm=\"x\" exe=\"/x\"\n");
	return t;
}

static uint64_t total(struct llr_opts *o)
{
	struct llr_report *r = run_text(o, filter_log());
	uint64_t d = llr_agg_totals(r->agg)->denials;
	llr_report_free(r);
	return d;
}

static void test_filters(void **state)
{
	struct llr_opts *o = opts_default();
	(void)state;
	assert_int_equal(total(o), 5);
	o->f.has_start = 1;
	o->f.start = 1795468100;
	assert_int_equal(total(o), 4);
	o->f.has_end = 1;
	o->f.end = 1795468200;
	assert_int_equal(total(o), 2);
	o = opts_default();
	o->f.user = "1002";
	o->f.user_numeric = 1;
	o->f.user_uid = 1002;
	assert_int_equal(total(o), 2);
	o = opts_default();
	o->f.blockers = 1ULL << llr_blocker_find("fs.read_file");
	assert_int_equal(total(o), 3);
	o->f.blockers |= 1ULL << llr_blocker_find("net.connect_tcp");
	assert_int_equal(total(o), 4);
	o = opts_default();
	o->f.has_domain = 1;
	o->f.domain = 0xb1;
	assert_int_equal(total(o), 3); /* b1 on two nodes */
	o = opts_default();
	o->f.node = "other";
	assert_int_equal(total(o), 1);
	o->f.node = "";
	assert_int_equal(total(o), 4);
}

static void test_timekw(void **state)
{
	int64_t t, t2;
	int used;
	time_t now = 1795468439; /* a Monday, 2026-11-23 */
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(llr_parse_time("now", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, now);
	assert_int_equal(llr_parse_time("recent", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, now - 600);
	assert_int_equal(llr_parse_time("today", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, now - now % 86400);
	assert_int_equal(llr_parse_time("yesterday", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, now - now % 86400 - 86400);
	assert_int_equal(llr_parse_time("week-ago", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, now - now % 86400 - 7 * 86400);
	assert_int_equal(llr_parse_time("this-week", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, now - now % 86400 - 1 * 86400); /* Sunday */
	assert_int_equal(llr_parse_time("this-month", NULL, 0, now, &t, &used), 0);
	assert_int_equal(llr_parse_time("11/01/2026", NULL, 0, now, &t2, &used), 0);
	assert_int_equal(t, t2);
	assert_int_equal(llr_parse_time("this-year", NULL, 0, now, &t, &used), 0);
	assert_int_equal(llr_parse_time("2026-01-01", NULL, 0, now, &t2, &used), 0);
	assert_int_equal(t, t2);
	assert_int_equal(llr_parse_time("boot", NULL, 0, now, &t, &used), 0);
	assert_true(t <= now);
	assert_int_equal(llr_parse_time("11/23/2026", "21:13:59", 0, now, &t, &used), 0);
	assert_int_equal(used, 1);
	assert_int_equal(t, 1795468439);
	assert_int_equal(llr_parse_time("2026-11-23T21:13:59", "ignored", 0, now, &t, &used), 0);
	assert_int_equal(used, 0);
	assert_int_equal(t, 1795468439);
	assert_int_equal(llr_parse_time("2026-11-23", "-x", 1, now, &t, &used), 0);
	assert_int_equal(t, 1795478399); /* end of day */
	assert_int_equal(llr_parse_time("21:13:59", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, 1795468439);
	assert_int_equal(llr_parse_time("today", "10:00", 0, now, &t, &used), 0);
	assert_int_equal(used, 1);
	assert_int_equal(t, now - now % 86400 + 36000);
	assert_int_equal(llr_parse_time("@1795468439", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, 1795468439);
	assert_int_not_equal(llr_parse_time("tomorrow", NULL, 0, now, &t, &used), 0);
	assert_int_not_equal(llr_parse_time("13/45/2026", NULL, 0, now, &t, &used), 0);
	assert_int_not_equal(llr_parse_time("2026-11-23", NULL, 0, now, &t, &used) != 0, 1);
	assert_int_not_equal(llr_parse_time("@", NULL, 0, now, &t, &used), 0);
}

static void test_outputs(void **state)
{
	struct llr_opts *o = opts_default();
	char *s;
	(void)state;
	s = render(o, filter_log());
	assert_non_null(strstr(s, "Landlock Denial Report\n======================\n"));
	assert_non_null(strstr(s, "Number of Landlock denials (logged): 5\n"));
	assert_non_null(strstr(s, "# user"));
	assert_non_null(strstr(s, "1. 1001"));
	free(s);
	o->format = LLR_FMT_CSV;
	s = render(o, filter_log());
	const char *uhdr = "user,uid,sessions,domains,denials,events,kernel_denials,"
	                   "unlogged_denials,pam_sessions,pam_refused,first_seen,last_seen,"
	                   "top_blockers,top_objects,top_programs,pam_trials\n";
	assert_int_equal(strncmp(s, uhdr, strlen(uhdr)), 0);
	assert_non_null(strstr(s, "\n1001,1001,2,2,3,3,0,0,0,0,"));
	free(s);
	o->format = LLR_FMT_JSON;
	s = render(o, filter_log());
	const char *first =
	    "{\"record\":\"user\",\"schema\":3,\"user\":{\"id\":\"1001\",\"name\":null},"
	    "\"sessions\":2,\"domains\":2,\"denials\":{\"logged\":3,";
	assert_int_equal(strncmp(s, first, strlen(first)), 0);
	assert_non_null(strstr(s, "{\"name\":\"fs.read_file\",\"count\":2}"));
	free(s);
	o->view = LLR_VIEW_DENIALS;
	s = render(o, filter_log());
	int lines = 0;
	for (char *p = s; *p; p++)
		lines += *p == '\n';
	assert_int_equal(lines, 5);
	assert_non_null(
	    strstr(s, "\"object\":{\"kind\":\"connect\",\"value\":\"1.2.3.4:25\",\"port\":25,"
	              "\"address\":\"1.2.3.4\"}"));
	free(s);
	o->format = LLR_FMT_CSV;
	s = render(o, filter_log());
	const char *hdr = "time,node,serial,user,uid,auid,ses,pid,comm,exe,syscall,exit,domain,"
	                  "blockers,object_kind,object,euid,ppid,command_line,pam_service,"
	                  "pam_profile,pam_match,pam_acct,pam_rhost,pam_tty,pam_digest,pam_kind,"
	                  "pam_confine\n";
	assert_int_equal(strncmp(s, hdr, strlen(hdr)), 0);
	assert_non_null(strstr(s, "\"fs.execute,fs.read_file\""));
	free(s);
	o->view = LLR_VIEW_DOMAIN;
	o->format = LLR_FMT_TEXT;
	s = render(o, filter_log());
	assert_non_null(strstr(s, "Landlock Domains"));
	assert_non_null(strstr(s, "b1 "));
	free(s);
	o->view = LLR_VIEW_NODE;
	o->format = LLR_FMT_JSON;
	s = render(o, filter_log());
	assert_non_null(strstr(s, "\"host\":{\"name\":\"other\"},\"denials\":{\"logged\":1,"));
	free(s);
	o = opts_default();
	s = render(o, "type=PATH msg=audit(1.000:1): item=0\n");
	assert_non_null(strstr(s, "no Landlock denials found"));
	free(s);
}

static void test_suggest(void **state)
{
	char t[16384];
	size_t n = 0;
	struct llr_opts *o = opts_default();
	(void)state;
	const char *files[] = {"/srv/data/a.csv", "/srv/data/b.csv", "/srv/data/c.csv"};
	for (unsigned i = 0; i < 3; i++) {
		char obj[64];
		snprintf(obj, sizeof(obj), "path=\"%s\"", files[i]);
		n += ev(t + n, sizeof(t) - n, 10 + i, 1795468000 + i, "c1", "fs.read_file", obj,
		        "1001", 1001, "1");
	}
	n += ev(t + n, sizeof(t) - n, 20, 1795468010, "c1", "fs.make_reg", "path=\"/var/tmp\"",
	        "1001", 1001, "1");
	n += ev(t + n, sizeof(t) - n, 21, 1795468011, "c1", "fs.write_file", "path=\"/var/tmp\"",
	        "1001", 1001, "1");
	n += ev(t + n, sizeof(t) - n, 22, 1795468012, "c1", "fs.read_file", "path=\"/etc/motd\"",
	        "1001", 1001, "1");
	n += ev(t + n, sizeof(t) - n, 23, 1795468013, "c1", "net.connect_tcp",
	        "daddr=10.0.0.2 dest=443", "1001", 1001, "1");
	n += ev(t + n, sizeof(t) - n, 24, 1795468014, "c1", "net.connect_tcp",
	        "daddr=10.0.0.2 dest=25", "1001", 1001, "1");
	n += ev(t + n, sizeof(t) - n, 25, 1795468015, "c1", "scope.signal",
	        "opid=1 ocomm=\"systemd\"", "1001", 1001, "1");
	n += ev(t + n, sizeof(t) - n, 26, 1795468016, "c1", "fs.change_topology", "", "1001", 1001,
	        "1");
	n += ev(t + n, sizeof(t) - n, 27, 1795468017, "c9", "fs.read_file", "path=\"/other\"",
	        "1002", 1002, "1");
	o->suggest = "1001";
	char *s = render(o, t);
	assert_non_null(strstr(s, "{ path = \"/srv/data\"; access = [\"read_file\"]; },  # 3 "
	                          "denials, files of this directory"));
	assert_non_null(
	    strstr(s, "{ path = \"/var/tmp\"; access = [\"write_file\", \"make_reg\"]; }"));
	assert_non_null(strstr(s, "{ path = \"/etc/motd\"; access = [\"read_file\"]; },"));
	assert_non_null(strstr(s, "network = { connect_tcp = [25, 443]; };"));
	assert_non_null(strstr(s, "# scope: 1 signal denial(s) (targets: systemd)"));
	assert_non_null(strstr(s, "fs.change_topology"));
	assert_null(strstr(s, "/other"));
	assert_null(strstr(s, "/srv/data/a.csv"));
	free(s);
	o->suggest = "domain:c9";
	s = render(o, t);
	assert_non_null(strstr(s, "{ path = \"/other\"; access = [\"read_file\"]; }"));
	free(s);
}

static void test_topk(void **state)
{
	struct llr_topk t;
	char k[16];
	(void)state;
	llr_topk_init(&t, 4);
	for (int i = 0; i < 10; i++)
		llr_topk_add(&t, "hot", 1);
	for (int i = 0; i < 3; i++)
		llr_topk_add(&t, "warm", 1);
	assert_int_equal(t.evicted, 0);
	for (int i = 0; i < 20; i++) {
		snprintf(k, sizeof(k), "cold%d", i);
		llr_topk_add(&t, k, 1);
	}
	assert_int_equal(t.n, 4);
	assert_true(t.evicted > 0);
	int n;
	struct llr_topk_ent **v = llr_topk_sorted(&t, &n);
	assert_string_equal(v[0]->key, "hot");
	assert_int_equal(v[0]->count, 10);
	assert_int_equal(v[0]->err, 0);
	free(v);
	llr_topk_free(&t);
}

static void test_names_cache(void **state)
{
	(void)state;
	llr_names_disable(0);
	unsigned long before = llr_names_misses();
	assert_string_equal(llr_uid_name(0), "root");
	assert_null(llr_uid_name(3999999)); /* no such user: a cached miss */
	assert_null(llr_uid_name(3999999));
	assert_string_equal(llr_uid_name(0), "root");
	assert_int_equal(llr_names_misses() - before, 2);
	llr_names_disable(1);
	assert_null(llr_uid_name(0));
}

static void test_cli(void **state)
{
	struct llr_opts o;
	(void)state;
	const char *a1[] = {"aulandlock", "-if",        "x.log",    "-ts",  "11/23/2026",
	                    "10:00:00",   "-te",        "now",      "-u",   "1001",
	                    "-b",         "write_file", "--format", "json", NULL};
	assert_int_equal(parse_args(&o, a1), 0);
	assert_int_equal(o.ninputs, 1);
	assert_string_equal(o.inputs[0], "x.log");
	assert_true(o.f.has_start && o.f.has_end);
	assert_true(o.f.user_numeric);
	assert_int_equal(o.f.user_uid, 1001);
	assert_int_equal(o.f.blockers, 1ULL << llr_blocker_find("fs.write_file"));
	assert_int_equal(o.format, LLR_FMT_JSON);
	free(o.inputs);
	const char *a2[] = {"aulandlock", "-d", "1cc43b808", "-if", "-", NULL};
	assert_int_equal(parse_args(&o, a2), 0);
	assert_int_equal(o.view, LLR_VIEW_DOMAIN);
	assert_int_equal(o.f.domain, 0x1cc43b808ULL);
	assert_true(o.use_stdin);
	free(o.inputs);
	const char *bad[][4] = {
	    {"aulandlock", "--format", "xml", NULL},  {"aulandlock", "-b", "nope", NULL},
	    {"aulandlock", "-d", "xyz", NULL},        {"aulandlock", "-ts", "someday", NULL},
	    {"aulandlock", "--top", "0", NULL},       {"aulandlock", "stray", NULL, NULL},
	    {"aulandlock", "--engine", "slow", NULL},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_args(&o, bad[i]), 1);
		free(o.inputs);
	}
	const char *a3[] = {"aulandlock", "--plugin", "/tmp/x.json", NULL};
	assert_int_equal(parse_args(&o, a3), 0);
	assert_true(o.follow);
	assert_int_equal(o.view, LLR_VIEW_DENIALS);
	assert_int_equal(o.format, LLR_FMT_JSON);
	assert_string_equal(o.output, "/tmp/x.json");
	assert_string_equal(o.checkpoint, "/tmp/x.json.checkpoint");
	free(o.inputs);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_attribution),    cmocka_unit_test(test_pam_tie),
	    cmocka_unit_test(test_pam_user_merge), cmocka_unit_test(test_filters),
	    cmocka_unit_test(test_timekw),         cmocka_unit_test(test_outputs),
	    cmocka_unit_test(test_suggest),        cmocka_unit_test(test_topk),
	    cmocka_unit_test(test_names_cache),    cmocka_unit_test(test_cli),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
