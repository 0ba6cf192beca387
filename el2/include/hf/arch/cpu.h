/* SPDX-License-Identifier: BSD-3-Clause */
/* What generic code needs from the CPU architecture. */
#pragma once

#include "hf/addr.h"
#include "hf/vm.h"

struct smc_result {
	uint64_t x[4];
};

/* A call to the firmware (PSCI) through SMC from EL2. */
struct smc_result arch_smc(uint64_t fid, uint64_t a1, uint64_t a2,
			   uint64_t a3);
/* Physical address where a CPU started by PSCI enters the hypervisor; it
 * receives the CPU's index as its context argument. */
uintptr_t arch_cpu_entry_pa(void);
/* The i-th guard region of EL2's stacks, which its stage-1 leaves
 * unmapped so that an overflow faults; false past the last. */
bool arch_stack_guard(size_t i, struct pa_range *guard);
/* The calling CPU's MPIDR affinity value. */
uint64_t arch_cpu_current_id(void);
/* Microseconds the system counter has counted since it started (at reset
 * on QEMU and most boards). */
uint64_t arch_counter_us(void);

/* Starts the primary's vCPU of this CPU (`v`, whose index is the CPU's)
 * at EL1, MMU off, at `entry` with x0 = arg. */
__attribute__((noreturn)) void arch_vcpu_enter_primary(struct vcpu *v,
							uintptr_t entry,
							uint64_t arg);

__attribute__((noreturn)) void arch_power_off(void);
