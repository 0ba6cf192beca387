/* SPDX-License-Identifier: BSD-3-Clause */
/* vCPU state changes shared by every call: interrupts raised from
 * elsewhere, and publishing a vCPU that left its CPU (leaving itself is
 * inline, hf/vcpu_exit.h). */
#include "hf/arch/vcpu.h"
#include "hf/cpu.h"
#include "hf/vcpu_exit.h"
#include "hf/vm.h"

void vcpu_raise_interrupt(struct vcpu *v, uint32_t intid)
{
	sl_lock(&v->lock);
	virq_raise(&v->interrupts, intid);
	sl_unlock(&v->lock);
}

void vcpu_saved(struct vcpu *v)
{
	/* While a vCPU runs, only the CPU it runs on changes its state (every
	 * other writer leaves a RUNNING vCPU alone), so it is published with
	 * a release store: whoever reads READY under the lock also sees every
	 * register saved before. */
	v->regs.leaving = 0;
	v->cpu = NULL;
	__atomic_store_n(&v->state, v->state_after_save, __ATOMIC_RELEASE);
}
