/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * EL1 exception vectors. The runtime never returns from an exception: every
 * entry reports it (exception_report() in exceptions.c, which prints
 * ESR_EL1, FAR_EL1, ELR_EL1, the vCPU and the class) and powers the VM off.
 * So each entry takes this vCPU's stack afresh from its top, whatever sp
 * was: a corrupt stack pointer is reported too.
 */
#include "guest/asm.h"

	.section .text.vectors, "ax"
	.balign 2048
	.global vectors
vectors:
	/* 0-3 current EL with SP_EL0, 4-7 current EL with SP_ELx,
	 * 8-11 lower EL AArch64, 12-15 lower EL AArch32; each
	 * synchronous, IRQ, FIQ, SError. */
	.irp kind, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	.balign 0x80
	mov	x0, #\kind
	b	exception_entry
	.endr

exception_entry:
	cpu_index x1, halt
	set_stack x1, x2
	mov	x29, #0
	mov	x30, #0
	bl	exception_report	/* does not return */
	b	halt
