/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * suggest.h - audit2allow for Landlock: from the denials of one user or one
 * domain, the landlock.conf lines (filesystem, network, scope notes) that
 * would have allowed them.  A starting point for review, never applied.
 */
#ifndef LLR_SUGGEST_H
#define LLR_SUGGEST_H

#include "agg.h"

#include <stdio.h>

#define LLR_SUGGEST_MAX_PATHS 4096

struct llr_suggest;
struct llr_suggest *llr_suggest_new(const char *target);
void llr_suggest_denial(struct llr_suggest *s, const struct llr_event *ev,
                        const struct llr_access *a, const struct llr_user *u);
void llr_suggest_print(struct llr_suggest *s, FILE *f);
void llr_suggest_free(struct llr_suggest *s);

#endif
