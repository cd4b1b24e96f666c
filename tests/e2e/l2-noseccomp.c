/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2-noseccomp.c - runs a program where no seccomp filter can be installed,
 * to show that a session whose second layer cannot be enforced gets
 * nothing (or, where seccomp is missing altogether, that this is a dropped
 * restriction).  It installs a filter of its own, inherited by the program
 * and everything it starts, that makes
 *
 *   EINVAL, EPERM  seccomp(SECCOMP_SET_MODE_FILTER, ...) fail with that
 *                  errno; every other seccomp(2) operation, such as
 *                  SECCOMP_GET_ACTION_AVAIL, still works (the kernel has
 *                  seccomp, installing fails: a refusal);
 *   ENOSYS         every seccomp(2) call fail with ENOSYS (a kernel without
 *                  seccomp: the second layer is dropped);
 *
 * then execs PROGRAM.  prctl(PR_SET_SECCOMP) is left alone (sshd's own
 * pre-authentication sandbox uses it).  Run as root (CAP_SYS_ADMIN): no
 * no_new_privs, so setuid programs keep working.
 *
 *   l2-noseccomp EINVAL|EPERM|ENOSYS PROGRAM [ARGS...]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LD(field) BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, field))
#define RET(v)    BPF_STMT(BPF_RET | BPF_K, (v))

int main(int argc, char **argv)
{
	int err = 0;
	if (argc >= 3)
		err = strcmp(argv[1], "EINVAL") == 0   ? EINVAL
		      : strcmp(argv[1], "EPERM") == 0  ? EPERM
		      : strcmp(argv[1], "ENOSYS") == 0 ? ENOSYS
		                                       : 0;
	if (!err) {
		fprintf(stderr, "usage: l2-noseccomp EINVAL|EPERM|ENOSYS PROGRAM [ARGS...]\n");
		return 2;
	}
	/* x86_64 seccomp(2): with ENOSYS always, else only for operation 1
	 * (SECCOMP_SET_MODE_FILTER); every other call and ABI is allowed. */
	struct sock_filter insns[] = {
	    LD(arch),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
	    RET(SECCOMP_RET_ALLOW),
	    LD(nr),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_seccomp, 1, 0),
	    RET(SECCOMP_RET_ALLOW),
	    LD(args[0]),
	    BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SECCOMP_SET_MODE_FILTER, 1, 0),
	    RET(err == ENOSYS ? SECCOMP_RET_ERRNO | ENOSYS : SECCOMP_RET_ALLOW),
	    RET(SECCOMP_RET_ERRNO | (unsigned)err),
	};
	struct sock_fprog prog = {.len = sizeof(insns) / sizeof(insns[0]), .filter = insns};
	if (syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &prog) < 0) {
		perror("l2-noseccomp: seccomp");
		return 1;
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "l2-noseccomp: cannot run %s: %s\n", argv[2], strerror(errno));
	return 127;
}
