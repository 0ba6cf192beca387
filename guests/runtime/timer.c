/* SPDX-License-Identifier: BSD-3-Clause */
/* Sleeping on the EL1 virtual timer (guest/timer.h). */
#include "guest/runtime.h"

#define CNTV_CTL_ENABLE (1u << 0)

/* Per vCPU, written by the timer's handler on that vCPU. */
struct wake {
	bool fired;
	uint64_t at; /* the virtual counter when the handler ran */
};

static struct wake wakes[GUEST_MAX_CPUS];

static void cntv_ctl_write(uint64_t v)
{
	__asm__ volatile("msr cntv_ctl_el0, %0" ::"r"(v) : "memory");
}

static void cntv_cval_write(uint64_t v)
{
	__asm__ volatile("msr cntv_cval_el0, %0" ::"r"(v) : "memory");
}

uint64_t ns_to_counter(uint64_t ns)
{
	uint64_t f = counter_freq();

	/* In two parts, so that neither product overflows. */
	return ns / NSEC_PER_SEC * f +
	       (ns % NSEC_PER_SEC * f + NSEC_PER_SEC - 1) / NSEC_PER_SEC;
}

uint64_t counter_to_ns(uint64_t ticks)
{
	uint64_t f = counter_freq();

	return ticks / f * NSEC_PER_SEC + ticks % f * NSEC_PER_SEC / f;
}

static void timer_expired(unsigned int intid)
{
	uint64_t now = counter_now();
	struct wake *w = &wakes[cpu_index()];

	(void)intid;
	/* Off until the next sleep: the timer's condition stays true. */
	cntv_ctl_write(0);
	w->at = now;
	w->fired = true;
}

int timer_init(void)
{
	irq_set_handler(HF_VIRTUAL_TIMER_INTID, timer_expired);
	return hf_interrupt_enable(HF_VIRTUAL_TIMER_INTID, true);
}

uint64_t sleep_until(uint64_t deadline)
{
	struct wake *w = &wakes[cpu_index()];
	uint64_t flags = local_irq_save();
	uint64_t at;

	w->fired = false;
	cntv_cval_write(deadline);
	/* The new compare value first: enabling the timer with the last
	 * (past) one in effect would fire it at once. */
	__asm__ volatile("isb" ::: "memory");
	/* ENABLE with IMASK clear: this also clears hafnium's IMASK. */
	cntv_ctl_write(CNTV_CTL_ENABLE);
	while (!w->fired) {
		irq_wait();
	}
	at = w->at;
	local_irq_restore(flags);
	return at;
}

void sleep_ns(uint64_t ns)
{
	sleep_until(counter_now() + ns_to_counter(ns));
}
