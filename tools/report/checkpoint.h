/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * checkpoint.h - --checkpoint FILE: what an incremental run (cron) needs
 * from the previous ones, so that across any sequence of runs and log
 * rotations no event is lost or counted twice:
 *
 *  - per node, the frontier: every event up to it was counted.  A run
 *    counts the events after the old frontier and up to the new one, the
 *    node's newest record time minus LLR_HOLD_MS (event.h); the last
 *    seconds are held back, read again and counted by the next run, whole
 *    (an event cut by the end of the log, or written out of order);
 *  - the domains still alive (user of their first denial, denials logged
 *    so far, creator, pam_landlock session), so that a deallocation in a
 *    later run is attributed and its unlogged count is exact;
 *  - the newest pam_landlock session records, so that a session opened
 *    before a run ties the denials of the next;
 *  - with alert rules, the sessions they track (detect.h: at most
 *    LLR_ALERT_SESSIONS, each with its burst window), so that a session's
 *    first denial is not raised twice.
 *
 * In follow mode (--follow --checkpoint FILE) only the domains and the
 * session records are saved and read back (no frontiers: follow mode reads
 * what comes, from the end of the log or the plugin's stream), at exit and
 * every LLR_CKPT_FOLLOW_SECS seconds, so that a restarted follower still
 * ties the denials of sessions opened before it.
 *
 * Bounds: the LLR_CKPT_DOMAINS newest live domains and the
 * LLR_CKPT_SESSIONS newest session records; what the caps leave out is
 * counted (struct llr_ckpt_saved) and reported by the caller.
 *
 * The file is text, one item per line ("aulandlock-checkpoint 2", then
 * "frontier ...", "domain ...", "session ..." with key=value fields whose
 * values are percent-encoded); unknown lines and keys are ignored, so later
 * versions can add to it.  It is replaced atomically (rename) at the end of
 * a run whose inputs were all read in full.  Version 1 files (one event id)
 * are read as a frontier for every node.
 */
#ifndef LLR_CHECKPOINT_H
#define LLR_CHECKPOINT_H

#include "report.h"

#define LLR_CKPT_DOMAINS     16384
#define LLR_CKPT_SESSIONS    4096
#define LLR_CKPT_FOLLOW_SECS 60

struct llr_ckpt_saved {
	int domains, sessions;                 /* written */
	int dropped_domains, dropped_sessions; /* left out by the caps */
};

/* Load FILE into the report (a missing file is a first run).  0, or -1
 * with a message printed. */
int llr_checkpoint_load(const char *path, struct llr_report *r);
/* Save the state after this run: 0, or -1 with errno.  sv (may be NULL):
 * what was written and what the caps left out. */
int llr_checkpoint_save(const char *path, struct llr_report *r, struct llr_ckpt_saved *sv);
/* Print a warning if the caps left something out. */
void llr_checkpoint_warn(const char *path, const struct llr_ckpt_saved *sv);

#endif
