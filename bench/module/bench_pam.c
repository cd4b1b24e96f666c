/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_pam.c - what pam_landlock costs a login, measured through the real
 * libpam and the built module, as an application would call it.
 *
 * Each iteration: pam_start_confdir, pam_open_session (timed), a fork whose
 * child exits at once (confined by the module's hook with confine=children;
 * with confine=opener the whole iteration runs in a forked worker that
 * confines itself), pam_close_session, pam_end.  Reported: the median, p99
 * and max of pam_open_session, and the memory the open session adds to the
 * opener (VmRSS while open minus VmRSS before pam_start, the largest seen).
 *
 * Usage: bench_pam CONFDIR SERVICE USER ITERATIONS [opener]
 * CONFDIR holds the service file (the driver, run.sh, writes it).
 */
#include "config.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <security/pam_appl.h>

static int conv(int n, const struct pam_message **msg, struct pam_response **resp, void *data)
{
	(void)n;
	(void)msg;
	(void)data;
	*resp = NULL;
	return PAM_CONV_ERR;
}

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static long rss_kib(void)
{
	char line[256];
	long kib = -1;
	FILE *f = fopen("/proc/self/status", "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld kB", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

struct result {
	double open_us;
	long added_kib;
	int rc;
};

/* One session; the opener is this process. */
static struct result one(const char *dir, const char *service, const char *user)
{
	struct pam_conv c = { conv, NULL };
	pam_handle_t *pamh = NULL;
	struct result r = { 0, 0, -1 };
	long before = rss_kib();
	if (pam_start_confdir(service, user, &c, dir, &pamh) != PAM_SUCCESS)
		return r;
	double t0 = now_us();
	r.rc = pam_open_session(pamh, 0);
	r.open_us = now_us() - t0;
	r.added_kib = rss_kib() - before;
	if (r.rc == PAM_SUCCESS) {
		pid_t p = fork();
		if (p == 0)
			_exit(0);
		int st;
		if (p < 0 || waitpid(p, &st, 0) != p || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			r.rc = PAM_SYSTEM_ERR;
		pam_close_session(pamh, 0);
	}
	pam_end(pamh, r.rc);
	return r;
}

/* One session in a worker that confines itself (confine=opener). */
static struct result one_in_worker(const char *dir, const char *service, const char *user)
{
	struct result r = { 0, 0, -1 };
	int fds[2];
	if (pipe(fds) < 0)
		return r;
	pid_t p = fork();
	if (p == 0) {
		close(fds[0]);
		struct result w = one(dir, service, user);
		_exit(write(fds[1], &w, sizeof(w)) == (ssize_t)sizeof(w) ? 0 : 1);
	}
	close(fds[1]);
	if (p > 0 && read(fds[0], &r, sizeof(r)) != (ssize_t)sizeof(r))
		r.rc = -1;
	close(fds[0]);
	int st;
	if (p > 0)
		waitpid(p, &st, 0);
	return r;
}

int main(int argc, char **argv)
{
	if (argc < 5) {
		fprintf(stderr, "usage: bench_pam CONFDIR SERVICE USER ITERATIONS [opener]\n");
		return 2;
	}
	int n = atoi(argv[4]);
	bool opener = argc > 5 && strcmp(argv[5], "opener") == 0;
	if (n < 10)
		n = 10;
	double *v = calloc((size_t)n, sizeof(double));
	long added = 0;
	if (!v)
		return 1;
	/* One session before timing: libpam and the module are loaded and
	 * the first-use costs (dlopen, NSS) are not counted. */
	struct result w = opener ? one_in_worker(argv[1], argv[2], argv[3])
	                         : one(argv[1], argv[2], argv[3]);
	if (w.rc != PAM_SUCCESS) {
		fprintf(stderr, "bench_pam: the session failed (%d): see syslog\n", w.rc);
		return 1;
	}
	for (int i = 0; i < n; i++) {
		struct result r = opener ? one_in_worker(argv[1], argv[2], argv[3])
		                         : one(argv[1], argv[2], argv[3]);
		if (r.rc != PAM_SUCCESS) {
			fprintf(stderr, "bench_pam: session %d failed (%d)\n", i, r.rc);
			return 1;
		}
		v[i] = r.open_us;
		if (r.added_kib > added)
			added = r.added_kib;
	}
	qsort(v, (size_t)n, sizeof(*v), cmp);
	printf("open_session median %9.1f us  p99 %9.1f us  max %9.1f us  added RSS %ld KiB\n",
	       v[n / 2], v[(n * 99) / 100], v[n - 1], added);
	free(v);
	return 0;
}
