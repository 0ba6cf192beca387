/* SPDX-License-Identifier: BSD-3-Clause */
/* Host stand-ins for vCPU state: registers are plain memory, a switch only
 * records which vCPU is current. */
#include "hf/arch/vcpu.h"

#include "hf/vcpu.h"

#include "fake.h"

struct vcpu *fake_current_vcpu;

void arch_regs_reset(struct arch_regs *r, const struct vm *vm,
		     uint16_t vcpu_index, uintptr_t entry, uint64_t arg)
{
	(void)vm;
	(void)vcpu_index;
	memset(r, 0, sizeof(*r));
	r->pc = entry;
	r->x[0] = arg;
}

void arch_vcpu_switch(struct vcpu *from, struct vcpu *to)
{
	(void)from;
	fake_current_vcpu = to;
}

uint64_t fake_timer_remaining_ns = UINT64_MAX;

uint64_t arch_vcpu_timer_remaining_ns(const struct vcpu *v)
{
	(void)v;
	return fake_timer_remaining_ns;
}

bool arch_vcpu_timer_expire(struct vcpu *v)
{
	(void)v;
	if (fake_timer_remaining_ns != 0) {
		return false;
	}
	fake_timer_remaining_ns = UINT64_MAX;
	return true;
}
