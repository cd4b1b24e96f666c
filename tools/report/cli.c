/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.c - option parsing (see cli.h).  ausearch's single-dash long options
 * (-if, -ts, -te) are rewritten to their long forms before getopt_long.
 * Errors say what was wrong, with which value, and what to do.
 */
#include "config.h"

#include "cli.h"
#include "names.h"
#include "report.h"
#include "timekw.h"
#include "vocab.h"

#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

void llr_cli_usage(FILE *f)
{
	fputs(
	    "Usage: aulandlock [OPTION]...\n"
	    "Summarize Landlock denials (audit records 1423/1424) per user, domain or node.\n\n"
	    "Input (default: the system audit logs, oldest first; stdin if it is a pipe):\n"
	    "  -if, --input FILE|DIR|-   read FILE, the logs in DIR, or stdin (repeatable)\n"
	    "      --input-logs          read the system logs even if stdin is a pipe\n"
	    "      --stdin               read stdin\n"
	    "      --engine fast|auparse record parser: built-in (default) or libauparse\n"
	    "Views (default --summary):\n"
	    "      --summary             per user: sessions, domains, denials, top lists\n"
	    "      --domains             per domain: creator, PAM session, denials\n"
	    "      --denials             one row per logged denial\n"
	    "      --nodes               per node (host)\n"
	    "      --sessions            one row per pam_landlock record (confined, refused,\n"
	    "                            trial) with its session context\n"
	    "      --revisions           per policy revision (digest): sessions, denials, users\n"
	    "      --suggest USER|DOMAIN landlock.conf lines allowing the observed denials\n"
	    "Filters:\n"
	    "  -ts, --start DATE [TIME]  from (now, recent, boot, today, yesterday, this-week,\n"
	    "                            week-ago, this-month, this-year, MM/DD/YYYY, YYYY-MM-DD)\n"
	    "  -te, --end DATE [TIME]    until (same values)\n"
	    "  -u,  --user USER|UID      one user (login user: auid, else uid)\n"
	    "  -n,  --node NODE          one node (node= prefix; \"\" for none)\n"
	    "  -b,  --blocker NAME       denials with this blocker (fs.write_file or write_file)\n"
	    "  -d,  --domain ID          one domain (hex id); implies --domains\n"
	    "Denial selectors, as in ausearch (kernel counts are then not shown):\n"
	    "  -ui, --uid USER|UID       real uid      -ue, --euid USER|UID  effective uid\n"
	    "  -ul, --loginuid USER|UID  login uid     -ua, --uid-all USER|UID  any of them\n"
	    "  -x,  --executable EXE     exe contains EXE   -c, --comm COMM  comm contains\n"
	    "  -w,  --exact-match        -x and -c match the whole value\n"
	    "  -p,  --pid PID            -sc, --syscall NAME|NR     --session SES\n"
	    "Output:\n"
	    "  -F,  --format text|csv|json  output format (json: one object per line)\n"
	    "       --top N              entries in top lists (default 5)\n"
	    "  -i,  --interpret          accepted for ausearch compatibility (names and local\n"
	    "                            times are always shown in text output)\n"
	    "       --no-resolve         do not look uids up in the passwd database\n"
	    "       --checkpoint FILE    incremental runs: only what no run before reported;\n"
	    "                            the last 3 s of each node wait for the next run\n"
	    "                            (with --follow: the sessions and live domains only)\n"
	    "Alerts (records in the output, JSON or text; by record time):\n"
	    "       --alert-first-denial the first denial of each session\n"
	    "       --alert-burst N/SECS N denials of one session within SECS seconds\n"
	    "       --alert-object GLOB  a denial on a path matching GLOB or below it\n"
	    "                            (repeatable; e.g. /etc/shadow, '/home/*/.ssh')\n"
	    "       --alert-port LIST    a TCP connect to a port of LIST (e.g. "
	    "5432,6379,8000-8099)\n"
	    "Follow mode:\n"
	    "  -f,  --follow[=FILE]      read an auditd plugin stream on stdin, or tail FILE\n"
	    "       --interval SECS      print the summary every SECS seconds (follow mode)\n"
	    "       --plugin FILE        auditd plugin: --follow --denials --format json,\n"
	    "                            appending to FILE (reopened on SIGHUP), with\n"
	    "                            --checkpoint FILE.checkpoint\n"
	    "  -o,  --output FILE        append the output to FILE instead of stdout\n"
	    "  -h,  --help               this help\n"
	    "  -v,  --version            version\n\n"
	    "Exit status: 0 on success (also when no denial is found), 1 on bad usage,\n"
	    "2 when an input cannot be read in full or a rotation has a gap (the report\n"
	    "of the rest is printed).  See aulandlock(8).\n",
	    f);
}

enum {
	OPT_INPUT_LOGS = 256,
	OPT_STDIN,
	OPT_ENGINE,
	OPT_SUMMARY,
	OPT_DOMAINS,
	OPT_DENIALS,
	OPT_NODES,
	OPT_SUGGEST,
	OPT_TOP,
	OPT_NO_RESOLVE,
	OPT_INTERVAL,
	OPT_PLUGIN,
	OPT_CHECKPOINT,
	OPT_UID,
	OPT_EUID,
	OPT_LOGINUID,
	OPT_UID_ALL,
	OPT_SYSCALL,
	OPT_SESSION,
	OPT_SESSIONS,
	OPT_REVISIONS,
	OPT_ALERT_FIRST,
	OPT_ALERT_BURST,
	OPT_ALERT_OBJECT,
	OPT_ALERT_PORT,
};

static const struct option longopts[] = {
    {"input", required_argument, NULL, 'I'},
    {"input-logs", no_argument, NULL, OPT_INPUT_LOGS},
    {"stdin", no_argument, NULL, OPT_STDIN},
    {"engine", required_argument, NULL, OPT_ENGINE},
    {"summary", no_argument, NULL, OPT_SUMMARY},
    {"domains", no_argument, NULL, OPT_DOMAINS},
    {"denials", no_argument, NULL, OPT_DENIALS},
    {"nodes", no_argument, NULL, OPT_NODES},
    {"sessions", no_argument, NULL, OPT_SESSIONS},
    {"revisions", no_argument, NULL, OPT_REVISIONS},
    {"alert-first-denial", no_argument, NULL, OPT_ALERT_FIRST},
    {"alert-burst", required_argument, NULL, OPT_ALERT_BURST},
    {"alert-object", required_argument, NULL, OPT_ALERT_OBJECT},
    {"alert-port", required_argument, NULL, OPT_ALERT_PORT},
    {"suggest", required_argument, NULL, OPT_SUGGEST},
    {"start", required_argument, NULL, 'S'},
    {"end", required_argument, NULL, 'E'},
    {"user", required_argument, NULL, 'u'},
    {"node", required_argument, NULL, 'n'},
    {"blocker", required_argument, NULL, 'b'},
    {"domain", required_argument, NULL, 'd'},
    {"format", required_argument, NULL, 'F'},
    {"top", required_argument, NULL, OPT_TOP},
    {"interpret", no_argument, NULL, 'i'},
    {"no-resolve", no_argument, NULL, OPT_NO_RESOLVE},
    {"follow", optional_argument, NULL, 'f'},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"plugin", required_argument, NULL, OPT_PLUGIN},
    {"checkpoint", required_argument, NULL, OPT_CHECKPOINT},
    {"uid", required_argument, NULL, OPT_UID},
    {"euid", required_argument, NULL, OPT_EUID},
    {"loginuid", required_argument, NULL, OPT_LOGINUID},
    {"uid-all", required_argument, NULL, OPT_UID_ALL},
    {"executable", required_argument, NULL, 'x'},
    {"comm", required_argument, NULL, 'c'},
    {"exact-match", no_argument, NULL, 'w'},
    {"pid", required_argument, NULL, 'p'},
    {"syscall", required_argument, NULL, OPT_SYSCALL},
    {"session", required_argument, NULL, OPT_SESSION},
    {"output", required_argument, NULL, 'o'},
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'v'},
    {NULL, 0, NULL, 0},
};

static int bad(const char *what, const char *val, const char *hint)
{
	fprintf(stderr, "aulandlock: %s '%s'. %s\nTry 'aulandlock --help'.\n", what, val, hint);
	return 1;
}

/* A user name or a number (-1 is accepted as the unset id, as in the log). */
static int uid_arg(const char *s, uint32_t *out)
{
	char *e;
	long long v = strtoll(s, &e, 10);
	if (*s && !*e) {
		if (v < -1 || v > 0xffffffffLL)
			return -1;
		*out = (uint32_t)v;
		return 0;
	}
	return llr_name_uid(s, out);
}

static int number(const char *s, long lo, long hi, long *out)
{
	char *e;
	long v = strtol(s, &e, 10);
	if (!*s || *e || v < lo || v > hi)
		return -1;
	*out = v;
	return 0;
}

/* N/SECS */
static int burst_arg(const char *s, struct llr_alert_opts *a)
{
	char *e;
	long n = strtol(s, &e, 10), w;
	if (e == s || *e != '/' || n < 1 || n > LLR_ALERT_MAX_BURST)
		return -1;
	const char *ws = e + 1;
	w = strtol(ws, &e, 10);
	if (e == ws || *e || w < 1 || w > LLR_ALERT_MAX_WINDOW)
		return -1;
	a->burst_count = (int)n;
	a->burst_window = (int)w;
	return 0;
}

/* PORT[-PORT][,...] */
static int ports_arg(const char *s, struct llr_alert_opts *a)
{
	const char *p = s;
	for (;;) {
		char *e;
		long lo = strtol(p, &e, 10), hi = lo;
		if (e == p || lo < 0 || lo > 65535)
			return -1;
		p = e;
		if (*p == '-') {
			hi = strtol(p + 1, &e, 10);
			if (e == p + 1 || hi < lo || hi > 65535)
				return -1;
			p = e;
		}
		if (a->nports == LLR_ALERT_MAX_PORTS)
			return -1;
		a->port_lo[a->nports] = (uint32_t)lo;
		a->port_hi[a->nports++] = (uint32_t)hi;
		if (!*p)
			return 0;
		if (*p++ != ',')
			return -1;
	}
}

int llr_cli_parse(int argc, char **argv, struct llr_opts *o)
{
	static char plugin_ckpt[4096];
	const char *plugin = NULL;
	int c, view_set = 0;
	long v;
	time_t now = time(NULL);

	/* ausearch's single-dash long options */
	static char l_if[] = "--input", l_ts[] = "--start", l_te[] = "--end", l_ui[] = "--uid",
	            l_ue[] = "--euid", l_ul[] = "--loginuid", l_ua[] = "--uid-all",
	            l_sc[] = "--syscall";
	static const struct {
		const char *s;
		char *l;
	} spell[] = {
	    {"-if", l_if}, {"-ts", l_ts}, {"-te", l_te}, {"-ui", l_ui},
	    {"-ue", l_ue}, {"-ul", l_ul}, {"-ua", l_ua}, {"-sc", l_sc},
	};
	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--"))
			break;
		for (size_t k = 0; k < sizeof(spell) / sizeof(spell[0]); k++)
			if (!strcmp(argv[i], spell[k].s))
				argv[i] = spell[k].l;
	}
	o->inputs = llr_xcalloc((size_t)argc + 1, sizeof(*o->inputs));
	optind = 1;
	opterr = 1;
	while ((c = getopt_long(argc, argv, "I:S:E:u:n:b:d:F:if::o:hvx:c:wp:", longopts, NULL)) !=
	       -1) {
		switch (c) {
		case 'I':
			if (!strcmp(optarg, "-"))
				o->use_stdin = 1;
			else
				o->inputs[o->ninputs++] = optarg;
			break;
		case OPT_INPUT_LOGS:
			o->input_logs = 1;
			break;
		case OPT_STDIN:
			o->use_stdin = 1;
			break;
		case OPT_ENGINE:
			if (!strcmp(optarg, "auparse"))
				o->engine_auparse = 1;
			else if (strcmp(optarg, "fast"))
				return bad("unknown engine", optarg, "Use fast or auparse.");
			break;
		case OPT_SUMMARY:
			o->view = LLR_VIEW_SUMMARY;
			view_set = 1;
			break;
		case OPT_DOMAINS:
			o->view = LLR_VIEW_DOMAIN;
			view_set = 1;
			break;
		case OPT_DENIALS:
			o->view = LLR_VIEW_DENIALS;
			view_set = 1;
			break;
		case OPT_NODES:
			o->view = LLR_VIEW_NODE;
			view_set = 1;
			break;
		case OPT_SESSIONS:
			o->view = LLR_VIEW_SESSIONS;
			view_set = 1;
			break;
		case OPT_REVISIONS:
			o->view = LLR_VIEW_REVISIONS;
			view_set = 1;
			break;
		case OPT_ALERT_FIRST:
			o->alert.first_denial = 1;
			break;
		case OPT_ALERT_BURST:
			if (burst_arg(optarg, &o->alert))
				return bad(
				    "bad --alert-burst value", optarg,
				    "Give N/SECS: N denials (1 to 1000) of one session within "
				    "SECS seconds (1 to 86400), e.g. 20/60.");
			break;
		case OPT_ALERT_OBJECT:
			if (optarg[0] != '/' || o->alert.nobjects == LLR_ALERT_MAX_PATTERNS)
				return bad("bad --alert-object pattern", optarg,
				           "Give an absolute path or glob, e.g. /etc/shadow or "
				           "'/home/*/.ssh' (at most 64 patterns).");
			o->alert.objects[o->alert.nobjects++] = optarg;
			break;
		case OPT_ALERT_PORT:
			if (ports_arg(optarg, &o->alert))
				return bad(
				    "bad --alert-port list", optarg,
				    "Give ports or ranges from 0 to 65535, comma-separated, e.g. "
				    "5432,6379,8000-8099 (at most 64).");
			break;
		case OPT_SUGGEST:
			o->suggest = optarg;
			break;
		case 'S':
		case 'E': {
			int64_t t;
			int used = 0;
			const char *next = optind < argc ? argv[optind] : NULL;
			const char *date = optarg;
			if (next && next[0] != '-' && llr_looks_like_time(optarg) &&
			    !llr_looks_like_time(next)) { /* TIME DATE, as ausearch allows */
				date = next;
				next = optarg;
			}
			if (llr_parse_time(date, next, c == 'E', now, &t, &used))
				return bad(
				    c == 'S' ? "cannot read start time" : "cannot read end time",
				    optarg,
				    "Use a keyword (now, recent, boot, today, yesterday, "
				    "this-week, "
				    "week-ago, this-month, this-year), MM/DD/YYYY or YYYY-MM-DD "
				    "[HH:MM[:SS]], or @EPOCH.");
			if (used)
				optind++;
			if (c == 'S') {
				o->f.has_start = 1;
				o->f.start = t;
			} else {
				o->f.has_end = 1;
				o->f.end = t;
			}
			break;
		}
		case 'u':
			o->f.user = optarg;
			if (number(optarg, 0, 0xffffffffL, &v) == 0) {
				o->f.user_numeric = 1;
				o->f.user_uid = (uint32_t)v;
			} else if (llr_name_uid(optarg, &o->f.user_uid) == 0) {
				o->f.user_numeric =
				    0; /* match by name, or by its uid when unnamed */
			} else {
				o->f.user_uid = 0xfffffffeU;
			}
			break;
		case 'n':
			o->f.node = optarg;
			break;
		case 'b': {
			char name[128];
			int id = llr_blocker_find(optarg);
			if (id < 0) {
				const char *pfx[] = {"fs.", "net.", "scope."};
				for (size_t k = 0; k < 3 && id < 0; k++) {
					snprintf(name, sizeof(name), "%s%s", pfx[k], optarg);
					id = llr_blocker_find(name);
				}
			}
			if (id < 0)
				return bad("unknown blocker", optarg,
				           "Use a name from a blockers= field, e.g. fs.write_file, "
				           "net.connect_tcp, scope.signal.");
			o->f.blockers |= 1ULL << id;
			break;
		}
		case 'd': {
			char *e;
			o->f.domain = strtoull(optarg, &e, 16);
			if (!*optarg || *e)
				return bad("bad domain id", optarg,
				           "Give the hexadecimal id from a domain= field, e.g. "
				           "1a6fdc66f.");
			o->f.has_domain = 1;
			break;
		}
		case 'F':
			if (!strcmp(optarg, "text") || !strcmp(optarg, "raw"))
				o->format = LLR_FMT_TEXT;
			else if (!strcmp(optarg, "csv"))
				o->format = LLR_FMT_CSV;
			else if (!strcmp(optarg, "json") || !strcmp(optarg, "jsonl"))
				o->format = LLR_FMT_JSON;
			else
				return bad("unknown format", optarg, "Use text, csv or json.");
			break;
		case OPT_TOP:
			if (number(optarg, 1, 1000, &v))
				return bad("bad --top value", optarg,
				           "Give a number from 1 to 1000.");
			o->top = (int)v;
			break;
		case 'i':
			o->interpret = 1;
			break;
		case OPT_NO_RESOLVE:
			o->no_resolve = 1;
			llr_names_disable(1);
			break;
		case 'f':
			o->follow = 1;
			o->follow_file = optarg;
			break;
		case OPT_INTERVAL:
			if (number(optarg, 1, 86400, &v))
				return bad("bad --interval value", optarg,
				           "Give seconds from 1 to 86400.");
			o->interval = (int)v;
			break;
		case OPT_PLUGIN:
			o->follow = 1;
			o->follow_file = NULL;
			o->view = LLR_VIEW_DENIALS;
			o->format = LLR_FMT_JSON;
			o->output = optarg;
			plugin = optarg;
			view_set = 1;
			break;
		case 'o':
			o->output = optarg;
			break;
		case OPT_CHECKPOINT:
			o->checkpoint = optarg;
			break;
		case OPT_UID:
		case OPT_EUID:
		case OPT_LOGINUID:
		case OPT_UID_ALL: {
			uint32_t id;
			if (uid_arg(optarg, &id))
				return bad(
				    "unknown user", optarg,
				    "Give a user name from the passwd database, or a number.");
			if (c == OPT_UID) {
				o->f.has_uid = 1;
				o->f.uid = id;
			} else if (c == OPT_EUID) {
				o->f.has_euid = 1;
				o->f.euid = id;
			} else if (c == OPT_LOGINUID) {
				o->f.has_auid = 1;
				o->f.auid = id;
			} else {
				o->f.has_anyuid = 1;
				o->f.anyuid = id;
			}
			break;
		}
		case 'x':
			o->f.exe = optarg;
			break;
		case 'c':
			o->f.comm = optarg;
			break;
		case 'w':
			o->f.exact = 1;
			break;
		case 'p':
			if (number(optarg, 0, 0x7fffffffL, &v))
				return bad("bad process id", optarg,
				           "Give a number, e.g. -p 2627.");
			o->f.has_pid = 1;
			o->f.pid = v;
			break;
		case OPT_SYSCALL:
			o->f.syscall = optarg;
			o->f.syscall_nr = number(optarg, 0, 0x7fffffffL, &v) ? -1 : v;
			break;
		case OPT_SESSION:
			if (number(optarg, 0, 0xffffffffL, &v))
				return bad("bad session id", optarg,
				           "Give the number of a ses= field, e.g. --session 5.");
			o->f.has_ses = 1;
			o->f.ses = (uint32_t)v;
			break;
		case 'h':
			llr_cli_usage(stdout);
			return 3;
		case 'v':
			printf("aulandlock (%s) %s\n", PACKAGE_NAME, PACKAGE_VERSION);
			return 3;
		default:
			fputs("Try 'aulandlock --help'.\n", stderr);
			return 1;
		}
	}
	if (optind < argc)
		return bad("unexpected argument", argv[optind],
		           "Give input files with -if FILE (repeatable).");
	if (llr_alerts_on(&o->alert) && (o->format == LLR_FMT_CSV || o->suggest)) {
		fputs("aulandlock: alerts are written as JSON or text records: use --format json "
		      "or text, without --suggest.\n",
		      stderr);
		return 1;
	}
	if (plugin && !o->checkpoint) { /* auditd passes no more arguments */
		if (snprintf(plugin_ckpt, sizeof(plugin_ckpt), "%s.checkpoint", plugin) >=
		    (int)sizeof(plugin_ckpt))
			return bad("--plugin file name too long", plugin, "Give a shorter path.");
		o->checkpoint = plugin_ckpt;
	}
	if (o->f.has_domain && !view_set)
		o->view = LLR_VIEW_DOMAIN;
	if (o->f.has_start && o->f.has_end && o->f.start > o->f.end) {
		fputs("aulandlock: the start time is after the end time. Swap -ts and -te.\n",
		      stderr);
		return 1;
	}
	if (o->follow && o->ninputs) {
		fputs("aulandlock: --follow reads stdin or --follow=FILE, not -if inputs.\n",
		      stderr);
		return 1;
	}
	if (o->follow && o->view == LLR_VIEW_DOMAIN) {
		fputs("aulandlock: --follow supports --summary, --nodes, --denials, --sessions and "
		      "--revisions.\n",
		      stderr);
		return 1;
	}
	if (!o->ninputs && !o->use_stdin && !o->input_logs && !o->follow) {
		struct stat st;
		if (!isatty(0) && fstat(0, &st) == 0 &&
		    (S_ISFIFO(st.st_mode) || S_ISREG(st.st_mode)))
			o->use_stdin = 1; /* like aureport: a pipe on stdin is the input */
	}
	return 0;
}
