/* SPDX-License-Identifier: BSD-3-Clause */
/* Pieces of the aarch64 world switch shared by vcpu.c, cpu.c and
 * handler.c. */
#pragma once

#include "hf/arch/regs.h"
#include "hf/std.h"
#include "hf/vcpu.h"
#include "hf/vm.h"

/* By id, inline: this is on every hypercall's and switch's path (a call
 * of vm_primary() and a compare cost twice as much). */
static inline bool vcpu_is_primary(const struct vcpu *v)
{
	return v->vm->id == HF_PRIMARY_VM_ID;
}

void arch_fp_save(struct arch_fp_regs *fp);
void arch_fp_restore(const struct arch_fp_regs *fp);
void arch_regs_load_el2(const struct arch_el2_controls *c);

/* The running secondary's virtual timer has fired: masks it (live) and
 * returns true. */
bool arch_vcpu_timer_expire_current(void);
/* The secondary vCPU v, running on this CPU, touched FP/SIMD for the
 * first time in this run: its registers replace the primary's. */
void arch_vcpu_load_fp(struct vcpu *v);
/* The same for its first pointer authentication use: its keys replace
 * the primary's. */
void arch_vcpu_load_pauth(struct vcpu *v);
/* Sets or clears HCR_EL2.VI of v, the vCPU this CPU is about to enter. */
void arch_vcpu_set_virtual_irq(struct vcpu *v, bool asserted);

/* Restores every general-purpose register, pc and pstate of the vCPU at
 * TPIDR_EL2 with SP_EL2 = stack_top, and enters it (exceptions.S). */
__attribute__((noreturn)) void vcpu_enter(struct vcpu *v,
					  uintptr_t stack_top);
