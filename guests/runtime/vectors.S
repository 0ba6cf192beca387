/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * EL1 exception vectors. An IRQ taken from EL1 with SP_EL1 (where the
 * guest runs) is handled and returned from: irq_entry saves what a C call
 * may clobber, and the exception return state, on the current stack, calls
 * irq_dispatch() (irq.c) and erets. Every other entry is reported
 * (exception_report() in exceptions.c, which prints ESR_EL1, FAR_EL1,
 * ELR_EL1, the vCPU and the class) and powers the VM off; those take this
 * vCPU's stack afresh from its top, whatever sp was, so a corrupt stack
 * pointer is reported too.
 */
#include "guest/asm.h"

/* irq_entry's frame: x0-x18, x29, x30, ELR_EL1, SPSR_EL1 and a pad, in
 * 16-byte pairs: sp stays 16-byte aligned (SCTLR_EL1.SA). */
#define IRQ_FRAME_SIZE (12 * 16)

	.section .text.vectors, "ax"
	.balign 2048
	.global vectors
vectors:
	/* 0-3 current EL with SP_EL0, 4-7 current EL with SP_ELx,
	 * 8-11 lower EL AArch64, 12-15 lower EL AArch32; each
	 * synchronous, IRQ, FIQ, SError. */
	.irp kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign 0x80
	.if \kind == 5
	b	irq_entry
	.else
	mov	x0, #\kind
	b	exception_entry
	.endif
	.endr

exception_entry:
	cpu_index x1, halt
	set_stack x1, x2
	mov	x29, #0
	mov	x30, #0
	bl	exception_report	/* does not return */
	b	halt

/*
 * Exception entry masks IRQs and nothing here unmasks them before ELR_EL1
 * and SPSR_EL1 are saved: a handler may then unmask them (nest) safely.
 * x19-x28 are kept by the C code; x18 is saved because the compiler may
 * use it as a temporary.
 */
irq_entry:
	sub	sp, sp, #IRQ_FRAME_SIZE
	stp	x0, x1, [sp, #16 * 0]
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x29, [sp, #16 * 9]
	mrs	x0, elr_el1
	mrs	x1, spsr_el1
	stp	x30, x0, [sp, #16 * 10]
	str	x1, [sp, #16 * 11]

	bl	irq_dispatch

	ldp	x30, x0, [sp, #16 * 10]
	ldr	x1, [sp, #16 * 11]
	msr	elr_el1, x0
	msr	spsr_el1, x1
	ldp	x0, x1, [sp, #16 * 0]
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x29, [sp, #16 * 9]
	add	sp, sp, #IRQ_FRAME_SIZE
	eret
