/* Pieces of the aarch64 world switch shared by vcpu.c and cpu.c. */
#pragma once

#include "hf/arch/regs.h"

void arch_fp_save(struct arch_fp_regs *fp);
void arch_fp_restore(const struct arch_fp_regs *fp);
void arch_regs_load_el2(const struct arch_el2_controls *c);

/* Restores every general-purpose register, pc and pstate of the vCPU at
 * TPIDR_EL2 with SP_EL2 = stack_top, and enters it (exceptions.S). */
__attribute__((noreturn)) void vcpu_enter(struct vcpu *v,
					  uintptr_t stack_top);
