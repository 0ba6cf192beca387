/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sleeper: every vCPU of the device tree sleeps 50 ms on its virtual timer,
 * over and over, forever. vCPU 0 starts the others, prints
 * "sleeper: all asleep" once each has slept once, and sleeps on. A test
 * checks that such a VM leaves the primary's CPUs idle.
 */
#include "guest/runtime.h"
#include "guest/timer.h"

#define NAP_NS (50 * 1000 * 1000ULL)

static uint32_t napped;

static __attribute__((noreturn)) void nap_forever(void)
{
	bool counted = false;

	if (timer_init() != 0) {
		printf("sleeper: vCPU %u: cannot enable the timer\n",
		       cpu_index());
		psci_system_off();
	}
	for (;;) {
		sleep_ns(NAP_NS);
		if (!counted) {
			__atomic_fetch_add(&napped, 1, __ATOMIC_RELEASE);
			counted = true;
		}
	}
}

static void worker(uintptr_t arg)
{
	(void)arg;
	nap_forever();
}

int main(const void *blob)
{
	struct fdt fdt;
	int n;

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE) ||
	    (n = fdt_cpu_count(&fdt)) < 1 || n > GUEST_MAX_CPUS) {
		printf("sleeper: no usable cpus in the device tree\n");
		return 1;
	}
	for (int i = 1; i < n; i++) {
		if (cpu_start((unsigned int)i, worker, 0) != PSCI_SUCCESS) {
			printf("sleeper: CPU_ON of vCPU %d failed\n", i);
			return 1;
		}
	}
	if (timer_init() != 0) {
		printf("sleeper: cannot enable the timer\n");
		return 1;
	}
	while (__atomic_load_n(&napped, __ATOMIC_ACQUIRE) < (uint32_t)n - 1) {
		sleep_ns(NAP_NS);
	}
	printf("sleeper: all asleep\n");
	console_flush();
	nap_forever();
}
