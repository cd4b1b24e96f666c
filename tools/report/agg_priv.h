/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agg_priv.h - the aggregator's state, shared by agg.c (the events) and
 * agg_access.c (what the outputs and checkpoints read and set).  Not for
 * other files.
 */
#ifndef LLR_AGG_PRIV_H
#define LLR_AGG_PRIV_H

#include "agg.h"

struct llr_agg {
	const struct llr_opts *o;
	int per_denial;
	struct llr_user **users;
	int nusers, capusers;
	struct llr_index uix;
	struct llr_domain **doms;
	int ndoms, capdoms, *freeslots, nfree;
	struct llr_index dix;
	struct llr_node **nodes;
	int nnodes, capnodes;
	struct llr_index nix;
	struct llr_sessions *sessions;
	const char *last_name; /* node_get's last answer (names are interned) */
	struct llr_node *last_node;
	int keep_domains;
	llr_denial_cb cb;
	void *cb_arg;
	llr_sessrow_cb scb;
	void *scb_arg;
	struct llr_sessrow **srows; /* batch --sessions */
	int nsrows, capsrows, keep_srows;
	struct llr_revs *revs; /* --revisions */
	struct llr_totals tot;
};

#endif
