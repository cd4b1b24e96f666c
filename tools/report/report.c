/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * report.c - wiring of the reporter's pipeline (see report.h).
 */
#include "config.h"

#include "report.h"

#include <stdlib.h>
#include <string.h>

void llr_opts_init(struct llr_opts *o)
{
	memset(o, 0, sizeof(*o));
	o->view = LLR_VIEW_SUMMARY;
	o->format = LLR_FMT_TEXT;
	o->top = 5;
	o->interval = 0;
	o->f.syscall_nr = -1;
}

static void on_denial(void *arg, const struct llr_event *ev, const struct llr_access *a,
                      const struct llr_user *u, const struct llr_domain *d)
{
	struct llr_report *r = arg;
	if (r->stream && r->f)
		llr_out_denial(&r->out, ev, a, u, d);
	if (r->sg)
		llr_suggest_denial(r->sg, ev, a, u);
	if (r->det)
		llr_detect_denial(r->det, ev, a, u, d);
}

static void on_alert(void *arg, const struct llr_alert *al, const struct llr_event *ev,
                     const struct llr_access *a, const struct llr_user *u,
                     const struct llr_domain *d)
{
	struct llr_report *r = arg;
	if (r->f)
		llr_out_alert(&r->out, al, ev, a, u, d);
}

static void on_sessrow(void *arg, struct llr_sessrow *row)
{
	struct llr_report *r = arg;
	if (r->f)
		llr_out_session(&r->out, row);
	llr_sessrow_free(row);
}

static void on_event(void *arg, struct llr_event *ev)
{
	struct llr_report *r = arg;
	llr_agg_event(r->agg, ev);
}

struct llr_report *llr_report_new(const struct llr_opts *o, FILE *f)
{
	struct llr_engine *e = o->engine_auparse ? llr_engine_auparse() : llr_engine_fast();
	if (!e)
		return NULL;
	struct llr_report *r = llr_xcalloc(1, sizeof(*r));
	r->o = o;
	r->eng = e;
	r->f = f;
	r->out.f = f;
	r->out.o = o;
	r->agg = llr_agg_new(o);
	r->as = llr_asm_new(e, on_event, r);
	llr_asm_set_checkpoint(r->as, o->checkpoint != NULL && !o->follow);
	llr_asm_set_follow(r->as, o->follow);
	r->stream = o->view == LLR_VIEW_DENIALS && !o->suggest;
	r->stream_sessions = o->view == LLR_VIEW_SESSIONS && o->follow && !o->suggest;
	if (o->suggest)
		r->sg = llr_suggest_new(o->suggest);
	if (llr_alerts_on(&o->alert))
		r->det = llr_detect_new(&o->alert, on_alert, r);
	if (r->stream || r->sg || r->det)
		llr_agg_set_denial_cb(r->agg, on_denial, r);
	if (r->stream_sessions)
		llr_agg_set_sessrow_cb(r->agg, on_sessrow, r);
	if (r->stream && f)
		llr_out_denials_begin(&r->out);
	if (r->stream_sessions && f)
		llr_out_sessions_begin(&r->out);
	return r;
}

void llr_report_line(void *arg, const char *line, size_t len)
{
	llr_asm_line(((struct llr_report *)arg)->as, line, len);
}

size_t llr_report_block(void *arg, const char *buf, size_t len, uint64_t *lines)
{
	struct llr_report *r = arg;
	uint64_t before = llr_asm_stats(r->as)->lines;
	size_t used = llr_asm_block(r->as, buf, len);
	*lines += llr_asm_stats(r->as)->lines - before;
	return used;
}

void llr_report_parsed(void *arg, const struct llr_line *v, size_t n)
{
	llr_asm_parsed(((struct llr_report *)arg)->as, v, n);
}

void llr_report_release(void *arg)
{
	struct llr_report *r = arg;
	llr_asm_release(r->as);
}

void llr_report_print(struct llr_report *r)
{
	if (!r->f)
		return;
	if (r->sg) {
		llr_suggest_print(r->sg, r->f);
	} else if (r->stream) {
		llr_out_denials_end(&r->out, llr_asm_stats(r->as));
	} else if (r->stream_sessions) {
		llr_out_sessions_end(&r->out);
	} else if (r->o->view == LLR_VIEW_SESSIONS) {
		struct llr_outctx c = {.f = r->f, .o = r->o};
		llr_out_sessions_begin(&c);
		for (int i = 0; i < llr_agg_nsessrows(r->agg); i++)
			llr_out_session(&c, llr_agg_sessrow(r->agg, i));
		llr_out_sessions_end(&c);
	} else
		llr_out_report(r->f, r->agg, r->o, llr_asm_stats(r->as));
	fflush(r->f);
}

void llr_report_finish(struct llr_report *r)
{
	llr_asm_flush(r->as);
	llr_report_print(r);
}

void llr_report_free(struct llr_report *r)
{
	if (!r)
		return;
	llr_asm_free(r->as);
	llr_agg_free(r->agg);
	llr_suggest_free(r->sg);
	llr_detect_free(r->det);
	llr_engine_free(r->eng);
	free(r);
}
