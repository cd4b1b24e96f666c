/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_session.c - what pam_landlock costs a login.
 *
 * Measures, for one user and one policy: the time of the work done in
 * pam_sm_open_session (policy load and validation, identity, match, plan,
 * path opens, ruleset), the extra time a fork takes when the child enforces
 * the domain (the fork hook's work), and the peak RSS of the process.
 * Usage: bench_session POLICY USER [ITERATIONS]
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "session.h"

static double now_us(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e6 + (double)ts.tv_nsec / 1e3;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

static void report(const char *what, double *v, int n)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	printf("%-34s median %8.1f us   p99 %8.1f us   max %8.1f us\n", what, v[n / 2],
	       v[(n * 99) / 100], v[n - 1]);
}

/* Forks N children that exit at once, enforcing E first when E is set. */
static void forks(const struct ll_enforce *e, double *v, int n)
{
	for (int i = 0; i < n; i++) {
		double t0 = now_us();
		pid_t p = fork();
		if (p == 0)
			_exit(e && ll_enforce_apply(e, false, NULL) < 0 ? 1 : 0);
		int st;
		waitpid(p, &st, 0);
		v[i] = now_us() - t0;
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
			fprintf(stderr, "bench_session: a child failed to enforce the domain\n");
			exit(1);
		}
	}
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: bench_session POLICY USER [ITERATIONS]\n");
		return 2;
	}
	int n = argc > 3 ? atoi(argv[3]) : 1000;
	if (n < 10)
		n = 10;
	double *v = calloc((size_t)n, sizeof(double));
	struct ll_diag d;
	struct ll_session s;
	int abi = ll_abi_probe();

	for (int i = 0; i < n; i++) {
		double t0 = now_us();
		if (ll_session_prepare(&s, argv[1], LL_LOAD_TRUSTED, argv[2], "bench", NULL, abi, &d,
		                       NULL) < 0) {
			char buf[1200];
			fprintf(stderr, "bench_session: %s\n", ll_diag_format(&d, buf, sizeof(buf)));
			return 1;
		}
		v[i] = now_us() - t0;
		if (i < n - 1)
			ll_session_free(&s);
	}
	printf("policy %s, user %s, Landlock ABI %d, %d iterations\n", argv[1], argv[2], abi, n);
	printf("session: %s\n", s.summary);
	report("open_session work (prepare)", v, n);

	double *w = calloc((size_t)n, sizeof(double));
	forks(NULL, w, n);
	report("fork+exit, no session", w, n);
	forks(&s.enf, v, n);
	report("fork+enforce+exit (fork hook)", v, n);
	ll_session_free(&s);

	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	printf("peak RSS of the benchmark process: %ld KiB\n", ru.ru_maxrss);
	free(v);
	free(w);
	return 0;
}
