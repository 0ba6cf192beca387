/* SPDX-License-Identifier: BSD-3-Clause */
/* System register access and the EL2 register values hafnium uses. */
#pragma once

#ifdef __ASSEMBLER__
#define UL(x) x
#else
#define UL(x) x##ull
#include <stdint.h>

/* Two levels, so that a register given by a macro (an S3_... encoding
 * for assemblers without its name) is expanded before it is quoted. */
#define read_sysreg(r) read_sysreg_expanded(r)
#define read_sysreg_expanded(r)                                    \
	({                                                          \
		uint64_t v__;                                       \
		__asm__ volatile("mrs %0, " #r : "=r"(v__));      \
		v__;                                                \
	})

#define write_sysreg(r, v) write_sysreg_expanded(r, v)
#define write_sysreg_expanded(r, v)                                 \
	do {                                                         \
		uint64_t v__ = (uint64_t)(v);                        \
		__asm__ volatile("msr " #r ", %0" : : "r"(v__));   \
	} while (0)

#define isb() __asm__ volatile("isb" ::: "memory")
#define dsb(opt) __asm__ volatile("dsb " #opt ::: "memory")
#endif

/* GICv3 registers by encoding, for assemblers without the names. */
#define ICC_SRE_EL2 S3_4_C12_C9_5
#define ICH_HCR_EL2 S3_4_C12_C11_0

#define HCR_EL2_VM (UL(1) << 0)
#define HCR_EL2_TSC (UL(1) << 19)
#define HCR_EL2_RW (UL(1) << 31)
#define HCR_EL2_APK (UL(1) << 40)
#define HCR_EL2_API (UL(1) << 41)
#define HCR_EL2_ENSCXT (UL(1) << 53)
#define HCR_EL2_ATA (UL(1) << 56)

/* CPTR_EL2 (non-VHE): RES1 bits 13, 9, 7:0; TZ (SVE) and TSM (SME) are
 * RES1 where the feature is absent. */
#define CPTR_EL2_RES1 UL(0x22ff)
#define CPTR_EL2_TZ (UL(1) << 8)
#define CPTR_EL2_TFP (UL(1) << 10)
#define CPTR_EL2_TSM (UL(1) << 12)
#define CPTR_EL2_TTA (UL(1) << 20)
#define CPTR_EL2_TAM (UL(1) << 30)

#define SCTLR_EL2_M (UL(1) << 0)
#define SCTLR_EL2_A (UL(1) << 1)
#define SCTLR_EL2_C (UL(1) << 2)
#define SCTLR_EL2_SA (UL(1) << 3)
#define SCTLR_EL2_I (UL(1) << 12)
#define SCTLR_EL2_RES1 UL(0x30c50830)

/* SCTLR_EL1 RES1 bits (Armv8.0) with the MMU and caches off. */
#define SCTLR_EL1_RES1 UL(0x30d00800)

/* EL1h with D, A, I and F masked. */
#define SPSR_EL1H_DAIF UL(0x3c5)

#define CNTHCTL_EL2_EL1PCTEN (UL(1) << 0)
#define CNTHCTL_EL2_EL1PCEN (UL(1) << 1)

/* ICC_SRE_EL2: SRE, DFB, DIB, Enable (EL1 may use the system registers). */
#define ICC_SRE_EL2_PRIMARY UL(0xf)

#define MPIDR_AFFINITY_MASK UL(0xff00ffffff)

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define ESR_EC_UNKNOWN 0x00
#define ESR_EC_A32_CP15_32 0x03
#define ESR_EC_A32_CP15_64 0x04
#define ESR_EC_A32_CP14_32 0x05
#define ESR_EC_A32_CP14_LS 0x06
#define ESR_EC_FP 0x07
#define ESR_EC_A32_VMRS 0x08
#define ESR_EC_A32_CP14_64 0x0c
#define ESR_EC_PAUTH 0x09
#define ESR_EC_HVC64 0x16
#define ESR_EC_SMC64 0x17
#define ESR_EC_SYSREG 0x18
#define ESR_EC_SVE 0x19
#define ESR_EC_SME 0x1d
#define ESR_EC_IABT_LOWER 0x20
#define ESR_EC_IABT_CURRENT 0x21
#define ESR_EC_DABT_LOWER 0x24
#define ESR_EC_DABT_CURRENT 0x25
#define ESR_IL (UL(1) << 25)
#define ESR_DABT_WNR (UL(1) << 6)
/* Fault status: translation fault, level 3. */
#define ESR_FSC_TRANSLATION_L3 0x07
