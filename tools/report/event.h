/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event.h - the event model shared by both engines and follow mode.
 *
 * An audit event is identified by node, time and serial, as in
 * [node=N] msg=audit(TIME:SERIAL).  The records that matter are decoded
 * into one struct llr_event (decode.c): Landlock's 1423 (one per denial)
 * and 1424 (domain allocated, or deallocated with the kernel's count), the
 * SYSCALL record (who: auid, uid, ses, pid, exe; joined whether it comes
 * before or after the Landlock records), PROCTITLE (the command line), and
 * pam_landlock's TRUSTED_APP records (op=pam_landlock-enforce, -refused,
 * -try), unknown fields ignored.
 *
 * The assembler keeps pending events in first-seen order and completes the
 * oldest when it is safe (event.c):
 *  - its node's clock (the newest record time seen from that node, so two
 *    nodes' clocks never meet) has passed the event's time by
 *    LLR_HOLD_MS, and LLR_MIN_LINES lines came since its last record;
 *  - or, outside checkpoint runs, LLR_MAX_LINES lines came since then;
 *  - in follow mode, LLR_FOLLOW_IDLE_MS of wall time passed since its last
 *    record arrived (arrival time: records far older than the clock, or a
 *    node whose clock is skewed, are fine);
 *  - at the end of the input;
 *  - or when LLR_PENDING_MAX events are pending (counted as forced).
 * In checkpoint runs an event is passed on only if its time is after the
 * node's saved frontier and at most the new one (the node's newest time
 * minus LLR_HOLD_MS): the last seconds of each node are held back and
 * read again by the next run, so an event cut by the end of the input, or
 * whose records auditd wrote out of order, is counted once, whole.
 */
#ifndef LLR_EVENT_H
#define LLR_EVENT_H

#include "engine.h"
#include "record.h"
#include "vocab.h"

#include <stddef.h>
#include <stdint.h>

#define LLR_HOLD_MS        3000
#define LLR_MIN_LINES      2000
#define LLR_MAX_LINES      100000
#define LLR_FOLLOW_IDLE_MS 3000
#define LLR_PENDING_MAX    65536
#define LLR_SC_RING        64

#define LLR_UID_UNSET 0xffffffffU

struct llr_access {
	uint64_t domain;
	uint64_t blockers;
	enum llr_objkind kind;
	char *object; /* what is shown: path, name, "path ioctlcmd=...", addr:port... */
	char *path;   /* fs path (PATH, IOCTL), dentry name, @abstract name, or NULL */
	char *addr;   /* bind/connect address, NULL when the kernel left it out (any) */
	uint32_t port;
	int64_t opid;
};

struct llr_alloc {
	uint64_t domain;
	int64_t pid;
	uint32_t uid;
	char *exe, *comm, *mode, *uid_name;
};

struct llr_dealloc {
	uint64_t domain;
	uint64_t denials;
};

struct llr_syscall {
	int present;
	int64_t pid, ppid, exit_code;
	int has_exit;
	uint32_t uid, auid, euid, ses; /* LLR_UID_UNSET when unset or absent */
	int64_t syscall;               /* -1 when absent */
	char *sysname;                 /* name (ENRICHED SYSCALL=, else libaudit) */
	char *comm, *exe;
	char *uid_name, *auid_name; /* ENRICHED UID=, AUID= */
};

struct llr_proctitle {
	char *args; /* arguments, NUL-separated */
	size_t len;
	char *cmdline; /* arguments joined by spaces */
};

enum llr_pamkind {
	LLR_PAM_NONE = 0,
	LLR_PAM_ENFORCE, /* op=pam_landlock-enforce: a confined session */
	LLR_PAM_REFUSED, /* op=pam_landlock-refused */
	LLR_PAM_TRY,     /* op=pam_landlock-try: landlockctl run (res=failed: refused) */
};

struct llr_pam {
	enum llr_pamkind kind;
	int failed; /* res=failed */
	int64_t pid;
	uint32_t uid, auid, ses;
	char *acct, *service, *profile, *match, *hostname, *addr, *terminal, *exe;
	char *enforcement, *reason, *digest, *confine, *auid_name, *dropped;
	int64_t abi; /* -1 when absent */
};

struct llr_event {
	const char *node; /* interned by the assembler; "" when no node= */
	uint64_t serial;
	int64_t sec;
	unsigned ms;
	struct llr_access *acc;
	int nacc, capacc;
	struct llr_alloc *alloc;
	int nalloc;
	struct llr_dealloc *dealloc;
	int ndealloc;
	struct llr_syscall sc;
	struct llr_proctitle pt;
	struct llr_pam pam;
	int nrecords; /* records decoded into it */
};

static inline int64_t llr_ev_time(const struct llr_event *ev)
{
	return ev->sec * 1000 + (int64_t)ev->ms;
}

/* decode.c: one record of the engine's current line into ev. */
void llr_decode_record(struct llr_engine *e, const struct llr_hdr *h, struct llr_event *ev);
/* Is the engine's current TRUSTED_APP record pam_landlock's? */
int llr_decode_is_pam(struct llr_engine *e, const struct llr_hdr *h);
void llr_event_init(struct llr_event *ev);
void llr_event_clear(struct llr_event *ev);
/* Free the strings of a pam_landlock record; make its strings copies. */
void llr_pam_clear(struct llr_pam *p);
void llr_pam_dup(struct llr_pam *p);

struct llr_stats {
	uint64_t lines, records, blank, malformed, long_lines;
	uint64_t access_records, domain_records, syscall_joined, pam_records;
	uint64_t events, aged, forced, late; /* completion; records after completion */
	uint64_t skipped_checkpoint, held_back;
	int64_t first, last; /* ms of the oldest and newest record */
	uint64_t first_malformed_line, first_late_line;
	uint64_t time_back; /* times a node's records went back over LLR_HOLD_MS... */
	uint64_t first_time_back_line;
};

typedef void (*llr_event_cb)(void *arg, struct llr_event *ev);

struct llr_asm;
/* The assembler reads lines through engine e (not owned). */
struct llr_asm *llr_asm_new(struct llr_engine *e, llr_event_cb cb, void *arg);
/* Checkpoint mode: hold back the last LLR_HOLD_MS of each node. */
void llr_asm_set_checkpoint(struct llr_asm *a, int on);
/* Follow mode: complete events LLR_FOLLOW_IDLE_MS after their last record. */
void llr_asm_set_follow(struct llr_asm *a, int on);
/* One line without its '\n'. */
void llr_asm_line(struct llr_asm *a, const char *line, size_t len);
/* The complete lines of buf (each ending in '\n'); returns the bytes used. */
size_t llr_asm_block(struct llr_asm *a, const char *buf, size_t len);
/* Lines whose headers were parsed ahead by llr_parse_header. */
void llr_asm_parsed(struct llr_asm *a, const struct llr_line *v, size_t n);
/* The lines given so far are about to go away (the reader reuses its
 * buffer): copy what is still needed of them. */
void llr_asm_release(struct llr_asm *a);
/* Follow mode: complete the events that went idle (monotonic ms). */
void llr_asm_tick(struct llr_asm *a, int64_t now_ms);
/* End of input: complete every pending event (checkpoint mode: hold back). */
void llr_asm_flush(struct llr_asm *a);
const struct llr_stats *llr_asm_stats(const struct llr_asm *a);
void llr_asm_free(struct llr_asm *a);

/* Per-node clocks and checkpoint frontiers (ms since the epoch). */
int llr_asm_nnodes(const struct llr_asm *a);
/* Node i: name, newest record time (has_newest), frontier after this run. */
const char *llr_asm_node(const struct llr_asm *a, int i, int64_t *newest, int *has_newest,
                         int64_t *frontier, int *has_frontier);
/* Load a node's frontier from a checkpoint: events up to it are skipped.
 * Node "*": every node without one of its own. */
void llr_asm_set_frontier(struct llr_asm *a, const char *node, int64_t frontier_ms);
int llr_asm_default_frontier(const struct llr_asm *a, int64_t *frontier_ms);
/* Intern a node name (the string lives as long as the assembler). */
const char *llr_asm_intern(struct llr_asm *a, const char *node, size_t len);

#endif
