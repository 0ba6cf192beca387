/* SPDX-License-Identifier: BSD-3-Clause */
/* EL2 stacks, in guarded slots (stacks.h). Traps from a VM run on the
 * stack of the CPU they arrive on. */
#include "hf/arch/cpu.h"

#include "stacks.h"

char cpu_stacks[STACK_SLOTS][STACK_SLOT_SIZE]
	__attribute__((aligned(STACK_SLOT_SIZE), section(".noinit")));

bool arch_stack_guard(size_t i, struct pa_range *guard)
{
	if (i >= STACK_SLOTS) {
		return false;
	}
	guard->begin = pa_from_ptr(cpu_stacks[i] + STACK_EMERGENCY_SIZE);
	guard->end = pa_add(guard->begin, STACK_GUARD_SIZE);
	return true;
}
