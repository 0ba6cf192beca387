/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * irqcount: enables the software interrupts on vCPU 0, prints
 * "irqcount: ready" and takes them forever, waiting in WFI. Ids 16..62
 * are counted, each with the physical counter (the primary's too) at its
 * latest delivery. Three have a job besides:
 *   61  "spin": prints "irqcount: spinning", and from then on vCPU 0 spins
 *       instead of waiting in WFI (IRQs still unmasked), to time
 *       injection into a running vCPU;
 *   62  "timestamp": prints "irqcount: at <CNTPCT>", the physical counter
 *       as its handler starts, to time injection to handler;
 *   63  "report": prints "irqcount: intid <i> count <n> last at <CNTPCT>"
 *       for each counted id delivered so far, then "irqcount: total <T>"
 *       last, so that a reader waiting for the total has them all.
 * 63 itself is not counted.
 */
#include "guest/runtime.h"

#define SPIN_INTID (HF_SOFTWARE_INTID_LAST - 2)
#define TIMESTAMP_INTID (HF_SOFTWARE_INTID_LAST - 1)
#define REPORT_INTID HF_SOFTWARE_INTID_LAST

/* Only vCPU 0 takes interrupts: no sharing. */
static uint64_t counts[HF_NUM_INTIDS];
static uint64_t last_at[HF_NUM_INTIDS];
/* Set by SPIN_INTID's handler, read by main between interrupts. */
static bool spinning;

static void record(unsigned int intid, uint64_t at)
{
	counts[intid]++;
	last_at[intid] = at;
}

static void counted(unsigned int intid)
{
	record(intid, physical_counter_now());
}

static void spin(unsigned int intid)
{
	record(intid, physical_counter_now());
	printf("irqcount: spinning\n");
	__atomic_store_n(&spinning, true, __ATOMIC_RELAXED);
}

static void timestamp(unsigned int intid)
{
	uint64_t at = physical_counter_now();

	record(intid, at);
	printf("irqcount: at %lu\n", (unsigned long)at);
}

static void report(unsigned int intid)
{
	uint64_t total = 0;

	(void)intid;
	for (unsigned int i = HF_SOFTWARE_INTID_FIRST; i < REPORT_INTID; i++) {
		if (counts[i] == 0) {
			continue;
		}
		printf("irqcount: intid %u count %lu last at %lu\n", i,
		       (unsigned long)counts[i], (unsigned long)last_at[i]);
		total += counts[i];
	}
	printf("irqcount: total %lu\n", (unsigned long)total);
}

int main(const void *fdt)
{
	(void)fdt;
	for (unsigned int i = HF_SOFTWARE_INTID_FIRST;
	     i <= HF_SOFTWARE_INTID_LAST; i++) {
		irq_set_handler(i, counted);
	}
	irq_set_handler(SPIN_INTID, spin);
	irq_set_handler(TIMESTAMP_INTID, timestamp);
	irq_set_handler(REPORT_INTID, report);
	for (unsigned int i = HF_SOFTWARE_INTID_FIRST;
	     i <= HF_SOFTWARE_INTID_LAST; i++) {
		int ret = hf_interrupt_enable(i, true);

		if (ret != 0) {
			printf("irqcount: enabling intid %u failed: %d\n", i,
			       ret);
			return 1;
		}
	}
	printf("irqcount: ready\n");
	/* The handlers print: IRQs are unmasked only from here on, where
	 * nothing else prints. */
	local_irq_enable();
	while (!__atomic_load_n(&spinning, __ATOMIC_RELAXED)) {
		wfi();
	}
	for (;;) {
	}
}
