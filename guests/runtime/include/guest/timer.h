/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Time: the counters, and sleeping on the vCPU's EL1 virtual timer
 * (CNTV_*), which hafnium turns into HF_VIRTUAL_TIMER_INTID: when it fires
 * hafnium sets CNTV_CTL_EL0.IMASK and makes the id pending; rearming the
 * timer clears IMASK again.
 *
 * A vCPU that sleeps calls timer_init() once first: it enables the timer's
 * interrupt on that vCPU (without it, a sleep never ends).
 */
#ifndef GUEST_TIMER_H
#define GUEST_TIMER_H

#include <stdint.h>

#define NSEC_PER_SEC 1000000000ULL

/* The virtual counter: this VM's own (hafnium gives each secondary an
 * offset, so that it starts near 0). The isb keeps the read from being
 * done early, before the instructions in front of it. */
static inline uint64_t counter_now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n"
			 "mrs %0, cntvct_el0"
			 : "=r"(v)
			 :
			 : "memory");
	return v;
}

/* The physical counter: the one the primary and every VM see, for
 * timestamps compared outside this VM. */
static inline uint64_t physical_counter_now(void)
{
	uint64_t v;

	__asm__ volatile("isb\n"
			 "mrs %0, cntpct_el0"
			 : "=r"(v)
			 :
			 : "memory");
	return v;
}

/* Counter ticks per second (CNTFRQ_EL0; both counters tick at it). */
static inline uint64_t counter_freq(void)
{
	uint64_t v;

	__asm__ volatile("mrs %0, cntfrq_el0" : "=r"(v));
	return v;
}

/* ns in counter ticks, rounded up (a sleep is never shorter than asked). */
uint64_t ns_to_counter(uint64_t ns);
/* ticks in ns, rounded down. */
uint64_t counter_to_ns(uint64_t ticks);

/* Installs the timer's handler and enables HF_VIRTUAL_TIMER_INTID on the
 * calling vCPU. Returns 0 or a negative FF-A error code. */
int timer_init(void);

/* Sleeps (WFI: the physical CPU goes back to the primary) until the
 * virtual counter reaches deadline, with IRQs unmasked only while waiting:
 * other interrupts are taken meanwhile, and the IRQ mask is as before on
 * return. Returns the virtual counter read by the timer's handler, at or
 * after deadline. */
uint64_t sleep_until(uint64_t deadline);

/* Sleeps at least ns nanoseconds (sleep_until()). */
void sleep_ns(uint64_t ns);

#endif /* GUEST_TIMER_H */
