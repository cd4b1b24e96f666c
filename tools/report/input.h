/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * input.h - where records come from: the system's audit logs (log_file
 * from auditd.conf and its rotations, oldest first), files and directories
 * named on the command line, stdin; gzip-compressed files are read through
 * zlib.  Lines are handed to a callback without their newline.
 */
#ifndef LLR_INPUT_H
#define LLR_INPUT_H

#include <stddef.h>
#include <stdio.h>

typedef void (*llr_line_cb)(void *arg, const char *line, size_t len);
/* Raw chunks instead of lines (the libauparse feed engine). */
typedef void (*llr_chunk_cb)(void *arg, const char *data, size_t len);

#define LLR_MAX_LINE (1024 * 1024)

struct llr_input_err {
	char path[4096];
	int err; /* errno */
	const char *what;
};

/*
 * Expand inputs into an ordered list of paths ("-" is stdin).  With no
 * inputs: the system logs.  Returns the count, or -1 with *e filled.
 */
int llr_input_expand(const char **inputs, int n, int use_stdin, char ***out,
                     struct llr_input_err *e);
/* The system's rotated logs for log_file, oldest first. */
int llr_input_system_logs(char ***out, struct llr_input_err *e);
void llr_input_free_list(char **v, int n);

/* Read one path (or "-"); lines to cb (or chunks to chunk if non-NULL). */
int llr_input_read(const char *path, llr_line_cb cb, llr_chunk_cb chunk, void *arg,
                   struct llr_input_err *e, unsigned long long *long_lines);
/* Open FILE for appending output (created 0640); NULL with errno. */
FILE *llr_open_output(const char *path);
/* Split a buffer into lines (used by tests and the fuzzer). */
void llr_input_lines(const char *buf, size_t len, llr_line_cb cb, void *arg);

#endif
