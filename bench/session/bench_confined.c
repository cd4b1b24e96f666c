/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * bench_confined.c - what pam_landlock's domain costs the programs of a
 * session: one command, run as one user, confined and unconfined,
 * interleaved in one run.
 *
 * The domain is the module's own: ll_session_prepare() on the policy with
 * the trusted-file checks, then in each confined child ll_enforce_apply()
 * (no_new_privs, the domain, the second layer), while still root, as the
 * fork hook and "landlockctl run" do.  The child then becomes the user
 * (setgid, initgroups, setuid), enters the working directory and execs the
 * command in a clean environment.  The unconfined child does the same
 * without ll_enforce_apply().
 *
 * Every child proves which side it is on before it execs: it creates a
 * file in PROBE, a directory of the user's outside the policy.  Confined,
 * that must fail with EACCES; unconfined it must succeed.  A domain that
 * silently enforces nothing stops the benchmark instead of making the
 * figures look good.  The command must exit 0 and print the same standard
 * output in every run, so a confined run that skips what it cannot open
 * does not pass for a fast one either.
 *
 * Pairs alternate their order (confined first, then unconfined first) so
 * that drift on a shared machine falls on both sides alike; the first
 * WARMUP pairs are run and checked but not counted.  PREP, if given, runs
 * as the user, unconfined and untimed, before every run (e.g. make clean).
 *
 * Prints a human line and a "RESULT key=value ..." line for the driver.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "session.h"

struct opts {
	int pairs, warmup;
	const char *prep, *dir, *probe, *label, *policy, *user;
	char **cmd;
};

struct run {
	double wall, sys, user; /* seconds */
};

static const char usage[] =
    "usage: bench_confined [-n PAIRS] [-w WARMUP] [-p PREP] [-C DIR] [-d PROBE] [-l LABEL]\n"
    "                      POLICY USER -- COMMAND [ARG...]\n";

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double tv_s(struct timeval tv)
{
	return (double)tv.tv_sec + (double)tv.tv_usec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

/* The Q quantile (0..1) of N values, sorting V; linear interpolation. */
static double quantile(double *v, int n, double q)
{
	qsort(v, (size_t)n, sizeof(*v), cmp);
	double pos = q * (n - 1);
	int i = (int)pos;
	return i + 1 < n ? v[i] + (v[i + 1] - v[i]) * (pos - i) : v[i];
}

/* Child side: become the user in a clean environment.  Only returns on
 * failure, with a message. */
static void become_user(const struct ll_session *s, const char *shell)
{
	if (setgid(s->id.gid) < 0 || initgroups(s->id.user, s->id.gid) < 0 ||
	    setuid(s->id.uid) < 0 || (s->id.uid != 0 && setuid(0) == 0)) {
		fprintf(stderr, "bench_confined: cannot become %s: %s\n", s->id.user,
		        strerror(errno));
		_exit(126);
	}
	if (clearenv() != 0 || setenv("HOME", s->id.home, 1) < 0 ||
	    setenv("USER", s->id.user, 1) < 0 || setenv("LOGNAME", s->id.user, 1) < 0 ||
	    setenv("SHELL", shell, 1) < 0 ||
	    setenv("PATH", "/usr/local/bin:/usr/bin:/bin", 1) < 0 || setenv("LC_ALL", "C", 1) < 0) {
		fprintf(stderr, "bench_confined: out of memory\n");
		_exit(126);
	}
}

/* Child side: creating a file in PROBE must fail with EACCES when confined
 * and succeed when not. */
static void check_side(const char *probe, bool confined)
{
	char path[4096];
	snprintf(path, sizeof(path), "%s/w%d", probe, (int)getpid());
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	int e = errno;
	if (fd >= 0) {
		close(fd);
		unlink(path);
	}
	if (confined && fd >= 0) {
		fprintf(stderr,
		        "bench_confined: the confined run could create %s: no domain in "
		        "force, or the policy grants it (give -d a directory outside it)\n",
		        path);
		_exit(125);
	}
	if (confined && e != EACCES) {
		fprintf(stderr,
		        "bench_confined: creating %s failed with %s, not EACCES: the "
		        "probe proves nothing (check -d)\n",
		        path, strerror(e));
		_exit(125);
	}
	if (!confined && fd < 0) {
		fprintf(stderr,
		        "bench_confined: the unconfined run cannot create %s: %s (the probe "
		        "directory must be the user's)\n",
		        path, strerror(e));
		_exit(125);
	}
}

/* Runs one child; OUT receives its standard output.  MODE: 0 unconfined,
 * 1 confined, 2 PREP through /bin/sh.  Returns the child's wait status. */
static int run_child(const struct opts *o, const struct ll_session *s, const char *shell, int mode,
                     int out, struct run *r)
{
	struct rusage ru;
	int st;
	fflush(NULL);
	double t0 = now_s();
	pid_t pid = fork();
	if (pid < 0) {
		perror("bench_confined: fork");
		exit(1);
	}
	if (pid == 0) {
		if (mode == 1) {
			enum ll_enforce_step step;
			int rc = ll_enforce_apply(&s->enf, false, &step);
			if (rc < 0) {
				fprintf(stderr, "bench_confined: %s: %s\n", ll_enforce_step_name(step),
				        strerror(-rc));
				_exit(125);
			}
		}
		become_user(s, shell);
		if (chdir(o->dir ? o->dir : s->id.home) < 0) {
			fprintf(stderr, "bench_confined: cannot enter %s: %s\n",
			        o->dir ? o->dir : s->id.home, strerror(errno));
			_exit(126);
		}
		if (mode != 2)
			check_side(o->probe, mode == 1);
		if (dup2(out, STDOUT_FILENO) < 0)
			_exit(126);
		if (mode == 2)
			execl("/bin/sh", "sh", "-c", o->prep, (char *)NULL);
		else
			execvp(o->cmd[0], o->cmd);
		fprintf(stderr, "bench_confined: cannot run %s: %s\n",
		        mode == 2 ? "/bin/sh" : o->cmd[0], strerror(errno));
		_exit(127);
	}
	if (wait4(pid, &st, 0, &ru) < 0) {
		perror("bench_confined: wait4");
		exit(1);
	}
	r->wall = now_s() - t0;
	r->user = tv_s(ru.ru_utime);
	r->sys = tv_s(ru.ru_stime);
	return st;
}

/* The output of a run, from the temporary file OUT (then emptied). */
static char *take_output(int out)
{
	struct stat st;
	if (fstat(out, &st) < 0)
		return NULL;
	char *buf = calloc(1, (size_t)st.st_size + 1);
	if (buf && pread(out, buf, (size_t)st.st_size, 0) != st.st_size) {
		free(buf);
		return NULL;
	}
	if (ftruncate(out, 0) < 0 || lseek(out, 0, SEEK_SET) < 0) {
		free(buf);
		return NULL;
	}
	return buf;
}

static void die_status(const char *what, int st)
{
	if (WIFEXITED(st))
		fprintf(stderr, "bench_confined: %s exited with status %d\n", what,
		        WEXITSTATUS(st));
	else
		fprintf(stderr, "bench_confined: %s was killed by signal %d\n", what, WTERMSIG(st));
	exit(1);
}

/* One timed run of side CONFINED; checks status and output. */
static void one(const struct opts *o, const struct ll_session *s, const char *shell, int out,
                bool confined, char **ref, struct run *r)
{
	const char *side = confined ? "the confined run" : "the unconfined run";
	struct run prep;
	int st;
	if (o->prep) {
		st = run_child(o, s, shell, 2, out, &prep);
		if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
			die_status("the preparation command", st);
		free(take_output(out));
	}
	st = run_child(o, s, shell, confined ? 1 : 0, out, r);
	if (!WIFEXITED(st) || WEXITSTATUS(st) != 0)
		die_status(side, st);
	char *text = take_output(out);
	if (!text) {
		perror("bench_confined: reading the command's output");
		exit(1);
	}
	if (!*ref) {
		*ref = text;
		return;
	}
	if (strcmp(*ref, text) != 0) {
		fprintf(stderr,
		        "bench_confined: %s printed something else than the first run:\n"
		        "--- first run\n%s--- %s\n%s",
		        side, *ref, side, text);
		exit(1);
	}
	free(text);
}

/* A whole number from MIN to MAX, or -1. */
static int parse_count(const char *s, int min, int max)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	return errno || end == s || *end || v < min || v > max ? -1 : (int)v;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;
	*o = (struct opts){.pairs = 11, .warmup = 1, .label = "run"};
	while ((c = getopt(argc, argv, "+n:w:p:C:d:l:")) != -1) {
		switch (c) {
		case 'n':
			o->pairs = parse_count(optarg, 1, 10000);
			break;
		case 'w':
			o->warmup = parse_count(optarg, 0, 10000);
			break;
		case 'p':
			o->prep = optarg;
			break;
		case 'C':
			o->dir = optarg;
			break;
		case 'd':
			o->probe = optarg;
			break;
		case 'l':
			o->label = optarg;
			break;
		default:
			return -1;
		}
	}
	if (argc - optind < 3 || strcmp(argv[optind + 2], "--") != 0 || argc - optind < 4 ||
	    o->pairs < 0 || o->warmup < 0 || !o->probe)
		return -1;
	o->policy = argv[optind];
	o->user = argv[optind + 1];
	o->cmd = argv + optind + 3;
	return 0;
}

static void summarize(const struct opts *o, const struct ll_session *s, struct run *u,
                      struct run *c)
{
	int n = o->pairs;
	double *v = calloc((size_t)n * 7, sizeof(double));
	double *uw = v, *cw = v + n, *pr = v + 2 * n, *us = v + 3 * n, *cs = v + 4 * n;
	double *uc = v + 5 * n, *cc = v + 6 * n;
	for (int i = 0; i < n; i++) {
		uw[i] = u[i].wall;
		cw[i] = c[i].wall;
		pr[i] = 100.0 * (c[i].wall / u[i].wall - 1.0);
		us[i] = u[i].sys;
		cs[i] = c[i].sys;
		uc[i] = u[i].sys + u[i].user;
		cc[i] = c[i].sys + c[i].user;
	}
	double um = quantile(uw, n, .5), u25 = quantile(uw, n, .25), u75 = quantile(uw, n, .75);
	double cm = quantile(cw, n, .5), c25 = quantile(cw, n, .25), c75 = quantile(cw, n, .75);
	double pm = quantile(pr, n, .5), p25 = quantile(pr, n, .25), p75 = quantile(pr, n, .75);
	double usm = quantile(us, n, .5), csm = quantile(cs, n, .5);
	double ucm = quantile(uc, n, .5), ccm = quantile(cc, n, .5);
	double ov = 100.0 * (cm / um - 1.0);
	printf("%s: unconfined %.4f s [%.4f-%.4f]  confined %.4f s [%.4f-%.4f]  overhead %+.1f%% "
	       "(paired %+.1f%% [%+.1f..%+.1f])  sys %.4f -> %.4f s  cpu %.4f -> %.4f s\n",
	       o->label, um, u25, u75, cm, c25, c75, ov, pm, p25, p75, usm, csm, ucm, ccm);
	printf("RESULT label=%s rules=%zu pairs=%d unconf_s=%.4f unconf_p25=%.4f "
	       "unconf_p75=%.4f conf_s=%.4f conf_p25=%.4f conf_p75=%.4f overhead_pct=%.2f "
	       "paired_pct=%.2f paired_p25=%.2f paired_p75=%.2f unconf_sys_s=%.4f "
	       "conf_sys_s=%.4f unconf_cpu_s=%.4f conf_cpu_s=%.4f\n",
	       o->label, s->plan.nrules, n, um, u25, u75, cm, c25, c75, ov, pm, p25, p75, usm, csm,
	       ucm, ccm);
	free(v);
}

int main(int argc, char **argv)
{
	struct opts o;
	if (parse_opts(argc, argv, &o) < 0) {
		fputs(usage, stderr);
		fputs("  -d PROBE (required): a directory of USER's outside the policy\n", stderr);
		return 2;
	}
	if (geteuid() != 0) {
		fprintf(stderr, "bench_confined: run as root (it becomes %s, as a session would)\n",
		        o.user);
		return 2;
	}
	struct ll_session s;
	struct ll_diag d = {0};
	if (ll_session_prepare(&s, o.policy, LL_LOAD_TRUSTED, o.user, "bench", NULL, ll_abi_probe(),
	                       &d, NULL) < 0) {
		char buf[1200];
		fprintf(stderr, "bench_confined: %s\n", ll_diag_format(&d, buf, sizeof(buf)));
		return 1;
	}
	if (s.unconfined) {
		fprintf(stderr,
		        "bench_confined: the policy exempts %s (%s): there is no confined "
		        "side to measure\n",
		        o.user, s.summary);
		return 1;
	}
	const struct passwd *pw = getpwnam(o.user);
	char *shell = strdup(pw && pw->pw_shell && *pw->pw_shell ? pw->pw_shell : "/bin/sh");
	char tmpl[] = "/tmp/bench_confined.out.XXXXXX";
	int out = mkostemp(tmpl, O_CLOEXEC);
	if (!shell || out < 0) {
		perror("bench_confined");
		return 1;
	}
	unlink(tmpl);
	/* The child writes its output here after dropping privileges. */
	if (fchown(out, s.id.uid, s.id.gid) < 0) {
		perror("bench_confined: fchown");
		return 1;
	}
	printf("# %s: %s, %zu rules, %d pairs (+%d warm-up), command:", o.label, s.summary,
	       s.plan.nrules, o.pairs, o.warmup);
	for (char **a = o.cmd; *a; a++)
		printf(" %s", *a);
	printf("\n");

	struct run *u = calloc((size_t)o.pairs, sizeof(*u));
	struct run *c = calloc((size_t)o.pairs, sizeof(*c));
	char *ref = NULL;
	for (int i = -o.warmup; i < o.pairs; i++) {
		struct run ru, rc;
		/* Alternate which side goes first. */
		bool confined_first = (i + o.warmup) % 2 == 0;
		one(&o, &s, shell, out, confined_first, &ref, confined_first ? &rc : &ru);
		one(&o, &s, shell, out, !confined_first, &ref, confined_first ? &ru : &rc);
		if (i >= 0) {
			u[i] = ru;
			c[i] = rc;
		}
	}
	summarize(&o, &s, u, c);
	printf("# output of every run: %s", ref && *ref ? ref : "(none)\n");
	close(out);
	free(ref);
	free(u);
	free(c);
	free(shell);
	ll_session_free(&s);
	return 0;
}
