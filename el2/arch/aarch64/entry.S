/* SPDX-License-Identifier: BSD-3-Clause */
/* Entry points: the arm64 Image header that lets QEMU's -kernel (or any
 * Linux boot loader) start hafnium at EL2, the boot CPU's path, and the
 * path of CPUs started later through PSCI CPU_ON. */
#include "layout.h"
#include "stacks.h"
#include "sysregs.h"

.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

.macro el2_early_setup
	/* MMU and caches off, little-endian, known state. */
	ldr	x9, =SCTLR_EL2_RES1
	msr	sctlr_el2, x9
	/* FP/SIMD untrapped: libfdt (built for userspace) uses it. SVE and
	 * SME stay trapped until the save of a primary's vectors needs them. */
	ldr	x9, =(CPTR_EL2_RES1 | CPTR_EL2_TZ | CPTR_EL2_TSM)
	msr	cptr_el2, x9
	adr_l	x9, vector_table_el2
	msr	vbar_el2, x9
	/* Whatever this CPU cached before (firmware, a warm reset, its
	 * previous time online) is stale: EL1&0 TLB entries of every VMID
	 * and the whole I-cache go. */
	tlbi	alle1
	ic	iallu
	dsb	nsh
	isb
.endm

.section .text.head, "ax"
.global _start
_start:
	b	boot_entry			/* code0 */
	.long	0				/* code1 */
	.quad	HYP_TEXT_OFFSET			/* text_offset */
	.quad	__image_end - _start		/* image_size, bss included */
	.quad	0xa				/* flags: LE, 4K, anywhere */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5 */

boot_entry:
	mov	x19, x0				/* boot DTB */
	/* Linked for one address: refuse to run anywhere else. */
	adr	x9, _start
	ldr	x10, =_start
	cmp	x9, x10
	b.ne	wrong_load_address
	el2_early_setup
	adr_l	x9, __bss_start
	adr_l	x10, __bss_end
	b	2f
1:	stp	xzr, xzr, [x9]			/* 64 bytes a turn (hafnium.ld) */
	stp	xzr, xzr, [x9, #16]
	stp	xzr, xzr, [x9, #32]
	stp	xzr, xzr, [x9, #48]
	add	x9, x9, #64
2:	cmp	x9, x10
	b.lo	1b
	adr_l	x9, cpu_stacks
	ldr	x10, =(STACK_BOOT_SLOT + 1) * STACK_SLOT_SIZE
	add	sp, x9, x10
	mov	x0, x19
	bl	boot_main
	b	.

.global cpu_entry
cpu_entry:
	/* x0 = this CPU's index, passed as PSCI CPU_ON context. */
	mov	x19, x0
	el2_early_setup
	cmp	x19, #MAX_CPUS
	b.hs	.
	adr_l	x9, cpu_stacks
	add	x19, x19, #1
	mov	x10, #STACK_SLOT_SIZE
	madd	x9, x19, x10, x9		/* top of stack x19 - 1 */
	mov	sp, x9
	sub	x0, x19, #1
	bl	cpu_main
	b	.

/* Without the MMU the UART is reachable directly: say why we stop. */
wrong_load_address:
	adr_l	x1, wrong_address_msg
	ldr	x2, =PL011_BASE
3:	ldrb	w3, [x1], #1
	cbz	w3, 4f
	strb	w3, [x2]
	b	3b
4:	ldr	x0, =0x84000008			/* PSCI SYSTEM_OFF */
	smc	#0
	b	.

.section .rodata
wrong_address_msg:
	.asciz	"hafnium: boot error: loaded at the wrong address (expected text_offset 0x1000 from RAM base 0x40000000)\r\n"
