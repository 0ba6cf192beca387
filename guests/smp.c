/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * smp: vCPU 0 starts every other vCPU its device tree lists (PSCI CPU_ON);
 * each prints "smp: vCPU <i> of <n> running" and counts itself in; vCPU 0
 * waits for all (yielding to the primary meanwhile), prints
 * "smp: all <n> vCPUs ran" and powers off.
 */
#include "guest/runtime.h"

static unsigned int ncpus;
static uint32_t ran;

static void report(void)
{
	printf("smp: vCPU %u of %u running\n", cpu_index(), ncpus);
	/* The line is out (sent under the console lock) before the count. */
	__atomic_fetch_add(&ran, 1, __ATOMIC_RELEASE);
	sev();
}

static void worker(uintptr_t index)
{
	if (index != cpu_index()) {
		printf("smp: vCPU %u started as vCPU %u\n", cpu_index(),
		       (unsigned int)index);
	}
	report();
}

int main(const void *blob)
{
	struct fdt fdt;
	int n;
	unsigned int failed = 0;

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE) ||
	    (n = fdt_cpu_count(&fdt)) < 1) {
		printf("smp: no cpus in the device tree\n");
		return 1;
	}
	if (n > GUEST_MAX_CPUS) {
		printf("smp: %d vCPUs, the runtime supports %d\n", n,
		       GUEST_MAX_CPUS);
		return 1;
	}
	ncpus = (unsigned int)n;
	report();
	for (unsigned int i = 1; i < ncpus; i++) {
		int ret = cpu_start(i, worker, i);

		if (ret != PSCI_SUCCESS) {
			printf("smp: CPU_ON of vCPU %u failed: %d\n", i, ret);
			failed++;
		}
	}
	/* Every other vCPU may be waiting for this physical CPU: give it
	 * back to the primary until they all have run. */
	while (__atomic_load_n(&ran, __ATOMIC_ACQUIRE) < ncpus - failed) {
		ffa_yield();
	}
	if (failed != 0) {
		printf("smp: only %u of %u vCPUs ran\n", ncpus - failed, ncpus);
		return 1;
	}
	printf("smp: all %u vCPUs ran\n", ncpus);
	return 0;
}
