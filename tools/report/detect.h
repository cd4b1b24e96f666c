/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * detect.h - live alerts on the stream of selected denials (--alert-*
 * options; follow mode, and batch runs alike, by record time):
 *
 *  - first_denial      the first denial of a session;
 *  - burst             N denials of one session within SECS seconds (a
 *                      sliding window; after an alert the session is quiet
 *                      for SECS seconds);
 *  - sensitive_object  a denial on a path matching a listed pattern (a
 *                      glob, matched against the path and each of its
 *                      parent directories: /home/x/.ssh matches the path
 *                      /home/x/.ssh/id_rsa);
 *  - internal_port     a TCP connect to a listed port.
 *
 * A session is the pam_landlock record the denial's domain is tied to;
 * denials of other domains are grouped by their audit session (ses=), or,
 * without one, by domain.  State is bounded: at most LLR_ALERT_SESSIONS
 * sessions are tracked (the least recently active one is forgotten first,
 * as is a session idle for LLR_ALERT_IDLE_MS), each with a window of at
 * most N times; a forgotten session's next denial is a first denial again.
 * The tracked sessions are saved in checkpoints (checkpoint.c), so that a
 * restarted follower or the next incremental run goes on where it stopped.
 */
#ifndef LLR_DETECT_H
#define LLR_DETECT_H

#include "agg.h"
#include "event.h"
#include "opts.h"

#define LLR_ALERT_SESSIONS   4096
#define LLR_ALERT_IDLE_MS    (3600 * 1000)
#define LLR_ALERT_MAX_BURST  1000
#define LLR_ALERT_MAX_WINDOW 86400

struct llr_alert {
	const char *rule;    /* first_denial, burst, sensitive_object, internal_port */
	uint64_t threshold;  /* denials that make the alert */
	int64_t window;      /* seconds, 0: no window */
	uint64_t count;      /* denials counted */
	const char *pattern; /* sensitive_object: the pattern that matched */
	int64_t port;        /* internal_port: the port, else -1 */
};

typedef void (*llr_alert_cb)(void *arg, const struct llr_alert *al, const struct llr_event *ev,
                             const struct llr_access *a, const struct llr_user *u,
                             const struct llr_domain *d);

struct llr_detect;
struct llr_detect *llr_detect_new(const struct llr_alert_opts *o, llr_alert_cb cb, void *arg);
/* One selected denial: the alerts it makes, through the callback. */
void llr_detect_denial(struct llr_detect *t, const struct llr_event *ev, const struct llr_access *a,
                       const struct llr_user *u, const struct llr_domain *d);
/* Sessions tracked now, and forgotten so far (cap or idle). */
int llr_detect_tracked(const struct llr_detect *t);
uint64_t llr_detect_forgotten(const struct llr_detect *t);
void llr_detect_free(struct llr_detect *t);

/* Checkpoints: the tracked sessions, oldest activity first (key as bytes,
 * last denial, end of the quiet time after a burst, times of the window). */
typedef void (*llr_detect_visit)(void *arg, const char *key, size_t klen, int64_t last,
                                 int64_t quiet_until, const int64_t *times, int n);
void llr_detect_each(const struct llr_detect *t, llr_detect_visit fn, void *arg);
/* Track a session read back (the newest N times are kept). */
void llr_detect_restore(struct llr_detect *t, const char *key, size_t klen, int64_t last,
                        int64_t quiet_until, const int64_t *times, int n);

/* Does the glob match the path or one of its parent directories? */
int llr_detect_path_match(const char *pattern, const char *path);

#endif
