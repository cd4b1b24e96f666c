/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aulandlock - summarize Landlock denials from the audit logs.
 * Thin entry point: parse options, read the inputs through the report
 * pipeline (tools/report/), print, say what could not be read, one cleanup
 * path.
 */
#include "config.h"

#include "report/checkpoint.h"
#include "report/cli.h"
#include "report/follow.h"
#include "report/input.h"
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

static const char *access_hint(int err)
{
	return err == EACCES ? "Run as root or as a member of the log's group (adm)."
	                     : "Check the path, or give logs with -if FILE|DIR.";
}

static void input_failed(const struct llr_input_err *e)
{
	fprintf(stderr, "aulandlock: %s: %s", e->path, e->what);
	if (e->detail[0])
		fprintf(stderr, " (%s)", e->detail);
	else if (e->err)
		fprintf(stderr, ": %s", strerror(e->err));
	if (e->line || e->offset)
		fprintf(stderr, ", after line %llu (byte %llu of its data)",
		        (unsigned long long)e->line, (unsigned long long)e->offset);
	fprintf(stderr,
	        ".\nThe rest of this input is not in the report; the other inputs were "
	        "read.  %s\n",
	        e->detail[0] ? "Check it with gzip -t, or leave it out." : access_hint(e->err));
}

static void warnings(const struct llr_report *r)
{
	const struct llr_stats *st = llr_asm_stats(r->as);
	if (st->malformed || r->long_lines)
		fprintf(
		    stderr,
		    "aulandlock: warning: %llu malformed line(s) skipped (first at line %llu of "
		    "the input), %llu over-long line(s) skipped.\n",
		    (unsigned long long)st->malformed, (unsigned long long)st->first_malformed_line,
		    r->long_lines);
	if (st->late)
		fprintf(stderr,
		        "aulandlock: warning: %llu record(s) came after their event was complete "
		        "(first at line %llu): records of one event are far apart in the input; "
		        "their denials may lack their SYSCALL record.\n",
		        (unsigned long long)st->late, (unsigned long long)st->first_late_line);
	if (st->forced)
		fprintf(stderr,
		        "aulandlock: warning: %llu event(s) completed early: more than %d Landlock "
		        "events were pending.\n",
		        (unsigned long long)st->forced, LLR_PENDING_MAX);
	if (st->time_back)
		fprintf(stderr,
		        "aulandlock: warning: records go back in time by more than a minute (first "
		        "at line %llu): are logs of different hosts mixed without node= names, or "
		        "concatenated out of order?  Give them as files (-if), which are read in "
		        "time order.\n",
		        (unsigned long long)st->first_time_back_line);
}

int main(int argc, char **argv)
{
	struct llr_opts o;
	struct llr_input_err e;
	struct llr_inputs in = {0};
	struct llr_report *r = NULL;
	FILE *out = stdout;
	int rc, read_failed = 0;

	llr_opts_init(&o);
	rc = llr_cli_parse(argc, argv, &o);
	if (rc) {
		rc = rc == 3 ? 0 : rc;
		goto out;
	}
	if (o.output && !(out = llr_open_output(o.output))) {
		fprintf(stderr,
		        "aulandlock: cannot open output %s: %s.\nCheck the directory and "
		        "its permissions.\n",
		        o.output, strerror(errno));
		rc = 2;
		goto out;
	}
	r = llr_report_new(&o, out);
	if (!r || (o.checkpoint && llr_checkpoint_load(o.checkpoint, r))) {
		rc = 2;
		goto out;
	}
	if (o.follow) {
		rc = llr_follow_run(r, &o);
		goto out;
	}
	if (llr_input_expand(o.inputs, o.ninputs, o.use_stdin && !o.input_logs, &in, &e)) {
		fprintf(stderr, "aulandlock: %s: %s: %s.\n%s\n", e.what, e.path, strerror(e.err),
		        access_hint(e.err));
		rc = 2;
		goto out;
	}
	llr_input_order(&in);
	for (int i = 0; i < in.nwarnings; i++) {
		fprintf(stderr, "aulandlock: %s.\n", in.warnings[i]);
		rc = 2;
	}
	for (int i = 0; i < in.n; i++) {
		struct llr_input_res res;
		if (llr_input_read(in.paths[i], &LLR_REPORT_READER(r), &e, &res)) {
			input_failed(&e);
			read_failed = 1;
			rc = 2;
		}
		r->long_lines += res.long_lines;
		if (res.partial_last && i + 1 < in.n)
			fprintf(stderr,
			        "aulandlock: warning: %s: the last line has no newline (cut while "
			        "written?): not read.\n",
			        in.paths[i]);
	}
	llr_report_finish(r);
	warnings(r);
	if (o.checkpoint && read_failed) {
		fprintf(stderr,
		        "aulandlock: checkpoint %s not updated: an input was not read in full, so "
		        "the next run starts from the same point (and reports these events "
		        "again) rather than lose any.\n",
		        o.checkpoint);
	} else if (o.checkpoint) {
		struct llr_ckpt_saved sv;
		if (llr_checkpoint_save(o.checkpoint, r, &sv)) {
			fprintf(stderr,
			        "aulandlock: cannot write checkpoint %s: %s.\nCheck the directory "
			        "and its permissions; the next run will report these events "
			        "again.\n",
			        o.checkpoint, strerror(errno));
			rc = 2;
		} else {
			llr_checkpoint_warn(o.checkpoint, &sv);
		}
	}
out:
	llr_inputs_free(&in);
	if (r && r->f && r->f != stdout)
		fclose(r->f);
	else if (!r && out && out != stdout)
		fclose(out);
	llr_report_free(r);
	free(o.inputs);
	if (fflush(stdout) && !rc)
		rc = 2;
	return rc;
}
