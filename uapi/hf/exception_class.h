/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The Arm architecture's exception classes (ESR_ELx.EC, bits 31:26) in
 * words, for crash reports: shared by el2, hafnium.ko, hfctl and guests so
 * that each names a fault the same way.
 */
#ifndef HF_EXCEPTION_CLASS_H
#define HF_EXCEPTION_CLASS_H

static inline const char *hf_exception_class(unsigned long long esr)
{
	switch ((esr >> 26) & 0x3f) {
	case 0x00: return "unknown reason (undefined or unallocated instruction)";
	case 0x01: return "trapped WFI or WFE";
	case 0x03: return "trapped AArch32 coprocessor access";
	case 0x07: return "trapped SIMD or floating-point access";
	case 0x0e: return "illegal execution state";
	case 0x11: return "SVC instruction (AArch32)";
	case 0x15: return "SVC instruction";
	case 0x16: return "HVC instruction";
	case 0x17: return "SMC instruction";
	case 0x18: return "trapped system register access or system instruction";
	case 0x19: return "trapped SVE access";
	case 0x20: return "instruction abort from a lower exception level";
	case 0x21: return "instruction abort at the same exception level";
	case 0x22: return "PC alignment fault";
	case 0x24: return "data abort from a lower exception level";
	case 0x25: return "data abort at the same exception level";
	case 0x26: return "SP alignment fault";
	case 0x28: return "floating-point exception (AArch32)";
	case 0x2c: return "floating-point exception";
	case 0x2f: return "SError interrupt";
	case 0x30: return "breakpoint from a lower exception level";
	case 0x31: return "breakpoint at the same exception level";
	case 0x32: return "software step from a lower exception level";
	case 0x33: return "software step at the same exception level";
	case 0x34: return "watchpoint from a lower exception level";
	case 0x35: return "watchpoint at the same exception level";
	case 0x3c: return "BRK instruction";
	default: return "unknown exception class";
	}
}

#endif /* HF_EXCEPTION_CLASS_H */
