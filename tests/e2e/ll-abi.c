/* SPDX-License-Identifier: BSD-3-Clause */
/* ll-abi: prints the running kernel's Landlock ABI (0 when unavailable). */
#include "config.h"

#include <stdio.h>

#include "sandbox.h"

int main(void)
{
	int abi = ll_abi_probe();
	printf("%d\n", abi > 0 ? abi : 0);
	return 0;
}
