/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aulandlock - summarize Landlock denials from the audit logs.
 * Thin entry point: parse options, read the inputs through the report
 * pipeline (tools/report/), print, one cleanup path.
 */
#include "config.h"

#include "report/cli.h"
#include "report/follow.h"
#include "report/input.h"
#include "report/report.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
	struct llr_opts o;
	struct llr_input_err e;
	struct llr_report *r = NULL;
	struct llr_feed *feed = NULL;
	char **paths = NULL;
	int n = 0, rc;

	llr_opts_init(&o);
	rc = llr_cli_parse(argc, argv, &o);
	if (rc) {
		rc = rc == 3 ? 0 : rc;
		goto out;
	}
	FILE *out = stdout;
	if (o.output && !(out = llr_open_output(o.output))) {
		fprintf(stderr,
		        "aulandlock: cannot open output %s: %s.\nCheck the directory and "
		        "its permissions.\n",
		        o.output, strerror(errno));
		rc = 2;
		goto out;
	}
	r = llr_report_new(&o, out);
	if (o.follow) {
		rc = llr_follow_run(r, &o);
		goto out;
	}
	n = llr_input_expand(o.inputs, o.ninputs, o.use_stdin && !o.input_logs, &paths, &e);
	if (n < 0) {
		fprintf(stderr, "aulandlock: %s: %s: %s.\n%s\n", e.what, e.path, strerror(e.err),
		        e.err == EACCES ? "Run as root or as a member of the log's group (adm)."
		                        : "Check the path, or give logs with -if FILE|DIR.");
		rc = 2;
		goto out;
	}
	if (o.engine_auparse)
		feed = llr_feed_new(r);
	for (int i = 0; i < n; i++) {
		if (llr_input_read(paths[i], llr_report_line, feed ? llr_feed_data : NULL,
		                   feed ? (void *)feed : (void *)r, &e, &r->long_lines)) {
			fprintf(stderr, "aulandlock: %s: %s: %s.\n%s\n", e.what, e.path,
			        strerror(e.err),
			        e.err == EACCES
			            ? "Run as root or as a member of the log's group (adm)."
			            : "Check the file; the report was not printed.");
			rc = 2;
			goto out;
		}
	}
	if (feed)
		llr_feed_flush(feed);
	llr_report_finish(r);
	const struct llr_stats *st = llr_asm_stats(r->as);
	if (o.checkpoint && llr_checkpoint_save(o.checkpoint, &o.f, st->last_sec, st->last_ms,
	                                        st->last_serial, st->records > 0)) {
		fprintf(stderr, "aulandlock: cannot write checkpoint %s: %s.\n", o.checkpoint,
		        strerror(errno));
		rc = 2;
	}
	if (st->malformed || r->long_lines)
		fprintf(
		    stderr,
		    "aulandlock: warning: %llu malformed line(s) skipped (first at line %llu of "
		    "the input), %llu over-long line(s) skipped.\n",
		    (unsigned long long)st->malformed, (unsigned long long)st->first_malformed_line,
		    r->long_lines);
out:
	llr_feed_free(feed);
	llr_input_free_list(paths, n > 0 ? n : 0);
	if (r && r->f && r->f != stdout)
		fclose(r->f);
	llr_report_free(r);
	free(o.inputs);
	if (fflush(stdout) && !rc)
		rc = 2;
	return rc;
}
