/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_detect.c - unit tests of issue 14 in the reporter: the session
 * context on every denial (JSON, CSV, text), kept across a checkpoint cut
 * and a follow-mode restart; the --sessions and --revisions views; the
 * alert rules (each firing, and not below its threshold); the new options;
 * hostile names in the new fields.
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <unistd.h>

#include <cmocka.h>

#include "helpers.h"
#include "report/checkpoint.h"
#include "report/cli.h"
#include "report/detect.h"

#define DIGEST  "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define DIGEST2 "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752"

/* pam_landlock's enforce record of pid PID at SEC (hostname HOST, hex or plain). */
static size_t pam(char *b, size_t n, unsigned long long sec, unsigned serial, int pid,
                  const char *acct, const char *host, const char *digest)
{
	return (size_t)snprintf(
	    b, n,
	    "type=TRUSTED_APP msg=audit(%llu.000:%u): pid=%d uid=0 auid=1001 ses=5 "
	    "msg='op=pam_landlock-enforce acct=%s service=sshd profile=shell "
	    "match=/etc/security/landlock.conf:12 abi=7 enforcement=partial "
	    "dropped=fs.resolve_unix flags=log_new_exec_on nnp=yes confine=children "
	    "second_layer=none digest=%s exe=\"/usr/sbin/sshd\" hostname=%s addr=? terminal=ssh "
	    "res=success'" GS "UID=\"root\" AUID=\"alice\"\n",
	    sec, serial, pid, acct, digest, host);
}

/* One denial of domain DOM at SEC; with ALLOC, the domain's allocation by PID. */
static size_t denial(char *b, size_t n, unsigned long long sec, unsigned serial, const char *dom,
                     int alloc, int pid, const char *obj, const char *blk)
{
	size_t k = (size_t)snprintf(
	    b, n, "type=UNKNOWN[1423] msg=audit(%llu.100:%u): domain=%s blockers=%s %s\n", sec,
	    serial, dom, blk, obj);
	if (alloc)
		k += (size_t)snprintf(b + k, n - k,
		                      "type=UNKNOWN[1424] msg=audit(%llu.100:%u): domain=%s "
		                      "status=allocated mode=enforcing pid=%d uid=0 "
		                      "exe=\"/usr/sbin/sshd\" comm=\"sshd\"\n",
		                      sec, serial, dom, pid);
	k += (size_t)snprintf(b + k, n - k,
	                      "type=SYSCALL msg=audit(%llu.100:%u): arch=c000003e syscall=257 "
	                      "success=no exit=-13 ppid=%d pid=%d auid=1001 uid=1001 euid=1001 "
	                      "ses=5 comm=\"cat\" exe=\"/usr/bin/cat\"\n",
	                      sec, serial, pid, pid + 1);
	return k;
}

/* A record far later: every event before it completes, in checkpoint runs too. */
#define LATER "type=PATH msg=audit(1795469999.000:999): item=0 name=\"/\"\n"

/* render() of helpers.h, not inlined (GCC 12 sees a dangling pointer in
 * the inlined memstream buffer). */
static __attribute__((noinline)) char *out_of(struct llr_opts *o, const char *text)
{
	return render(o, text);
}

static void test_denial_context(void **state)
{
	char t[8192];
	size_t n = 0;
	(void)state;
	n += pam(t + n, sizeof(t) - n, 1795468400, 1, 2627, "\"alice\"", "10.0.0.9", DIGEST);
	n += denial(t + n, sizeof(t) - n, 1795468401, 2, "1f", 1, 2627, "path=\"/etc/shadow\"",
	            "fs.read_file");
	/* a domain tied to no pam_landlock record: no "pam" object */
	n += denial(t + n, sizeof(t) - n, 1795468402, 3, "2f", 1, 4000, "path=\"/x\"",
	            "fs.read_file");
	struct llr_opts *o = opts_default();
	o->view = LLR_VIEW_DENIALS;
	o->format = LLR_FMT_JSON;
	char *s = out_of(o, t);
	char *second = strchr(s, '\n') + 1;
	assert_non_null(strstr(s, "\"schema\":3,"));
	assert_non_null(strstr(
	    s,
	    "\"pam\":{\"service\":\"sshd\",\"profile\":\"shell\",\"acct\":\"alice\","
	    "\"remote_host\":\"10.0.0.9\",\"tty\":\"ssh\",\"enforcement\":\"partial\","
	    "\"kind\":\"session\",\"match\":\"/etc/security/landlock.conf:12\",\"digest\":\"" DIGEST
	    "\",\"confine\":\"children\"}"));
	assert_non_null(strstr(s, "\"source\":{\"ip\":\"10.0.0.9\"}"));
	assert_non_null(strstr(s, "\"related\":{\"user\":[\"alice\"]}"));
	assert_non_null(strstr(s, "\"event\":{\"kind\":\"event\",\"category\":[\"landlock\"]"));
	assert_null(strstr(second, "\"pam\":"));
	assert_null(strstr(second, "\"source\":"));
	free(s);
	o->format = LLR_FMT_CSV;
	s = out_of(o, t);
	assert_non_null(strstr(s, ",pam_service,pam_profile,pam_match,pam_acct,pam_rhost,pam_tty,"
	                          "pam_digest,pam_kind,pam_confine\n"));
	assert_non_null(
	    strstr(s, ",sshd,shell,/etc/security/landlock.conf:12,alice,10.0.0.9,ssh," DIGEST
	              ",session,children\n"));
	char *l2 = strstr(s, ",2f,"), *e = l2 ? strchr(l2, '\n') : NULL;
	assert_non_null(e);
	assert_int_equal(strncmp(e - 10, ",,,,,,,,,,", 10), 0); /* no session context */
	free(s);
	o->format = LLR_FMT_TEXT;
	s = out_of(o, t);
	assert_non_null(strstr(s,
	                       " {sshd/shell /etc/security/landlock.conf:12 acct=alice "
	                       "rhost=10.0.0.9 tty=ssh digest=9f86d081884c confine=children}\n"));
	free(s);
}

/* Run text with the checkpoint at o->checkpoint (loaded, then saved, what
 * was saved in *SV unless NULL); the output. */
static __attribute__((noinline)) char *ckpt_run(struct llr_opts *o, const char *text,
                                                struct llr_ckpt_saved *sv)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	struct llr_report *r = llr_report_new(o, f);
	assert_int_equal(llr_checkpoint_load(o->checkpoint, r), 0);
	llr_input_lines(text, strlen(text), llr_report_line, r);
	llr_report_finish(r);
	assert_int_equal(llr_checkpoint_save(o->checkpoint, r, sv), 0);
	llr_report_free(r);
	fclose(f);
	return buf;
}

/* The enforce record before a checkpoint cut, the denial after it. */
static void test_checkpoint_context(void **state)
{
	char path[] = "/tmp/llr-ckpt-XXXXXX", t[4096], u[4096];
	(void)state;
	temp_name(path);
	struct llr_opts *o = opts_default();
	o->checkpoint = path;
	o->view = LLR_VIEW_DENIALS;
	o->format = LLR_FMT_JSON;
	size_t n = pam(t, sizeof(t), 1795468400, 1, 2627, "\"alice\"", "10.0.0.9", DIGEST);
	n += (size_t)snprintf(t + n, sizeof(t) - n,
	                      "type=PATH msg=audit(1795468410.000:2): item=0 name=\"/\"\n");
	/* run 1: the session record only */
	char *s = out_of(o, "");
	free(s);
	struct llr_report *r = llr_report_new(o, NULL);
	assert_int_equal(llr_checkpoint_load(path, r), 0);
	llr_input_lines(t, strlen(t), llr_report_line, r);
	llr_report_finish(r);
	struct llr_ckpt_saved sv;
	assert_int_equal(llr_checkpoint_save(path, r, &sv), 0);
	assert_int_equal(sv.sessions, 1);
	assert_int_equal(sv.dropped_sessions, 0);
	llr_report_free(r);
	/* run 2: the rotated log holds only what came after */
	n = denial(u, sizeof(u), 1795468420, 3, "1f", 1, 2627, "path=\"/etc/shadow\"",
	           "fs.read_file");
	snprintf(u + n, sizeof(u) - n, LATER);
	char *buf = ckpt_run(o, u, &sv);
	assert_int_equal(sv.domains, 1); /* domain 1f is alive: saved with its session */
	assert_non_null(strstr(buf, "\"pam\":{\"service\":\"sshd\""));
	assert_non_null(strstr(buf, "\"digest\":\"" DIGEST "\""));
	free(buf);
	/* run 3: a later denial of that live domain, its allocation two runs back */
	n = denial(u, sizeof(u), 1795470100, 4, "1f", 0, 2627, "path=\"/etc/gshadow\"",
	           "fs.read_file");
	snprintf(u + n, sizeof(u) - n,
	         "type=PATH msg=audit(1795470200.000:1000): item=0 name=\"/\"\n");
	buf = ckpt_run(o, u, NULL);
	assert_non_null(strstr(buf, "/etc/gshadow"));
	assert_non_null(strstr(buf, "\"acct\":\"alice\""));
	assert_non_null(strstr(buf, "\"digest\":\"" DIGEST "\""));
	free(buf);
	unlink(path);
}

/* Follow mode: only sessions and live domains are saved; a restart ties. */
static void test_follow_checkpoint(void **state)
{
	char path[] = "/tmp/llr-ckpt-XXXXXX", t[4096];
	(void)state;
	temp_name(path);
	struct llr_opts *o = opts_default();
	o->checkpoint = path;
	o->follow = 1;
	o->view = LLR_VIEW_DENIALS;
	o->format = LLR_FMT_CSV;
	pam(t, sizeof(t), 1795468400, 1, 2627, "\"alice\"", "host-a", DIGEST);
	struct llr_report *r = llr_report_new(o, NULL);
	assert_int_equal(llr_checkpoint_load(path, r), 0);
	llr_input_lines(t, strlen(t), llr_report_line, r);
	llr_report_finish(r);
	assert_int_equal(llr_checkpoint_save(path, r, NULL), 0);
	llr_report_free(r);
	FILE *cf = fopen(path, "r");
	char line[4096];
	int frontiers = 0, sessions = 0;
	while (fgets(line, sizeof(line), cf)) {
		frontiers += !strncmp(line, "frontier", 8);
		sessions += !strncmp(line, "session", 7);
	}
	fclose(cf);
	assert_int_equal(frontiers, 0);
	assert_int_equal(sessions, 1);
	size_t n = denial(t, sizeof(t), 1795468500, 2, "1f", 1, 2627, "path=\"/etc/shadow\"",
	                  "fs.read_file");
	(void)n;
	char *buf = ckpt_run(o, t, NULL);
	assert_non_null(strstr(buf, ",sshd,shell,/etc/security/landlock.conf:12,alice,host-a,"));
	free(buf);
	unlink(path);
}

/* The caps of the checkpoint are counted, and the newest records kept. */
static void test_checkpoint_caps(void **state)
{
	char path[] = "/tmp/llr-ckpt-XXXXXX";
	(void)state;
	temp_name(path);
	size_t cap = (LLR_CKPT_SESSIONS + 10) * 700, n = 0;
	char *t = malloc(cap);
	for (int i = 0; i < LLR_CKPT_SESSIONS + 10; i++)
		n += pam(t + n, cap - n, 1795400000ULL + (unsigned)i, (unsigned)i + 1, 1000 + i,
		         "\"alice\"", "h", DIGEST);
	n += (size_t)snprintf(t + n, cap - n, LATER);
	struct llr_opts *o = opts_default();
	o->checkpoint = path;
	struct llr_report *r = llr_report_new(o, NULL);
	llr_input_lines(t, n, llr_report_line, r);
	llr_report_finish(r);
	struct llr_ckpt_saved sv;
	assert_int_equal(llr_checkpoint_save(path, r, &sv), 0);
	assert_int_equal(sv.sessions, LLR_CKPT_SESSIONS);
	assert_int_equal(sv.dropped_sessions, 10);
	llr_report_free(r);
	free(t);
	unlink(path);
}

static char *alerts_for(struct llr_opts *o, const char *text)
{
	o->view = LLR_VIEW_DENIALS;
	o->format = LLR_FMT_JSON;
	return out_of(o, text);
}

static int count(const char *s, const char *what)
{
	int k = 0;
	for (const char *p = s; (p = strstr(p, what)); p++)
		k++;
	return k;
}

static void test_alerts(void **state)
{
	char t[65536];
	size_t n = 0;
	(void)state;
	n += pam(t + n, sizeof(t) - n, 1795468400, 1, 2627, "\"alice\"", "10.0.0.9", DIGEST);
	/* 5 denials of one session within 4 seconds, then 5 spread over 50 s */
	for (int i = 0; i < 5; i++) {
		char obj[64];
		snprintf(obj, sizeof(obj), "path=\"/srv/f%d\"", i);
		n += denial(t + n, sizeof(t) - n, 1795468401ULL + (unsigned)i, 10 + (unsigned)i,
		            "1f", i == 0, 2627, obj, "fs.read_file");
	}
	for (int i = 0; i < 5; i++)
		n += denial(t + n, sizeof(t) - n, 1795468500ULL + 10 * (unsigned)i,
		            20 + (unsigned)i, "1f", 0, 2627, "path=\"/srv/g\"", "fs.read_file");
	/* another session (other domain, no pam record): its own first denial */
	n += denial(t + n, sizeof(t) - n, 1795468600, 30, "2f", 1, 5000,
	            "path=\"/home/bob/.ssh/id_rsa\"", "fs.read_file");
	n += (size_t)snprintf(t + n, sizeof(t) - n,
	                      "type=UNKNOWN[1423] msg=audit(1795468601.000:31): domain=1f "
	                      "blockers=net.connect_tcp daddr=127.0.0.1 dest=5432\n"
	                      "type=UNKNOWN[1423] msg=audit(1795468602.000:32): domain=1f "
	                      "blockers=net.connect_tcp daddr=127.0.0.1 dest=80\n");
	struct llr_opts *o = opts_default();
	o->alert.burst_count = 5;
	o->alert.burst_window = 4;
	char *s = alerts_for(o, t);
	assert_int_equal(count(s, "\"record\":\"alert\""), 1);
	assert_non_null(strstr(
	    s, "\"record\":\"alert\",\"schema\":3,\"sequence\":14,\"event\":{\"kind\":\"alert\","
	       "\"category\":[\"landlock\"],\"action\":\"burst\",\"outcome\":\"failure\"},"
	       "\"alert\":{\"rule\":\"burst\",\"threshold\":5,\"window_seconds\":4,\"count\":5}"));
	assert_non_null(strstr(strstr(s, "\"record\":\"alert\""), "\"pam\":{\"service\":\"sshd\""));
	free(s);
	/* control: one more than the burst, or a narrower window: no alert */
	o->alert.burst_count = 6;
	s = alerts_for(o, t);
	assert_int_equal(count(s, "\"record\":\"alert\""), 0);
	free(s);
	o->alert.burst_count = 5;
	o->alert.burst_window = 3;
	s = alerts_for(o, t);
	assert_int_equal(count(s, "\"record\":\"alert\""), 0);
	free(s);
	/* first denial: once per session */
	o = opts_default();
	o->alert.first_denial = 1;
	s = alerts_for(o, t);
	assert_int_equal(count(s, "\"rule\":\"first_denial\""), 2);
	assert_non_null(strstr(s, "\"alert\":{\"rule\":\"first_denial\",\"threshold\":1,"
	                          "\"window_seconds\":null,\"count\":1}"));
	free(s);
	/* sensitive objects and internal ports */
	o = opts_default();
	o->alert.objects[o->alert.nobjects++] = "/home/*/.ssh";
	o->alert.objects[o->alert.nobjects++] = "/etc/shadow";
	o->alert.port_lo[0] = 5432;
	o->alert.port_hi[0] = 5433;
	o->alert.nports = 1;
	s = alerts_for(o, t);
	assert_int_equal(count(s, "\"rule\":\"sensitive_object\""), 1);
	assert_non_null(strstr(s, "\"pattern\":\"/home/*/.ssh\""));
	assert_int_equal(count(s, "\"rule\":\"internal_port\""), 1);
	assert_non_null(strstr(s, "\"port\":5432}"));
	free(s);
	/* text lines */
	o->format = LLR_FMT_TEXT;
	o->view = LLR_VIEW_SUMMARY;
	s = out_of(o, t);
	assert_non_null(strstr(s, "ALERT sensitive_object 2026-11-23T"));
	assert_non_null(strstr(s, "pattern=/home/*/.ssh"));
	assert_non_null(strstr(s, "ALERT internal_port "));
	assert_non_null(strstr(s, "connect=127.0.0.1:5432 {sshd/shell"));
	free(s);
}

/* The alert state goes on across runs: no second first denial, and a
 * burst whose denials are split by the cut. */
static void test_alert_checkpoint(void **state)
{
	char path[] = "/tmp/llr-ckpt-XXXXXX", t[8192], u[8192];
	(void)state;
	temp_name(path);
	size_t n = pam(t, sizeof(t), 1795468400, 1, 2627, "\"alice\"", "h", DIGEST);
	for (int i = 0; i < 3; i++)
		n += denial(t + n, sizeof(t) - n, 1795468401ULL + (unsigned)i, 2 + (unsigned)i,
		            "1f", i == 0, 2627, "path=\"/srv\"", "fs.read_file");
	snprintf(t + n, sizeof(t) - n,
	         "type=PATH msg=audit(1795468408.000:9): item=0 name=\"/\"\n");
	n = 0;
	for (int i = 0; i < 2; i++)
		n += denial(u + n, sizeof(u) - n, 1795468409ULL + (unsigned)i, 10 + (unsigned)i,
		            "1f", 0, 2627, "path=\"/srv\"", "fs.read_file");
	snprintf(u + n, sizeof(u) - n, LATER);
	struct llr_opts *o = opts_default();
	o->view = LLR_VIEW_DENIALS;
	o->format = LLR_FMT_JSON;
	o->checkpoint = path;
	o->alert.first_denial = 1;
	o->alert.burst_count = 5;
	o->alert.burst_window = 60;
	char *s = ckpt_run(o, t, NULL);
	assert_int_equal(count(s, "\"rule\":\"first_denial\""), 1);
	assert_int_equal(count(s, "\"rule\":\"burst\""), 0);
	free(s);
	s = ckpt_run(o, u, NULL);
	assert_int_equal(count(s, "\"rule\":\"first_denial\""), 0);
	assert_int_equal(count(s, "\"rule\":\"burst\""), 1);
	assert_non_null(strstr(s, "\"sequence\":11,\"event\":{\"kind\":\"alert\""));
	free(s);
	/* control: without the checkpoint the second run starts over */
	unlink(path);
	s = ckpt_run(o, u, NULL);
	assert_int_equal(count(s, "\"rule\":\"first_denial\""), 1);
	assert_int_equal(count(s, "\"rule\":\"burst\""), 0);
	free(s);
	unlink(path);
}

static void test_path_match(void **state)
{
	(void)state;
	assert_true(llr_detect_path_match("/etc/shadow", "/etc/shadow"));
	assert_false(llr_detect_path_match("/etc/shadow", "/etc/shadow-"));
	assert_true(llr_detect_path_match("/home/*/.ssh", "/home/bob/.ssh/id_rsa"));
	assert_true(llr_detect_path_match("/home/*/.ssh/", "/home/bob/.ssh"));
	assert_false(llr_detect_path_match("/home/*/.ssh", "/home/bob/x/.ssh/id_rsa"));
	assert_false(llr_detect_path_match("/home/*/.ssh", "/home/bob/.sshx"));
	assert_true(llr_detect_path_match("/etc", "/etc/passwd"));
	assert_false(llr_detect_path_match("/etc", "/etcetera"));
}

static void test_sessions_view(void **state)
{
	char t[8192];
	size_t n = 0;
	(void)state;
	n += pam(t + n, sizeof(t) - n, 1795468400, 1, 2627, "\"alice\"", "10.0.0.9", DIGEST);
	n += denial(t + n, sizeof(t) - n, 1795468401, 2, "1f", 1, 2627, "path=\"/etc/shadow\"",
	            "fs.read_file");
	n +=
	    (size_t)snprintf(t + n, sizeof(t) - n,
	                     "type=TRUSTED_APP msg=audit(1795468442.000:5): pid=3000 uid=0 "
	                     "auid=1003 ses=9 msg='op=pam_landlock-refused acct=\"dave\" "
	                     "service=sshd digest=" DIGEST2 " reason=\"no profile\" "
	                     "exe=\"/usr/sbin/sshd\" hostname=? addr=? terminal=ssh res=failed'\n");
	struct llr_opts *o = opts_default();
	o->view = LLR_VIEW_SESSIONS;
	o->format = LLR_FMT_JSON;
	char *s = out_of(o, t);
	assert_int_equal(count(s, "\"record\":\"session\""), 2);
	assert_non_null(strstr(s, "\"event\":{\"kind\":\"event\",\"category\":[\"session\"],"
	                          "\"action\":\"confined\",\"outcome\":\"success\"}"));
	assert_non_null(strstr(s, "\"landlock\":{\"domain\":\"1f\",\"abi\":7,\"enforcement\":"
	                          "\"partial\",\"dropped\":\"fs.resolve_unix\"}"));
	assert_non_null(strstr(s, "\"action\":\"refused\",\"outcome\":\"failure\""));
	assert_non_null(strstr(s, "\"reason\":\"no profile\"}"));
	assert_non_null(strstr(s, "\"source\":{\"ip\":\"10.0.0.9\"}"));
	free(s);
	/* follow mode: each record as it comes, its domain not known yet */
	o->follow = 1;
	s = out_of(o, t);
	assert_int_equal(count(s, "\"record\":\"session\""), 2);
	assert_non_null(strstr(s, "\"landlock\":{\"domain\":null,\"abi\":7"));
	free(s);
	o->follow = 0;
	o->format = LLR_FMT_CSV;
	s = out_of(o, t);
	assert_non_null(strstr(s, "time,node,serial,action,outcome,user,uid,pam_service,"));
	assert_non_null(strstr(s, ",refused,failure,dave,,sshd,"));
	free(s);
	o->format = LLR_FMT_TEXT;
	s = out_of(o, t);
	assert_non_null(strstr(s, "confined alice"));
	assert_non_null(strstr(s, "[no profile]"));
	free(s);
}

static void test_revisions(void **state)
{
	char t[16384];
	size_t n = 0;
	(void)state;
	n += pam(t + n, sizeof(t) - n, 1795468400, 1, 2627, "\"alice\"", "h", DIGEST);
	n += pam(t + n, sizeof(t) - n, 1795468401, 2, 2628, "\"bob\"", "h", DIGEST);
	n += pam(t + n, sizeof(t) - n, 1795468402, 3, 2629, "\"carol\"", "h", DIGEST2);
	n += denial(t + n, sizeof(t) - n, 1795468410, 4, "1f", 1, 2627, "path=\"/a\"",
	            "fs.read_file");
	n += denial(t + n, sizeof(t) - n, 1795468411, 5, "1f", 0, 2627, "path=\"/b\"",
	            "fs.read_file");
	n += denial(t + n, sizeof(t) - n, 1795468412, 6, "3f", 1, 2629, "path=\"/c\"",
	            "fs.read_file");
	n += denial(t + n, sizeof(t) - n, 1795468413, 7, "4f", 1, 7777, "path=\"/d\"",
	            "fs.read_file");
	struct llr_opts *o = opts_default();
	o->view = LLR_VIEW_REVISIONS;
	o->format = LLR_FMT_JSON;
	char *s = out_of(o, t);
	assert_non_null(strstr(
	    s, "{\"record\":\"revision\",\"schema\":3,\"policy\":{\"digest\":\"" DIGEST
	       "\",\"file\":\"/etc/security/landlock.conf\"},\"pam\":{\"sessions\":2,\"refused\":0,"
	       "\"trials\":0},\"denials\":2,\"domains\":1,\"users\":3,\"nodes\":1,"));
	assert_non_null(strstr(s, "\"digest\":\"" DIGEST2 "\",\"file\":\"/etc/security/landlock"
	                          ".conf\"},\"pam\":{\"sessions\":1,\"refused\":0,\"trials\":0},"
	                          "\"denials\":1,"));
	assert_non_null(strstr(s,
	                       "\"policy\":{\"digest\":null,\"file\":null},\"pam\":{\"sessions\":"
	                       "0,\"refused\":0,\"trials\":0},\"denials\":1,"));
	/* users: alice and bob by name (records), uid 1001 (denials, --no-resolve) */
	/* ordered by denials */
	assert_true(strstr(s, DIGEST "\"") < strstr(s, DIGEST2 "\""));
	free(s);
	o->format = LLR_FMT_CSV;
	s = out_of(o, t);
	assert_non_null(strstr(s,
	                       "digest,file,sessions,refused,trials,denials,domains,users,nodes,"
	                       "first_seen,last_seen\n" DIGEST ",/etc/security/landlock.conf,2,0,"
	                       "0,2,1,3,1,"));
	free(s);
}

/* Hostile names in the new fields: no forged line, valid JSON strings. */
static void test_hostile(void **state)
{
	char t[8192];
	size_t n = 0;
	(void)state;
	/* acct "ev\nil" hex-encoded, hostname with a quote and ESC */
	n += pam(t + n, sizeof(t) - n, 1795468400, 1, 2627, "65760A696C", "6122621B5B33316D",
	         DIGEST);
	n += denial(t + n, sizeof(t) - n, 1795468401, 2, "1f", 1, 2627, "path=\"/etc/shadow\"",
	            "fs.read_file");
	struct llr_opts *o = opts_default();
	o->view = LLR_VIEW_DENIALS;
	o->alert.first_denial = 1;
	o->format = LLR_FMT_JSON;
	char *s = out_of(o, t);
	assert_int_equal(count(s, "\n"), 2);
	assert_non_null(strstr(s, "\"acct\":\"ev\\nil\""));
	assert_non_null(strstr(s, "\"remote_host\":\"a\\\"b\\u001b[31m\""));
	free(s);
	o->format = LLR_FMT_TEXT;
	s = out_of(o, t);
	assert_null(strchr(s, '\x1b'));
	assert_non_null(strstr(s, "acct=ev\\012il"));
	free(s);
	o->alert.first_denial = 0;
	o->format = LLR_FMT_CSV;
	s = out_of(o, t);
	assert_int_equal(count(s, "\n"), 2);
	assert_non_null(strstr(s, "ev%0Ail"));
	free(s);
	o->view = LLR_VIEW_SESSIONS;
	s = out_of(o, t);
	assert_int_equal(count(s, "\n"), 2);
	free(s);
}

static void test_cli_options(void **state)
{
	struct llr_opts o;
	(void)state;
	const char *a[] = {"aulandlock",
	                   "--follow=/var/log/audit/audit.log",
	                   "--denials",
	                   "-F",
	                   "json",
	                   "--checkpoint",
	                   "/tmp/x.ckpt",
	                   "--alert-first-denial",
	                   "--alert-burst",
	                   "20/60",
	                   "--alert-object",
	                   "/etc/shadow",
	                   "--alert-object",
	                   "/home/*/.ssh",
	                   "--alert-port",
	                   "5432,6379,8000-8099",
	                   NULL};
	assert_int_equal(parse_args(&o, a), 0);
	assert_true(o.follow);
	assert_string_equal(o.checkpoint, "/tmp/x.ckpt");
	assert_true(o.alert.first_denial);
	assert_int_equal(o.alert.burst_count, 20);
	assert_int_equal(o.alert.burst_window, 60);
	assert_int_equal(o.alert.nobjects, 2);
	assert_int_equal(o.alert.nports, 3);
	assert_int_equal(o.alert.port_lo[2], 8000);
	assert_int_equal(o.alert.port_hi[2], 8099);
	free(o.inputs);
	const char *v1[] = {"aulandlock", "--sessions", NULL};
	assert_int_equal(parse_args(&o, v1), 0);
	assert_int_equal(o.view, LLR_VIEW_SESSIONS);
	free(o.inputs);
	const char *v2[] = {"aulandlock", "--revisions", NULL};
	assert_int_equal(parse_args(&o, v2), 0);
	assert_int_equal(o.view, LLR_VIEW_REVISIONS);
	free(o.inputs);
	const char *bad[][5] = {
	    {"aulandlock", "--alert-burst", "20", NULL},
	    {"aulandlock", "--alert-burst", "0/60", NULL},
	    {"aulandlock", "--alert-burst", "20/0", NULL},
	    {"aulandlock", "--alert-burst", "1001/60", NULL},
	    {"aulandlock", "--alert-object", "etc/shadow", NULL},
	    {"aulandlock", "--alert-port", "70000", NULL},
	    {"aulandlock", "--alert-port", "90-80", NULL},
	    {"aulandlock", "--alert-port", "80,", NULL},
	    {"aulandlock", "--alert-first-denial", "-F", "csv", NULL},
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(parse_args(&o, bad[i]), 1);
		free(o.inputs);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_denial_context),
	    cmocka_unit_test(test_checkpoint_context),
	    cmocka_unit_test(test_follow_checkpoint),
	    cmocka_unit_test(test_checkpoint_caps),
	    cmocka_unit_test(test_alerts),
	    cmocka_unit_test(test_alert_checkpoint),
	    cmocka_unit_test(test_path_match),
	    cmocka_unit_test(test_sessions_view),
	    cmocka_unit_test(test_revisions),
	    cmocka_unit_test(test_hostile),
	    cmocka_unit_test(test_cli_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
