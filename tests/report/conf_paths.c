/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * conf_paths.c - test helper: read FILE with libconfig itself and print the
 * path of every entry of its "filesystem" list, hex-encoded, one per line,
 * so that the differential test can check that aulandlock --suggest writes
 * strings libconfig reads back as the same bytes.  Exit 1 with libconfig's
 * message if FILE does not parse.
 */
#include "config.h"

#include <libconfig.h>
#include <stdio.h>
#include <string.h>

int main(int argc, char **argv)
{
	config_t c;
	if (argc != 2) {
		fputs("usage: conf_paths FILE\n", stderr);
		return 2;
	}
	config_init(&c);
	if (!config_read_file(&c, argv[1])) {
		fprintf(stderr, "%s:%d: %s\n", argv[1], config_error_line(&c),
		        config_error_text(&c));
		config_destroy(&c);
		return 1;
	}
	const config_setting_t *fs = config_lookup(&c, "filesystem");
	for (int i = 0; fs && i < config_setting_length(fs); i++) {
		const char *p = NULL;
		if (!config_setting_lookup_string(config_setting_get_elem(fs, (unsigned)i), "path",
		                                  &p))
			continue;
		for (const unsigned char *q = (const unsigned char *)p; *q; q++)
			printf("%02x", *q);
		putchar('\n');
	}
	config_destroy(&c);
	return 0;
}
