/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * spin: one line, then pure computation forever (no WFI, no hypercalls):
 * the primary can only get its CPU back by preemption, and end the VM with
 * HF_VM_STOP.
 */
#include "guest/runtime.h"

int main(const void *fdt)
{
	uint64_t x = 1;

	(void)fdt;
	printf("spin: spinning\n");
	console_flush();
	for (;;) {
		x = x * 6364136223846793005ull + 1442695040888963407ull;
		/* Keeps the loop (and x) without touching memory. */
		__asm__ volatile("" : "+r"(x));
	}
}
