/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * yieldfp: like yield, but writes a SIMD register (an Advanced SIMD
 * instruction, which streaming mode would not allow) before each
 * FFA_YIELD, so that every run takes hafnium's lazy FP switch: `make
 * bench` times what that costs (on a CPU with SVE it includes saving and
 * restoring the primary's whole Z, P and FFR registers).
 */
#include "guest/runtime.h"

#define CPACR_EL1_FPEN (3ull << 20)

int main(const void *fdt)
{
	uint64_t cpacr;

	(void)fdt;
	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0\n\tisb"
			 : : "r"(cpacr | CPACR_EL1_FPEN));
	for (;;) {
		__asm__ volatile("movi v0.2d, #0");
		ffa_yield();
	}
}
