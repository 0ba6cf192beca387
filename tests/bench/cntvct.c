// SPDX-License-Identifier: BSD-3-Clause
/*
 * Prints the virtual counter, CNTVCT_EL0, as "cntvct=<ticks>".
 *
 * /init runs it first thing in hafnium.mode=bench: under QEMU's
 * -icount shift=0 the counter (62.5 MHz) advances one tick per 16 executed
 * instructions from QEMU's start, so it measures the boot up to /init.
 * CNTVOFF_EL2 is 0 under hafnium, so the figure compares with a direct boot.
 */
#include <stdint.h>
#include <stdio.h>

int main(void)
{
	uint64_t ticks;

	/* The ISB keeps the read from being taken early. */
	asm volatile("isb; mrs %0, cntvct_el0" : "=r"(ticks));
	printf("cntvct=%llu\n", (unsigned long long)ticks);
	return 0;
}
