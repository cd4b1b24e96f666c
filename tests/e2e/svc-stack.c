/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * svc-stack - runs a program inside N harmless Landlock layers.
 *
 * usage: svc-stack N PROGRAM [ARGS...]
 *
 * Each layer handles only fs.make_block and grants it nowhere, which no
 * service here needs.  With N = 16 (the kernel's limit) every further
 * landlock_restrict_self() fails with E2BIG: the tests use it to make
 * pam_landlock's enforcement fail inside a real service and check that the
 * session then gets no shell.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <unistd.h>

#ifndef __NR_landlock_create_ruleset
#define __NR_landlock_create_ruleset 444
#endif
#ifndef __NR_landlock_restrict_self
#define __NR_landlock_restrict_self 446
#endif
#define MAKE_BLOCK (1ULL << 11) /* LANDLOCK_ACCESS_FS_MAKE_BLOCK, ABI 1 */

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: svc-stack N PROGRAM [ARGS...]\n");
		return 2;
	}
	char *end;
	long n = strtol(argv[1], &end, 10);
	if (*end || n < 0 || n > 64) {
		fprintf(stderr, "svc-stack: bad layer count '%s'\n", argv[1]);
		return 2;
	}
	for (long i = 0; i < n; i++) {
		uint64_t handled = MAKE_BLOCK;
		int fd = (int)syscall(__NR_landlock_create_ruleset, &handled, sizeof(handled), 0);
		if (fd < 0 || syscall(__NR_landlock_restrict_self, fd, 0) < 0) {
			fprintf(stderr, "svc-stack: layer %ld: %s\n", i + 1, strerror(errno));
			return 1;
		}
		close(fd);
	}
	execvp(argv[2], argv + 2);
	fprintf(stderr, "svc-stack: %s: %s\n", argv[2], strerror(errno));
	return 127;
}
