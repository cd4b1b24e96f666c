/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.h - the pipeline: lines -> engine (record parser) -> event
 * assembler -> aggregator -> outputs (report, denial stream, suggestions).
 * Used by the command, follow mode, the tests and the fuzzer alike.
 */
#ifndef LLR_REPORT_H
#define LLR_REPORT_H

#include "agg.h"
#include "engine.h"
#include "event.h"
#include "opts.h"
#include "output.h"
#include "suggest.h"

#include <stdio.h>

struct llr_report {
	const struct llr_opts *o;
	struct llr_engine *eng;
	struct llr_asm *as;
	struct llr_agg *agg;
	struct llr_suggest *sg;
	struct llr_outctx out;
	FILE *f;
	unsigned long long long_lines;
	int stream; /* denials printed as they complete */
};

/* NULL if the engine cannot start (message printed). */
struct llr_report *llr_report_new(const struct llr_opts *o, FILE *f);
void llr_report_line(void *r, const char *line, size_t len);
/* Complete pending events and print the report (or suggestions). */
void llr_report_finish(struct llr_report *r);
/* Print the current report without completing pending events (follow). */
void llr_report_print(struct llr_report *r);
void llr_report_free(struct llr_report *r);
/* Default options (summary, text, top 5). */
void llr_opts_init(struct llr_opts *o);

#endif
