/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * fuzz_policy.c - fuzz harness for the landlock.conf loader and resolver.
 *
 * Built two ways: with clang -fsanitize=fuzzer as a libFuzzer target
 * ("make fuzz-policy"), and as a plain program that replays the files given
 * on its command line (the committed corpus, in "make check"), so the
 * harness itself is exercised in CI.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "policy.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char path[] = "/tmp/fuzz-policy-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0)
		return 0;
	if (write(fd, data, size) != (ssize_t)size) {
		close(fd);
		unlink(path);
		return 0;
	}
	close(fd);
	struct ll_policy *pol = NULL;
	struct ll_diag diag;
	if (ll_policy_load(path, 0, &pol, NULL, &diag, NULL) == 0) {
		/* Resolve every profile and run every match entry. */
		for (size_t i = 0; i < pol->nprofiles; i++) {
			struct ll_resolved r;
			if (ll_policy_resolve(pol, pol->profiles[i].name, &r, &diag) == 0)
				ll_resolved_free(&r);
		}
		char staff[] = "staff", users[] = "users", alice[] = "alice";
		char home[] = "/home/alice", sshd[] = "sshd";
		char *groups[] = { staff, users };
		struct ll_identity id = { .user = alice, .uid = 1000, .gid = 1000, .home = home,
			                  .groups = groups, .ngroups = 2, .by_name = true, .service = sshd };
		struct ll_decision dec;
		(void)ll_policy_decide(pol, &id, &dec, &diag);
		for (size_t i = 0; i < pol->nprofiles; i++)
			for (size_t j = 0; j < pol->profiles[i].nfs; j++)
				free(ll_expand(pol->profiles[i].fs[j].path, &id, path, 0, &diag));
		ll_policy_free(pol);
	}
	unlink(path);
	return 0;
}

#ifndef LL_LIBFUZZER
int main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		FILE *f = fopen(argv[i], "rb");
		if (!f) {
			fprintf(stderr, "fuzz_policy: cannot open %s\n", argv[i]);
			return 1;
		}
		static uint8_t buf[LL_POLICY_MAX_SIZE + 16];
		size_t n = fread(buf, 1, sizeof(buf), f);
		fclose(f);
		LLVMFuzzerTestOneInput(buf, n);
	}
	printf("fuzz_policy: replayed %d input(s)\n", argc - 1);
	return 0;
}
#endif
