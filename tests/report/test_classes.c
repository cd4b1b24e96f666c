/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * test_classes.c - one cmocka test per class of issue 11, on hand-written
 * records, asserting the exact behaviour (the differential layer, diff.sh,
 * checks the same on real logs against an independent reading).
 */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"
#include "report/checkpoint.h"
#include "report/escape.h"
#include "report/record.h"
#include "report/suggest.h"
#include "report/timekw.h"

#include <unistd.h>

#define SCALL(ts, serial, auid, uid, ses)                                                          \
	"type=SYSCALL msg=audit(" ts ":" serial "): arch=c000003e syscall=257 success=no "         \
	"exit=-13 ppid=1 pid=50 auid=" auid " uid=" uid " ses=" ses " comm=\"cat\" "               \
	"exe=\"/usr/bin/cat\"\n"

static char *esc(void (*fn)(FILE *, const char *), const char *s)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);
	fn(f, s);
	fclose(f);
	return buf;
}

/* 3, 4, 5: every encoding, on the names a user can choose. */
static void test_encodings(void **state)
{
	(void)state;
	char *s = esc(llr_text_put, "a\nNumber of denials\x1b[31m\tb\\c\xff\xc2\x9b");
	assert_string_equal(s, "a\\012Number of denials\\033[31m\\011b\\\\c\\377\\302\\233");
	free(s);
	s = esc(llr_text_put, "caf\xc3\xa9 \xe2\x80\xae"); /* UTF-8 kept, RLO escaped */
	assert_string_equal(s, "caf\xc3\xa9 \\342\\200\\256");
	free(s);
	s = esc(llr_json_str, "/tmp/a\xff%b\n\"\xc3\xa9");
	assert_string_equal(s, "\"/tmp/a%FF%25b\\n\\\"\xc3\xa9\"");
	free(s);
	s = esc(llr_json_str, "\xed\xa0\x80"); /* a surrogate is not UTF-8 */
	assert_string_equal(s, "\"%ED%A0%80\"");
	free(s);
	s = esc(llr_csv_str, "=cmd,x\"y\nz%");
	assert_string_equal(s, "\"%3Dcmd,x\"\"y%0Az%25\"");
	free(s);
	s = esc(llr_conf_str, "/tmp/a\nb\t\"c\\d\xff\xc3\xa9");
	assert_string_equal(s, "\"/tmp/a\\x0Ab\\x09\\\"c\\\\d\\xFF\xc3\xa9\"");
	free(s);
}

/* 16: the digit loops check their length first; 13-digit seconds are not a record. */
static void test_header_overflow(void **state)
{
	struct llr_hdr h;
	(void)state;
	const char *l = "type=UNKNOWN[1423] msg=audit(17954684444444444444.648:9234): domain=1";
	assert_int_equal(llr_parse_header(l, strlen(l), &h), -1);
	l = "type=SYSCALL msg=audit(1795468444.648:99999999999999999999): x=1";
	assert_int_equal(llr_parse_header(l, strlen(l), &h), -1);
	l = "type=SYSCALL msg=audit(179546844444.6489:1): x=1";
	assert_int_equal(llr_parse_header(l, strlen(l), &h), -1);
	l = "type=SYSCALL msg=audit(999999999999.999:9999999999999999999): x=1";
	assert_int_equal(llr_parse_header(l, strlen(l), &h), 0);
	assert_int_equal(h.sec, 999999999999LL);
}

/* 16: --suggest for a user whose only denial is a connect (no path to sort). */
static void test_suggest_net_only(void **state)
{
	struct llr_opts *o = opts_default();
	(void)state;
	o->suggest = "1001";
	char *s = render(o, "type=UNKNOWN[1423] msg=audit(1795468444.648:1): domain=1a "
	                    "blockers=net.connect_tcp daddr=1.2.3.4 dest=25\n" SCALL(
	                        "1795468444.648", "1", "1001", "1001", "1"));
	assert_non_null(strstr(s, "network = { connect_tcp = [25]; };"));
	assert_null(strstr(s, "filesystem = ("));
	free(s);
}

/* 5: paths landlock.conf cannot name are left out, with the reason. */
static void test_suggest_unnameable(void **state)
{
	struct llr_opts *o = opts_default();
	(void)state;
	o->suggest = "1001";
	char *s = render(
	    o, "type=UNKNOWN[1423] msg=audit(1795468444.648:1): domain=1a blockers=fs.read_file "
	       "path=2F746D702F24484F4D450A78\n" SCALL(
	           "1795468444.648", "1", "1001", "1001",
	           "1") "type=UNKNOWN[1423] msg=audit(1795468444.648:2): domain=1a "
	                "blockers=fs.read_file "
	                "path=2F746D702F610A09620A\n" SCALL("1795468444.648", "2", "1001", "1001",
	                                                    "1"));
	assert_non_null(strstr(s, "# not suggested: 1 denial(s) on /tmp/$HOME\\012x"));
	assert_non_null(
	    strstr(s, "{ path = \"/tmp/a\\x0A\\x09b\\x0A\"; access = [\"read_file\"]; }"));
	free(s);
}

/* 6: long objects are not cut, and do not merge. */
static void test_long_objects(void **state)
{
	char path[3000], text[20000];
	size_t n = 0;
	(void)state;
	for (int k = 0; k < 2; k++) {
		memset(path, 'a', sizeof(path));
		path[0] = '/';
		path[2500] = (char)('0' + k);
		path[2501] = '\0';
		n += (size_t)snprintf(text + n, sizeof(text) - n,
		                      "type=UNKNOWN[1423] msg=audit(1795468444.648:%d): domain=1a "
		                      "blockers=fs.read_file path=\"%s\"\n" SCALL(
		                          "1795468444.648", "%d", "1001", "1001", "1"),
		                      k + 1, path, k + 1);
	}
	struct llr_report *r = run_text(opts_default(), text);
	struct llr_user *u = user_by_uid(r, 1001);
	assert_int_equal(u->objects.n, 2);
	assert_int_equal(strlen(u->objects.e[0].key), 2501 + 5);
	llr_report_free(r);
	struct llr_opts *o = opts_default();
	o->format = LLR_FMT_CSV;
	char *s = render(o, text);
	assert_non_null(strstr(s, "0=1;path:/aaa"));
	assert_true(strlen(s) > 5000);
	free(s);
}

/* 7: a bind to port 0 is a bind, with its address when there is one. */
static void test_port_zero(void **state)
{
	(void)state;
	struct llr_report *r = run_text(
	    opts_default(),
	    "type=UNKNOWN[1423] msg=audit(1795468444.648:1): domain=1a "
	    "blockers=net.bind_tcp\n" SCALL("1795468444.648", "1", "1001", "1001",
	                                    "1") "type=UNKNOWN[1423] msg=audit(1795468444.649:2): "
	                                         "domain=1a blockers=net.bind_tcp "
	                                         "saddr=127.0.0.1\n" SCALL("1795468444.649", "2",
	                                                                   "1001", "1001", "1"));
	struct llr_user *u = user_by_uid(r, 1001);
	assert_int_equal(object_count(u, "bind::0"), 1);
	assert_int_equal(object_count(u, "bind:127.0.0.1:0"), 1);
	llr_report_free(r);
}

/* 9: a blocker filter makes kernel counts not applicable, not wrong. */
static void test_blocker_filter_kernel(void **state)
{
	struct llr_opts *o = opts_default();
	(void)state;
	const char *text =
	    "type=UNKNOWN[1423] msg=audit(1795468444.648:1): domain=1a blockers=net.bind_tcp "
	    "src=80\n" SCALL("1795468444.648", "1", "1001", "1001",
	                     "1") "type=UNKNOWN[1423] msg=audit(1795468444.649:2): domain=1a "
	                          "blockers=fs.read_file "
	                          "path=\"/x\"\n" SCALL(
	                              "1795468444.649", "2", "1001", "1001",
	                              "1") "type=UNKNOWN[1424] msg=audit(1795468445.000:3): "
	                                   "domain=1a status=deallocated "
	                                   "denials=2\n";
	struct llr_report *r = run_text(o, text);
	assert_int_equal(user_by_uid(r, 1001)->unlogged, 0);
	assert_int_equal(user_by_uid(r, 1001)->kernel_denials, 2);
	llr_report_free(r);
	o->f.blockers = 1ULL << llr_blocker_find("net.bind_tcp");
	o->format = LLR_FMT_CSV;
	char *s = render(o, text);
	assert_non_null(strstr(s, "\n1001,1001,1,1,1,1,,,0,0,"));
	free(s);
}

/* 11: landlockctl trials are trials, their domain is tied as a trial. */
static void test_trials(void **state)
{
	(void)state;
	struct llr_report *r = run_text(
	    opts_default(),
	    "type=TRUSTED_APP msg=audit(1795468444.000:1): pid=70 uid=0 auid=1001 ses=1 "
	    "msg='op=pam_landlock-try acct=\"alice\" service=sshd profile=shell res=success'\n"
	    "type=UNKNOWN[1423] msg=audit(1795468444.648:2): domain=1a blockers=fs.read_file "
	    "path=\"/x\"\n"
	    "type=UNKNOWN[1424] msg=audit(1795468444.648:2): domain=1a status=allocated "
	    "mode=enforcing pid=70 uid=0 exe=\"/usr/sbin/landlockctl\" "
	    "comm=\"landlockctl\"\n" SCALL("1795468444.648", "2", "1001", "1001", "1"));
	const struct llr_totals *t = llr_agg_totals(r->agg);
	assert_int_equal(t->pam_sessions, 0);
	assert_int_equal(t->pam_trials, 1);
	struct llr_domain *d = domain_by_id(r, "", 0x1a);
	assert_non_null(d->pam);
	assert_int_equal(d->pam->kind, LLR_PAM_TRY);
	llr_report_free(r);
}

/* 12: -te today is now; -te yesterday and the other keywords are their start. */
static void test_time_end_today(void **state)
{
	int64_t t;
	int used;
	time_t now = 1795468439;
	(void)state;
	setenv("TZ", "UTC", 1);
	tzset();
	assert_int_equal(llr_parse_time("today", NULL, 1, now, &t, &used), 0);
	assert_int_equal(t, now);
	assert_int_equal(llr_parse_time("today", NULL, 0, now, &t, &used), 0);
	assert_int_equal(t, now - now % 86400);
	assert_int_equal(llr_parse_time("yesterday", NULL, 1, now, &t, &used), 0);
	assert_int_equal(t, now - now % 86400 - 86400);
	assert_int_equal(llr_parse_time("today", "10:00", 1, now, &t, &used), 0);
	assert_int_equal(t, now - now % 86400 + 36000);
}

/* 13: counts are exact, "N more" is the true number, times keep their ms. */
static void test_exact_top_lists(void **state)
{
	char *text = malloc(1 << 20);
	size_t n = 0;
	(void)state;
	for (int i = 0; i < 204; i++)
		for (int k = 0; k <= (i == 7 ? 49 : 0); k++)
			n += (size_t)snprintf(
			    text + n, (1 << 20) - n,
			    "type=UNKNOWN[1423] msg=audit(1795468444.%03d:%d): domain=1a "
			    "blockers=fs.read_file path=\"/d/f%d\"\n" SCALL("1795468444.%03d", "%d",
			                                                    "1001", "1001", "1"),
			    (i + k) % 1000, i * 100 + k, i, (i + k) % 1000, i * 100 + k);
	struct llr_opts *o = opts_default();
	o->view = LLR_VIEW_DOMAIN;
	char *s = render(o, text);
	assert_non_null(strstr(s, "/d/f7 (50)"));
	assert_non_null(strstr(s, "... 199 more"));
	assert_null(strstr(s, "~"));
	free(s);
	o->format = LLR_FMT_JSON;
	s = render(o, text);
	assert_non_null(strstr(
	    s, "\"start\":\"2026-11-23T21:14:04.000Z\",\"end\":\"2026-11-23T21:14:04.203Z\""));
	free(s);
	free(text);
}

/* 14: denials with no SYSCALL record: one session per domain. */
static void test_sessions_without_syscall(void **state)
{
	(void)state;
	struct llr_report *r = run_text(
	    opts_default(),
	    "type=UNKNOWN[1423] msg=audit(1795468444.648:1): domain=1a blockers=fs.read_file "
	    "path=\"/x\"\n"
	    "type=UNKNOWN[1423] msg=audit(1795468444.649:2): domain=1b blockers=fs.read_file "
	    "path=\"/x\"\n"
	    "type=UNKNOWN[1423] msg=audit(1795468444.650:3): domain=1c blockers=fs.read_file "
	    "path=\"/x\"\n");
	struct llr_user *u = user_by_uid(r, LLR_UID_UNSET);
	assert_int_equal(u->sessions.n, 3);
	assert_int_equal(u->domains.n, 3);
	llr_report_free(r);
}

/* 8: raw logs name syscalls through libaudit, like ENRICHED ones. */
static void test_syscall_names(void **state)
{
	struct llr_opts *o = opts_default();
	(void)state;
	o->view = LLR_VIEW_DENIALS;
	o->format = LLR_FMT_CSV;
	for (int engine = 0; engine < 2; engine++) {
		o->engine_auparse = engine;
		char *s = render(o, "type=UNKNOWN[1423] msg=audit(1795468444.648:1): domain=1a "
		                    "blockers=fs.read_file path=\"/x\"\n" SCALL(
		                        "1795468444.648", "1", "1001", "1001", "1"));
		assert_non_null(strstr(s, ",openat,-13,1a,"));
		free(s);
	}
}

/* 2: the engines agree on a pam_landlock record's ENRICHED AUID= (the
 * record's uid is its auid when AUID= names the account), also after
 * fields the record lacks were looked for. */
static void test_pam_enriched_engines(void **state)
{
	struct llr_opts *o = opts_default();
	char *out[2];
	(void)state;
	o->format = LLR_FMT_JSON;
	o->no_resolve = 1;
	for (int engine = 0; engine < 2; engine++) {
		o->engine_auparse = engine;
		out[engine] =
		    render(o, "type=TRUSTED_APP msg=audit(1795468444.600:7): pid=9 uid=0 auid=1084 "
		              "ses=74 msg='op=pam_landlock-enforce acct=\"user1084\" service=sshd "
		              "profile=shell abi=7 enforcement=full exe=\"/usr/sbin/sshd\" "
		              "hostname=10.1.2.3 addr=10.1.2.3 terminal=ssh res=success'"
		              "\x1dUID=\"root\" AUID=\"user1084\"\n");
		assert_non_null(
		    strstr(out[engine], "\"user\":{\"id\":\"1084\",\"name\":\"user1084\"}"));
	}
	assert_string_equal(out[0], out[1]);
	free(out[0]);
	free(out[1]);
}

/* 17: selection by the real uid when the login uid differs, and PROCTITLE. */
static void test_selectors(void **state)
{
	struct llr_opts *o = opts_default();
	(void)state;
	const char *text = "type=UNKNOWN[1423] msg=audit(1795468444.648:1): domain=1a "
	                   "blockers=fs.read_file path=\"/x\"\n" SCALL(
	                       "1795468444.648", "1", "1001", "0",
	                       "1") "type=PROCTITLE msg=audit(1795468444.648:1): "
	                            "proctitle=636174002F782F79\n";
	o->f.has_uid = 1;
	o->f.uid = 0;
	o->view = LLR_VIEW_DENIALS;
	o->format = LLR_FMT_JSON;
	char *s = render(o, text);
	assert_non_null(strstr(s, "\"command_line\":\"cat /x/y\",\"args\":[\"cat\",\"/x/y\"]"));
	assert_non_null(strstr(s, "\"user\":{\"id\":\"1001\""));
	free(s);
	o->f.uid = 1001;
	s = render(o, text);
	assert_int_equal(strlen(s), 0);
	free(s);
}

/* 1: the checkpoint file keeps the frontiers and the live domains. */
static void test_checkpoint_roundtrip(void **state)
{
	char path[] = "/tmp/llr-ckpt-XXXXXX";
	(void)state;
	temp_name(path);
	struct llr_opts *o = opts_default();
	o->checkpoint = path;
	const char *text =
	    "type=UNKNOWN[1423] msg=audit(1795468444.648:1): domain=1a blockers=fs.read_file "
	    "path=\"/x\"\n" SCALL("1795468444.648", "1", "1001", "1001",
	                          "1") "type=PATH msg=audit(1795468449.000:9): item=0 name=\"/\"\n";
	struct llr_report *r = llr_report_new(o, NULL);
	assert_int_equal(llr_checkpoint_load(path, r), 0);
	llr_input_lines(text, strlen(text), llr_report_line, r);
	llr_asm_flush(r->as);
	assert_int_equal(llr_agg_totals(r->agg)->denials, 1);
	assert_int_equal(llr_checkpoint_save(path, r, NULL), 0);
	llr_report_free(r);
	/* the next run reads the same log and a deallocation: nothing twice */
	const char *more = "type=UNKNOWN[1424] msg=audit(1795468450.000:10): domain=1a "
	                   "status=deallocated denials=3\n"
	                   "type=PATH msg=audit(1795468455.000:11): item=0 name=\"/\"\n";
	r = llr_report_new(o, NULL);
	assert_int_equal(llr_checkpoint_load(path, r), 0);
	llr_input_lines(text, strlen(text), llr_report_line, r);
	llr_input_lines(more, strlen(more), llr_report_line, r);
	llr_asm_flush(r->as);
	assert_int_equal(llr_agg_totals(r->agg)->denials, 0);
	struct llr_user *u = user_by_uid(r, 1001);
	assert_int_equal(u->kernel_denials, 3);
	assert_int_equal(u->unlogged, 2);
	llr_report_free(r);
	unlink(path);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_encodings),
	    cmocka_unit_test(test_header_overflow),
	    cmocka_unit_test(test_suggest_net_only),
	    cmocka_unit_test(test_suggest_unnameable),
	    cmocka_unit_test(test_long_objects),
	    cmocka_unit_test(test_port_zero),
	    cmocka_unit_test(test_blocker_filter_kernel),
	    cmocka_unit_test(test_trials),
	    cmocka_unit_test(test_time_end_today),
	    cmocka_unit_test(test_exact_top_lists),
	    cmocka_unit_test(test_sessions_without_syscall),
	    cmocka_unit_test(test_syscall_names),
	    cmocka_unit_test(test_pam_enriched_engines),
	    cmocka_unit_test(test_selectors),
	    cmocka_unit_test(test_checkpoint_roundtrip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
