/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * vocab.h - the Landlock audit vocabulary: blocker names (as the kernel
 * prints them in blockers=, and as landlock.conf names rights) and object
 * kinds.  Blockers unknown to this build (newer kernels) are added at run
 * time up to LLR_MAX_BLOCKERS so they are still counted.
 */
#ifndef LLR_VOCAB_H
#define LLR_VOCAB_H

#include <stddef.h>
#include <stdint.h>

#define LLR_MAX_BLOCKERS 64

enum llr_bclass { LLR_BC_FS, LLR_BC_NET, LLR_BC_SCOPE, LLR_BC_OTHER };

enum llr_objkind {
	LLR_OBJ_NONE = 0,
	LLR_OBJ_PATH,    /* path= dev= ino= */
	LLR_OBJ_DENTRY,  /* name= dev= ino= */
	LLR_OBJ_IOCTL,   /* path= ... ioctlcmd= */
	LLR_OBJ_BIND,    /* saddr= src= */
	LLR_OBJ_CONNECT, /* daddr= dest= */
	LLR_OBJ_UNIX,    /* path= hex, abstract UNIX socket */
	LLR_OBJ_TASK,    /* opid= ocomm= (signal, ptrace) */
	LLR_OBJ_KINDS
};

/* Id of a blocker name, registering unknown ones; -1 if the table is full. */
int llr_blocker_id(const char *name, size_t len);
/* Id of a known name without registering it; -1 if unknown. */
int llr_blocker_find(const char *name);
const char *llr_blocker_name(int id);
enum llr_bclass llr_blocker_class(int id);
/* Right name without the "fs."/"net."/"scope." prefix. */
const char *llr_blocker_right(int id);
int llr_blocker_count(void);
/* Directory-only fs rights (they apply to the parent directory). */
int llr_blocker_is_dir_right(int id);

const char *llr_objkind_name(enum llr_objkind k);

/* Parse a blockers= list into a bitmask; unknown names registered. */
uint64_t llr_parse_blockers(const char *s, size_t len);

#endif
