/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * input.c - log discovery and the line reader (see input.h).  Plain files
 * are mapped 8 MiB at a time and split with memchr; gzip files (magic
 * 1f 8b) and stdin go through zlib, which passes plain data through.
 */
#include "config.h"

#include "input.h"
#include "record.h"
#include "util.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#define BLOCK (4 * 1024 * 1024)

static void set_err(struct llr_input_err *e, const char *path, int err, const char *what)
{
	snprintf(e->path, sizeof(e->path), "%s", path);
	e->err = err;
	e->what = what;
	e->detail[0] = '\0';
	e->line = e->offset = 0;
}

static void push(char ***v, int *n, const char *s)
{
	*v = llr_xrealloc(*v, (size_t)(*n + 1) * sizeof(**v));
	(*v)[(*n)++] = llr_xstrdup(s);
}

void llr_inputs_free(struct llr_inputs *in)
{
	for (int i = 0; i < in->n; i++)
		free(in->paths[i]);
	free(in->paths);
	for (int i = 0; i < in->nwarnings; i++)
		free(in->warnings[i]);
	free(in->warnings);
	memset(in, 0, sizeof(*in));
}

/* Rotation number of name relative to base: base -> 0, base.N[.gz] -> N, else -1. */
static long rotation(const char *name, const char *base)
{
	size_t bl = strlen(base);
	char *e;
	if (strncmp(name, base, bl))
		return -1;
	if (!name[bl])
		return 0;
	if (name[bl] != '.' || !name[bl + 1])
		return -1;
	long n = strtol(name + bl + 1, &e, 10);
	if (e == name + bl + 1 || n <= 0 || (*e && strcmp(e, ".gz")))
		return -1;
	return n;
}

struct ent {
	char *name;
	long rot;
};

static int cmp_ent(const void *a, const void *b)
{
	const struct ent *x = a, *y = b;
	if (x->rot != y->rot)
		return x->rot > y->rot ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* base, base.1 .. base.N: say which numbers are missing. */
static void check_gaps(const char *dir, const char *base, const struct ent *v, size_t nv,
                       struct llr_inputs *out)
{
	long max = 0;
	for (size_t i = 0; i < nv; i++)
		if (v[i].rot > max)
			max = v[i].rot;
	for (long r = 1; r < max; r++) {
		int seen = 0;
		for (size_t i = 0; i < nv && !seen; i++)
			seen = v[i].rot == r;
		if (seen)
			continue;
		char *w = NULL;
		if (asprintf(&w,
		             "%s/%s.%ld is missing from the rotation (%s.%ld exists): the events "
		             "it held are not in this report",
		             dir, base, r, base, max) < 0)
			continue;
		out->warnings =
		    llr_xrealloc(out->warnings, (size_t)(out->nwarnings + 1) * sizeof(char *));
		out->warnings[out->nwarnings++] = w;
	}
}

/* Files of dir; with base, only base and its rotations (oldest first). */
static int list_dir(const char *dir, const char *base, struct llr_inputs *out,
                    struct llr_input_err *e)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	struct ent *v = NULL;
	size_t nv = 0;
	char path[4096];

	if (!d) {
		set_err(e, dir, errno, "cannot open directory");
		return -1;
	}
	while ((de = readdir(d))) {
		struct stat st;
		if (de->d_name[0] == '.')
			continue;
		long rot = base ? rotation(de->d_name, base) : 0;
		if (rot < 0)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (stat(path, &st) || !S_ISREG(st.st_mode))
			continue;
		v = llr_xrealloc(v, (nv + 1) * sizeof(*v));
		v[nv].name = llr_xstrdup(de->d_name);
		v[nv++].rot = rot;
	}
	closedir(d);
	if (nv > 1)
		qsort(v, nv, sizeof(*v), cmp_ent);
	if (base)
		check_gaps(dir, base, v, nv, out);
	for (size_t i = 0; i < nv; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, v[i].name);
		push(&out->paths, &out->n, path);
		free(v[i].name);
	}
	free(v);
	return 0;
}

static void log_file_path(char *buf, size_t n)
{
	FILE *f = fopen("/etc/audit/auditd.conf", "re");
	char line[1024];
	snprintf(buf, n, "/var/log/audit/audit.log");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		char *p = line;
		while (*p == ' ' || *p == '\t')
			p++;
		if (strncmp(p, "log_file", 8))
			continue;
		p += 8;
		while (*p == ' ' || *p == '\t')
			p++;
		if (*p++ != '=')
			continue;
		while (*p == ' ' || *p == '\t')
			p++;
		p[strcspn(p, " \t\r\n")] = '\0';
		if (*p == '/')
			snprintf(buf, n, "%s", p);
	}
	fclose(f);
}

static int system_logs(struct llr_inputs *out, struct llr_input_err *e)
{
	char path[1024];
	log_file_path(path, sizeof(path));
	char *slash = strrchr(path, '/');
	*slash = '\0';
	int before = out->n;
	if (list_dir(path[0] ? path : "/", slash + 1, out, e))
		return -1;
	if (out->n == before) {
		*slash = '/';
		set_err(e, path, ENOENT, "no audit log found");
		return -1;
	}
	return 0;
}

int llr_input_expand(const char **inputs, int ninputs, int use_stdin, struct llr_inputs *out,
                     struct llr_input_err *e)
{
	memset(out, 0, sizeof(*out));
	if (!ninputs && !use_stdin)
		return system_logs(out, e);
	if (use_stdin)
		push(&out->paths, &out->n, "-");
	for (int i = 0; i < ninputs; i++) {
		struct stat st;
		if (!strcmp(inputs[i], "-")) {
			push(&out->paths, &out->n, "-");
			continue;
		}
		if (stat(inputs[i], &st)) {
			set_err(e, inputs[i], errno, "cannot read input");
			llr_inputs_free(out);
			return -1;
		}
		if (S_ISDIR(st.st_mode)) {
			int before = out->n;
			/* a log directory: audit.log and rotations if present, else all files */
			if (list_dir(inputs[i], "audit.log", out, e) ||
			    (out->n == before && list_dir(inputs[i], NULL, out, e))) {
				llr_inputs_free(out);
				return -1;
			}
		} else {
			push(&out->paths, &out->n, inputs[i]);
		}
	}
	return 0;
}

void llr_input_lines(const char *buf, size_t len, llr_line_cb cb, void *arg)
{
	const char *p = buf, *end = buf + len;
	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t l = nl ? (size_t)(nl - p) : (size_t)(end - p);
		cb(arg, p, l);
		p += l + 1;
	}
}

/* ---- ordering ---------------------------------------------------------- */

int64_t llr_input_first_time(const char *path)
{
	gzFile gz = gzopen(path, "rbe");
	char *buf = llr_xmalloc(65537);
	int64_t t = -1;
	if (!gz) {
		free(buf);
		return -1;
	}
	int k = gzread(gz, buf, 65536);
	gzclose(gz);
	for (const char *p = buf, *end = buf + (k > 0 ? k : 0); p < end && t < 0;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		if (!nl)
			break;
		struct llr_hdr h;
		if (!llr_parse_header(p, (size_t)(nl - p), &h))
			t = h.sec * 1000 + h.ms;
		p = nl + 1;
	}
	free(buf);
	return t;
}

/* "dir/base.N[.gz]" -> N and the length of "dir/base"; "dir/base" -> 0. */
static long rotation_of(const char *path, size_t *stem)
{
	const char *name = strrchr(path, '/');
	name = name ? name + 1 : path;
	size_t n = strlen(path);
	if (n > 3 && !strcmp(path + n - 3, ".gz"))
		n -= 3;
	const char *dot = memrchr(name, '.', (size_t)(path + n - name));
	char *e;
	long r = dot ? strtol(dot + 1, &e, 10) : 0;
	if (!dot || dot[1] < '0' || dot[1] > '9' || e != path + n || r <= 0) {
		*stem = strlen(path);
		return 0;
	}
	*stem = (size_t)(dot - path);
	return r;
}

struct order {
	char *path;
	size_t stem;
	long rot;
	int64_t first, group_first;
	int idx;
};

static int cmp_order(const void *a, const void *b)
{
	const struct order *x = a, *y = b;
	if (x->group_first != y->group_first)
		return x->group_first < y->group_first ? -1 : 1;
	int same = x->stem == y->stem && !strncmp(x->path, y->path, x->stem);
	if (same && x->rot != y->rot) /* a rotation: the higher number is older */
		return x->rot > y->rot ? -1 : 1;
	return x->idx - y->idx;
}

void llr_input_order(struct llr_inputs *in)
{
	/*
	 * Each run of files (stdin stays where it is) is read oldest first: a
	 * rotation (base.N .. base, the same base) by its numbers, which hold
	 * even when the records of several nodes' clocks interleave; other
	 * files, and rotations among themselves, by their first record's time
	 * (files with no record last).
	 */
	for (int lo = 0; lo < in->n;) {
		if (!strcmp(in->paths[lo], "-")) {
			lo++;
			continue;
		}
		int hi = lo;
		while (hi < in->n && strcmp(in->paths[hi], "-"))
			hi++;
		int n = hi - lo;
		if (n < 2) { /* one file: nothing to order, nothing to read ahead */
			lo = hi;
			continue;
		}
		struct order *v = llr_xcalloc((size_t)n, sizeof(*v));
		for (int i = 0; i < n; i++) {
			v[i].path = in->paths[lo + i];
			v[i].rot = rotation_of(v[i].path, &v[i].stem);
			v[i].first = INT64_MIN; /* not read yet: only oldest files are */
			v[i].idx = i;
		}
		for (int i = 0; i < n; i++) { /* a rotation starts where its oldest file does */
			int oldest = -1;      /* the first of the highest number */
			for (int k = 0; k < n; k++)
				if (v[k].stem == v[i].stem &&
				    !strncmp(v[k].path, v[i].path, v[i].stem) &&
				    (oldest < 0 || v[k].rot > v[oldest].rot))
					oldest = k;
			struct order *o = &v[oldest];
			if (o->first == INT64_MIN) {
				o->first = llr_input_first_time(o->path);
				if (o->first < 0)
					o->first = INT64_MAX;
			}
			v[i].group_first = o->first;
		}
		qsort(v, (size_t)n, sizeof(*v), cmp_order);
		for (int i = 0; i < n; i++)
			in->paths[lo + i] = v[i].path;
		free(v);
		lo = hi;
	}
}

/* ---- reading ------------------------------------------------------------ */

struct lines {
	llr_line_cb cb;
	llr_block_cb block;
	llr_release_cb release;
	llr_parsed_cb parsed;
	void *arg;
	struct llr_input_res *res;
	uint64_t bytes;
};

static void emit(struct lines *l, const char *p, size_t n)
{
	l->res->lines++;
	l->cb(l->arg, p, n);
}

/* The complete lines of [p, end): returns where the rest starts. */
static const char *lines_of(struct lines *l, const char *p, const char *end)
{
	if (l->block)
		return p + l->block(l->arg, p, (size_t)(end - p), &l->res->lines);
	const char *nl;
	while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
		emit(l, p, (size_t)(nl - p));
		p = nl + 1;
	}
	return p;
}

static void release(struct lines *l)
{
	if (l->release)
		l->release(l->arg);
}

/*
 * Plain regular files: map a window at a time (no copy into a buffer), and
 * unmap it after its lines, so the resident set stays at two windows.  A
 * helper thread maps (and populates) the next window while this one is
 * read: the kernel's part of the work overlaps the parsing.  A line
 * crossing a window boundary is carried in a small heap buffer.
 */
#define WINDOW ((off_t)4 * 1024 * 1024)

/* At most this many lines of a window are parsed ahead (bounded memory);
 * the rest of the window is read as a block. */
#define AHEAD 32768

struct win {
	char *m;
	size_t len;
	off_t off;
	int err;
	struct llr_line *v; /* the lines of [from, to) with their headers */
	size_t n;
	const char *from, *to;
};

struct mapper {
	int fd;
	off_t size, next;
	pthread_t th;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct win ready; /* the next window, when have_ready */
	int have_ready, stop, running;
	struct llr_line *ahead[2]; /* NULL: no parsing ahead */
	unsigned k;                /* windows mapped */
};

static struct win map_window(int fd, off_t size, off_t off)
{
	struct win w = {
	    NULL, (size_t)(size - off < WINDOW ? size - off : WINDOW), off, 0, NULL, 0, NULL, NULL};
	w.m = mmap(NULL, w.len, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, off);
	if (w.m == MAP_FAILED) {
		w.m = NULL;
		w.err = errno;
	} else {
		madvise(w.m, w.len, MADV_SEQUENTIAL);
	}
	return w;
}

/* The complete lines after the window's first '\n' (the line before it
 * may continue one carried from the previous window), parsed. */
static void parse_ahead(struct win *w, struct llr_line *v)
{
	const char *end = w->m + w->len;
	const char *p = memchr(w->m, '\n', w->len), *nl;
	if (!p)
		return;
	p++;
	w->v = v;
	w->from = p;
	while (w->n < AHEAD && (nl = memchr(p, '\n', (size_t)(end - p)))) {
		struct llr_line *l = &v[w->n++];
		l->p = p;
		l->len = (size_t)(nl - p);
		l->r = llr_parse_header(p, l->len, &l->h);
		p = nl + 1;
	}
	w->to = p;
}

static void *mapper_main(void *arg)
{
	struct mapper *mp = arg;
	pthread_mutex_lock(&mp->mu);
	while (!mp->stop && mp->next < mp->size) {
		while (mp->have_ready && !mp->stop)
			pthread_cond_wait(&mp->cv, &mp->mu);
		if (mp->stop)
			break;
		off_t off = mp->next;
		/* the reader has taken the window before: it is done with the one
		 * before that, and with its array */
		struct llr_line *v = mp->ahead[mp->k++ & 1];
		pthread_mutex_unlock(&mp->mu);
		struct win w = map_window(mp->fd, mp->size, off);
		if (!w.err && v)
			parse_ahead(&w, v);
		pthread_mutex_lock(&mp->mu);
		mp->ready = w;
		mp->have_ready = 1;
		mp->next = w.err ? mp->size : off + (off_t)w.len;
		pthread_cond_broadcast(&mp->cv);
	}
	pthread_mutex_unlock(&mp->mu);
	return NULL;
}
/* The next window, in order; mapped here if the helper could not start. */
static struct win next_window(struct mapper *mp, off_t off)
{
	if (!mp->running)
		return map_window(mp->fd, mp->size, off);
	pthread_mutex_lock(&mp->mu);
	while (!mp->have_ready)
		pthread_cond_wait(&mp->cv, &mp->mu);
	struct win w = mp->ready;
	mp->have_ready = 0;
	pthread_cond_broadcast(&mp->cv);
	pthread_mutex_unlock(&mp->mu);
	return w;
}

static void mapper_stop(struct mapper *mp)
{
	if (!mp->running)
		return;
	pthread_mutex_lock(&mp->mu);
	mp->stop = 1;
	pthread_cond_broadcast(&mp->cv);
	pthread_mutex_unlock(&mp->mu);
	pthread_join(mp->th, NULL);
	if (mp->have_ready && mp->ready.m)
		munmap(mp->ready.m, mp->ready.len);
	pthread_mutex_destroy(&mp->mu);
	pthread_cond_destroy(&mp->cv);
}

static int read_mapped(int fd, off_t size, struct lines *l)
{
	char *carry = NULL;
	size_t clen = 0, ccap = 0;
	int skipping = 0, rc = 0;
	struct mapper mp = {.fd = fd, .size = size};
	if (size > WINDOW && l->parsed)
		for (int i = 0; i < 2; i++)
			mp.ahead[i] = llr_xmalloc(AHEAD * sizeof(struct llr_line));
	pthread_mutex_init(&mp.mu, NULL);
	pthread_cond_init(&mp.cv, NULL);
	mp.running = size > WINDOW && !pthread_create(&mp.th, NULL, mapper_main, &mp);
	if (!mp.running) {
		pthread_mutex_destroy(&mp.mu);
		pthread_cond_destroy(&mp.cv);
	}
	for (off_t off = 0; off < size; off += WINDOW) {
		struct win w = next_window(&mp, off);
		if (w.err) {
			errno = w.err;
			rc = -1;
			break;
		}
		char *m = w.m;
		size_t len = w.len;
		const char *p = m, *end = m + len;
		const char *nl = memchr(p, '\n', len);
		if (clen || skipping) { /* finish the carried line */
			size_t head = nl ? (size_t)(nl - p) : len;
			if (!skipping && clen + head > LLR_MAX_LINE) {
				skipping = 1;
				l->res->long_lines++;
			}
			if (!skipping) {
				if (clen + head > ccap) {
					ccap = clen + head + 4096;
					carry = llr_xrealloc(carry, ccap);
				}
				memcpy(carry + clen, p, head);
				clen += head;
			}
			if (!nl) {
				release(l);
				munmap(m, len);
				continue;
			}
			if (!skipping)
				emit(l, carry, clen);
			clen = 0;
			skipping = 0;
			p = nl + 1;
			nl = memchr(p, '\n', (size_t)(end - p));
		}
		if (nl && w.v && p == w.from) { /* the lines parsed ahead */
			l->res->lines += w.n;
			l->parsed(l->arg, w.v, w.n);
			p = w.to;
			nl = memchr(p, '\n', (size_t)(end - p));
		}
		if (nl)
			p = lines_of(l, p, end);
		release(l); /* the window and the carried line are reused */
		if (p < end) {
			size_t rest = (size_t)(end - p);
			if (rest > LLR_MAX_LINE) {
				skipping = 1;
				l->res->long_lines++;
			} else {
				if (rest > ccap) {
					ccap = rest + 4096;
					carry = llr_xrealloc(carry, ccap);
				}
				memcpy(carry, p, rest);
				clen = rest;
			}
		}
		munmap(m, len);
		l->bytes = (uint64_t)off + len;
	}
	mapper_stop(&mp);
	free(mp.ahead[0]);
	free(mp.ahead[1]);
	if (!rc && clen && !skipping)
		l->res->partial_last = 1; /* a record being written, or cut: not read */
	free(carry);
	return rc;
}

static void zlib_err(struct llr_input_err *e, const char *path, gzFile gz, struct lines *l)
{
	int zerr = 0;
	const char *msg = gzerror(gz, &zerr);
	set_err(e, path, zerr == Z_ERRNO ? errno : 0,
	        zerr == Z_BUF_ERROR ? "truncated (compressed data ends early)"
	                            : "corrupt compressed data");
	if (msg && !strncmp(msg, "<fd:", 4) && strstr(msg, ">: "))
		msg = strstr(msg, ">: ") + 3; /* gzdopen names the file <fd:N> */
	snprintf(e->detail, sizeof(e->detail), "%s", msg ? msg : "zlib error");
	e->line = l->res->lines;
	e->offset = l->bytes;
}

/* gzip files and stdin, through zlib. */
static int read_gz(int fd, const char *path, int is_stdin, struct lines *l, struct llr_input_err *e)
{
	gzFile gz = gzdopen(fd, "rb");
	if (!gz) {
		close(fd);
		set_err(e, path, ENOMEM, "cannot start the gzip reader");
		return -1;
	}
	gzbuffer(gz, 32 * 1024); /* what zlib inflates at once, and may lose */
	size_t cap = BLOCK, have = 0;
	char *buf = llr_xmalloc(cap);
	int skipping = 0, rc = 0;
	for (;;) {
		/* small reads: zlib drops what one call inflated if it then fails */
		size_t want = cap - have < 65536 ? cap - have : 65536;
		int k = gzread(gz, buf + have, (unsigned)want);
		int zerr = 0;
		if (k == 0)
			gzerror(gz, &zerr);
		if (k < 0 || (zerr && zerr != Z_OK)) {
			zlib_err(e, path, gz, l);
			rc = -1;
			break;
		}
		if (k == 0) {
			if (have && !skipping) {
				if (is_stdin)
					emit(l, buf, have);
				else
					l->res->partial_last = 1;
			}
			break;
		}
		l->bytes += (uint64_t)k;
		size_t len = have + (size_t)k;
		const char *p = buf, *end = buf + len;
		if (skipping) { /* the rest of an over-long line */
			const char *nl = memchr(p, '\n', (size_t)(end - p));
			if (nl) {
				skipping = 0;
				p = nl + 1;
			} else {
				p = end;
			}
		}
		if (!skipping)
			p = lines_of(l, p, end);
		have = (size_t)(end - p);
		release(l);        /* the buffer is refilled */
		if (have == cap) { /* one line fills the buffer */
			if (cap < LLR_MAX_LINE * 2) {
				cap *= 2;
				buf = llr_xrealloc(buf, cap);
			} else {
				if (!skipping)
					l->res->long_lines++;
				skipping = 1;
				have = 0;
			}
		} else if (have && p != buf) {
			memmove(buf, p, have);
		}
	}
	free(buf);
	gzclose(gz);
	return rc;
}

int llr_input_read(const char *path, const struct llr_reader *rd, struct llr_input_err *e,
                   struct llr_input_res *res)
{
	int is_stdin = !strcmp(path, "-");
	const char *name = is_stdin ? "stdin" : path;
	unsigned char magic[2];
	struct stat st;
	struct lines l = {rd->line, rd->block, rd->release, rd->parsed, rd->arg, res, 0};

	memset(res, 0, sizeof(*res));
	int fd = is_stdin ? dup(0) : open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		set_err(e, name, errno, "cannot open input");
		return -1;
	}
	if (!is_stdin && !(pread(fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) &&
	    fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
		posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
		int rc = st.st_size ? read_mapped(fd, st.st_size, &l) : 0;
		if (rc) {
			set_err(e, name, errno, "read error");
			e->line = res->lines;
			e->offset = l.bytes;
		}
		close(fd);
		return rc;
	}
	return read_gz(fd, name, is_stdin, &l, e);
}

FILE *llr_open_output(const char *path)
{
	int fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0640);
	if (fd < 0)
		return NULL;
	FILE *f = fdopen(fd, "a");
	if (!f)
		close(fd);
	return f;
}
