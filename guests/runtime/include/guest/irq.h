/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Virtual interrupts of a secondary (uapi/hf/abi.h, "Virtual interrupts of
 * secondary VMs"): the HF_INTERRUPT_* calls, a table of handlers shared by
 * all vCPUs, and the IRQ mask (PSTATE.I).
 *
 * The state behind the calls is per vCPU: each vCPU enables the ids it
 * wants to take, on itself. An IRQ taken at EL1h (vectors.S) runs
 * irq_dispatch(), which acknowledges the pending ids one at a time, lowest
 * first, calls each one's handler with IRQs still masked and deactivates
 * it afterwards.
 *
 * A handler interrupts whatever its vCPU was doing. The console's line
 * buffer and lock are per vCPU and not reentrant: a vCPU whose handlers
 * print keeps IRQs masked while it prints itself, and unmasks them only
 * around its waits.
 */
#ifndef GUEST_IRQ_H
#define GUEST_IRQ_H

#include <stdbool.h>
#include <stdint.h>

#include "guest/cpu.h"

/* HF_INTERRUPT_ENABLE of intid on the calling vCPU (enable or disable).
 * Returns 0 or a negative FF-A error code (INVALID_PARAMETERS for a
 * reserved id). */
int hf_interrupt_enable(uint32_t intid, bool enable);

/* HF_INTERRUPT_GET: acknowledges the lowest enabled, pending, inactive id
 * of the calling vCPU, which becomes active. Returns it, or
 * HF_INVALID_INTID if there is none (or the call failed). */
uint32_t hf_interrupt_get(void);

/* HF_INTERRUPT_DEACTIVATE of an active id of the calling vCPU. Returns 0
 * or a negative FF-A error code (DENIED if it is not active). */
int hf_interrupt_deactivate(uint32_t intid);

/* HF_INTERRUPT_INJECT of software id intid into vCPU vcpu of VM vm_id.
 * Returns 1 if the id became pending, 0 if it was pending already (the two
 * merged), or a negative FF-A error code: INVALID_PARAMETERS for an id
 * that is not a software one or a bad vCPU, DENIED for another VM, the
 * primary or a VM that is not running. */
int hf_interrupt_inject(uint16_t vm_id, uint16_t vcpu, uint32_t intid);

/* Sets the handler of intid for every vCPU (NULL: none; an id without one
 * is reported on the console as unexpected). Set it before enabling the
 * id. Returns 0, or FFA_INVALID_PARAMETERS for intid >= HF_NUM_INTIDS. */
int irq_set_handler(uint32_t intid, void (*fn)(unsigned int intid));

/* What vectors.S calls for an IRQ: runs the handlers of every deliverable
 * id of this vCPU, then returns. */
void irq_dispatch(void);

/* Unmasks IRQs; the isb makes an IRQ already pending be taken before this
 * returns, so that enable + disable is a window in which it is taken. */
static inline void local_irq_enable(void)
{
	__asm__ volatile("msr daifclr, #2\n"
			 "isb" ::: "memory");
}

static inline void local_irq_disable(void)
{
	__asm__ volatile("msr daifset, #2" ::: "memory");
}

/* Whether IRQs are masked (PSTATE.I). */
static inline bool irqs_masked(void)
{
	uint64_t daif;

	__asm__ volatile("mrs %0, daif" : "=r"(daif));
	return daif & (1u << 7);
}

/* Masks IRQs and returns the previous mask, for local_irq_restore(). */
static inline uint64_t local_irq_save(void)
{
	uint64_t daif;

	__asm__ volatile("mrs %0, daif\n"
			 "msr daifset, #2"
			 : "=r"(daif)
			 :
			 : "memory");
	return daif;
}

static inline void local_irq_restore(uint64_t daif)
{
	__asm__ volatile("msr daif, %0\n"
			 "isb" ::"r"(daif)
			 : "memory");
}

/*
 * Waits for an interrupt and takes it. Call it with IRQs masked, in a
 * loop that checks what the handler sets:
 *	while (!done) irq_wait();
 * The handler cannot run between the check and the wfi, and the wfi
 * wakes for a pending IRQ even while it is masked: no wake-up is lost.
 */
static inline void irq_wait(void)
{
	wfi();
	local_irq_enable();
	local_irq_disable();
}

#endif /* GUEST_IRQ_H */
