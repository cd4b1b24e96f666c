/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_report.c - fuzz harness for the reporter.  The input is split into
 * lines and run through the whole pipeline: an engine (the built-in parser
 * or libauparse, by the first byte), the event model (in batch, checkpoint
 * or follow mode), the aggregation with or without filters, every view and
 * format (also --sessions and --revisions), the alert rules, suggestions,
 * a checkpoint saved and read back (also in follow mode); plus the field
 * splitter and every output encoding on each line directly.
 *
 * Built two ways:
 *  - with -DLL_LIBFUZZER and clang -fsanitize=fuzzer ("make fuzz-report");
 *  - as a plain program (make check): it replays the files given as
 *    arguments, or the seed corpus and the real audit corpus when none.
 */
#include "config.h"

#include "report/checkpoint.h"
#include "report/escape.h"
#include "report/input.h"
#include "report/names.h"
#include "report/record.h"
#include "report/report.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char ckpt[64];

static void run(const char *text, size_t len, unsigned sel, FILE *out)
{
	struct llr_opts o;
	llr_opts_init(&o);
	o.no_resolve = 1;
	o.view = (enum llr_view)(sel % 4);
	o.format = (enum llr_format)((sel / 4) % 3);
	o.engine_auparse = (sel >> 4) & 1;
	if (sel & 0x80)
		o.suggest = (sel & 0x40) ? "domain:1a" : "1001";
	if ((sel >> 8) & 1)
		o.f.blockers = 1ULL << 2; /* a per-denial filter */
	if ((sel >> 9) & 1) {
		o.f.user = "1001";
		o.f.user_numeric = 1;
		o.f.user_uid = 1001;
	}
	if ((sel >> 10) & 1)
		o.checkpoint = ckpt;
	if ((sel >> 11) & 1)
		o.follow = 1;
	if ((sel >> 13) & 1)
		o.view = (sel >> 14) & 1 ? LLR_VIEW_REVISIONS : LLR_VIEW_SESSIONS;
	if (((sel >> 12) & 1) && o.format != LLR_FMT_CSV && !o.suggest) {
		/* every rule, with thresholds low enough for small inputs */
		o.alert.first_denial = 1;
		o.alert.burst_count = 3;
		o.alert.burst_window = 2;
		o.alert.objects[o.alert.nobjects++] = "/tmp";
		o.alert.objects[o.alert.nobjects++] = "/home/*/.ssh";
		o.alert.objects[o.alert.nobjects++] = "/[a-e]*/?a*";
		o.alert.port_lo[0] = 0;
		o.alert.port_hi[0] = 1024;
		o.alert.nports = 1;
	}
	struct llr_report *r = llr_report_new(&o, out);
	if (!r)
		return;
	if (o.checkpoint) {
		unlink(ckpt);
		llr_checkpoint_load(ckpt, r);
	}
	const char *p = text, *end = text + len;
	int64_t now = 0;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		llr_report_line(r, p, l);
		if (o.follow && l && (unsigned char)p[0] % 7 == 0)
			llr_asm_tick(r->as, now += 1500); /* time passes in follow mode */
		p += l + 1;
	}
	llr_report_finish(r);
	if (o.checkpoint && !llr_checkpoint_save(ckpt, r, NULL)) {
		/* a saved checkpoint must read back */
		struct llr_report *r2 = llr_report_new(&o, NULL);
		if (r2 && llr_checkpoint_load(ckpt, r2))
			abort();
		llr_report_free(r2);
	}
	llr_report_free(r);
}

static void split_each(const char *text, size_t len, FILE *out)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct llr_hdr h;
		struct llr_fields f;
		char v[64], *line = llr_xstrndup(p, l);
		if (llr_parse_header(p, l, &h) == 0) {
			llr_split_fields(h.body, h.body_len, &f);
			for (int i = 0; i < f.n; i++)
				llr_value(&f.kv[i], 1, v, sizeof(v));
		}
		llr_text_put(out, line);
		llr_json_str(out, line);
		llr_csv_str(out, line);
		llr_conf_str(out, line);
		free(line);
		p += l + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		llr_names_disable(1);
		snprintf(ckpt, sizeof(ckpt), "/tmp/fuzz-report-ckpt.%ld", (long)getpid());
	}
	if (size > 1 << 20)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	unsigned sel = size ? data[0] : 0;
	if (size > 1)
		sel |= (unsigned)data[1] << 8;
	split_each(text, size, devnull);
	run(text, size, sel, devnull);
	free(text);
	return 0;
}

#ifndef LL_LIBFUZZER
static int replay_file(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		fprintf(stderr, "fuzz_report: cannot open %s\n", path);
		return 1;
	}
	char *buf = NULL;
	size_t len = 0, cap = 0, k;
	char chunk[65536];
	while ((k = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (len + k > cap) {
			cap = (len + k) * 2;
			buf = realloc(buf, cap);
		}
		memcpy(buf + len, chunk, k);
		len += k;
	}
	fclose(f);
	/* every view, format and engine on the whole file, in each mode, then
	 * the libFuzzer entry */
	FILE *out = fopen("/dev/null", "w");
	for (unsigned sel = 0; sel < 24; sel++)
		for (unsigned mode = 0; mode < 4; mode++)
			run(buf ? buf : "", len, sel | (sel == 5 ? 0x80 : 0) | mode << 9, out);
	/* alerts on every view; the sessions and revisions views; in batch,
	 * checkpoint and follow mode (with a checkpoint) */
	for (unsigned sel = 0; sel < 24; sel++)
		for (unsigned mode = 0; mode < 4; mode++)
			run(buf ? buf : "", len,
			    sel | 1u << 12 | (mode & 1) << 10 | (mode >> 1) << 11, out);
	for (unsigned sel = 0; sel < 8; sel++)
		for (unsigned mode = 0; mode < 8; mode++)
			run(buf ? buf : "", len,
			    (sel * 4) | 1u << 13 | (mode & 1) << 14 | ((mode >> 1) & 1) << 11 |
			        ((mode >> 2) & 1) << 12 | 1u << 10,
			    out);
	fclose(out);
	LLVMFuzzerTestOneInput((const uint8_t *)buf, len);
	free(buf);
	return 0;
}

static int replay_dir(const char *dir, int *n)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	char path[8192];
	int rc = 0;
	if (!d)
		return 0;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		rc |= replay_file(path);
		(*n)++;
	}
	closedir(d);
	return rc;
}

int main(int argc, char **argv)
{
	int rc = 0, n = 0;
	llr_names_disable(1);
	snprintf(ckpt, sizeof(ckpt), "/tmp/fuzz-report-ckpt.%ld", (long)getpid());
	if (argc > 1) {
		for (int i = 1; i < argc; i++, n++)
			rc |= replay_file(argv[i]);
	} else {
		const char *top = getenv("top_srcdir");
		char dir[4096];
		snprintf(dir, sizeof(dir), "%s/fuzz/report/corpus", top ? top : ".");
		rc |= replay_dir(dir, &n);
		snprintf(dir, sizeof(dir), "%s/tests/report/corpus", top ? top : ".");
		rc |= replay_dir(dir, &n);
	}
	unlink(ckpt);
	printf("fuzz_report: replayed %d input(s)\n", n);
	return rc || !n;
}
#endif
