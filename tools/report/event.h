/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * event.h - assembly of audit events that matter to Landlock reporting.
 *
 * Records are grouped by event id: node, time and serial, as in
 * msg=audit(TIME:SERIAL).  Only events holding a Landlock
 * record (1423/1424) are assembled; their SYSCALL record is joined whether it
 * comes before or after the Landlock records, and whether or not other
 * records are interleaved.  Pending events live in a bounded FIFO and are
 * completed when they age (no record for LLR_AGE_LINES lines), when the
 * FIFO is full, or at the end of the input.  pam_landlock's TRUSTED_APP
 * records are passed on at once as single-record events.
 */
#ifndef LLR_EVENT_H
#define LLR_EVENT_H

#include "record.h"
#include "vocab.h"

#include <stddef.h>
#include <stdint.h>

#define LLR_NODE_MAX    128
#define LLR_PENDING_MAX 1024
#define LLR_AGE_LINES   20000
#define LLR_SC_RING     64

#define LLR_UID_UNSET 0xffffffffU

struct llr_access {
	uint64_t domain;
	uint64_t blockers;
	enum llr_objkind kind;
	char *object; /* display/aggregation key */
	char *path;   /* fs path (PATH, IOCTL), dentry name, or NULL */
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
	uint32_t uid, auid, ses;
	int syscall;
	char comm[64], exe[256], sysname[32];
	char uid_name[64], auid_name[64]; /* ENRICHED UID=, AUID= */
};

struct llr_pam {
	int present;
	int refused;
	int64_t pid;
	uint32_t uid, auid, ses;
	char *acct, *service, *profile, *hostname, *addr, *terminal, *exe, *enforcement, *reason;
	char *auid_name;
};

struct llr_event {
	char node[LLR_NODE_MAX]; /* "" when no node= */
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
	struct llr_pam pam;
	int nrecords; /* Landlock records */
};

struct llr_stats {
	uint64_t lines, records, blank, malformed, long_lines;
	uint64_t access_records, domain_records, syscall_joined, pam_records;
	uint64_t events, aged, forced; /* completion reasons */
	int64_t first_sec, last_sec;
	unsigned first_ms, last_ms;
	uint64_t last_serial; /* of the latest record: the checkpoint */
	uint64_t first_malformed_line;
};

typedef void (*llr_event_cb)(void *arg, struct llr_event *ev);

struct llr_asm;
struct llr_asm *llr_asm_new(llr_event_cb cb, void *arg);
/* One line without its '\n'.  lineno is for error reports. */
void llr_asm_line(struct llr_asm *a, const char *line, size_t len);
/* Complete every pending event (end of input, or feed-mode ageing). */
void llr_asm_flush(struct llr_asm *a);
/* Complete pending events whose time is before sec (follow mode). */
void llr_asm_age_before(struct llr_asm *a, int64_t sec);
const struct llr_stats *llr_asm_stats(const struct llr_asm *a);
void llr_asm_free(struct llr_asm *a);

/* Exposed for tests and the fuzzer: parse one record into an event. */
void llr_event_add_record(struct llr_event *ev, const struct llr_hdr *h);
void llr_event_clear(struct llr_event *ev);

#endif
