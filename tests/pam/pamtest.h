/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * pamtest.h - fixtures for the libpam-level tests: a temporary user and
 * directories, service files and policies in a private PAM config dir
 * (pam_start_confdir), forked probes, and Landlock observations that do not
 * use the project's own code (creating a file, counting how many more
 * Landlock layers a process can stack, listing its file descriptors).
 *
 * Output is TAP-like: "ok - ..." / "not ok - ...".  A test's exit code is 0,
 * 1 (some check failed), 77 (skip; never under CI=true) or 99 (a fixture
 * failed, or a prerequisite is missing under CI=true: a hard error that
 * automake never counts as an expected failure).
 */
#ifndef LL_PAMTEST_H
#define LL_PAMTEST_H

#include <limits.h>
#include <stdbool.h>
#include <sys/types.h>

#include <security/pam_appl.h>

struct pt {
	char dir[256];         /* private PAM config dir, policies, results */
	char module[PATH_MAX]; /* the built module, absolute */
	char policy[PATH_MAX]; /* the shipped default policy, installed in dir */
	char user[33];         /* temporary user, created with a home */
	uid_t uid;
	gid_t gid;
	char home[PATH_MAX];
	char mail[64];         /* its mail spool (/var/mail/USER) */
	char denied[PATH_MAX]; /* user-owned dir outside every profile path */
	int layers;            /* layers an unconfined process can still stack */
};

extern int pt_fails;

/* Needs root (else skip, or fail under CI=true) and the built module;
 * creates the user and directories, removed at exit.  Measures t->layers. */
void pt_init(struct pt *t, const char *name);

/* Prints "ok - MSG" or "not ok - MSG" (counted in pt_fails). */
bool pt_check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Summary line and exit code for the test. */
int pt_finish(void);

/* Writes DIR/NAME with CONTENT and MODE, root-owned; returns its path
 * (static buffer, overwritten by the next call). */
const char *pt_file(struct pt *t, const char *name, const char *content, mode_t mode);
/* Writes the service file DIR/NAME: one line "session required MODULE ARGS". */
void pt_service(struct pt *t, const char *name, const char *args);
/* pam_start_confdir(SERVICE, USER) in t->dir; fails the test on error. */
pam_handle_t *pt_start(struct pt *t, const char *service, const char *user);

/* Runs FN(t, arg) in a forked process and returns its exit status (or 255
 * when it died of a signal).  Output of the child is flushed in order. */
int pt_run(struct pt *t, int (*fn)(struct pt *, const void *), const void *arg);
/* pt_run() for a child that returns its number of failed checks: adds
 * them to pt_fails (a child that crashed counts as one). */
void pt_sub(struct pt *t, int (*fn)(struct pt *, const void *), const void *arg);
/* In a child: drops to the test user for good. Returns 0 or -errno. */
int pt_become_user(struct pt *t);

/* Creates (O_CREAT|O_EXCL) and removes DIR/NAME-PID: 0 or errno. */
int pt_try_create(const char *dir, const char *name);
/* Sets no_new_privs and stacks Landlock layers until the kernel refuses;
 * returns how many it could stack (the process is then useless), or -errno
 * on an unexpected error. */
int pt_count_layers(void);
/* Whether this process holds a Landlock ruleset fd. */
bool pt_holds_ruleset_fd(void);
/* "fd -> target" lines of /proc/self/fd, sorted by fd, into BUF. */
void pt_list_fds(char *buf, size_t len);

/* Checks in a child that it is confined by the default "shell" profile:
 * the denied dir refuses a new file with EACCES, home and /tmp accept one,
 * and exactly one layer is stacked.  Returns the number of failed checks.
 * WHO names the process in messages.  Drops to the user first. */
int pt_expect_confined(struct pt *t, const char *who);
/* The opposite: the user can create in the denied dir and all layers are
 * still free. */
int pt_expect_unconfined(struct pt *t, const char *who);

/* Opens a second session of SERVICE for the test user in this process,
 * which holds one already: checks that it is refused (PAM_PERM_DENIED);
 * WHO names the opener in the message. */
void pt_expect_second_refused(struct pt *t, const char *service, const char *who);

/* Whether LINE (without its newline) is one of the lines of LIST. */
bool pt_has_line(const char *list, const char *line);

/* Gives this process (call it before starting any thread), and everything it
 * starts later, a private /dev/log: a mount namespace of its own with a tmpfs
 * on /dev that holds the devices the policies name (bind-mounted) and a
 * datagram socket "log" read by a catcher process into DIR/syslog, one
 * datagram a line.  The system's /dev and syslog are not touched.  The
 * catcher is stopped at exit. */
void pt_private_syslog(struct pt *t);
/* What the private catcher has received so far (malloc'd, "" if nothing);
 * waits until it has been quiet for a moment. */
char *pt_syslog_read(struct pt *t);
/* Stops (HOLD) or resumes the private catcher: while it is stopped, the
 * private /dev/log fills up (10 datagrams) and senders get EAGAIN. */
void pt_syslog_hold(bool hold);

/* Waits for the child PID until DEADLINE_MS milliseconds have passed; then
 * kills it (SIGKILL) and reaps it.  Returns its wait status, or -1 when it
 * had to be killed (it hung). */
int pt_wait_deadline(pid_t pid, int deadline_ms);

#endif /* LL_PAMTEST_H */
