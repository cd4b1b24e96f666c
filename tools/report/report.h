/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.h - the pipeline: lines -> engine (record parser) -> event
 * assembler -> aggregator -> outputs (report, denial stream, suggestions).
 * Used by the command, follow mode, the tests and the fuzzer alike.
 */
#ifndef LLR_REPORT_H
#define LLR_REPORT_H

#include "agg.h"
#include "detect.h"
#include "input.h"
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
	int stream;          /* denials printed as they complete */
	int stream_sessions; /* --sessions in follow mode: rows as they come */
	struct llr_detect *det;
};

/* NULL if the engine cannot start (message printed). */
struct llr_report *llr_report_new(const struct llr_opts *o, FILE *f);
void llr_report_line(void *r, const char *line, size_t len);
/* The lines given so far are about to go away (see llr_asm_release). */
void llr_report_release(void *r);
/* Whole lines at once (llr_asm_block); *lines counts them. */
size_t llr_report_block(void *r, const char *buf, size_t len, uint64_t *lines);
/* Lines parsed ahead (llr_asm_parsed). */
void llr_report_parsed(void *r, const struct llr_line *v, size_t n);
/* The reader callbacks for a report. */
#define LLR_REPORT_READER(r)                                                                       \
	((struct llr_reader){llr_report_line, llr_report_block, llr_report_release, (r),           \
	                     llr_report_parsed})
/* Complete pending events and print the report (or suggestions). */
void llr_report_finish(struct llr_report *r);
/* Print the current report without completing pending events (follow). */
void llr_report_print(struct llr_report *r);
void llr_report_free(struct llr_report *r);
/* Default options (summary, text, top 5). */
void llr_opts_init(struct llr_opts *o);

#endif
