/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * tst-fork.c - through the real libpam, with confine=children (the mode the
 * module uses for the supervisors it knows): an opened session confines what
 * its opener forks, and only that.  The opener stays unconfined; every child is
 * confined with exactly one layer; a grandchild adds none; nothing is
 * confined after close_session or pam_end; after exec, a child holds no
 * file descriptor it would not hold without the module (tst-fds checks
 * the same before exec).
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "pamtest.h"

static int confined_child(struct pt *t, const void *who)
{
	return pt_expect_confined(t, who);
}

static int unconfined_child(struct pt *t, const void *who)
{
	return pt_expect_unconfined(t, who);
}

static int child_with_grandchild(struct pt *t, const void *arg)
{
	(void)arg;
	/* The child's copy of the module state is disarmed: its own fork must
	 * not stack a second layer (pt_expect_confined counts them). */
	int rc = pt_run(t, confined_child, "grandchild");
	if (rc == 255)
		pt_check(false, "grandchild died");
	return (rc == 255 ? 1 : rc) + pt_expect_confined(t, "child that forked the grandchild");
}

/* In a child: lists its fds after an exec, with find(1), into DIR/fds-exec. */
static int exec_list_fds(struct pt *t, const void *arg)
{
	char path[512];
	(void)arg;
	snprintf(path, sizeof(path), "%s/fds-exec", t->dir);
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
	if (fd < 0 || dup2(fd, 1) != 1) {
		pt_check(false, "open %s: %s", path, strerror(errno));
		return 1;
	}
	close(fd);
	/* find(1) opens its working directory: use one that every profile
	 * lets it read, so both listings come from the same find. */
	if (chdir("/tmp") < 0) {
		pt_check(false, "chdir /tmp: %s", strerror(errno));
		return 1;
	}
	execl("/usr/bin/find", "find", "/proc/self/fd/", "-mindepth", "1", "-printf", "%f -> %l\n",
	      (char *)NULL);
	fprintf(stderr, "exec /usr/bin/find: %s\n", strerror(errno));
	return 1;
}

/* Runs exec_list_fds in a child; returns its sorted output (static). */
static const char *fds_after_exec(struct pt *t, char *buf, size_t len)
{
	char path[512];
	int rc = pt_run(t, exec_list_fds, NULL);
	pt_check(rc == 0, "a child listed its fds after exec (status %d)", rc);
	snprintf(path, sizeof(path), "%s/fds-exec", t->dir);
	FILE *f = fopen(path, "r");
	size_t n = f ? fread(buf, 1, len - 1, f) : 0;
	buf[n] = '\0';
	if (f)
		fclose(f);
	/* find's own directory fds name its pid: "/proc/123/fd" -> "/proc/PID/fd". */
	for (char *p = buf; (p = strstr(p, "/proc/"));) {
		p += 6;
		size_t d = strspn(p, "0123456789");
		if (d >= 3) {
			memcpy(p, "PID", 3);
			memmove(p + 3, p + d, strlen(p + d) + 1);
		}
	}
	return buf;
}

static int no_ruleset_fd(struct pt *t, const void *arg)
{
	(void)t;
	return pt_check(!pt_holds_ruleset_fd(), "%s holds no Landlock ruleset fd",
	                (const char *)arg)
	           ? 0
	           : 1;
}

/* Runs in a child of the test process, so that a module that wrongly
 * confines its caller cannot keep the test process from cleaning up. */
static int body(struct pt *tp, const void *arg)
{
	struct pt t = *tp;
	char args[4200];
	int rc;

	(void)arg;
	snprintf(args, sizeof(args), "conf=%s confine=children", t.policy);
	pt_service(&t, "ll-fork", args);

	pam_handle_t *pamh = pt_start(&t, "ll-fork", t.user);
	/* Modules are loaded by pam_start: this child's fds differ from the
	 * next one's only by what the session adds. */
	static char without[16384], with[16384];
	fds_after_exec(&t, without, sizeof(without));

	rc = pam_open_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "open_session with the shipped policy for %s: %s", t.user,
	         pam_strerror(pamh, rc));
	pt_check(pt_holds_ruleset_fd(), "the opener keeps the prepared ruleset fd while armed");

	pt_sub(&t, confined_child, "first child");

	/* The opener itself is not confined: as the same user it can write
	 * where the children cannot. */
	if (setegid(t.gid) != 0 || seteuid(t.uid) != 0) {
		pt_check(false, "seteuid(%d): %s", (int)t.uid, strerror(errno));
	} else {
		rc = pt_try_create(t.denied, "opener");
		if (seteuid(0) != 0 || setegid(0) != 0) {
			printf("Bail out! cannot return to root\n");
			return 1;
		}
		pt_check(rc == 0,
		         "the opener (as %s) is not confined: creating a file in %s succeeds (%s)",
		         t.user, t.denied, rc ? strerror(rc) : "ok");
	}
	rc = pt_try_create(t.denied, "opener-root");
	pt_check(rc == 0, "the opener (as root) creates a file in %s (%s)", t.denied,
	         rc ? strerror(rc) : "ok");

	pt_sub(&t, confined_child, "second child");
	pt_sub(&t, child_with_grandchild, NULL);
	fds_after_exec(&t, with, sizeof(with));
	int count = 0;
	for (char *l = with, *nl; *l && (nl = strchr(l, '\n')); l = nl + 1, count++) {
		*nl = '\0';
		pt_check(pt_has_line(without, l),
		         "after exec, a child of the session holds fd %s, as one without it does",
		         l);
	}
	pt_check(count >= 3, "listed %d fds after exec in a child of the session", count);
	pt_sub(&t, no_ruleset_fd, "a child of the armed opener");

	pt_expect_second_refused(&t, "ll-fork", "the armed opener");
	pt_sub(&t, confined_child, "child forked after the refused second session");

	rc = pam_close_session(pamh, 0);
	pt_check(rc == PAM_SUCCESS, "close_session: %s", pam_strerror(pamh, rc));
	pt_check(!pt_holds_ruleset_fd(), "close_session closed the ruleset fd in the opener");
	pt_sub(&t, unconfined_child, "child forked after close_session");

	rc = pam_end(pamh, PAM_SUCCESS);
	pt_check(rc == PAM_SUCCESS, "pam_end: %s", pam_strerror(NULL, rc));
	pt_sub(&t, unconfined_child, "child forked after pam_end");
	return pt_fails;
}

int main(void)
{
	static struct pt t;
	pt_init(&t, "f");
	pt_sub(&t, body, NULL);
	return pt_finish();
}
