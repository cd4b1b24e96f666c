/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * layer2.h - the second layer: a seccomp filter installed together with the
 * Landlock domain, in the same process and at the same moment, for what
 * Landlock does not see.
 *
 * Parts (each a profile setting, on by default; names as in logs):
 *   terminal_injection   ioctl TIOCSTI and TIOCLINUX: a confined process on
 *                        a terminal inherited from outside the session could
 *                        type into it (Landlock's ioctl_dev only covers files
 *                        opened inside the domain).
 *   unchecked_protocols  the ways to a TCP port that the TCP rules do not
 *                        check: AF_INET/AF_INET6 sockets of a stream or
 *                        seqpacket protocol other than TCP (MPTCP, SCTP,
 *                        DCCP, SMC), AF_SMC and setsockopt(TCP_ULP), and TCP
 *                        Fast Open (a send with MSG_FASTOPEN connects without
 *                        connect()).  Only when the profile restricts TCP.
 *   io_uring             io_uring_setup/enter/register: io_uring's socket
 *                        operation creates sockets past a socket() filter.
 *   fd_exec              executing a program image that is not a file on a
 *                        path: memfd_create() without MFD_NOEXEC_SEAL (or
 *                        with MFD_EXEC), execveat(AT_EMPTY_PATH).  Only when
 *                        no rule lets the session write and execute the same
 *                        place (otherwise it can run its own programs anyway).
 *
 * The program is built with libseccomp in the opener (ll_l2_build) and
 * installed with one system call (ll_l2_apply, async-signal-safe).
 */
#ifndef LL_LAYER2_H
#define LL_LAYER2_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

enum ll_l2_part {
	LL_L2_TERMINAL_INJECTION = 0,
	LL_L2_UNCHECKED_PROTOCOLS,
	LL_L2_IO_URING,
	LL_L2_FD_EXEC,
	LL_L2_NPARTS
};
#define LL_L2_BIT(p) (1U << (p))
#define LL_L2_ALL ((1U << LL_L2_NPARTS) - 1)
#define LL_L2_NMASKS (LL_L2_ALL + 1) /* every combination of parts */
/* Bump when the filter's rules change: compiled forms of policies hold the
 * programs, and one made with other rules is not used. */
#define LL_L2_RULES_VERSION 1

/* "terminal_injection", ... */
const char *ll_l2_name(enum ll_l2_part p);
/* Comma-separated names of the parts in MASK, each prefixed with PREFIX
 * (may be ""); "none" when MASK is 0.  Returns BUF. */
char *ll_l2_str(unsigned mask, const char *prefix, char *buf, size_t len);

/* What the system does about each gap (sysctls; -1 when unreadable). */
struct ll_l2_env {
	bool seccomp;          /* the kernel has seccomp filters */
	bool noexec_seal;      /* the kernel knows MFD_NOEXEC_SEAL (6.3) */
	int mptcp_enabled;     /* net.mptcp.enabled */
	bool sctp, smc;        /* built in, loaded or installed as a module (false: not read) */
	int tcp_fastopen;      /* net.ipv4.tcp_fastopen, bit 1: clients (-1: not read) */
	int legacy_tiocsti;    /* dev.tty.legacy_tiocsti */
	int io_uring_disabled; /* kernel.io_uring_disabled */
	int memfd_noexec;      /* vm.memfd_noexec */
};
/* The kernel's support (seccomp filters, MFD_NOEXEC_SEAL), and with SYSCTLS
 * the sysctls too (for explain; the module does not need them). */
void ll_l2_probe(struct ll_l2_env *env, bool sysctls);
/* Parts in MASK that the system already closes (for everyone but
 * privileged processes), and a sentence saying how, in BUF. */
unsigned ll_l2_closed_by_system(const struct ll_l2_env *env, unsigned mask, char *buf,
                                size_t len);
/* Parts of WANT this kernel cannot enforce (dropped). */
unsigned ll_l2_unsupported(const struct ll_l2_env *env, unsigned want);

/* A classic BPF program, ready for seccomp(SECCOMP_SET_MODE_FILTER). */
struct ll_l2_filter {
	void *insns;        /* struct sock_filter[len] */
	unsigned short len; /* 0: no filter */
};

/* Builds the filter for the parts in MASK.  Returns 0, or -1 with DIAG. */
int ll_l2_build(unsigned mask, struct ll_l2_filter *out, struct ll_diag *diag);
void ll_l2_free(struct ll_l2_filter *f);

/* Async-signal-safe: installs F on the calling thread (all threads of the
 * process with ALL_THREADS).  No filter: 0.  Returns 0 or -errno. */
int ll_l2_apply(const struct ll_l2_filter *f, bool all_threads);

#endif /* LL_LAYER2_H */
