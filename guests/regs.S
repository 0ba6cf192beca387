/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * regs_run(struct regs_frame *in): the regs guest's check loop (regs.c).
 *
 * Fills every register it can from one base value B (x18): x<n> =
 * ror(B, n + 1) for n = 0-30 but 16 and 18, v<n> = ror(B, n + 32) in the
 * low half and ~ror(B, n + 1) in the high half, the system registers and
 * NZCV from the frame. Then, with IRQs unmasked, checks all of them
 * RF_PASSES times in a loop that a physical interrupt (ending the vCPU's
 * turn) or a virtual one (taken here) may stop at any instruction; then
 * makes the call RF_FUNC(RF_ARG1, RF_ARG2) with all the others live, and
 * checks what the call must keep (x18-x30, v0-v31, the system registers).
 * Returns the call's x0.
 *
 * Each check leaves got ^ expected in x16, the one scratch register (a
 * change to it between its write and its read fails the check), and
 * branches on non-zero to a stub of its own that records the difference
 * and which check it was, saves x0-x30 and v0-v31 to the frame and calls
 * regs_mismatch() (does not return). B itself is checked against its copy
 * in the frame, which sp points at. x17 also serves as a second scratch
 * register while the system registers are checked, and is given its value
 * back before the GPRs are checked again.
 */
#include "guest/asm.h"
#include "regs.h"

	.arch_extension fp
	.arch_extension simd

/* PAuth key registers by encoding: the assembler needs no +pauth. */
#define APIAKEYLO_EL1 s3_0_c2_c1_0
#define APIAKEYHI_EL1 s3_0_c2_c1_1
#define APIBKEYLO_EL1 s3_0_c2_c1_2
#define APIBKEYHI_EL1 s3_0_c2_c1_3
#define APDAKEYLO_EL1 s3_0_c2_c2_0
#define APDAKEYHI_EL1 s3_0_c2_c2_1
#define APDBKEYLO_EL1 s3_0_c2_c2_2
#define APDBKEYHI_EL1 s3_0_c2_c2_3
#define APGAKEYLO_EL1 s3_0_c2_c3_0
#define APGAKEYHI_EL1 s3_0_c2_c3_1

/* To the check's own stub if x16 is not zero. */
.macro fail_if_set id
	cbnz	x16, .Lfail\@
	.pushsection .text.regs_fail, "ax"
.Lfail\@:
	str	x16, [sp, #RF_DIFF]
	mov	x16, #(\id)
	b	regs_fail
	.popsection
.endm

.macro set_x n
	ror	x\n, x18, #(\n + 1)
.endm

.macro check_x n
	eor	x16, x\n, x18, ror #(\n + 1)
	fail_if_set \n
.endm

.macro set_v n
	ror	x16, x18, #(\n + 32)
	fmov	d\n, x16
	ror	x16, x18, #(\n + 1)
	mvn	x16, x16
	mov	v\n\().d[1], x16
.endm

.macro check_v n
	mov	x16, v\n\().d[0]
	eor	x16, x16, x18, ror #(\n + 32)
	fail_if_set (CHECK_VLO+\n)
	mov	x16, v\n\().d[1]
	eon	x16, x16, x18, ror #(\n + 1)
	fail_if_set (CHECK_VHI+\n)
.endm

/* \op on v0-v31. */
.macro all_v op
	\op 0; \op 1; \op 2; \op 3; \op 4; \op 5; \op 6; \op 7
	\op 8; \op 9; \op 10; \op 11; \op 12; \op 13; \op 14; \op 15
	\op 16; \op 17; \op 18; \op 19; \op 20; \op 21; \op 22; \op 23
	\op 24; \op 25; \op 26; \op 27; \op 28; \op 29; \op 30; \op 31
.endm

.macro set_sys reg, i
	ldr	x16, [sp, #(RF_SYS + 8 * (\i))]
	msr	\reg, x16
.endm

.macro check_sys reg, i
	mrs	x16, \reg
	ldr	x17, [sp, #(RF_SYS + 8 * (\i))]
	eor	x16, x16, x17
	fail_if_set (CHECK_SYS+(\i))
.endm

/* \op (set_sys or check_sys) on every system register of the frame, the
 * PAuth keys only where RF_FEATURES says they exist. NZCV is not here:
 * it is set last, after everything that could change it. */
.macro each_sys op
	\op	tpidr_el0, SYS_TPIDR_EL0
	\op	tpidrro_el0, SYS_TPIDRRO_EL0
	\op	tpidr_el1, SYS_TPIDR_EL1
	\op	contextidr_el1, SYS_CONTEXTIDR_EL1
	\op	sp_el0, SYS_SP_EL0
	\op	par_el1, SYS_PAR_EL1
	\op	afsr0_el1, SYS_AFSR0_EL1
	\op	afsr1_el1, SYS_AFSR1_EL1
	\op	amair_el1, SYS_AMAIR_EL1
	\op	cntkctl_el1, SYS_CNTKCTL_EL1
	\op	csselr_el1, SYS_CSSELR_EL1
	\op	cntv_cval_el0, SYS_CNTV_CVAL_EL0
	\op	fpcr, SYS_FPCR
	\op	fpsr, SYS_FPSR
	ldr	x16, [sp, #RF_FEATURES]
	tbz	x16, #0, .Lno_address_keys\@	/* RF_PAUTH_ADDRESS */
	\op	APIAKEYLO_EL1, SYS_APIAKEYLO
	\op	APIAKEYHI_EL1, SYS_APIAKEYLO+1
	\op	APIBKEYLO_EL1, SYS_APIAKEYLO+2
	\op	APIBKEYHI_EL1, SYS_APIAKEYLO+3
	\op	APDAKEYLO_EL1, SYS_APIAKEYLO+4
	\op	APDAKEYHI_EL1, SYS_APIAKEYLO+5
	\op	APDBKEYLO_EL1, SYS_APIAKEYLO+6
	\op	APDBKEYHI_EL1, SYS_APIAKEYLO+7
.Lno_address_keys\@:
	ldr	x16, [sp, #RF_FEATURES]
	tbz	x16, #1, .Lno_generic_key\@	/* RF_PAUTH_GENERIC */
	\op	APGAKEYLO_EL1, SYS_APGAKEYLO
	\op	APGAKEYHI_EL1, SYS_APGAKEYLO+1
.Lno_generic_key\@:
.endm

/* B against its copy in the frame. */
.macro check_base
	ldr	x16, [sp, #RF_BASE]
	eor	x16, x16, x18
	fail_if_set CHECK_BASE
.endm

/* Everything but NZCV (set_all does it last) and x16. */
.macro set_all
	ldr	x18, [sp, #RF_BASE]
	each_sys set_sys
	all_v set_v
	set_x 0; set_x 1; set_x 2; set_x 3; set_x 4; set_x 5; set_x 6; set_x 7
	set_x 8; set_x 9; set_x 10; set_x 11; set_x 12; set_x 13; set_x 14
	set_x 15; set_x 17; set_x 19; set_x 20; set_x 21; set_x 22; set_x 23
	set_x 24; set_x 25; set_x 26; set_x 27; set_x 28; set_x 29; set_x 30
.endm

.macro check_v_sys
	all_v check_v
	each_sys check_sys
	check_sys nzcv, SYS_NZCV
	ror	x17, x18, #(17 + 1)
.endm

	.section .text.regs_run, "ax"
	.global regs_run
regs_run:
	/* The C caller's frame record and callee-saved registers. */
	stp	x29, x30, [sp, #-96]!
	mov	x29, sp
	stp	x19, x20, [sp, #16]
	stp	x21, x22, [sp, #32]
	stp	x23, x24, [sp, #48]
	stp	x25, x26, [sp, #64]
	stp	x27, x28, [sp, #80]
	sub	sp, sp, #RF_SIZE
	/* The inputs onto the frame: sp + offset reaches each. */
	mov	x1, #RF_BASE
1:	ldr	x2, [x0, x1]
	str	x2, [sp, x1]
	add	x1, x1, #8
	cmp	x1, #RF_SIZE
	b.lo	1b

	set_all
	set_sys	nzcv, SYS_NZCV
	/* From here on nothing sets the flags. */
	mov	x16, #PHASE_SPIN
	str	x16, [sp, #RF_PHASE]
	/* A sibling's interrupt may now come at any instruction. */
	msr	daifclr, #2
	.global regs_loop_start
regs_loop_start:
2:	check_base
	.irp n, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 17, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	check_x	\n
	.endr
	check_v_sys
	ldr	x16, [sp, #RF_PASSES]
	sub	x16, x16, #1
	str	x16, [sp, #RF_PASSES]
	cbnz	x16, 2b
	.global regs_loop_end
regs_loop_end:

	/* The call: x0-x2 its arguments, x3-x17 still as set (hafnium's
	 * answer may change x0-x17: SMCCC 1.2). */
	mov	x16, #PHASE_CALL
	str	x16, [sp, #RF_PHASE]
	ldr	x0, [sp, #RF_FUNC]
	ldr	x1, [sp, #RF_ARG1]
	ldr	x2, [sp, #RF_ARG2]
	hvc	#0
	check_base
	.irp n, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30
	check_x	\n
	.endr
	check_v_sys

	msr	daifset, #2
	add	sp, sp, #RF_SIZE
	ldp	x19, x20, [sp, #16]
	ldp	x21, x22, [sp, #32]
	ldp	x23, x24, [sp, #48]
	ldp	x25, x26, [sp, #64]
	ldp	x27, x28, [sp, #80]
	ldp	x29, x30, [sp], #96
	ret

/* From a check's stub: x16 = the check, RF_DIFF set. */
	.section .text.regs_fail, "ax"
regs_fail:
	msr	daifset, #2
	str	x16, [sp, #RF_CHECK]
	stp	x0, x1, [sp, #(RF_X + 0)]
	stp	x2, x3, [sp, #(RF_X + 16)]
	stp	x4, x5, [sp, #(RF_X + 32)]
	stp	x6, x7, [sp, #(RF_X + 48)]
	stp	x8, x9, [sp, #(RF_X + 64)]
	stp	x10, x11, [sp, #(RF_X + 80)]
	stp	x12, x13, [sp, #(RF_X + 96)]
	stp	x14, x15, [sp, #(RF_X + 112)]
	stp	x16, x17, [sp, #(RF_X + 128)]
	stp	x18, x19, [sp, #(RF_X + 144)]
	stp	x20, x21, [sp, #(RF_X + 160)]
	stp	x22, x23, [sp, #(RF_X + 176)]
	stp	x24, x25, [sp, #(RF_X + 192)]
	stp	x26, x27, [sp, #(RF_X + 208)]
	stp	x28, x29, [sp, #(RF_X + 224)]
	str	x30, [sp, #(RF_X + 240)]
	add	x0, sp, #RF_V
	stp	q0, q1, [x0], #32
	stp	q2, q3, [x0], #32
	stp	q4, q5, [x0], #32
	stp	q6, q7, [x0], #32
	stp	q8, q9, [x0], #32
	stp	q10, q11, [x0], #32
	stp	q12, q13, [x0], #32
	stp	q14, q15, [x0], #32
	stp	q16, q17, [x0], #32
	stp	q18, q19, [x0], #32
	stp	q20, q21, [x0], #32
	stp	q22, q23, [x0], #32
	stp	q24, q25, [x0], #32
	stp	q26, q27, [x0], #32
	stp	q28, q29, [x0], #32
	stp	q30, q31, [x0], #32
	mov	x0, sp
	mov	x29, #0
	bl	regs_mismatch		/* does not return */
	b	halt
