/* SPDX-License-Identifier: BSD-3-Clause */
/* vCPUs. A primary vCPU is bound to its physical CPU and always runs there;
 * a secondary vCPU runs wherever the primary calls FFA_RUN for it, one CPU
 * at a time.
 *
 * vcpu::lock guards state, cpu, the waiting flags and the virtual
 * interrupts (hf/virq.h says who may change what without it); only the
 * CPU a vCPU runs on changes a RUNNING vCPU's state, and it publishes the
 * state it leaves in with a release store (vcpu_saved). A vCPU is
 * READY (runnable by any CPU) only once its whole register file is saved:
 * the CPU it leaves marks it so only after the vectors have stored its
 * last registers (vcpu_saved). Until then it stays RUNNING, so that no
 * FFA_RUN, CPU_ON or VM destroy can touch it half-saved. */
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
	/* When it leaves (regs.leaving set by the CPU that runs it), it still
	 * runs until vcpu_saved, and then takes this state. */
	enum vcpu_state state_after_save;
};

/* Makes a virtual interrupt of v pending (v's lock not held). */
void vcpu_raise_interrupt(struct vcpu *v, uint32_t intid);

/* Called by the vectors once every register of v, which just left this
 * CPU (regs.leaving set), is saved: publishes the state it left in. */
void vcpu_saved(struct vcpu *v);

/* FF-A's encoding of a vCPU in w1 of FFA_RUN and its answers. */
static inline uint64_t vcpu_ffa_id(uint16_t vm_id, uint16_t index)
{
	return (uint64_t)vm_id << 16 | index;
}
