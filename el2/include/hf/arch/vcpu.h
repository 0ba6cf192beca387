/* SPDX-License-Identifier: BSD-3-Clause */
/* What generic code needs from the architecture to run vCPUs. */
#pragma once

#include "hf/arch/regs.h"
#include "hf/std.h"

struct vm;
struct vcpu;

/* Resets a vCPU to its power-on state for `vm`: EL1h, MMU off, every
 * register zero, then pc = entry and x0 = arg. */
void arch_regs_reset(struct arch_regs *r, const struct vm *vm,
		     uint16_t vcpu_index, uintptr_t entry, uint64_t arg);

/* Saves the running vCPU's EL1 and FP state into `from`, loads `to`'s,
 * with its VM's EL2 controls, and makes it this CPU's current vCPU. The
 * general-purpose registers are the vectors' business. */
void arch_vcpu_switch(struct vcpu *from, struct vcpu *to);

/* Nanoseconds until a saved vCPU's virtual timer fires, 0 if it is due,
 * UINT64_MAX if it is not armed. */
uint64_t arch_vcpu_timer_remaining_ns(const struct vcpu *v);

/* If a saved vCPU's virtual timer has fired, masks it (the guest rearms
 * it, which unmasks it) and returns true: its interrupt is then raised. */
bool arch_vcpu_timer_expire(struct vcpu *v);
