/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Start-up of a bare-metal secondary VM.
 *
 * _start is the image's first byte, at HF_VM_RAM_BASE: hafnium enters it on
 * vCPU 0 at EL1h, MMU and caches off, x0 = IPA of the VM's device tree (in
 * the last HF_VM_DT_SIZE bytes of its memory). secondary_entry is what
 * cpu_start() hands to PSCI CPU_ON: x0 = the context cpu_start() passed.
 *
 * Every vCPU turns on a tiny identity map first (mmu_on) so that memory is
 * Normal write-back cacheable: exclusives (the console's spinlock) and
 * caching are then architecturally fine. With the MMU off all of memory is
 * Device-nGnRnE. The map covers IPAs 0-4 GiB: 0-2 GiB Device-nGnRnE,
 * 2-4 GiB (the VM's RAM and beyond) Normal, so an access outside the VM's
 * memory still reaches stage 2 and hafnium, exactly as with the MMU off.
 */
#include "guest/asm.h"

/* MAIR_EL1: attribute 0 Device-nGnRnE, attribute 1 Normal WB RA/WA. */
#define MAIR_VALUE 0xff00
/* TCR_EL1: T0SZ 32 (4 GiB: the walk starts at level 1, 4 entries),
 * IRGN0/ORGN0 WB WA, SH0 inner shareable, TG0 4 KiB, EPD1 (no TTBR1),
 * TG1 4 KiB, IPS 32 bits. */
#define TCR_VALUE 0x80803520
/* SCTLR_EL1: RES1 bits (29, 28, 23, 22, 20, 11) | I | SA0 | SA | C | M;
 * A (alignment checks), WXN, EE clear. */
#define SCTLR_VALUE 0x30d0181d

/* Level 1 block descriptors (1 GiB): AF, and attribute index, SH, XN. */
#define BLOCK_DEVICE 0x0060000000000401 /* attr 0, UXN, PXN */
#define BLOCK_NORMAL 0x0000000000000705 /* attr 1, inner shareable */

	.section .text.entry, "ax"
	.global _start
_start:
	mov	x19, x0			/* the device tree's IPA */
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb
	bl	mmu_on
	cpu_index x20, halt
	set_stack x20, x1

	/* The image, its bss and the stacks must end below the device
	 * tree; if the VM's memory is too small, say so and power off. */
	adr_l	x1, __image_end
	cmp	x1, x19
	b.hi	too_small

	/* Zero bss, once, here on vCPU 0 (both ends are 16-byte aligned). */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	mov	x0, x19
	bl	runtime_main		/* does not return */
	b	halt

/* Entry of the vCPUs started by cpu_start(): x0 = its context. */
	.text
	.global secondary_entry
secondary_entry:
	mov	x19, x0
	adr_l	x1, vectors
	msr	vbar_el1, x1
	isb
	bl	mmu_on
	cpu_index x20, halt
	set_stack x20, x1
	mov	x0, x19
	bl	runtime_cpu_entry	/* does not return */
	b	halt

/* Turns on the identity map; uses x0-x2 only, no stack. */
mmu_on:
	mov	x0, #MAIR_VALUE
	msr	mair_el1, x0
	ldr	x0, =TCR_VALUE
	msr	tcr_el1, x0
	adr_l	x0, id_map
	msr	ttbr0_el1, x0
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, =SCTLR_VALUE
	msr	sctlr_el1, x0
	isb
	ic	iallu
	dsb	nsh
	isb
	ret

too_small:
	adr_l	x0, too_small_msg
	ldp	x2, x3, [x0]
	ldp	x4, x5, [x0, #16]
	ldp	x6, x7, [x0, #32]
	ldr	x0, =0xc6000009		/* HF_DEBUG_LOG */
	mov	x1, #(too_small_end - too_small_msg)
	hvc	#0
	/* fall through */

	.global halt
halt:
	ldr	x0, =GUEST_PSCI_SYSTEM_OFF
	hvc	#0
1:	wfi
	b	1b

	.ltorg

	.section .rodata.start, "a"
	.balign 8
too_small_msg:
	.ascii	"runtime: VM memory too small for this image\n"
too_small_end:
	.balign 8
	.space	48 - (too_small_end - too_small_msg)

/* The identity map: one level 1 table of 4 entries (64-byte aligned). */
	.balign 64
id_map:
	.quad	0x00000000 | BLOCK_DEVICE
	.quad	0x40000000 | BLOCK_DEVICE
	.quad	0x80000000 | BLOCK_NORMAL
	.quad	0xc0000000 | BLOCK_NORMAL

/* The per-vCPU stacks: not in the image, not zeroed. */
	.section .stacks, "aw", %nobits
	.balign 16
	.global __stacks_start
__stacks_start:
	.space	GUEST_MAX_CPUS * GUEST_STACK_SIZE
