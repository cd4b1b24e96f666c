/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * follow.c - the follow loop (see follow.h).  Follow mode prints each
 * denial as its event completes (--denials, any format) or a fresh
 * summary every --interval seconds and at exit.  Events are aged by the
 * time their records arrived (a monotonic clock), never by comparing
 * record times with the wall clock or across nodes.
 */
#include "config.h"

#include "checkpoint.h"
#include "follow.h"
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

static int64_t mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

void llr_split_feed(struct llr_splitter *s, const char *data, size_t n, struct llr_report *r)
{
	const char *p = data, *end = data + n;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		if (!s->skipping && s->len + l > LLR_MAX_LINE) {
			s->skipping = 1;
			r->long_lines++;
			s->len = 0;
		}
		if (!s->skipping) {
			if (nl && !s->len) {
				llr_report_line(r, p, l); /* the usual case: no copy */
			} else {
				if (s->len + l > s->cap) {
					s->cap = (s->len + l) * 2 + 256;
					s->buf = llr_xrealloc(s->buf, s->cap);
				}
				memcpy(s->buf + s->len, p, l);
				s->len += l;
				if (nl) {
					llr_report_line(r, s->buf, s->len);
					s->len = 0;
				}
			}
		}
		if (nl)
			s->skipping = 0;
		p += l + (nl ? 1 : 0);
	}
}

void llr_split_free(struct llr_splitter *s)
{
	free(s->buf);
	memset(s, 0, sizeof(*s));
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
	if (!f) {
		fprintf(stderr,
		        "aulandlock: cannot reopen %s: %s; still writing to the old file.\n",
		        o->output, strerror(errno));
		return;
	}
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

/* --follow --checkpoint: the sessions and live domains, for a restart. */
static int save_checkpoint(struct llr_report *r, const struct llr_opts *o)
{
	struct llr_ckpt_saved sv;
	if (!o->checkpoint)
		return 0;
	if (llr_checkpoint_save(o->checkpoint, r, &sv)) {
		fprintf(stderr,
		        "aulandlock: cannot write checkpoint %s: %s.\nCheck the directory and its "
		        "permissions; a restarted follower will not know the sessions opened "
		        "before.\n",
		        o->checkpoint, strerror(errno));
		return 2;
	}
	llr_checkpoint_warn(o->checkpoint, &sv);
	return 0;
}

int llr_follow_run(struct llr_report *r, const struct llr_opts *o)
{
	struct sigaction sa;
	struct llr_splitter sp = {0};
	char *buf = llr_xmalloc(1 << 16);
	ino_t ino = 0;
	int in = 0, rc = 0;
	time_t last_print = time(NULL), last_save = last_print;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_signal;
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);

	if (o->follow_file) {
		in = open_tail(o->follow_file, 0, &ino);
		if (in < 0) {
			fprintf(
			    stderr,
			    "aulandlock: cannot follow %s: %s.\nCheck the path (the log_file of "
			    "auditd.conf) and run as root or a member of the log's group.\n",
			    o->follow_file, strerror(errno));
			free(buf);
			return 2;
		}
	}
	while (!stop) {
		if (reopen)
			reopen_output(r, o);
		struct pollfd p = {.fd = in, .events = POLLIN};
		int k = o->follow_file ? 0 : poll(&p, 1, 250);
		if (k < 0 && errno != EINTR)
			break;
		ssize_t n = 0;
		llr_asm_tick(r->as, mono_ms());
		if (o->follow_file || (k > 0 && (p.revents & (POLLIN | POLLHUP)))) {
			n = read(in, buf, 1 << 16);
			if (n > 0) {
				llr_split_feed(&sp, buf, (size_t)n, r);
				llr_report_release(r); /* buf is read into again */
			} else if (n == 0 && !o->follow_file) {
				break; /* auditd closed the plugin's stdin */
			} else if (n < 0 && errno != EAGAIN && errno != EINTR && !o->follow_file) {
				fprintf(stderr, "aulandlock: reading stdin: %s\n", strerror(errno));
				rc = 2;
				break;
			} else if (o->follow_file) {
				struct stat st;
				if (stat(o->follow_file, &st) == 0 && st.st_ino != ino) {
					/* rotated: finish the old file, then read the new one */
					while ((n = read(in, buf, 1 << 16)) > 0) {
						llr_split_feed(&sp, buf, (size_t)n, r);
						llr_report_release(r);
					}
					close(in);
					in = open_tail(o->follow_file, 1, &ino);
					if (in < 0) {
						fprintf(stderr,
						        "aulandlock: cannot reopen %s after its "
						        "rotation: %s\n",
						        o->follow_file, strerror(errno));
						rc = 2;
						break;
					}
				}
				struct timespec ts = {0, 250 * 1000 * 1000};
				nanosleep(&ts, NULL);
			}
		}
		if (r->stream || r->stream_sessions || r->det)
			fflush(r->f);
		if (o->interval && !r->stream && !r->stream_sessions &&
		    time(NULL) - last_print >= o->interval) {
			last_print = time(NULL);
			llr_report_print(r);
		}
		if (o->checkpoint && time(NULL) - last_save >= LLR_CKPT_FOLLOW_SECS) {
			last_save = time(NULL);
			save_checkpoint(r, o);
		}
	}
	if (sp.len && !sp.skipping)
		llr_report_line(r, sp.buf, sp.len);
	llr_split_free(&sp);
	llr_report_finish(r);
	if (save_checkpoint(r, o) && !rc)
		rc = 2;
	if (in > 0)
		close(in);
	free(buf);
	return rc;
}
