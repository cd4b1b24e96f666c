/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * openers.h - what the module knows about the process that opens a session.
 *
 * One table (openers.c) says, per opener executable, how the module treats
 * it: a known supervisor that forks the session (confine=children), an
 * application whose sessions no PAM module can confine (refused), or an
 * application verified to work with the default (confine=opener).  The
 * module decides with it (pam_landlock.c), "landlockctl stacks" reports
 * with it: there is one copy.  Every entry names the end-to-end test that
 * verifies it; an application is added only together with such a test.
 */
#ifndef LL_OPENERS_H
#define LL_OPENERS_H

#include <stddef.h>

enum ll_opener_mode {
	LL_OPENER_OPENER,   /* the opener confines itself (the default) */
	LL_OPENER_CHILDREN, /* a supervisor: what it forks is confined */
	LL_OPENER_REFUSED,  /* cannot be confined by a PAM module: refused */
};

struct ll_opener {
	const char *exe; /* /proc/self/exe of the opener */
	enum ll_opener_mode mode;
	const char *app;      /* "OpenSSH sshd 9.2p1" */
	const char *services; /* Debian's PAM service names, space-separated */
	const char *role;     /* which process of the application opens */
	const char *after;    /* what that process does once the session is open */
	const char *test;     /* the end-to-end test that verifies the entry */
	const char *hint;     /* refused: what the administrator should change */
};

extern const struct ll_opener ll_openers[];
extern const size_t ll_nopeners;

/* The entry for executable EXE, or NULL. */
const struct ll_opener *ll_opener_by_exe(const char *exe);
/* The entry whose services list SERVICE, or NULL. */
const struct ll_opener *ll_opener_by_service(const char *service);
/* "children", "opener" or "refused". */
const char *ll_opener_mode_name(enum ll_opener_mode m);

/* The calling process's executable into BUF (" (deleted)" stripped: an
 * upgraded binary is still itself), only when the file is owned by root
 * and not writable by group or others; else returns -1. */
int ll_opener_self(char *buf, size_t len);

#endif /* LL_OPENERS_H */
