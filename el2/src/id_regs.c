/* SPDX-License-Identifier: BSD-3-Clause */
/* A secondary's view of the ID registers: per register, the 4-bit fields
 * that pass from the host CPU, each with its rule. A field that is not
 * listed reads 0, which is "not implemented" for every field not marked
 * otherwise below, so a feature this table does not know stays hidden. The
 * model is pKVM's protected VM: a secondary sees what it can use with the
 * state hafnium switches (EL1 and FP/SIMD registers, PAuth keys, PSTATE),
 * and instruction-only extensions that carry no state and cannot be
 * trapped; everything else reads as absent and is trapped at EL2, so a use
 * is an undefined instruction in the guest. The trap bit behind each hidden
 * feature is named where it is dropped. */
#include "hf/id_regs.h"

#include "hf/cpu_features.h"
#include "hf/std.h"

enum id_rule {
	ID_HOST,  /* the host's value */
	ID_CAP,   /* min(host, value): an unsigned field whose higher values
		   * bring registers or state hafnium does not switch */
	ID_FIXED, /* value, whatever the host has */
};

struct id_field {
	uint8_t shift;
	uint8_t rule;
	uint8_t value;
};

#define HOST(shift) { (shift), ID_HOST, 0 }
#define CAP(shift, max) { (shift), ID_CAP, (max) }
#define FIXED(shift, value) { (shift), ID_FIXED, (value) }

#define AA64PFR0_EL0_SHIFT 0
#define AA64PFR0_EL0_AARCH32 2

/* ID_AA64PFR0_EL1 (CRm 4, op2 0). */
static const struct id_field aa64pfr0[] = {
	CAP(0, 2),  /* EL0: AArch64, and AArch32 where the host has it */
	CAP(4, 1),  /* EL1: AArch64 only (HCR_EL2.RW) */
	/* EL2 [11:8], EL3 [15:12]: a VM has neither. */
	HOST(16),   /* FP, FP16 (signed: 0xf is none) */
	HOST(20),   /* AdvSIMD (signed) */
	/* GIC [27:24]: no GIC CPU interface (ICC_SRE_EL2.Enable clear,
	 * ICH_HCR_EL2 traps). RAS [31:28]: HCR_EL2.TERR. SVE [35:32]:
	 * CPTR_EL2.TZ. SEL2 [39:36]: an EL2 feature. MPAM [43:40]: MPAM2_EL2
	 * traps. AMU [47:44]: CPTR_EL2.TAM. */
	HOST(48),   /* DIT: a PSTATE bit */
	/* RME [55:52]: an EL3 feature. */
	CAP(56, 1), /* CSV2: CSV2_2 brings SCXTNUM_ELx (HCR_EL2.EnSCXT clear) */
	HOST(60),   /* CSV3 */
};

/* ID_AA64PFR1_EL1 (4, 1). */
static const struct id_field aa64pfr1[] = {
	HOST(0),    /* BT: PSTATE.BTYPE, SCTLR_EL1.BTx */
	HOST(4),    /* SSBS: PSTATE.SSBS */
	/* MTE [11:8]: HCR_EL2.ATA clear. RAS_frac [15:12], MPAM_frac [19:16]:
	 * as RAS and MPAM. SME [27:24]: CPTR_EL2.TSM. RNDR_trap [31:28]: an
	 * EL3 feature. */
	CAP(32, 1), /* CSV2_frac: CSV2_1p2 brings SCXTNUM_ELx */
	/* NMI [39:36]: HCRX_EL2.TALLINT. MTE_frac [43:40]: as MTE. */
};

/* ID_AA64DFR0_EL1 (5, 0). Debug registers are trapped (MDCR_EL2.TDA,
 * TDOSA, TDRA); the counts are shown as they are. */
static const struct id_field aa64dfr0[] = {
	CAP(0, 6),      /* DebugVer: Armv8.0 debug, the architected minimum */
	/* TraceVer [7:4]: CPTR_EL2.TTA. PMUVer [11:8]: MDCR_EL2.TPM, TPMCR. */
	HOST(12),       /* BRPs */
	/* PMSS [19:16]: PMU. */
	HOST(20),       /* WRPs */
	/* SEBEP [27:24]: PMU. */
	HOST(28),       /* CTX_CMPs */
	/* PMSVer [35:32]: MDCR_EL2.TPMS, E2PB = 0. */
	FIXED(36, 0xf), /* DoubleLock: not implemented (0xf, not 0): OSDLR_EL1
			 * is trapped (MDCR_EL2.TDOSA), not emulated */
	/* TraceFilt [43:40]: MDCR_EL2.TTRF. TraceBuffer [47:44]: MDCR_EL2.E2TB
	 * = 0. MTPMU [51:48], HPMN0 [63:60]: PMU. BRBE [55:52]: the
	 * fine-grained traps (HDFGRTR_EL2, HFGITR_EL2). */
};

/* ID_AA64ISAR0_EL1 (6, 0): instructions without state. */
static const struct id_field aa64isar0[] = {
	HOST(4),  /* AES, PMULL */
	HOST(8),  /* SHA1 */
	HOST(12), /* SHA2 */
	HOST(16), /* CRC32 */
	HOST(20), /* Atomic */
	/* TME [27:24]: HCR_EL2.TME clear. */
	HOST(28), /* RDM */
	HOST(32), /* SHA3 */
	HOST(36), /* SM3 */
	HOST(40), /* SM4 */
	HOST(44), /* DP */
	HOST(48), /* FHM */
	HOST(52), /* TS: FlagM, FlagM2 (PSTATE) */
	HOST(56), /* TLB: TLBI OS and range */
	HOST(60), /* RNDR */
};

/* ID_AA64ISAR1_EL1 (6, 1). */
static const struct id_field aa64isar1[] = {
	HOST(0),  /* DPB: DC CVAP, CVADP */
	HOST(4),  /* APA: pointer authentication, each vCPU has its keys */
	HOST(8),  /* API */
	HOST(12), /* JSCVT */
	HOST(16), /* FCMA */
	HOST(20), /* LRCPC */
	HOST(24), /* GPA */
	HOST(28), /* GPI */
	HOST(32), /* FRINTTS */
	HOST(36), /* SB */
	HOST(40), /* SPECRES */
	HOST(44), /* BF16 (EBF16: FPCR.EBF) */
	HOST(48), /* DGH */
	HOST(52), /* I8MM */
	HOST(56), /* XS: nXS barriers and TLBIs, an attribute; no state */
	/* LS64 [63:60]: HCRX_EL2.EnALS, EnAS0, EnASR clear. */
};

/* ID_AA64ISAR2_EL1 (6, 2). */
static const struct id_field aa64isar2[] = {
	/* WFxT [3:0]: WFIT and WFET trap with WFI and WFE (HCR_EL2.TWI,
	 * TWE), whose emulation knows no timeout. */
	HOST(4),  /* RPRES */
	HOST(8),  /* GPA3 */
	HOST(12), /* APA3 */
	/* MOPS [19:16]: HCRX_EL2.MSCEn clear. */
	HOST(20), /* BC */
	HOST(24), /* PAC_frac */
	HOST(28), /* CLRBHB */
	/* SYSREG_128 [35:32], SYSINSTR_128 [39:36], PRFMSLC [43:40]: not
	 * shown. */
	HOST(48), /* RPRFM */
	HOST(52), /* CSSC */
};

/* ID_AA64MMFR0_EL1 (7, 0). */
static const struct id_field aa64mmfr0[] = {
	CAP(0, 2), /* PARange: 40 bits, the stage-2 IPA size (T0SZ 24) */
	HOST(4),   /* ASIDBits */
	HOST(8),   /* BigEnd */
	HOST(12),  /* SNSMem */
	HOST(16),  /* BigEndEL0 */
	HOST(20),  /* TGran16 */
	HOST(24),  /* TGran64 (signed) */
	HOST(28),  /* TGran4 (signed) */
	/* TGran16_2, TGran64_2, TGran4_2 [43:32]: stage 2, an EL2 feature;
	 * 0 refers to the stage-1 fields. */
	HOST(44),  /* ExS: SCTLR_EL1.EIS, EOS */
	/* FGT [59:56], ECV [63:60]: EL2 features. */
};

/* ID_AA64MMFR1_EL1 (7, 1). */
static const struct id_field aa64mmfr1[] = {
	CAP(0, 2), /* HAFDBS: stage-1 AF and dirty state; HAFT needs TCR2_EL1 */
	/* VMIDBits [7:4], VH [11:8]: EL2 features. */
	HOST(12),  /* HPDS (TCR_EL1) */
	/* LO [19:16]: HCR_EL2.TLOR. */
	HOST(20),  /* PAN (PSTATE, SCTLR_EL1.EPAN) */
	HOST(24),  /* SpecSEI */
	HOST(28),  /* XNX */
	/* TWED [35:32]: an EL2 feature. */
	HOST(36),  /* ETS */
	/* HCX [43:40]: an EL2 feature. */
	HOST(44),  /* AFP (FPCR) */
	HOST(48),  /* nTLBPA */
	/* TIDCP1 [55:52]: IMPLEMENTATION DEFINED registers are EL2's to trap
	 * (HCR_EL2.TIDCP). */
	HOST(56),  /* CMOW (SCTLR_EL1) */
	HOST(60),  /* ECBHB */
};

/* ID_AA64MMFR2_EL1 (7, 2). */
static const struct id_field aa64mmfr2[] = {
	HOST(0),  /* CnP */
	HOST(4),  /* UAO (PSTATE) */
	HOST(8),  /* LSM (SCTLR_EL1) */
	HOST(12), /* IESB (SCTLR_EL1) */
	HOST(16), /* VARange */
	HOST(20), /* CCIDX */
	/* NV [27:24]: an EL2 feature. */
	HOST(28), /* ST */
	HOST(32), /* AT */
	HOST(36), /* IDS */
	/* FWB [43:40]: an EL2 feature. */
	HOST(48), /* TTL */
	HOST(52), /* BBM */
	/* EVT [59:56]: an EL2 feature. */
	HOST(60), /* E0PD (TCR_EL1) */
};

/* The AArch32 registers, for AArch32 EL0; the same rules. */

/* ID_PFR0_EL1 (1, 0). */
static const struct id_field pfr0[] = {
	HOST(0),    /* State0: A32 */
	HOST(4),    /* State1: T32 */
	HOST(8),    /* State2: Jazelle */
	HOST(12),   /* State3: T32EE */
	CAP(16, 1), /* CSV2, as in AArch64 */
	/* AMU [23:20], RAS [31:28]: hidden. */
	HOST(24),   /* DIT */
};

/* ID_PFR1_EL1 (1, 1). */
static const struct id_field pfr1[] = {
	HOST(0),    /* ProgMod */
	/* Security [7:4]: EL3. */
	HOST(8),    /* MProgMod */
	/* Virtualization [15:12]: EL2. */
	CAP(16, 1), /* GenTimer, without ECV */
	/* Sec_frac [23:20], Virt_frac [27:24]: EL3, EL2. GIC [31:28]: hidden. */
};

/* ID_DFR0_EL1 (1, 2). */
static const struct id_field dfr0[] = {
	CAP(0, 6), /* CopDbg: Armv8.0 debug, as DebugVer */
	/* CopSDbg [7:4]: Secure debug, EL3. MMapDbg [11:8], CopTrc [15:12],
	 * MMapTrc [19:16]: external debug, trace. */
	HOST(20),  /* MProfDbg */
	/* PerfMon [27:24], TraceFilt [31:28]: PMU, trace. */
};

/* ID_MMFR0_EL1 (1, 4). */
static const struct id_field mmfr0[] = {
	HOST(0),  /* VMSA */
	HOST(4),  /* PMSA */
	HOST(8),  /* OuterShr */
	HOST(12), /* ShareLvl */
	/* TCM [19:16], AuxReg [23:20]: IMPLEMENTATION DEFINED registers
	 * (HCR_EL2.TIDCP, TACR). */
	HOST(24), /* FCSE */
	HOST(28), /* InnerShr */
};

/* ID_MMFR1_EL1 to ID_MMFR3_EL1 (1, 5..7), ID_ISAR1_EL1 to ID_ISAR4_EL1
 * (2, 1..4), MVFR0_EL1 and MVFR1_EL1 (3, 0..1): every field describes
 * instructions, cache maintenance or the FP/SIMD unit. */
static const struct id_field all32[] = {
	HOST(0), HOST(4), HOST(8), HOST(12),
	HOST(16), HOST(20), HOST(24), HOST(28),
};

/* ID_ISAR0_EL1 (2, 0), ID_ISAR6_EL1 (2, 7): instructions ([31:28] RES0). */
static const struct id_field low28[] = {
	HOST(0), HOST(4), HOST(8), HOST(12), HOST(16), HOST(20), HOST(24),
};

/* ID_ISAR5_EL1 (2, 5): instructions ([23:20] RES0). */
static const struct id_field isar5[] = {
	HOST(0), HOST(4), HOST(8), HOST(12), HOST(16), HOST(24), HOST(28),
};

/* ID_MMFR4_EL1 (2, 6). */
static const struct id_field mmfr4[] = {
	HOST(0),  /* SpecSEI */
	/* AC2 [7:4]: ACTLR2, IMPLEMENTATION DEFINED. */
	HOST(8),  /* XNX */
	HOST(12), /* CnP */
	HOST(16), /* HPDS */
	HOST(20), /* LSM */
	HOST(24), /* CCIDX */
	/* EVT [31:28]: EL2. */
};

/* MVFR2_EL1 (3, 2), ID_MMFR5_EL1 (3, 6): SIMDMisc, FPMisc; ETS, nTLBPA. */
static const struct id_field low8[] = {
	HOST(0), HOST(4),
};

/* ID_PFR2_EL1 (3, 4). */
static const struct id_field pfr2[] = {
	HOST(0), /* CSV3 */
	HOST(4), /* SSBS */
	/* RAS_frac [11:8]: hidden. */
};

struct id_reg {
	const struct id_field *fields;
	uint8_t count;
	bool aarch32;
};

#define REG(fields, aarch32) { (fields), ARRAY_SIZE(fields), (aarch32) }
#define AT(crm, op2) [((crm) - 1) * 8 + (op2)]

/* Every encoding not listed reads 0: the unallocated ones, and ID_AFR0_EL1
 * (1, 3), ID_DFR1_EL1 (3, 5: PMU), ID_AA64PFR2_EL1 (4, 2: MTE and newer),
 * ID_AA64ZFR0_EL1 (4, 4: SVE), ID_AA64SMFR0_EL1 (4, 5: SME),
 * ID_AA64FPFR0_EL1 (4, 7: FP8, FPMR), ID_AA64DFR1_EL1 and ID_AA64DFR2_EL1
 * (5, 1..2), ID_AA64AFR0_EL1 and ID_AA64AFR1_EL1 (5, 4..5: IMPLEMENTATION
 * DEFINED), ID_AA64ISAR3_EL1 (6, 3), ID_AA64MMFR3_EL1 (7, 3: TCR2_EL1,
 * SCTLR2_EL1, permission indirection, RAS) and ID_AA64MMFR4_EL1 (7, 4: EL2
 * features). */
static const struct id_reg id_regs[7 * 8] = {
	AT(1, 0) = REG(pfr0, true),
	AT(1, 1) = REG(pfr1, true),
	AT(1, 2) = REG(dfr0, true),
	AT(1, 4) = REG(mmfr0, true),
	AT(1, 5) = REG(all32, true),
	AT(1, 6) = REG(all32, true),
	AT(1, 7) = REG(all32, true),
	AT(2, 0) = REG(low28, true),
	AT(2, 1) = REG(all32, true),
	AT(2, 2) = REG(all32, true),
	AT(2, 3) = REG(all32, true),
	AT(2, 4) = REG(all32, true),
	AT(2, 5) = REG(isar5, true),
	AT(2, 6) = REG(mmfr4, true),
	AT(2, 7) = REG(low28, true),
	AT(3, 0) = REG(all32, true),
	AT(3, 1) = REG(all32, true),
	AT(3, 2) = REG(low8, true),
	AT(3, 4) = REG(pfr2, true),
	AT(3, 6) = REG(low8, true),
	AT(4, 0) = REG(aa64pfr0, false),
	AT(4, 1) = REG(aa64pfr1, false),
	AT(5, 0) = REG(aa64dfr0, false),
	AT(6, 0) = REG(aa64isar0, false),
	AT(6, 1) = REG(aa64isar1, false),
	AT(6, 2) = REG(aa64isar2, false),
	AT(7, 0) = REG(aa64mmfr0, false),
	AT(7, 1) = REG(aa64mmfr1, false),
	AT(7, 2) = REG(aa64mmfr2, false),
};

uint64_t id_reg_secondary_view(unsigned int crm, unsigned int op2,
			       uint64_t host, uint64_t host_aa64pfr0)
{
	const struct id_reg *reg;
	uint64_t view = 0;
	size_t i;

	if (crm < 1 || crm > 7 || op2 > 7) {
		return 0;
	}
	reg = &id_regs[(crm - 1) * 8 + op2];
	/* The AArch32 registers are UNKNOWN without AArch32, and describe
	 * nothing a secondary can use unless its EL0 runs AArch32. */
	if (reg->aarch32 &&
	    id_field(host_aa64pfr0, AA64PFR0_EL0_SHIFT) !=
		    AA64PFR0_EL0_AARCH32) {
		return 0;
	}
	for (i = 0; i < reg->count; i++) {
		const struct id_field *f = &reg->fields[i];
		uint64_t v = id_field(host, f->shift);

		if (f->rule == ID_CAP && v > f->value) {
			v = f->value;
		} else if (f->rule == ID_FIXED) {
			v = f->value;
		}
		view |= v << f->shift;
	}
	return view;
}
