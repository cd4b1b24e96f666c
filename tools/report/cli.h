/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cli.h - command-line parsing for aulandlock: ausearch/aureport-style
 * names where they overlap (-if, -ts, -te, -i, --input-logs, --format).
 */
#ifndef LLR_CLI_H
#define LLR_CLI_H

#include "opts.h"

#include <stdint.h>

#include <stdio.h>

/* 0: run; 1: usage error (message printed); 3: help/version printed. */
int llr_cli_parse(int argc, char **argv, struct llr_opts *o);
void llr_cli_usage(FILE *f);

#endif
