/* SPDX-License-Identifier: BSD-3-Clause */
/* Physical CPUs. Each runs one vCPU of the primary VM (they have the same
 * index); PSCI CPU_ON/CPU_SUSPEND record where that vCPU continues.
 *
 * Lock order: cpu::lock is a leaf lock (nothing is taken while holding it). */
#pragma once

#include "hf/boot_params.h"
#include "hf/spinlock.h"

struct vcpu;

struct cpu {
	size_t index;
	uint64_t id; /* MPIDR affinity fields, as in the DTB's cpu reg */
	struct spinlock lock;
	/* Where the primary's vCPU on this CPU starts when the CPU comes up
	 * (PSCI CPU_ON) or resumes from a power-down state. */
	uintptr_t vcpu_entry;
	uint64_t vcpu_arg;
	/* The primary's vCPU that runs here, set before it first does: what
	 * a secondary's vCPU switches back to (no lookup on that path). */
	struct vcpu *primary;
};

void cpu_module_init(const uint64_t *ids, size_t count);
size_t cpu_count(void);
struct cpu *cpu_by_index(size_t index);
/* NULL for an id that is not in the boot DTB. */
struct cpu *cpu_find(uint64_t id);
void cpu_set_vcpu_entry(struct cpu *c, uintptr_t entry, uint64_t arg);
