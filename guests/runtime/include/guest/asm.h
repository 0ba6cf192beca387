/* SPDX-License-Identifier: BSD-3-Clause */
/* Assembly helpers shared by start.S and vectors.S. */
#ifndef GUEST_ASM_H
#define GUEST_ASM_H

#include "guest/layout.h"

/* PSCI SYSTEM_OFF over HVC (uapi/hf/abi.h cannot be included here). */
#define GUEST_PSCI_SYSTEM_OFF 0x84000008

/* \reg = address of \sym (PC-relative, +/- 4 GiB). */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/* \idx = this vCPU's index (MPIDR_EL1.Aff0); branches to \bad if it is
 * GUEST_MAX_CPUS or more. */
.macro cpu_index idx, bad
	mrs	\idx, mpidr_el1
	and	\idx, \idx, #0xff
	cmp	\idx, #GUEST_MAX_CPUS
	b.hs	\bad
.endm

/* sp = the top of vCPU \idx's stack (clobbers \idx and \tmp). */
.macro set_stack idx, tmp
	adr_l	\tmp, __stacks_start
	add	\idx, \idx, #1
	add	\tmp, \tmp, \idx, lsl #GUEST_STACK_SHIFT
	mov	sp, \tmp
.endm

#endif /* GUEST_ASM_H */
