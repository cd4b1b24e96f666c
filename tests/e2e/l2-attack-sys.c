/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * l2-attack-sys.c - the other attempts of l2-attack: typing into a terminal
 * (TIOCSTI, TIOCLINUX), io_uring (and its socket operation past a socket()
 * filter), running a program image that is not an executable file on a path
 * (memfd, execveat, O_TMPFILE, the dynamic loader), each also through the
 * i386 ABI where it has one.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <linux/io_uring.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <stdbool.h>
#include <unistd.h>

#include "l2-attack.h"

#ifndef MFD_CLOEXEC
#define MFD_CLOEXEC 0x0001U
#endif
#ifndef MFD_NOEXEC_SEAL
#define MFD_NOEXEC_SEAL 0x0008U
#endif
#ifndef MFD_EXEC
#define MFD_EXEC 0x0010U
#endif
#ifndef IPPROTO_MPTCP
#define IPPROTO_MPTCP 262
#endif
#define HI(x)          ((long)((0xdeadbeefUL << 32) | (unsigned long)(unsigned)(x)))
#define LDSO           "/lib64/ld-linux-x86-64.so.2"
#define TIOCL_PASTESEL 3

extern char **environ;

enum { I386_IOCTL = 54, I386_MEMFD_CREATE = 356, I386_EXECVEAT = 358, I386_IO_URING_SETUP = 425 };

/* ---- running a program ------------------------------------------------------- */

/* How a program is run (column B of the exec rows). */
enum { EXECVE, PROC_FD, FEXECVE, I386_FEXECVE };

/* In the child: execve(ARGV[0]), or execveat(FD, "", AT_EMPTY_PATH) on the
 * 64-bit or the i386 ABI. */
static void child_exec(char *const argv[], int fd, int how)
{
	if (how == EXECVE) {
		execve(argv[0], argv, environ);
	} else if (how == FEXECVE) {
		syscall(SYS_execveat, fd, "", argv, environ, AT_EMPTY_PATH);
	} else {
		unsigned char *page = low_page();
		if (!page) {
			errno = ENOMEM;
			return;
		}
		/* "" at 8, envp (empty) at 32, argv at 64: 32-bit pointers */
		uint32_t *av = (uint32_t *)(page + 64);
		strcpy((char *)page + 512, "l2-attack-i386");
		av[0] = (uint32_t)(uintptr_t)(page + 512);
		long rc =
		    i386_call(I386_EXECVEAT, fd, (long)(uintptr_t)(page + 8), (long)(uintptr_t)av,
		              (long)(uintptr_t)(page + 32), AT_EMPTY_PATH, 0);
		errno = i386_err(rc);
	}
}

/* ARGV run in a child; the exec's errno comes back through a pipe, and a
 * program that ran but failed gives ECHILD. */
static struct res run_argv(char *const argv[], int fd, int how)
{
	int p[2], err = 0, status;
	if (pipe2(p, O_CLOEXEC) < 0)
		return RES(errno, "pipe");
	fflush(stdout);
	pid_t pid = fork();
	if (pid < 0)
		return RES(errno, "fork");
	if (pid == 0) {
		close(p[0]);
		int devnull = open("/dev/null", O_RDWR);
		if (devnull >= 0) {
			dup2(devnull, 0);
			dup2(devnull, 1);
		}
		child_exec(argv, fd, how);
		err = errno;
		ssize_t w = write(p[1], &err, sizeof(err));
		(void)w;
		_exit(127);
	}
	close(p[1]);
	if (read(p[0], &err, sizeof(err)) != (ssize_t)sizeof(err))
		err = 0;
	close(p[0]);
	if (waitpid(pid, &status, 0) < 0)
		return RES(errno, "waitpid");
	if (err)
		return RES(err, "exec");
	return WIFEXITED(status) && WEXITSTATUS(status) == 0 ? OK : RES(ECHILD, "exec");
}

/* FD run by HOW: through /proc/self/fd/N (PROC_FD), or execveat; PATH for
 * EXECVE. */
static struct res run_fd(const char *path, int fd, int how)
{
	char arg0[4096];
	if (how == PROC_FD) {
		snprintf(arg0, sizeof(arg0), "/proc/self/fd/%d", fd);
		how = EXECVE;
	} else {
		snprintf(arg0, sizeof(arg0), "%s", path);
	}
	char *argv[] = {arg0, NULL};
	return run_argv(argv, fd, how);
}

/* Copies --elf into FD. */
static int fill(int fd)
{
	char buf[65536];
	int in = open(o.elf, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return errno;
	ssize_t n;
	int err = 0;
	while ((n = read(in, buf, sizeof(buf))) > 0)
		if (write(fd, buf, (size_t)n) != n) {
			err = errno ? errno : EIO;
			break;
		}
	if (n < 0)
		err = errno;
	close(in);
	return err;
}

/* ---- terminals ---------------------------------------------------------------- */

enum { STDIN = 0, INHERITED = -1, DEV_TTY = -2 };
#define TIOCL_PASTESEL 3

/* ioctl(FD, B) on A: stdin, --tty-fd, or /dev/tty opened here; TIOCSTI
 * pushes a space, TIOCLINUX asks to paste the console selection.  B may
 * carry garbage in its upper half. */
static struct res op_ioctl(const struct op *t)
{
	int fd = t->a == INHERITED ? o.tty_fd : (int)t->a;
	if (t->a == DEV_TTY) {
		fd = open("/dev/tty", O_RDWR | O_CLOEXEC | O_NOCTTY);
		if (fd < 0)
			return errno == ENXIO ? RES(SKIP, NULL) : RES(errno, "open");
	}
	if (fd < 0)
		return RES(SKIP, NULL);
	char c = (unsigned)t->b == TIOCSTI ? ' ' : TIOCL_PASTESEL;
	int rc = (int)syscall(SYS_ioctl, fd, t->b, &c), e = errno;
	if (t->a == DEV_TTY)
		close(fd);
	return rc < 0 ? RES(e, "ioctl") : OK;
}

/* The i386 ioctl(0, A) */
static struct res op_i386_ioctl(const struct op *t)
{
	char *page = low_page();
	if (!page)
		return RES(ENOMEM, "mmap");
	page[0] = t->a == TIOCSTI ? ' ' : TIOCL_PASTESEL;
	long rc = i386_call(I386_IOCTL, 0, t->a, (long)(uintptr_t)page, 0, 0, 0);
	return i386_err(rc) ? RES(i386_err(rc), "ioctl") : OK;
}

/* ---- io_uring ----------------------------------------------------------------- */

/* io_uring_setup (A: 0) or the i386 one (A: 1) */
static struct res op_uring_setup(const struct op *t)
{
	struct io_uring_params p;
	memset(&p, 0, sizeof(p));
	long fd;
	if (t->a) {
		unsigned char *page = low_page();
		if (!page)
			return RES(ENOMEM, "mmap");
		fd = i386_call(I386_IO_URING_SETUP, 4, (long)(uintptr_t)page, 0, 0, 0, 0);
		errno = i386_err(fd);
		fd = errno ? -1 : fd;
	} else {
		fd = syscall(__NR_io_uring_setup, 4, &p);
	}
	if (fd < 0)
		return RES(errno, "io_uring_setup");
	close((int)fd);
	return OK;
}

/* io_uring_enter (A: 0) or io_uring_register (A: 1) on no ring at all */
static struct res op_uring_badfd(const struct op *t)
{
	long rc = t->a ? syscall(__NR_io_uring_register, -1, 0, NULL, 0)
	               : syscall(__NR_io_uring_enter, -1, 0, 0, 0, NULL, 0);
	return rc < 0 ? RES(errno, t->a ? "io_uring_register" : "io_uring_enter") : OK;
}

/* IORING_OP_SOCKET(AF_INET, SOCK_STREAM, IPPROTO_MPTCP), then connect(2)
 * to the denied port: the socket never passes through socket(2). */
static struct res op_uring_mptcp(const struct op *t)
{
	struct io_uring_params p;
	(void)t;
	memset(&p, 0, sizeof(p));
	if (!o.denied_port)
		return RES(SKIP, NULL);
	int ring = (int)syscall(__NR_io_uring_setup, 4, &p);
	if (ring < 0)
		return RES(errno, "io_uring_setup");
	size_t sq_len = p.sq_off.array + p.sq_entries * sizeof(unsigned);
	size_t cq_len = p.cq_off.cqes + p.cq_entries * sizeof(struct io_uring_cqe);
	bool single = p.features & IORING_FEAT_SINGLE_MMAP;
	if (single)
		sq_len = cq_len = sq_len > cq_len ? sq_len : cq_len;
	int prot = PROT_READ | PROT_WRITE, fl = MAP_SHARED | MAP_POPULATE;
	unsigned char *sq = mmap(NULL, sq_len, prot, fl, ring, IORING_OFF_SQ_RING);
	unsigned char *cq = single ? sq : mmap(NULL, cq_len, prot, fl, ring, IORING_OFF_CQ_RING);
	struct io_uring_sqe *sqes =
	    mmap(NULL, p.sq_entries * sizeof(*sqes), prot, fl, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED) {
		close(ring);
		return RES(ENOMEM, "mmap");
	}
	unsigned *tail = (unsigned *)(sq + p.sq_off.tail);
	unsigned idx = *tail & *(unsigned *)(sq + p.sq_off.ring_mask);
	struct io_uring_sqe *e = &sqes[idx];
	memset(e, 0, sizeof(*e));
	e->opcode = IORING_OP_SOCKET;
	e->fd = AF_INET;
	e->off = SOCK_STREAM;
	e->len = IPPROTO_MPTCP;
	((unsigned *)(sq + p.sq_off.array))[idx] = idx;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	struct res r = OK;
	if (syscall(__NR_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0) {
		r = RES(errno, "io_uring_enter");
		goto out;
	}
	unsigned *head = (unsigned *)(cq + p.cq_off.head);
	if (*head == __atomic_load_n((unsigned *)(cq + p.cq_off.tail), __ATOMIC_ACQUIRE)) {
		r = RES(EAGAIN, "io_uring_cqe");
		goto out;
	}
	struct io_uring_cqe *cqe = (struct io_uring_cqe *)(cq + p.cq_off.cqes) +
	                           (*head & *(unsigned *)(cq + p.cq_off.ring_mask));
	int s = cqe->res;
	__atomic_store_n(head, *head + 1, __ATOMIC_RELEASE);
	if (s < 0) {
		r = RES(-s, "IORING_OP_SOCKET");
		goto out;
	}
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)o.denied_port)};
	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	r = connect(s, (struct sockaddr *)&sa, sizeof(sa)) < 0 ? RES(errno, "connect") : greeted(s);
	close(s);
out:
	close(ring);
	return r;
}

/* ---- programs from memory, from fds, through the loader ------------------------- */

/* memfd_create(A) (A may carry garbage in its upper half), the program
 * copied in, then run by B (0: not run). */
static struct res op_memfd(const struct op *t)
{
	int fd = (int)syscall(SYS_memfd_create, "l2-attack", t->a);
	if (fd < 0)
		return RES(errno, "memfd_create");
	struct res r = OK;
	if (t->b) {
		int err = fill(fd);
		fchmod(fd, 0755); /* fails when sealed: the exec says what that means */
		r = err ? RES(err, "write") : run_fd("memfd", fd, (int)t->b);
	}
	close(fd);
	return r;
}

static struct res op_i386_memfd(const struct op *t)
{
	char *page = low_page();
	(void)t;
	if (!page)
		return RES(ENOMEM, "mmap");
	strcpy(page, "l2-attack");
	long fd = i386_call(I386_MEMFD_CREATE, (long)(uintptr_t)page, 0, 0, 0, 0, 0);
	if (i386_err(fd))
		return RES(i386_err(fd), "memfd_create");
	close((int)fd);
	return OK;
}

/* A program file (A: 0 /usr/bin/true, 1 --tmp-prog) run by B. */
static struct res op_exec(const struct op *t)
{
	const char *path = t->a ? o.tmp_prog : "/usr/bin/true";
	if (!path)
		return RES(SKIP, NULL);
	if (t->b == EXECVE)
		return run_fd(path, -1, EXECVE);
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return RES(errno, "open");
	struct res r = run_fd(path, fd, (int)t->b);
	close(fd);
	return r;
}

/* An unnamed file in --wdir, made executable, run through /proc/self/fd. */
static struct res op_otmpfile(const struct op *t)
{
	(void)t;
	if (!o.wdir)
		return RES(SKIP, NULL);
	int fd = open(o.wdir, O_TMPFILE | O_RDWR | O_CLOEXEC, 0700);
	if (fd < 0)
		return RES(errno, "open(O_TMPFILE)");
	int err = fill(fd);
	if (!err && fchmod(fd, 0755) < 0)
		err = errno;
	/* Reopened read-only: a file open for writing cannot be run. */
	char path[64];
	snprintf(path, sizeof(path), "/proc/self/fd/%d", fd);
	int ro = err ? -1 : open(path, O_RDONLY | O_CLOEXEC);
	if (!err && ro < 0)
		err = errno;
	close(fd);
	if (err)
		return RES(err, "write");
	struct res r = run_fd(NULL, ro, PROC_FD);
	close(ro);
	return r;
}

/* The dynamic loader runs --tmp-prog: execve() of the loader only. */
static struct res op_ldso(const struct op *t)
{
	(void)t;
	if (!o.tmp_prog)
		return RES(SKIP, NULL);
	char a0[] = LDSO, a1[4096];
	snprintf(a1, sizeof(a1), "%s", o.tmp_prog);
	char *argv[] = {a0, a1, NULL};
	return run_argv(argv, -1, EXECVE);
}

#define MC MFD_CLOEXEC

/* Groups: tty (terminal_injection), uring (io_uring), base (Landlock's own
 * execute right), exec (fd_exec), gap (the loader: no part closes it). */
const struct op sys_ops[] = {
    {"tty.tiocsti_stdin", op_ioctl, STDIN, TIOCSTI, 0, 0},
    {"tty.tiocsti_inherited_fd", op_ioctl, INHERITED, TIOCSTI, 0, 0},
    {"tty.tiocsti_dev_tty", op_ioctl, DEV_TTY, TIOCSTI, 0, 0},
    {"tty.tiocsti_hi_cmd", op_ioctl, STDIN, HI(TIOCSTI), 0, 0},
    {"tty.tioclinux_stdin", op_ioctl, STDIN, TIOCLINUX, 0, 0},
    {"tty.tioclinux_dev_tty", op_ioctl, DEV_TTY, TIOCLINUX, 0, 0},
    {"tty.tioclinux_hi_cmd", op_ioctl, STDIN, HI(TIOCLINUX), 0, 0},
    {"tty.i386_ioctl_tiocsti", op_i386_ioctl, TIOCSTI, 0, 0, 0},
    {"tty.i386_ioctl_tioclinux", op_i386_ioctl, TIOCLINUX, 0, 0, 0},
    {"uring.io_uring_setup", op_uring_setup, 0, 0, 0, 0},
    {"uring.io_uring_enter_badfd", op_uring_badfd, 0, 0, 0, 0},
    {"uring.io_uring_register_badfd", op_uring_badfd, 1, 0, 0, 0},
    {"uring.io_uring_socket_mptcp_connect", op_uring_mptcp, 0, 0, 0, 0},
    {"uring.i386_io_uring_setup", op_uring_setup, 1, 0, 0, 0},
    {"base.exec_usr", op_exec, 0, EXECVE, 0, 0},
    {"base.exec_usr_via_proc_fd", op_exec, 0, PROC_FD, 0, 0},
    {"base.exec_tmp_prog", op_exec, 1, EXECVE, 0, 0},
    {"base.exec_tmp_prog_via_proc_fd", op_exec, 1, PROC_FD, 0, 0},
    {"base.otmpfile_exec_via_proc_fd", op_otmpfile, 0, 0, 0, 0},
    {"exec.memfd_create", op_memfd, MC, 0, 0, 0},
    {"exec.memfd_create_hi_flags", op_memfd, HI(MC), 0, 0, 0},
    {"exec.memfd_fexecve", op_memfd, MC, FEXECVE, 0, 0},
    {"exec.memfd_exec_via_proc_fd", op_memfd, 0, PROC_FD, 0, 0},
    {"exec.memfd_mfd_exec_fexecve", op_memfd, MFD_EXEC | MC, FEXECVE, 0, 0},
    {"exec.memfd_noexec_seal_exec_via_proc_fd", op_memfd, MFD_NOEXEC_SEAL, PROC_FD, 0, 0},
    {"exec.memfd_noexec_seal_fexecve", op_memfd, MFD_NOEXEC_SEAL | MC, FEXECVE, 0, 0},
    {"exec.execveat_empty_path_tmp_prog", op_exec, 1, FEXECVE, 0, 0},
    {"exec.execveat_empty_path_usr", op_exec, 0, FEXECVE, 0, 0},
    {"exec.i386_memfd_create", op_i386_memfd, 0, 0, 0, 0},
    {"exec.i386_execveat_empty_path_usr", op_exec, 0, I386_FEXECVE, 0, 0},
    {"gap.ldso_tmp_prog", op_ldso, 0, 0, 0, 0},
};
const size_t n_sys_ops = sizeof(sys_ops) / sizeof(sys_ops[0]);
