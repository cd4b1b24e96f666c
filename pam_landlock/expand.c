/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * expand.c - path variables: ${HOME}, ${USER}, ${UID}, ${GID}.
 *
 * Called at load time with no identity to check the syntax, and at session
 * time with the user's identity to produce the real path.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "policy.h"

#define VAR_HINT "variables are ${HOME}, ${USER}, ${UID} and ${GID}"

static int append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		size_t nc = (*cap ? *cap * 2 : 64) + n;
		char *nb = realloc(*buf, nc);
		if (!nb)
			return -1;
		*buf = nb;
		*cap = nc;
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
	return 0;
}

char *ll_expand(const char *in, const struct ll_identity *id, const char *file, int line,
                struct ll_diag *diag)
{
	char *out = NULL, num[32];
	size_t len = 0, cap = 0;

	if (append(&out, &len, &cap, "", 0) < 0)
		goto oom;
	for (const char *c = in; *c;) {
		if (c[0] != '$') {
			const char *next = strchr(c, '$');
			size_t n = next ? (size_t)(next - c) : strlen(c);
			if (append(&out, &len, &cap, c, n) < 0)
				goto oom;
			c += n;
			continue;
		}
		const char *close = c[1] == '{' ? strchr(c + 2, '}') : NULL;
		if (!close) {
			ll_diag_set(diag, file, line, VAR_HINT, "bad variable syntax in path '%s'", in);
			goto fail;
		}
		size_t vl = (size_t)(close - c - 2);
		const char *name = c + 2, *val;
		if (vl == 4 && strncmp(name, "HOME", 4) == 0)
			val = id ? id->home : "/home/x";
		else if (vl == 4 && strncmp(name, "USER", 4) == 0)
			val = id ? id->user : "x";
		else if (vl == 3 && strncmp(name, "UID", 3) == 0) {
			snprintf(num, sizeof(num), "%u", id ? (unsigned)id->uid : 0U);
			val = num;
		} else if (vl == 3 && strncmp(name, "GID", 3) == 0) {
			snprintf(num, sizeof(num), "%u", id ? (unsigned)id->gid : 0U);
			val = num;
		} else {
			ll_diag_set(diag, file, line, VAR_HINT, "unknown variable '${%.*s}' in path '%s'",
			            (int)vl, name, in);
			goto fail;
		}
		if (!val || !val[0]) {
			ll_diag_set(diag, file, line, "give the user a home directory in passwd",
			            "'${%.*s}' is empty for this user (path '%s')", (int)vl, name, in);
			goto fail;
		}
		if (append(&out, &len, &cap, val, strlen(val)) < 0)
			goto oom;
		c = close + 1;
	}
	if (out[0] != '/') {
		ll_diag_set(diag, file, line, "paths must be absolute (start with / or ${HOME})",
		            "path '%s' is not absolute", in);
		goto fail;
	}
	for (const char *c = out; (c = strstr(c, "..")) != NULL; c += 2) {
		if (c[-1] == '/' && (c[2] == '/' || c[2] == '\0')) {
			ll_diag_set(diag, file, line, "write the path without '..' components",
			            "path '%s' contains '..'", in);
			goto fail;
		}
	}
	return out;
oom:
	ll_diag_set(diag, file, line, NULL, "out of memory");
fail:
	free(out);
	return NULL;
}
