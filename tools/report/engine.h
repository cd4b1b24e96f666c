/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * engine.h - a record parser ("engine"): the built-in one (record.c) or
 * libauparse (engine_auparse.c).  An engine reads one line: its header
 * (node, type, time, serial) and, on request, the values of its fields.
 * Everything after that - which fields mean what, the event they belong
 * to, when it is complete - is the one event model (decode.c, event.c)
 * that both engines and follow mode share, so the engines can only
 * differ in how they read a record, and a differential test holds them
 * equal.
 */
#ifndef LLR_ENGINE_H
#define LLR_ENGINE_H

#include "record.h"

#include <stddef.h>

enum llr_fmode {
	LLR_F_RAW,      /* as written, surrounding quotes removed */
	LLR_F_TEXT,     /* untrusted string: hex decoded when hex-encoded */
	LLR_F_ENRICHED, /* the ENRICHED interpretation (UID="alice"), or NULL */
};

struct llr_engine;

struct llr_engine_ops {
	const char *name;
	/* 0: an audit record (h filled); 1: blank; -1: not an audit record. */
	int (*header)(struct llr_engine *e, const char *line, size_t len, struct llr_hdr *h);
	/* Make this line's fields the current ones (after a header() of it). */
	void (*select)(struct llr_engine *e, const char *line, size_t len, const struct llr_hdr *h);
	/* Value of a field of the current record, malloc'd; NULL if absent. */
	char *(*get)(struct llr_engine *e, const char *name, enum llr_fmode mode);
	/* The same into buf (numbers): its length, -1 if absent or too long. */
	int (*get_buf)(struct llr_engine *e, const char *name, char *buf, size_t n);
	/* The syscall's name (ENRICHED SYSCALL=, else libaudit's table). */
	char *(*syscall_name)(struct llr_engine *e);
	/* PROCTITLE's proctitle= as bytes (NUL between arguments); *len set. */
	char *(*proctitle)(struct llr_engine *e, size_t *len);
	void (*destroy)(struct llr_engine *e);
};

struct llr_engine {
	const struct llr_engine_ops *ops;
};

struct llr_engine *llr_engine_fast(void);
/* NULL (message printed) if libauparse cannot be initialized. */
struct llr_engine *llr_engine_auparse(void);
void llr_engine_free(struct llr_engine *e);

/*
 * Fields whose value may be hex-encoded (the kernel's untrusted strings,
 * libaudit's audit_encode_nv_string): path, name, comm, exe, ocomm, cwd,
 * acct, reason, hostname, terminal, match.  Both engines decode exactly
 * these, so they decode the same way.
 */
int llr_field_encodable(const char *name);
/* Syscall name as auparse prints it (unknown-syscall(N) if none). */
char *llr_syscall_lookup(const char *arch_hex, int syscall);

#endif
