/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2-attack.h - what the parts of the second-layer attack probe share (see
 * l2-attack.c): the options, the result of one attempt, the i386 system-call
 * gate and memory below 4 GiB for its pointers.
 */
#ifndef L2_ATTACK_H
#define L2_ATTACK_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

/* One attempt: 0 worked, an errno, or SKIP; STEP names the call that
 * failed when the attempt has several. */
#define SKIP (-1)
struct res {
	int err;
	const char *step;
};
#define RES(e, s) ((struct res){(e), (s)})
#define OK        RES(0, NULL)

struct opts {
	long allowed_port;    /* a listener outside, on a port the profile allows */
	long denied_port;     /* a listener outside, on a port it denies */
	long listen_port;     /* a free port the profile does not let us bind */
	const char *tmp_prog; /* a program in a place without execute */
	const char *wdir;     /* a writable place without execute */
	const char *elf;      /* a program to copy into memory files */
	int tty_fd;           /* a terminal fd inherited from outside */
};
extern struct opts o;

/* Listening sockets that an attempt managed to open: kept for --hold. */
void keep_listener(int fd, const char *what);

/* After a connect: 0 when the listener's greeting (a line with "hello")
 * arrives, else why not (step "read"). */
struct res greeted(int fd);

/* i386 system calls from this 64-bit process (int $0x80); returns the
 * kernel's value (-errno on failure).  Pointers must be below 4 GiB. */
long i386_call(long nr, long a, long b, long c, long d, long e, long f);
/* A zeroed page below 4 GiB (MAP_32BIT); NULL if there is none. */
void *low_page(void);
/* -ret as an errno when RET is an error, else 0. */
int i386_err(long ret);

/* The attempts, by group (l2-attack-net.c, l2-attack-sys.c): FN runs one
 * with the parameters A..D of its row. */
struct op {
	const char *name;
	struct res (*fn)(const struct op *);
	long a, b, c, d;
};
extern const struct op net_ops[], sys_ops[];
extern const size_t n_net_ops, n_sys_ops;

/* Garbage in the upper half of a 64-bit register that carries an int. */
#define HI(x) ((long)((0xdeadbeefUL << 32) | (unsigned long)(unsigned)(x)))

#endif
