/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * yield: hands its CPU straight back with FFA_YIELD, forever. `make bench`
 * times the primary's FFA_RUN round trip with it.
 */
#include "guest/runtime.h"

int main(const void *fdt)
{
	(void)fdt;
	for (;;) {
		ffa_yield();
	}
}
