/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_report.c - fuzz harness for the reporter's record and event parser.
 * The input is split into lines and run through the whole pipeline (header
 * parse, field split, event assembly, aggregation, every view and format,
 * suggestions), plus the field splitter on each line directly.
 *
 * Built two ways:
 *  - with -DLL_LIBFUZZER and clang -fsanitize=fuzzer ("make fuzz-report");
 *  - as a plain program (make check): it replays the files given as
 *    arguments, or the seed corpus and the real audit corpus when none.
 */
#include "config.h"

#include "report/input.h"
#include "report/names.h"
#include "report/record.h"
#include "report/report.h"

#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void run(const char *text, size_t len, enum llr_view view, enum llr_format fmt,
                const char *suggest, FILE *out)
{
	struct llr_opts o;
	llr_opts_init(&o);
	o.no_resolve = 1;
	o.view = view;
	o.format = fmt;
	o.suggest = suggest;
	struct llr_report *r = llr_report_new(&o, out);
	llr_input_lines(text, len, llr_report_line, r);
	llr_report_finish(r);
	llr_report_free(r);
}

static void split_each(const char *text, size_t len)
{
	const char *p = text, *end = text + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		struct llr_hdr h;
		struct llr_fields f;
		char v[64];
		if (llr_parse_header(p, l, &h) == 0) {
			llr_split_fields(h.body, h.body_len, &f);
			for (int i = 0; i < f.n; i++)
				llr_value(&f.kv[i], 1, v, sizeof(v));
		}
		p += l + 1;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static FILE *devnull;
	if (!devnull) {
		devnull = fopen("/dev/null", "w");
		llr_names_disable(1);
	}
	if (size > 1 << 20)
		return 0;
	char *text = malloc(size + 1);
	memcpy(text, data, size);
	text[size] = '\0';
	unsigned sel = size ? data[0] : 0;
	split_each(text, size);
	run(text, size, (enum llr_view)(sel % 4), (enum llr_format)((sel / 4) % 3),
	    (sel & 0x80) ? ((sel & 0x40) ? "domain:1a" : "1001") : NULL, devnull);
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
	/* every view and format on the whole file, then the libFuzzer entry */
	for (unsigned sel = 0; sel < 12; sel++) {
		FILE *out = fopen("/dev/null", "w");
		run(buf ? buf : "", len, (enum llr_view)(sel % 4), (enum llr_format)(sel / 4),
		    sel == 5 ? "1001" : NULL, out);
		fclose(out);
	}
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
	printf("fuzz_report: replayed %d input(s)\n", n);
	return rc || !n;
}
#endif
