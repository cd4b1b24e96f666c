/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sessions.h - pam_landlock's enforce and try records, kept to tie each
 * domain to the PAM session (or landlockctl trial) that created it: the
 * record of the same node and pid nearest before the domain's allocation
 * (pids are recycled).  A bounded table of the LLR_SESSIONS_MAX newest
 * records, saved in checkpoints so that a session opened before a
 * checkpoint still ties its later denials.
 */
#ifndef LLR_SESSIONS_H
#define LLR_SESSIONS_H

#include "event.h"

#include <stdint.h>

#define LLR_SESSIONS_MAX 16384

/* What a domain keeps of its session (strings owned, NULL when absent). */
struct llr_session {
	enum llr_pamkind kind; /* LLR_PAM_ENFORCE (a session) or LLR_PAM_TRY */
	char *node;
	int64_t pid, time; /* time in ms */
	char *acct, *service, *profile, *match, *hostname, *terminal, *enforcement;
	char *digest, *confine;
	int row; /* the --sessions view's row + 1 (agg.c), 0: none; not saved */
};

/* The string fields, for code that walks them (copy, free, checkpoint). */
#define LLR_SESSION_NSTR 10
char **llr_session_str(struct llr_session *s, int i);
const char *llr_session_cstr(const struct llr_session *s, int i);
const char *llr_session_str_name(int i);

/* A copy in one allocation (freed by llr_session_free only). */
struct llr_session *llr_session_dup(const struct llr_session *s);
void llr_session_free(struct llr_session *s);

struct llr_sessions;
struct llr_sessions *llr_sessions_new(void);
/* Keep the session of an enforce or try record; the kept copy. */
struct llr_session *llr_sessions_add_event(struct llr_sessions *t, const struct llr_event *ev);
/* Keep a session made by llr_session_dup (checkpoint restore); takes it. */
void llr_sessions_add(struct llr_sessions *t, struct llr_session *s);
/* The session record of node/pid nearest before (or at) time, or NULL. */
const struct llr_session *llr_sessions_find(const struct llr_sessions *t, const char *node,
                                            int64_t pid, int64_t time);
int llr_sessions_count(const struct llr_sessions *t);
/* The i-th kept session, oldest first. */
const struct llr_session *llr_sessions_get(const struct llr_sessions *t, int i);
void llr_sessions_free(struct llr_sessions *t);

/* A row of the --sessions view: one pam_landlock record (enforce, refused
 * or try), with the account's user and, once known, the domain tied to it. */
struct llr_sessrow {
	char *node;
	int64_t time; /* ms */
	uint64_t serial;
	struct llr_pam pam; /* its own copies of the strings */
	uint32_t uid;       /* LLR_UID_UNSET when unknown */
	char *uname;
	uint64_t domain;
	int has_domain;
};
struct llr_sessrow *llr_sessrow_new(const struct llr_event *ev, uint32_t uid, const char *uname);
void llr_sessrow_free(struct llr_sessrow *r);

#endif
