/* vCPUs. A primary vCPU is bound to its physical CPU and always runs there;
 * a secondary vCPU runs wherever the primary calls FFA_RUN for it, one CPU
 * at a time.
 *
 * Lock order: vm::lock, then vcpu::lock. */
#pragma once

#include "hf/arch/regs.h"
#include "hf/spinlock.h"
#include "hf/std.h"
#include "hf/virq.h"

struct vm;
struct cpu;

enum vcpu_state {
	VCPU_OFF,     /* not started, or PSCI CPU_OFF */
	VCPU_READY,   /* may be run */
	VCPU_RUNNING, /* on a CPU now */
};

struct vcpu {
	/* First, so that the vectors reach it from TPIDR_EL2. */
	struct arch_regs regs;
	struct spinlock lock;
	struct vm *vm;
	uint16_t index;
	enum vcpu_state state;
	/* In FFA_MSG_WAIT: the next run answers it (message or interrupt)
	 * or, with nothing to answer, tells the primary it still waits. */
	bool waiting_for_message;
	/* In WFI: FFA_RUN tells the primary it still waits until one of its
	 * interrupts is deliverable. */
	bool waiting_for_interrupt;
	struct virq interrupts;
	struct cpu *cpu; /* where it runs, while VCPU_RUNNING */
};

/* FF-A's encoding of a vCPU in w1 of FFA_RUN and its answers. */
static inline uint64_t vcpu_ffa_id(uint16_t vm_id, uint16_t index)
{
	return (uint64_t)vm_id << 16 | index;
}
