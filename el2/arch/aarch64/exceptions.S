/* EL2 exception vectors. Traps from the primary VM (lower EL, AArch64)
 * save the general-purpose registers in a frame on this CPU's EL2 stack and
 * call the C handler, which may edit the frame; everything else is
 * unexpected and ends in a panic report. Hypercalls take a shorter path:
 * x19-x29 are preserved by the C handler itself, so only x0-x18 and x30
 * go through the frame. */

/* struct exception_frame: x0..x30, then sp of the interrupted context. */
#define FRAME_SIZE (32 * 8)

.macro save_frame
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #8 * 0]
	save_frame_from_x2
.endm

.macro save_frame_from_x2
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
	add	x0, sp, #FRAME_SIZE
	stp	x30, x0, [sp, #8 * 30]
.endm

.macro restore_frame_and_eret
	ldp	x0, x1, [sp, #8 * 0]
	ldp	x2, x3, [sp, #8 * 2]
	ldp	x4, x5, [sp, #8 * 4]
	ldp	x6, x7, [sp, #8 * 6]
	ldp	x8, x9, [sp, #8 * 8]
	ldp	x10, x11, [sp, #8 * 10]
	ldp	x12, x13, [sp, #8 * 12]
	ldp	x14, x15, [sp, #8 * 14]
	ldp	x16, x17, [sp, #8 * 16]
	ldp	x18, x19, [sp, #8 * 18]
	ldp	x20, x21, [sp, #8 * 20]
	ldp	x22, x23, [sp, #8 * 22]
	ldp	x24, x25, [sp, #8 * 24]
	ldp	x26, x27, [sp, #8 * 26]
	ldp	x28, x29, [sp, #8 * 28]
	ldr	x30, [sp, #8 * 30]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

/* Unexpected: report with the kind number, never return. */
.macro unexpected kind
	.balign	0x80
	save_frame
	mov	x0, sp
	mov	x1, #\kind
	bl	panic_exception
	b	.
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
	/* Current EL with SPx: a fault inside the hypervisor. */
	unexpected 4
	unexpected 5
	unexpected 6
	unexpected 7
	/* Lower EL, AArch64: traps from a VM. */
	.balign	0x80
	b	lower_sync
	unexpected 9
	unexpected 10
	unexpected 11
	/* Lower EL, AArch32: VMs run AArch64 only (HCR_EL2.RW). */
	unexpected 12
	unexpected 13
	unexpected 14
	unexpected 15

lower_sync:
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp, #8 * 0]
	mrs	x0, esr_el2
	lsr	x0, x0, #26
	cmp	x0, #0x16			/* EC: HVC from AArch64 */
	b.ne	1f
	stp	x2, x3, [sp, #8 * 2]
	stp	x4, x5, [sp, #8 * 4]
	stp	x6, x7, [sp, #8 * 6]
	stp	x8, x9, [sp, #8 * 8]
	stp	x10, x11, [sp, #8 * 10]
	stp	x12, x13, [sp, #8 * 12]
	stp	x14, x15, [sp, #8 * 14]
	stp	x16, x17, [sp, #8 * 16]
	str	x18, [sp, #8 * 18]
	str	x30, [sp, #8 * 30]
	mov	x0, sp
	bl	handle_hvc
	ldp	x0, x1, [sp, #8 * 0]
	ldp	x2, x3, [sp, #8 * 2]
	ldp	x4, x5, [sp, #8 * 4]
	ldp	x6, x7, [sp, #8 * 6]
	ldp	x8, x9, [sp, #8 * 8]
	ldp	x10, x11, [sp, #8 * 10]
	ldp	x12, x13, [sp, #8 * 12]
	ldp	x14, x15, [sp, #8 * 14]
	ldp	x16, x17, [sp, #8 * 16]
	ldr	x18, [sp, #8 * 18]
	ldr	x30, [sp, #8 * 30]
	add	sp, sp, #FRAME_SIZE
	eret

1:	save_frame_from_x2
	mov	x0, sp
	bl	handle_lower_sync
	restore_frame_and_eret
