/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * agg_access.c - read access to the aggregation for the outputs, the
 * checkpoint and the tests, and the callbacks they set (see agg.h).
 */
#include "config.h"

#include "agg.h"
#include "agg_priv.h"

void llr_agg_set_sessrow_cb(struct llr_agg *g, llr_sessrow_cb cb, void *arg)
{
	g->scb = cb;
	g->scb_arg = arg;
}

int llr_agg_nsessrows(const struct llr_agg *g)
{
	return g->nsrows;
}

const struct llr_sessrow *llr_agg_sessrow(const struct llr_agg *g, int i)
{
	return g->srows[i];
}

const struct llr_revs *llr_agg_revs(const struct llr_agg *g)
{
	return g->revs;
}

void llr_agg_set_denial_cb(struct llr_agg *g, llr_denial_cb cb, void *arg)
{
	g->cb = cb;
	g->cb_arg = arg;
}

void llr_agg_keep_domains(struct llr_agg *g, int keep)
{
	g->keep_domains = keep;
}

int llr_agg_nusers(const struct llr_agg *g)
{
	return g->nusers;
}

struct llr_user *llr_agg_user(struct llr_agg *g, int i)
{
	return g->users[i];
}

int llr_agg_ndomains(const struct llr_agg *g)
{
	return g->ndoms;
}

struct llr_domain *llr_agg_domain(struct llr_agg *g, int i)
{
	return g->doms[i];
}

int llr_agg_nnodes(const struct llr_agg *g)
{
	return g->nnodes;
}

struct llr_node *llr_agg_node(struct llr_agg *g, int i)
{
	return g->nodes[i];
}

struct llr_sessions *llr_agg_sessions(struct llr_agg *g)
{
	return g->sessions;
}

int llr_agg_per_denial(const struct llr_agg *g)
{
	return g->per_denial;
}

const struct llr_totals *llr_agg_totals(const struct llr_agg *g)
{
	return &g->tot;
}
