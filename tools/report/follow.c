/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * follow.c - libauparse feed mode and the follow loop (see follow.h).
 * Follow mode prints each denial as it completes (--denials, any format)
 * or a fresh summary every --interval seconds and at exit.  Pending events
 * age out: libauparse ages its own (auparse_feed_age_events), and the
 * reporter completes its pending events a few seconds behind the newest
 * record or the wall clock.
 */
#include "config.h"

#include "follow.h"

#include <auparse.h>
#include "input.h"
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define AGE_SECS 3

struct llr_feed {
	auparse_state_t *au;
	struct llr_report *r;
	unsigned long long events;
	int64_t newest;
};

static void on_auparse(auparse_state_t *au, auparse_cb_event_t type, void *arg)
{
	struct llr_feed *fd = arg;
	if (type != AUPARSE_CB_EVENT_READY)
		return;
	fd->events++;
	if (auparse_first_record(au) <= 0)
		return;
	do {
		const char *t = auparse_get_record_text(au);
		if (t)
			llr_report_line(fd->r, t, strlen(t));
	} while (auparse_next_record(au) > 0);
	const struct llr_stats *st = llr_asm_stats(fd->r->as);
	if (st->last_sec > fd->newest)
		fd->newest = st->last_sec;
	llr_asm_age_before(fd->r->as, fd->newest - AGE_SECS);
}

struct llr_feed *llr_feed_new(struct llr_report *r)
{
	struct llr_feed *fd = llr_xcalloc(1, sizeof(*fd));
	fd->r = r;
	fd->au = auparse_init(AUSOURCE_FEED, NULL);
	if (!fd->au) {
		fputs("aulandlock: cannot initialize libauparse feed\n", stderr);
		exit(2);
	}
	auparse_add_callback(fd->au, on_auparse, fd, NULL);
	return fd;
}

void llr_feed_data(void *arg, const char *data, size_t len)
{
	struct llr_feed *fd = arg;
	auparse_feed(fd->au, data, len);
}

void llr_feed_age(struct llr_feed *fd)
{
	auparse_feed_age_events(fd->au);
	llr_asm_age_before(fd->r->as, (int64_t)time(NULL) - AGE_SECS);
}

void llr_feed_flush(struct llr_feed *fd)
{
	auparse_flush_feed(fd->au);
	llr_asm_flush(fd->r->as);
}

unsigned long long llr_feed_events(const struct llr_feed *fd)
{
	return fd->events;
}

void llr_feed_free(struct llr_feed *fd)
{
	if (!fd)
		return;
	auparse_destroy(fd->au);
	free(fd);
}

static volatile sig_atomic_t stop, reopen;

static void on_signal(int sig)
{
	if (sig == SIGHUP)
		reopen = 1; /* auditd reconfigures, or logrotate moved our output */
	else
		stop = 1;
}

static void reopen_output(struct llr_report *r, const struct llr_opts *o)
{
	reopen = 0;
	if (!o->output)
		return;
	FILE *f = llr_open_output(o->output);
	if (!f)
		return; /* keep writing to the old file */
	fclose(r->f);
	r->f = r->out.f = f;
}

static int open_tail(const char *path, int from_start, ino_t *ino)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) == 0)
		*ino = st.st_ino;
	if (!from_start)
		lseek(fd, 0, SEEK_END);
	return fd;
}

int llr_follow_run(struct llr_report *r, const struct llr_opts *o)
{
	struct llr_feed *fd = llr_feed_new(r);
	struct sigaction sa;
	char *buf = llr_xmalloc(1 << 16);
	ino_t ino = 0;
	int in = 0, rc = 0;
	time_t last_print = time(NULL);

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (o->follow_file) {
		in = open_tail(o->follow_file, 0, &ino);
		if (in < 0) {
			fprintf(stderr, "aulandlock: cannot follow %s: %s\n", o->follow_file,
			        strerror(errno));
			free(buf);
			llr_feed_free(fd);
			return 2;
		}
	}
	while (!stop) {
		if (reopen)
			reopen_output(r, o);
		struct pollfd p = {.fd = in, .events = POLLIN};
		int k = o->follow_file ? 0 : poll(&p, 1, 1000);
		if (k < 0 && errno != EINTR)
			break;
		ssize_t n = 0;
		if (o->follow_file || (k > 0 && (p.revents & (POLLIN | POLLHUP)))) {
			n = read(in, buf, 1 << 16);
			if (n > 0) {
				llr_feed_data(fd, buf, (size_t)n);
			} else if (n == 0 && !o->follow_file) {
				break; /* auditd closed the plugin's stdin */
			} else if (o->follow_file) {
				struct stat st;
				if (stat(o->follow_file, &st) == 0 && st.st_ino != ino) {
					/* rotated: finish the old file, then read the new one */
					while ((n = read(in, buf, 1 << 16)) > 0)
						llr_feed_data(fd, buf, (size_t)n);
					close(in);
					in = open_tail(o->follow_file, 1, &ino);
					if (in < 0)
						break;
				}
				struct timespec ts = {0, 250 * 1000 * 1000};
				nanosleep(&ts, NULL);
			}
		}
		if (n <= 0)
			llr_feed_age(fd);
		if (r->stream)
			fflush(r->f);
		if (o->interval && !r->stream && time(NULL) - last_print >= o->interval) {
			last_print = time(NULL);
			llr_report_print(r);
		}
	}
	llr_feed_flush(fd);
	llr_report_print(r);
	if (in > 0)
		close(in);
	free(buf);
	llr_feed_free(fd);
	return rc;
}
