/* SPDX-License-Identifier: BSD-3-Clause */
/* EL2's stacks. Each CPU's (and the boot CPU's until it knows its index)
 * is the upper half of a slot of STACK_SLOT_SIZE, aligned to its size:
 *
 *   [ emergency stack | guard, unmapped | stack, CPU_STACK_SIZE ]
 *
 * An overflow runs into the guard and faults at EL2; the vector
 * (exceptions.S) sees that SP is in its slot's lower half (bit
 * STACK_SLOT_HALF_BIT clear), moves to the emergency stack and reports, instead of faulting
 * again on every push or silently writing the neighbour's stack. */
#pragma once

#include "hf/limits.h"

#define STACK_SLOT_SIZE 0x8000
#define STACK_SLOT_HALF_BIT 14
#define STACK_EMERGENCY_SIZE 0x2000
#define STACK_GUARD_SIZE 0x2000
#define STACK_SLOTS (MAX_CPUS + 1)
/* The boot CPU's slot is the last. */
#define STACK_BOOT_SLOT MAX_CPUS

#if CPU_STACK_SIZE * 2 != STACK_SLOT_SIZE ||                        \
	STACK_EMERGENCY_SIZE + STACK_GUARD_SIZE != CPU_STACK_SIZE || \
	1 << STACK_SLOT_HALF_BIT != CPU_STACK_SIZE
#error "EL2 stack slot layout"
#endif

#ifndef __ASSEMBLER__
extern char cpu_stacks[STACK_SLOTS][STACK_SLOT_SIZE];
#endif

/* The panic report's kind for an overflow (0-15 are vector entries). */
#define PANIC_KIND_STACK_OVERFLOW 16
