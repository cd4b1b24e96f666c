/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * input.h - where records come from: the system's audit logs (log_file
 * from auditd.conf and its rotations), files and directories named on the
 * command line, stdin; gzip-compressed files are read through zlib.
 * Files are read in the order of their first record's time, so rotations
 * given newest first are read oldest first.  Lines are handed to a
 * callback without their newline.  A file that cannot be read in full
 * (corrupt or truncated gzip, I/O error) is named with where it failed,
 * and the other inputs are still read.
 */
#ifndef LLR_INPUT_H
#define LLR_INPUT_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "record.h"

typedef void (*llr_line_cb)(void *arg, const char *line, size_t len);
/* Called before the lines handed so far go away (the buffer is reused). */
typedef void (*llr_release_cb)(void *arg);
/* The complete lines of buf (each ends in '\n'): bytes used, lines counted. */
typedef size_t (*llr_block_cb)(void *arg, const char *buf, size_t len, uint64_t *lines);

/* Lines whose headers the built-in parser read ahead, in order. */
typedef void (*llr_parsed_cb)(void *arg, const struct llr_line *v, size_t n);

/*
 * Where lines go: one at a time, or (faster) whole blocks of them, or
 * (fastest, for large plain files) lines whose headers a helper thread
 * parsed (llr_parse_header) while the previous lines were being read.
 */
struct llr_reader {
	llr_line_cb line;
	llr_block_cb block;     /* may be NULL */
	llr_release_cb release; /* may be NULL */
	void *arg;
	llr_parsed_cb parsed; /* may be NULL */
};

#define LLR_MAX_LINE (1024 * 1024)

struct llr_input_err {
	char path[4096];
	int err; /* errno, 0 when detail says it all */
	const char *what;
	char detail[256]; /* zlib's message */
	uint64_t line;    /* lines read from this input before the failure */
	uint64_t offset;  /* bytes (uncompressed) read before the failure */
};

struct llr_inputs {
	char **paths; /* "-" is stdin */
	int n;
	char **warnings; /* rotation gaps */
	int nwarnings;
};

/* Per-input reading results. */
struct llr_input_res {
	uint64_t lines, long_lines;
	int partial_last; /* the last line had no newline: not read */
};

/*
 * Expand inputs into an ordered list.  With no inputs: the system logs.
 * Returns 0, or -1 with *e filled (a path that does not exist or cannot
 * be listed).
 */
int llr_input_expand(const char **inputs, int n, int use_stdin, struct llr_inputs *out,
                     struct llr_input_err *e);
/* Read files in the order of their first record's time (stdin stays). */
void llr_input_order(struct llr_inputs *in);
void llr_inputs_free(struct llr_inputs *in);

/* Read one path (or "-"): 0, or -1 with *e filled. */
int llr_input_read(const char *path, const struct llr_reader *rd, struct llr_input_err *e,
                   struct llr_input_res *res);
/* The first record time (ms) of a file, -1 if none in its first 64 KiB. */
int64_t llr_input_first_time(const char *path);
/* Open FILE for appending output (created 0640); NULL with errno. */
FILE *llr_open_output(const char *path);
/* Split a buffer into lines (used by tests and the fuzzer). */
void llr_input_lines(const char *buf, size_t len, llr_line_cb cb, void *arg);

#endif
