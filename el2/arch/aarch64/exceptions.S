/* SPDX-License-Identifier: BSD-3-Clause */
/* EL2 exception vectors. A trap from a VM saves its registers into the
 * current vCPU (TPIDR_EL2 points at it; struct vcpu starts with struct
 * arch_regs: x0-x30, pc, pstate), calls a C handler with it, and enters
 * whichever vCPU the handler returns. Hypercalls take a shorter path: the
 * C handler preserves x19-x29 itself, so they are saved only if the call
 * switches to another vCPU. After a switch, and only once every register
 * of the vCPU that left is stored, vcpu_saved publishes it: before that no
 * other CPU may run it (hf/vcpu.h). Anything at EL2 itself is unexpected
 * and ends in a panic report. */

#include "stacks.h"

#define REGS_PC (31 * 8)
#define REGS_LEAVING (33 * 8)

/* x0, x1 of the VM are on the stack; saves x2-x18 and x30, then x0, x1,
 * pc and pstate into the vCPU, which is left in x0. */
.macro save_volatile
	mrs	x0, tpidr_el2
	stp	x2, x3, [x0, #8 * 2]
	stp	x4, x5, [x0, #8 * 4]
	stp	x6, x7, [x0, #8 * 6]
	stp	x8, x9, [x0, #8 * 8]
	stp	x10, x11, [x0, #8 * 10]
	stp	x12, x13, [x0, #8 * 12]
	stp	x14, x15, [x0, #8 * 14]
	stp	x16, x17, [x0, #8 * 16]
	str	x18, [x0, #8 * 18]
	str	x30, [x0, #8 * 30]
	ldp	x2, x3, [sp], #16
	stp	x2, x3, [x0, #8 * 0]
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x2, x3, [x0, #REGS_PC]
.endm

/* x19-x29 into the vCPU in \reg. */
.macro save_nonvolatile reg
	stp	x19, x20, [\reg, #8 * 19]
	stp	x21, x22, [\reg, #8 * 21]
	stp	x23, x24, [\reg, #8 * 23]
	stp	x25, x26, [\reg, #8 * 25]
	stp	x27, x28, [\reg, #8 * 27]
	str	x29, [\reg, #8 * 29]
.endm

/* x2-x29 into the panic report's frame at sp (x0-x30 and sp). */
.macro report_frame_x2_x29
	stp	x2, x3, [sp, #8 * 2]
	stp	x4, x5, [sp, #8 * 4]
	stp	x6, x7, [sp, #8 * 6]
	stp	x8, x9, [sp, #8 * 8]
	stp	x10, x11, [sp, #8 * 10]
	stp	x12, x13, [sp, #8 * 12]
	stp	x14, x15, [sp, #8 * 14]
	stp	x16, x17, [sp, #8 * 16]
	stp	x18, x19, [sp, #8 * 18]
	stp	x20, x21, [sp, #8 * 20]
	stp	x22, x23, [sp, #8 * 22]
	stp	x24, x25, [sp, #8 * 24]
	stp	x26, x27, [sp, #8 * 26]
	stp	x28, x29, [sp, #8 * 28]
.endm

/* Unexpected: report with the kind number, never return. */
.macro unexpected kind
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	mov	x1, #\kind
	b	report_unexpected
.endm

/* From a VM: save everything, let C pick the next vCPU, enter it. */
.macro from_vm handler
	.balign	0x80
	stp	x0, x1, [sp, #-16]!
	save_volatile
	save_nonvolatile x0
	str	x0, [sp, #-16]!
	bl	\handler
	b	enter_next
.endm

.section .text.vectors, "ax"
.balign	0x800
.global vector_table_el2
vector_table_el2:
	/* Current EL with SP0. */
	unexpected 0
	unexpected 1
	unexpected 2
	unexpected 3
	/* Current EL with SPx: a fault inside the hypervisor. A synchronous
	 * one may be an overflow of this CPU's stack into the guard below it
	 * (stacks.h), where the first push would fault again, forever. No
	 * register is free: bit STACK_SLOT_HALF_BIT of the SP the push would
	 * use is tested with x0 parked in SP itself. */
	.balign	0x80
	sub	sp, sp, #16
	add	sp, sp, x0
	sub	x0, sp, x0			/* x0 = SP - 16 */
	tbz	x0, #STACK_SLOT_HALF_BIT, stack_overflow
	sub	x0, sp, x0			/* x0 as it was */
	sub	sp, sp, x0
	add	sp, sp, #16
	stp	x0, x1, [sp, #-16]!
	mov	x1, #4
	b	report_unexpected
	unexpected 5
	unexpected 6
	unexpected 7
	/* Lower EL, AArch64: traps from a VM. A hypercall's path starts in
	 * the vector itself (27 of its 32 instructions), not one branch
	 * away. */
	.balign	0x80
lower_a64_sync:
	stp	x0, x1, [sp, #-16]!
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x16			/* EC: HVC from AArch64 */
	b.ne	lower_sync
	save_volatile
	/* The handler may switch TPIDR_EL2: remember who trapped. */
	str	x0, [sp, #-16]!
	bl	handle_hvc
	ldr	x1, [sp], #16
	cmp	x0, x1
	b.eq	restore_volatile
	b	hvc_switch
	.if	. - lower_a64_sync > 0x80
	.error	"the hypercall path overflows its vector"
	.endif
	from_vm	handle_lower_irq
	from_vm	handle_lower_irq
	from_vm	handle_lower_serror
	/* Lower EL, AArch32: unreachable while EL1 is AArch64 (HCR_EL2.RW);
	 * a VM's AArch32 EL0 traps come through the AArch64 entries above. */
	unexpected 12
	unexpected 13
	unexpected 14
	unexpected 15

/* A hypercall switched vCPUs: the old one needs its x19-x29 too. */
hvc_switch:
	save_nonvolatile x1
	b	publish_saved

/* Any other synchronous trap; x0, x1 of the VM are on the stack. */
lower_sync:
	save_volatile
	save_nonvolatile x0
	str	x0, [sp, #-16]!
	bl	handle_lower_sync

/* x0 = the vCPU to enter; the one that trapped is on the stack, all saved. */
enter_next:
	ldr	x1, [sp], #16
	cmp	x0, x1
	b.eq	vcpu_restore
/* x0 = the vCPU to enter, x1 = the one that left, whole in memory now;
 * only a secondary's vCPU has to be published (the primary's never
 * leaves its CPU). */
publish_saved:
	ldr	x2, [x1, #REGS_LEAVING]
	cbz	x2, vcpu_restore
	mov	x19, x0
	mov	x0, x1
	bl	vcpu_saved
	mov	x0, x19

/* Enters the vCPU in x0 (already current: TPIDR_EL2 and its EL1/EL2 state
 * loaded by the C side). */
.global vcpu_restore
vcpu_restore:
	ldp	x19, x20, [x0, #8 * 19]
	ldp	x21, x22, [x0, #8 * 21]
	ldp	x23, x24, [x0, #8 * 23]
	ldp	x25, x26, [x0, #8 * 25]
	ldp	x27, x28, [x0, #8 * 27]
	ldr	x29, [x0, #8 * 29]
	/* A hypercall that returns to the vCPU that made it comes in here:
	 * the C handler kept x19-x29 as the vCPU left them. */
restore_volatile:
	ldp	x1, x2, [x0, #REGS_PC]
	msr	elr_el2, x1
	msr	spsr_el2, x2
	ldp	x2, x3, [x0, #8 * 2]
	ldp	x4, x5, [x0, #8 * 4]
	ldp	x6, x7, [x0, #8 * 6]
	ldp	x8, x9, [x0, #8 * 8]
	ldp	x10, x11, [x0, #8 * 10]
	ldp	x12, x13, [x0, #8 * 12]
	ldp	x14, x15, [x0, #8 * 14]
	ldp	x16, x17, [x0, #8 * 16]
	ldr	x18, [x0, #8 * 18]
	ldr	x30, [x0, #8 * 30]
	ldp	x0, x1, [x0, #8 * 0]
	eret

/* First entry into a vCPU on this CPU: x0 = vCPU, x1 = EL2 stack top. */
.global vcpu_enter
vcpu_enter:
	mov	sp, x1
	b	vcpu_restore

/* x0, x1 are on the stack, x1 = kind: a frame of x0-x30 and sp for the
 * report, which never returns. */
report_unexpected:
	sub	sp, sp, #(32 * 8 - 16)
	report_frame_x2_x29
	ldp	x2, x3, [sp, #8 * 30]		/* the VM's or EL2's x0, x1 */
	stp	x2, x3, [sp, #8 * 0]
	add	x2, sp, #(32 * 8)
	stp	x30, x2, [sp, #8 * 30]
	mov	x0, sp
	bl	panic_exception
	b	.

/* x0 = the overflowed SP - 16, SP = that + the original x0. The machine
 * is going down: TPIDR_EL2 and SP_EL0 serve as scratch. A frame of x0-x30
 * and sp on this slot's emergency stack for the report. */
stack_overflow:
	msr	tpidr_el2, x0
	sub	x0, sp, x0
	msr	sp_el0, x0			/* the original x0 */
	mrs	x0, tpidr_el2
	and	sp, x0, #~(STACK_SLOT_SIZE - 1)
	add	sp, sp, #STACK_EMERGENCY_SIZE
	sub	sp, sp, #(32 * 8)
	report_frame_x2_x29
	add	x0, x0, #16
	stp	x30, x0, [sp, #8 * 30]
	mrs	x0, sp_el0
	stp	x0, x1, [sp, #8 * 0]
	mov	x0, sp
	mov	x1, #PANIC_KIND_STACK_OVERFLOW
	bl	panic_exception
	b	.
