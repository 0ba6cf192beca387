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
	/* FP/SIMD untrapped: libfdt (built for userspace) uses it. */
	ldr	x9, =CPTR_EL2_RES1
	msr	cptr_el2, x9
	adr_l	x9, guarded_vectors
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
1:	cmp	x9, x10
	b.hs	2f
	stp	xzr, xzr, [x9], #16
	b	1b
2:	adr_l	x9, cpu_stacks
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

/* EL2's vectors: exceptions.S's, behind a check of a synchronous
 * exception at EL2 for an overflow of its stack into the guard below it
 * (stacks.h), where the vector's first push would fault again, forever. */
.macro to_vectors offset
	.balign	0x80
	b	vector_table_el2 + \offset
.endm

.section .text.vectors, "ax"
.balign	0x800
guarded_vectors:
	to_vectors 0x000
	to_vectors 0x080
	to_vectors 0x100
	to_vectors 0x180
	/* Current EL with SPx, synchronous. No register is free: test
	 * bit STACK_SLOT_HALF_BIT of the SP the first push would use with
	 * x0 parked in SP itself. */
	.balign	0x80
	sub	sp, sp, #16
	add	sp, sp, x0
	sub	x0, sp, x0			/* x0 = SP - 16 */
	tbz	x0, #STACK_SLOT_HALF_BIT, stack_overflow
	sub	x0, sp, x0			/* x0 as it was */
	sub	sp, sp, x0
	add	sp, sp, #16
	b	vector_table_el2 + 0x200
	to_vectors 0x280
	to_vectors 0x300
	to_vectors 0x380
	to_vectors 0x400
	to_vectors 0x480
	to_vectors 0x500
	to_vectors 0x580
	to_vectors 0x600
	to_vectors 0x680
	to_vectors 0x700
	to_vectors 0x780

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
	add	x0, x0, #16
	stp	x30, x0, [sp, #8 * 30]
	mrs	x0, sp_el0
	stp	x0, x1, [sp, #8 * 0]
	mov	x0, sp
	mov	x1, #PANIC_KIND_STACK_OVERFLOW
	bl	panic_exception
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
