/* SPDX-License-Identifier: BSD-3-Clause */
/* Pure decoding of trap syndromes and saved PSTATE for handler.c and
 * vcpu.c, free of system register accesses so that the host unit tests
 * (tests/unit/trap_decode_test.c) can check them. A VM's EL1 is always
 * AArch64 (HCR_EL2.RW), but its EL0 may be AArch32: a trap from there
 * comes through the same lower-EL AArch64 vectors (the level below EL2
 * decides), with AArch32 ESR classes and an AArch32 SPSR. */
#pragma once

#include <stdbool.h>

#include "sysregs.h"

/* SPSR: M[4] set for AArch32; M[3:0] the mode (AArch64: EL and SP). */
#define SPSR_M_AARCH32 (UL(1) << 4)
#define SPSR_M_MASK UL(0xf)
#define SPSR_M_EL0T UL(0x0)
#define SPSR_M_EL1T UL(0x4)
/* AArch32 SPSR: Thumb, and IT[7:0] split as IT[1:0] at 26:25, IT[7:2]
 * at 15:10. */
#define SPSR_A32_T (UL(1) << 5)
#define SPSR_A32_IT_LO_SHIFT 25
#define SPSR_A32_IT_HI_SHIFT 10
#define SPSR_A32_IT_MASK ((UL(3) << 25) | (UL(0x3f) << 10))

/* Offsets from VBAR_EL1 of the synchronous vectors. */
#define VECTOR_CURRENT_SP0_SYNC 0x000
#define VECTOR_CURRENT_SPX_SYNC 0x200
#define VECTOR_LOWER_A64_SYNC 0x400
#define VECTOR_LOWER_A32_SYNC 0x600

/* ESR: the condition fields of trapped AArch32 instructions. */
#define ESR_CV (UL(1) << 24)
#define ESR_COND_SHIFT 20

/* Fault status codes: address size (0x00-0x03), translation (0x04-0x07),
 * access flag (0x08-0x0b); S1PTW: on the stage-1 walk. */
#define ESR_FSC_MASK UL(0x3f)
#define ESR_FSC_ACCESS_FLAG_L3 0x0b
#define ESR_S1PTW (UL(1) << 7)

static inline bool spsr_is_aarch32(uint64_t spsr)
{
	return spsr & SPSR_M_AARCH32;
}

/* Taken from EL0, AArch64 or AArch32 (a VM's EL1 is AArch64). */
static inline bool spsr_is_el0(uint64_t spsr)
{
	return spsr_is_aarch32(spsr) || (spsr & SPSR_M_MASK) == SPSR_M_EL0T;
}

/* Where EL1 takes a synchronous exception from the mode in spsr. */
static inline uint64_t sync_vector_offset(uint64_t spsr)
{
	if (spsr_is_aarch32(spsr)) {
		return VECTOR_LOWER_A32_SYNC;
	}
	switch (spsr & SPSR_M_MASK) {
	case SPSR_M_EL0T:
		return VECTOR_LOWER_A64_SYNC;
	case SPSR_M_EL1T:
		return VECTOR_CURRENT_SP0_SYNC;
	default:
		return VECTOR_CURRENT_SPX_SYNC;
	}
}

/* Whether an AArch32 condition code holds for the NZCV in spsr[31:28]. */
static inline bool a32_condition_holds(uint64_t cond, uint64_t spsr)
{
	bool n = spsr >> 31 & 1, z = spsr >> 30 & 1;
	bool c = spsr >> 29 & 1, v = spsr >> 28 & 1;
	bool r;

	switch (cond >> 1 & 7) {
	case 0: /* EQ, NE */
		r = z;
		break;
	case 1: /* CS, CC */
		r = c;
		break;
	case 2: /* MI, PL */
		r = n;
		break;
	case 3: /* VS, VC */
		r = v;
		break;
	case 4: /* HI, LS */
		r = c && !z;
		break;
	case 5: /* GE, LT */
		r = n == v;
		break;
	case 6: /* GT, LE */
		r = n == v && !z;
		break;
	default: /* AL, and 0b1111 (unconditional) */
		return true;
	}
	return (cond & 1) ? !r : r;
}

/* A trapped instruction executes: an AArch64 one always; an AArch32 one
 * if ESR.CV says so and its condition holds (a trap of one that failed
 * its condition is IMPLEMENTATION DEFINED, and must act as a no-op). */
static inline bool trapped_insn_executes(uint64_t esr, uint64_t spsr)
{
	if (!spsr_is_aarch32(spsr) || !(esr & ESR_CV)) {
		return true;
	}
	return a32_condition_holds(esr >> ESR_COND_SHIFT & 0xf, spsr);
}

/* Steps pc and pstate over the trapped instruction: 4 bytes, or 2 for a
 * 16-bit T32 one (ESR.IL clear). In a T32 IT block the IT state advances
 * as the instruction would have advanced it (ITAdvance). */
static inline void skip_trapped_insn(uint64_t *pc, uint64_t *spsr,
				     uint64_t esr)
{
	uint64_t it;

	*pc += (esr & ESR_IL) ? 4 : 2;
	if (!spsr_is_aarch32(*spsr)) {
		return;
	}
	*pc &= UL(0xffffffff);
	if (!(*spsr & SPSR_A32_T) || !(*spsr & SPSR_A32_IT_MASK)) {
		return;
	}
	it = (*spsr >> SPSR_A32_IT_LO_SHIFT & 3) |
	     (*spsr >> SPSR_A32_IT_HI_SHIFT & 0x3f) << 2;
	if ((it & 7) == 0) {
		it = 0;
	} else {
		it = (it & 0xe0) | (it << 1 & 0x1f);
	}
	*spsr &= ~SPSR_A32_IT_MASK;
	*spsr |= (it & 3) << SPSR_A32_IT_LO_SHIFT |
		 (it >> 2) << SPSR_A32_IT_HI_SHIFT;
}

/* HPFAR_EL2 holds the faulting IPA only for stage-2 address size,
 * translation and access flag faults, and for any stage-2 fault on a
 * stage-1 walk; for a stage-2 permission fault it is UNKNOWN. */
static inline bool hpfar_is_valid(uint64_t esr)
{
	return (esr & ESR_S1PTW) ||
	       (esr & ESR_FSC_MASK) <= ESR_FSC_ACCESS_FLAG_L3;
}

/* FAR_EL2 is meaningful only for the aborts a VM can take to EL2; for
 * anything else it is UNKNOWN (in practice an old address). */
static inline bool esr_has_far(uint64_t esr)
{
	return ESR_EC(esr) == ESR_EC_IABT_LOWER ||
	       ESR_EC(esr) == ESR_EC_DABT_LOWER;
}

/* The faulting IPA of a stage-2 abort: the page from HPFAR_EL2.FIPA
 * (IPA[47:12] in bits [39:4]), the offset in it from FAR_EL2. */
static inline uint64_t fault_ipa(uint64_t hpfar, uint64_t far)
{
	return (hpfar & 0xfffffffff0ull) << 8 | (far & 0xfff);
}

/* A data abort's ISS: ISV [24] says that SAS [23:22] (size 1 << SAS),
 * SSE [21] (sign-extend), SRT [20:16] (register) and SF [15] (64-bit
 * register) describe a single load or store; CM [8] marks a cache
 * maintenance instruction, WnR [6] a write. */
#define ESR_DABT_ISV (UL(1) << 24)
#define ESR_DABT_CM (UL(1) << 8)

struct dabt_access {
	uint8_t size; /* bytes: 1, 2, 4, 8 */
	bool sign_extend;
	unsigned int rt; /* 31: XZR */
	bool sf;
	bool write;
};

/* EL2 can perform the access in the VM's place: one load or store the
 * syndrome describes (not a pair, SIMD, atomic or exclusive one: ISV is
 * clear for those), not cache maintenance, not the stage-1 walk's own
 * access, and at an IPA that HPFAR_EL2 holds. */
static inline bool dabt_is_emulable(uint64_t esr)
{
	return (esr & ESR_DABT_ISV) && !(esr & (ESR_DABT_CM | ESR_S1PTW)) &&
	       hpfar_is_valid(esr);
}

static inline struct dabt_access dabt_access_decode(uint64_t esr)
{
	return (struct dabt_access){
		.size = (uint8_t)(1u << ((esr >> 22) & 3)),
		.sign_extend = esr & (UL(1) << 21),
		.rt = (esr >> 16) & 0x1f,
		.sf = esr & (UL(1) << 15),
		.write = esr & ESR_DABT_WNR,
	};
}

/* What a load of value leaves in its register: sign-extended from the
 * access size if SSE, and only 32 bits (upper half zero) into a W
 * register. */
static inline uint64_t dabt_load_result(const struct dabt_access *d,
					uint64_t value)
{
	unsigned int bits = d->size * 8;

	if (bits < 64) {
		value &= (UL(1) << bits) - 1;
		if (d->sign_extend && (value >> (bits - 1) & 1)) {
			value |= ~((UL(1) << bits) - 1);
		}
	}
	return d->sf ? value : value & UL(0xffffffff);
}

/* ticks of a freq Hz counter in ns, saturated at UINT64_MAX (which the
 * callers read as "never") instead of wrapping to a short time. */
static inline uint64_t ticks_to_ns(uint64_t ticks, uint64_t freq)
{
	uint64_t whole = ticks / freq;
	uint64_t ns;

	if (whole > UINT64_MAX / 1000000000ull) {
		return UINT64_MAX;
	}
	ns = whole * 1000000000ull;
	/* freq fits in 32 bits (CNTFRQ_EL0), so the product cannot wrap. */
	if (__builtin_add_overflow(ns, ticks % freq * 1000000000ull / freq,
				   &ns)) {
		return UINT64_MAX;
	}
	return ns;
}

/* A trapped MSR/MRS (EC 0x18): the register's encoding, the general
 * register and the direction, from the ISS. */
struct sysreg_access {
	unsigned int op0, op1, crn, crm, op2;
	unsigned int rt; /* 31: XZR */
	bool read;
};

static inline struct sysreg_access sysreg_access_decode(uint64_t esr)
{
	return (struct sysreg_access){
		.op0 = (esr >> 20) & 3,
		.op1 = (esr >> 14) & 7,
		.crn = (esr >> 10) & 0xf,
		.crm = (esr >> 1) & 0xf,
		.op2 = (esr >> 17) & 7,
		.rt = (esr >> 5) & 0x1f,
		.read = esr & 1,
	};
}

/* The ID register space that HCR_EL2.TID3 traps: op0=3, op1=0, CRn=0,
 * CRm=1-7. */
static inline bool sysreg_is_id_space(const struct sysreg_access *a)
{
	return a->op0 == 3 && a->op1 == 0 && a->crn == 0 && a->crm >= 1 &&
	       a->crm <= 7;
}

/* APIAKeyLo_EL1 to APGAKeyHi_EL1: op0=3, op1=0, CRn=2, CRm=1-3. */
static inline bool sysreg_is_pauth_key(const struct sysreg_access *a)
{
	return a->op0 == 3 && a->op1 == 0 && a->crn == 2 && a->crm >= 1 &&
	       a->crm <= 3;
}
