/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * timer: sleeps TIMER_SLEEP_NS on its virtual timer TIMER_WAKES times, on
 * vCPU 0. For each wake-up it prints how late the timer's handler ran
 * after the deadline, "timer: wake <i> drift <us> us", and at the end
 * "timer: <N> wake-ups, max drift <us> us". A handler that runs before
 * the deadline is a failure. First it prints both counters,
 * "timer: counters virtual <v> physical <p>": the virtual one is this
 * VM's own, offset to start near 0 when the VM starts.
 */
#include "guest/runtime.h"

#define TIMER_WAKES 100
#define TIMER_SLEEP_NS 10000000ULL

int main(const void *fdt)
{
	uint64_t max_us = 0;
	int ret;

	(void)fdt;
	if (counter_freq() == 0) {
		printf("timer: CNTFRQ_EL0 is 0\n");
		return 1;
	}
	printf("timer: counters virtual %lu physical %lu\n",
	       (unsigned long)counter_now(),
	       (unsigned long)physical_counter_now());
	ret = timer_init();
	if (ret != 0) {
		printf("timer: enabling the timer interrupt failed: %d\n", ret);
		return 1;
	}
	for (unsigned int i = 1; i <= TIMER_WAKES; i++) {
		uint64_t deadline, woke, us;

		deadline = counter_now() + ns_to_counter(TIMER_SLEEP_NS);
		woke = sleep_until(deadline);

		if (woke < deadline) {
			printf("timer: wake %u %lu ticks before the deadline\n",
			       i, (unsigned long)(deadline - woke));
			return 1;
		}
		us = counter_to_ns(woke - deadline) / 1000;
		printf("timer: wake %u drift %lu us\n", i, (unsigned long)us);
		if (us > max_us) {
			max_us = us;
		}
	}
	printf("timer: %d wake-ups, max drift %lu us\n", TIMER_WAKES,
	       (unsigned long)max_us);
	return 0;
}
