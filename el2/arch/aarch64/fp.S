/* SPDX-License-Identifier: BSD-3-Clause */
/* FP/SIMD state save and restore for world switches (el2's C code is
 * built without FP registers, so this is the only code touching them).
 * x0 = struct arch_fp_regs: q0-q31, then FPSR and FPCR. */
.arch armv8-a+fp+simd

.text
.global arch_fp_save
arch_fp_save:
	stp	q0, q1, [x0, #32 * 0]
	stp	q2, q3, [x0, #32 * 1]
	stp	q4, q5, [x0, #32 * 2]
	stp	q6, q7, [x0, #32 * 3]
	stp	q8, q9, [x0, #32 * 4]
	stp	q10, q11, [x0, #32 * 5]
	stp	q12, q13, [x0, #32 * 6]
	stp	q14, q15, [x0, #32 * 7]
	stp	q16, q17, [x0, #32 * 8]
	stp	q18, q19, [x0, #32 * 9]
	stp	q20, q21, [x0, #32 * 10]
	stp	q22, q23, [x0, #32 * 11]
	stp	q24, q25, [x0, #32 * 12]
	stp	q26, q27, [x0, #32 * 13]
	stp	q28, q29, [x0, #32 * 14]
	stp	q30, q31, [x0, #32 * 15]
	mrs	x1, fpsr
	mrs	x2, fpcr
	add	x0, x0, #32 * 16
	stp	x1, x2, [x0]
	ret

.global arch_fp_restore
arch_fp_restore:
	ldp	q0, q1, [x0, #32 * 0]
	ldp	q2, q3, [x0, #32 * 1]
	ldp	q4, q5, [x0, #32 * 2]
	ldp	q6, q7, [x0, #32 * 3]
	ldp	q8, q9, [x0, #32 * 4]
	ldp	q10, q11, [x0, #32 * 5]
	ldp	q12, q13, [x0, #32 * 6]
	ldp	q14, q15, [x0, #32 * 7]
	ldp	q16, q17, [x0, #32 * 8]
	ldp	q18, q19, [x0, #32 * 9]
	ldp	q20, q21, [x0, #32 * 10]
	ldp	q22, q23, [x0, #32 * 11]
	ldp	q24, q25, [x0, #32 * 12]
	ldp	q26, q27, [x0, #32 * 13]
	ldp	q28, q29, [x0, #32 * 14]
	ldp	q30, q31, [x0, #32 * 15]
	add	x0, x0, #32 * 16
	ldp	x1, x2, [x0]
	msr	fpsr, x1
	msr	fpcr, x2
	ret

/* The primary's SVE or streaming SVE registers at the current vector
 * length (the largest: ZCR_EL2 and SMCR_EL2 allow it), for a secondary's
 * FP/SIMD use, which would zero every Z register's bits above 128 and
 * must not run in streaming mode. x0 = struct arch_sve_regs: FPSR, FPCR,
 * then from offset 32 Z0-Z31, P0-P15 and FFR, each at a multiple of the
 * vector length; w1 = whether FFR exists in this mode (streaming mode has
 * it only with FA64). P0 carries FFR, so it is saved first and loaded
 * last. */
.arch armv8.2-a+sve
.arch_extension sme

.macro z_regs op, base
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	\op	z\n, [\base, #\n, mul vl]
	.endr
.endm

.macro p_regs op, base
	.irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	\op	p\n, [\base, #\n, mul vl]
	.endr
.endm

.global arch_sve_save
arch_sve_save:
	mrs	x2, fpsr
	mrs	x3, fpcr
	stp	x2, x3, [x0], #32
	z_regs	str, x0
	addvl	x0, x0, #16
	addvl	x0, x0, #16
	p_regs	str, x0
	cbz	w1, 1f
	rdffr	p0.b
	str	p0, [x0, #16, mul vl]
1:	ret

.global arch_sve_restore
arch_sve_restore:
	ldp	x2, x3, [x0], #32
	msr	fpsr, x2
	msr	fpcr, x3
	z_regs	ldr, x0
	addvl	x0, x0, #16
	addvl	x0, x0, #16
	cbz	w1, 1f
	ldr	p0, [x0, #16, mul vl]
	wrffr	p0.b
1:	p_regs	ldr, x0
	ret

/* PSTATE.SM: leaving streaming mode zeroes the Z, P and FFR registers
 * (ZA, PSTATE.ZA, stays). */
.global arch_sme_stop_streaming
arch_sme_stop_streaming:
	smstop	sm
	ret

.global arch_sme_start_streaming
arch_sme_start_streaming:
	smstart	sm
	ret
