// SPDX-License-Identifier: BSD-3-Clause
/*
 * Times a null hypercall round trip from the primary's kernel against a
 * null system call round trip, in one boot (hafnium.mode=bench-calls).
 *
 * The hypercall loop runs in hf_abi_test.ko ("bench N": N FFA_VERSION
 * calls with interrupts off); the system call loop is N getppid() calls
 * here (syscalls.h, as the KVM bench times it). Both are timed with
 * CNTVCT_EL0, which under QEMU's -icount shift=0 advances one tick per 16
 * executed instructions. Prints
 * "hvc calls=N ticks=T" and "getppid calls=N ticks=T".
 */
#include <stdio.h>
#include <string.h>

#include "../kselftest/hf_util.h"
#include "syscalls.h"

#define CALLS 100000
#define ABI_MODULE "/lib/hafnium/tests/hf_abi_test.ko"
#define ABI_PROC "/proc/hf_abi_test"

int main(void)
{
	unsigned long calls;
	unsigned long long ticks;
	char cmd[32];
	char out[256];
	int ret;

	ret = load_module(ABI_MODULE);
	if (ret) {
		fprintf(stderr, "calls: %s: %s\n", ABI_MODULE, strerror(-ret));
		return 1;
	}
	snprintf(cmd, sizeof(cmd), "bench %d", CALLS);
	ret = proc_command(ABI_PROC, cmd, out, sizeof(out));
	if (ret || sscanf(out, "calls %lu ticks %llu", &calls, &ticks) != 2) {
		fprintf(stderr, "calls: %s: %s\n", ABI_PROC,
			ret ? strerror(-ret) : out);
		return 1;
	}
	printf("hvc calls=%lu ticks=%llu\n", calls, ticks);

	bench_getppid();
	return 0;
}
