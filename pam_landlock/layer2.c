/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * layer2.c - the seccomp filter that closes what Landlock leaves open (see
 * layer2.h), built with libseccomp and exported as a BPF program so that the
 * process that enforces it only makes one system call.
 *
 * Every rule compares the 32 bits the kernel uses of an int argument (the
 * kernel truncates ioctl's cmd, socket's domain): a caller that sets the high
 * bits of a register cannot slip past a full 64-bit comparison.  The 32-bit
 * x86 and x32 system-call ABIs, which any x86_64 process can enter, get the
 * same rules; on x86, socketcall(2) carries socket()'s arguments in memory
 * where no filter can read them, so socketcall's socket, setsockopt,
 * sendto, sendmsg and sendmmsg are refused outright when unchecked_protocols
 * is on (32-bit programs then cannot create sockets: say so in explain).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <netinet/in.h>
#include <seccomp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "layer2.h"

#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef AT_EMPTY_PATH
#define AT_EMPTY_PATH 0x1000
#endif
#ifndef SOCK_DCCP
#define SOCK_DCCP 6
#endif
#ifndef SECCOMP_GET_ACTION_AVAIL
#define SECCOMP_GET_ACTION_AVAIL 2
#endif
#ifndef AF_SMC
#define AF_SMC 43
#endif
#ifndef TCP_ULP
#define TCP_ULP 31
#endif
#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif
/* socketcall(2)'s call numbers (linux/net.h) */
#define LL_SYS_SOCKET     1
#define LL_SYS_SENDTO     11
#define LL_SYS_SETSOCKOPT 14
#define LL_SYS_SENDMSG    16
#define LL_SYS_SENDMMSG   20

static const char *const part_names[LL_L2_NPARTS] = {
	"terminal_injection",
	"unchecked_protocols",
	"io_uring",
	"fd_exec",
};

const char *ll_l2_name(enum ll_l2_part p)
{
	return p < LL_L2_NPARTS ? part_names[p] : "?";
}

char *ll_l2_str(unsigned mask, const char *prefix, char *buf, size_t len)
{
	size_t off = 0;
	buf[0] = '\0';
	for (int p = 0; p < LL_L2_NPARTS; p++) {
		if (!(mask & LL_L2_BIT(p)))
			continue;
		int n = snprintf(buf + off, len - off, "%s%s%s", off ? "," : "", prefix,
		                 part_names[p]);
		if (n < 0 || (size_t)n >= len - off)
			break;
		off += (size_t)n;
	}
	if (!off)
		snprintf(buf, len, "none");
	return buf;
}

/* ---- what the system already does ---------------------------------------- */

static int read_sysctl(const char *path)
{
	char buf[32];
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	ssize_t n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	char *end;
	long v = strtol(buf, &end, 10);
	return end == buf ? -1 : (int)v;
}

/* A protocol is there to be used when it is built in or loaded (its sysctl
 * directory exists) or when its module is installed: socket() loads it. */
static bool available(const char *sysctl_dir, const char *module_dir)
{
	struct stat st;
	struct utsname u;
	char path[512];
	if (stat(sysctl_dir, &st) == 0)
		return true;
	if (uname(&u) < 0)
		return true; /* cannot tell: assume it is */
	snprintf(path, sizeof(path), "/lib/modules/%s/kernel/net/%s", u.release, module_dir);
	return stat(path, &st) == 0;
}

void ll_l2_probe(struct ll_l2_env *env, bool sysctls)
{
	/* What the kernel has does not change while it runs. */
	static int seccomp = -1, noexec_seal = -1;
	unsigned action = SECCOMP_RET_ERRNO;

	memset(env, 0, sizeof(*env));
	env->mptcp_enabled = env->legacy_tiocsti = env->io_uring_disabled = env->memfd_noexec = -1;
	env->tcp_fastopen = -1;
	/* Only a kernel that does not have seccomp, or too old to answer, is
	 * "no seccomp": any other error (EPERM from a filter of our caller)
	 * leaves the parts enforced, and their installation then fails. */
	if (seccomp < 0)
		seccomp = syscall(SYS_seccomp, SECCOMP_GET_ACTION_AVAIL, 0, &action) == 0 ||
		          (errno != ENOSYS && errno != EINVAL);
	if (noexec_seal < 0) {
		int fd = (int)syscall(SYS_memfd_create, "pam_landlock-probe",
		                      MFD_CLOEXEC | MFD_NOEXEC_SEAL);
		noexec_seal = fd >= 0;
		if (fd >= 0)
			close(fd);
	}
	env->seccomp = seccomp;
	env->noexec_seal = noexec_seal;
	if (!sysctls)
		return;
	env->mptcp_enabled = read_sysctl("/proc/sys/net/mptcp/enabled");
	env->sctp = available("/proc/sys/net/sctp", "sctp");
	env->smc = available("/proc/sys/net/smc", "smc");
	env->tcp_fastopen = read_sysctl("/proc/sys/net/ipv4/tcp_fastopen");
	env->legacy_tiocsti = read_sysctl("/proc/sys/dev/tty/legacy_tiocsti");
	env->io_uring_disabled = read_sysctl("/proc/sys/kernel/io_uring_disabled");
	env->memfd_noexec = read_sysctl("/proc/sys/vm/memfd_noexec");
}

static size_t say(char *buf, size_t len, size_t off, const char *what)
{
	int n = snprintf(buf + off, off < len ? len - off : 0, "%s%s", off ? "; " : "", what);
	return n < 0 ? off : off + (size_t)n;
}

unsigned ll_l2_closed_by_system(const struct ll_l2_env *env, unsigned mask, char *buf,
                                size_t len)
{
	unsigned closed = 0;
	size_t off = 0;
	if (len)
		buf[0] = '\0';
	if ((mask & LL_L2_BIT(LL_L2_TERMINAL_INJECTION)) && env->legacy_tiocsti == 0) {
		/* TIOCLINUX stays open: not the whole part. */
		off = say(buf, len, off,
		          "dev.tty.legacy_tiocsti=0: TIOCSTI needs CAP_SYS_ADMIN (TIOCLINUX does not)");
	}
	/* Fast Open from a client needs bit 1 of net.ipv4.tcp_fastopen. */
	if ((mask & LL_L2_BIT(LL_L2_UNCHECKED_PROTOCOLS)) && env->mptcp_enabled == 0 && !env->sctp &&
	    !env->smc && env->tcp_fastopen >= 0 && !(env->tcp_fastopen & 1)) {
		closed |= LL_L2_BIT(LL_L2_UNCHECKED_PROTOCOLS);
		off = say(buf, len, off,
		          "net.mptcp.enabled=0, no SCTP or SMC, and net.ipv4.tcp_fastopen without "
		          "client Fast Open: no unchecked way to a TCP port");
	}
	if ((mask & LL_L2_BIT(LL_L2_IO_URING)) && env->io_uring_disabled == 2) {
		closed |= LL_L2_BIT(LL_L2_IO_URING);
		off = say(buf, len, off, "kernel.io_uring_disabled=2: io_uring is off for everyone");
	}
	/* At 1, only memfds created without a flag are sealed: MFD_EXEC still
	 * gives an executable one. */
	if ((mask & LL_L2_BIT(LL_L2_FD_EXEC)) && env->memfd_noexec == 2) {
		closed |= LL_L2_BIT(LL_L2_FD_EXEC);
		off = say(buf, len, off, "vm.memfd_noexec=2: no memfd can be executable");
	}
	return closed;
}

unsigned ll_l2_unsupported(const struct ll_l2_env *env, unsigned want)
{
	if (!env->seccomp)
		return want;
	/* Without MFD_NOEXEC_SEAL every memfd can be executed through
	 * /proc/self/fd, which no filter can tell from a real path. */
	if (!env->noexec_seal)
		return want & LL_L2_BIT(LL_L2_FD_EXEC);
	return 0;
}

/* ---- the filter -------------------------------------------------------------- */

#define LOW32 0xffffffffULL

static int rule(scmp_filter_ctx ctx, int err, const char *sys, unsigned n,
                const struct scmp_arg_cmp *cmp)
{
	int nr = seccomp_syscall_resolve_name(sys);
	if (nr == __NR_SCMP_ERROR)
		return -ENOSYS;
	int rc = seccomp_rule_add_array(ctx, SCMP_ACT_ERRNO((unsigned)err), nr, n, cmp);
	/* On x86, libseccomp also writes each socket() rule for socketcall(2),
	 * where it is covered by the blanket socketcall rule already. */
	return rc == -EEXIST ? 0 : rc;
}

static int add_terminal_injection(scmp_filter_ctx ctx)
{
	static const unsigned long cmds[] = { TIOCSTI, TIOCLINUX };
	for (size_t i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		struct scmp_arg_cmp c[] = { SCMP_A1(SCMP_CMP_MASKED_EQ, LOW32, cmds[i]) };
		int rc = rule(ctx, EPERM, "ioctl", 1, c);
		if (rc < 0)
			return rc;
	}
	return 0;
}

/* TCP Fast Open: sendto, sendmsg or sendmmsg with MSG_FASTOPEN on a TCP
 * socket that is not connected makes the connection itself, without
 * connect(2), and Landlock checks nothing on that path (landlock-lsm/linux
 * issue 41): any port is reached.  EOPNOTSUPP, what the kernel answers when
 * Fast Open is off (net.ipv4.tcp_fastopen), so that clients send normally.
 * socketcall(2) hides the flags, so its three send calls are refused. */
static int add_fastopen(scmp_filter_ctx ctx)
{
	static const struct {
		const char *sys;
		unsigned flags_arg;
		int call;
	} sends[] = {
		{ "sendto", 3, LL_SYS_SENDTO },
		{ "sendmsg", 2, LL_SYS_SENDMSG },
		{ "sendmmsg", 3, LL_SYS_SENDMMSG },
	};
	int rc = 0;
	/* First, as for socket(): libseccomp also writes each rule below for
	 * socketcall(2), with comparisons that mean nothing there. */
	for (size_t i = 0; i < 3 && rc == 0 && seccomp_arch_exist(ctx, SCMP_ARCH_X86) == 0; i++) {
		struct scmp_arg_cmp c[] = { SCMP_A0(SCMP_CMP_EQ, (unsigned)sends[i].call) };
		rc = rule(ctx, EOPNOTSUPP, "socketcall", 1, c);
	}
	for (size_t i = 0; i < 3 && rc == 0; i++) {
		struct scmp_arg_cmp c[] = { { sends[i].flags_arg, SCMP_CMP_MASKED_EQ, MSG_FASTOPEN,
			                      MSG_FASTOPEN } };
		rc = rule(ctx, EOPNOTSUPP, sends[i].sys, 1, c);
	}
	return rc;
}

/* SMC (net/smc, a module that socket(AF_SMC) loads on demand) connects and
 * listens through an internal TCP socket that no hook checks, and falls
 * back to plain TCP with ordinary peers; Landlock's TCP rules do not apply
 * to it (its erratum 1).  It is reached by socket(AF_SMC), by AF_INET with
 * IPPROTO_SMC (above TCP, refused with the others), and by turning a TCP
 * socket into one with setsockopt(TCP_ULP, "smc").  The name of the upper
 * layer is behind a pointer: every TCP_ULP is refused (ENOPROTOOPT), kernel
 * TLS included, which its users (OpenSSL) do without.  socketcall(2) hides
 * setsockopt's arguments: its SETSOCKOPT call is refused. */
static int add_smc(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp smc[] = { SCMP_A0(SCMP_CMP_MASKED_EQ, LOW32, AF_SMC) };
	struct scmp_arg_cmp ulp[] = { SCMP_A1(SCMP_CMP_MASKED_EQ, LOW32, IPPROTO_TCP),
		                      SCMP_A2(SCMP_CMP_MASKED_EQ, LOW32, TCP_ULP) };
	int rc = 0;
	if (seccomp_arch_exist(ctx, SCMP_ARCH_X86) == 0) {
		struct scmp_arg_cmp c[] = { SCMP_A0(SCMP_CMP_EQ, LL_SYS_SETSOCKOPT) };
		rc = rule(ctx, ENOPROTOOPT, "socketcall", 1, c);
	}
	if (rc == 0)
		rc = rule(ctx, EPROTONOSUPPORT, "socket", 1, smc);
	return rc ? rc : rule(ctx, ENOPROTOOPT, "setsockopt", 2, ulp);
}

/* socket(AF_INET|AF_INET6, type, protocol) for anything the TCP rules do not
 * check: a stream socket whose protocol is neither 0 nor TCP, and every
 * seqpacket (SCTP) or DCCP socket.  EPROTONOSUPPORT, so that programs that
 * try MPTCP first (Go's listeners, curl --mptcp) fall back to TCP. */
static int add_unchecked_protocols(scmp_filter_ctx ctx)
{
	static const int domains[] = { AF_INET, AF_INET6 };
	int rc = 0;
	/* x86's multiplexer: the arguments are out of reach.  First, and with
	 * the same errno, so that libseccomp folds the socket() rules that it
	 * also writes for socketcall(2) into this one. */
	if (seccomp_arch_exist(ctx, SCMP_ARCH_X86) == 0) {
		struct scmp_arg_cmp c[] = { SCMP_A0(SCMP_CMP_EQ, LL_SYS_SOCKET) };
		rc = rule(ctx, EPROTONOSUPPORT, "socketcall", 1, c);
	}
	for (size_t d = 0; d < 2 && rc == 0; d++) {
		struct scmp_arg_cmp dom = SCMP_A0(SCMP_CMP_MASKED_EQ, LOW32, (unsigned)domains[d]);
		struct scmp_arg_cmp stream = SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf, SOCK_STREAM);
		struct scmp_arg_cmp above_tcp[] = { dom, stream, SCMP_A2(SCMP_CMP_GT, IPPROTO_TCP) };
		rc = rule(ctx, EPROTONOSUPPORT, "socket", 3, above_tcp);
		for (unsigned p = 1; p < IPPROTO_TCP && rc == 0; p++) {
			struct scmp_arg_cmp below_tcp[] = { dom, stream, SCMP_A2(SCMP_CMP_EQ, p) };
			rc = rule(ctx, EPROTONOSUPPORT, "socket", 3, below_tcp);
		}
		static const int other_types[] = { SOCK_SEQPACKET, SOCK_DCCP };
		for (size_t t = 0; t < 2 && rc == 0; t++) {
			struct scmp_arg_cmp c[] = { dom, SCMP_A1(SCMP_CMP_MASKED_EQ, 0xf,
				                                 (unsigned)other_types[t]) };
			rc = rule(ctx, EPROTONOSUPPORT, "socket", 2, c);
		}
	}
	if (rc == 0)
		rc = add_smc(ctx);
	return rc ? rc : add_fastopen(ctx);
}

static int add_io_uring(scmp_filter_ctx ctx)
{
	static const char *const calls[] = { "io_uring_setup", "io_uring_enter",
		                             "io_uring_register" };
	for (size_t i = 0; i < 3; i++) {
		int rc = rule(ctx, EPERM, calls[i], 0, NULL);
		if (rc < 0)
			return rc;
	}
	return 0;
}

static int add_fd_exec(scmp_filter_ctx ctx)
{
	struct scmp_arg_cmp exec[] = { SCMP_A1(SCMP_CMP_MASKED_EQ, MFD_EXEC, MFD_EXEC) };
	struct scmp_arg_cmp noseal[] = { SCMP_A1(SCMP_CMP_MASKED_EQ, MFD_NOEXEC_SEAL, 0) };
	struct scmp_arg_cmp empty[] = { SCMP_A4(SCMP_CMP_MASKED_EQ, AT_EMPTY_PATH, AT_EMPTY_PATH) };
	int rc = rule(ctx, EACCES, "memfd_create", 1, exec);
	if (rc == 0)
		rc = rule(ctx, EACCES, "memfd_create", 1, noseal);
	if (rc == 0)
		rc = rule(ctx, EACCES, "execveat", 1, empty);
	return rc;
}

static int add_arches(scmp_filter_ctx ctx)
{
	int rc = 0;
	if (seccomp_arch_native() == SCMP_ARCH_X86_64) {
		rc = seccomp_arch_add(ctx, SCMP_ARCH_X86);
		if (rc == 0 || rc == -EEXIST)
			rc = seccomp_arch_add(ctx, SCMP_ARCH_X32);
	} else if (seccomp_arch_native() == SCMP_ARCH_AARCH64) {
		rc = seccomp_arch_add(ctx, SCMP_ARCH_ARM);
	}
	return rc == -EEXIST ? 0 : rc;
}

/* The exported program, read back from a memory file. */
static int export(scmp_filter_ctx ctx, struct ll_l2_filter *out)
{
	int fd = (int)syscall(SYS_memfd_create, "pam_landlock-bpf", MFD_CLOEXEC);
	if (fd < 0)
		return -errno;
	int rc = seccomp_export_bpf(ctx, fd);
	off_t size = rc == 0 ? lseek(fd, 0, SEEK_END) : -1;
	if (rc == 0 && (size <= 0 || size % (off_t)sizeof(struct sock_filter) != 0 ||
	                size / (off_t)sizeof(struct sock_filter) > BPF_MAXINSNS))
		rc = -EINVAL;
	if (rc == 0 && !(out->insns = malloc((size_t)size)))
		rc = -ENOMEM;
	if (rc == 0 && pread(fd, out->insns, (size_t)size, 0) != size)
		rc = -EIO;
	close(fd);
	if (rc < 0) {
		free(out->insns);
		out->insns = NULL;
		return rc;
	}
	out->len = (unsigned short)(size / (off_t)sizeof(struct sock_filter));
	return 0;
}

int ll_l2_build(unsigned mask, struct ll_l2_filter *out, struct ll_diag *diag)
{
	static int (*const adders[LL_L2_NPARTS])(scmp_filter_ctx) = {
		add_terminal_injection, add_unchecked_protocols, add_io_uring, add_fd_exec
	};
	const char *step = "seccomp_init";
	int rc = -ENOMEM;

	memset(out, 0, sizeof(*out));
	if (!mask)
		return 0;
	scmp_filter_ctx ctx = seccomp_init(SCMP_ACT_ALLOW);
	if (ctx) {
		step = "seccomp_arch_add";
		rc = add_arches(ctx);
	}
	for (int p = 0; p < LL_L2_NPARTS && rc == 0; p++) {
		if (mask & LL_L2_BIT(p)) {
			step = part_names[p];
			rc = adders[p](ctx);
		}
	}
	if (rc == 0) {
		step = "seccomp_export_bpf";
		rc = export(ctx, out);
	}
	seccomp_release(ctx);
	if (rc < 0) {
		ll_diag_set(diag, NULL, 0,
		            "check that libseccomp knows this kernel's system calls; or turn the "
		            "part off in the profile",
		            "cannot build the second-layer seccomp filter (%s): %s", step,
		            strerror(-rc));
		return -1;
	}
	return 0;
}

void ll_l2_free(struct ll_l2_filter *f)
{
	free(f->insns);
	f->insns = NULL;
	f->len = 0;
}

int ll_l2_apply(const struct ll_l2_filter *f, bool all_threads)
{
	if (!f->len)
		return 0;
	struct sock_fprog prog = { .len = f->len, .filter = f->insns };
	long rc = syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER,
	                  all_threads ? SECCOMP_FILTER_FLAG_TSYNC : 0, &prog);
	if (rc < 0)
		return -errno;
	/* With TSYNC a positive result names a thread that could not follow. */
	return rc == 0 ? 0 : -ESRCH;
}
