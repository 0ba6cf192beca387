/* SPDX-License-Identifier: BSD-3-Clause */
/* CPU features: read once, and this CPU's EL2 registers set from them.
 *
 * The primary gets every feature the CPU has (DESIGN.md, "CPU features"),
 * at the largest vector lengths: ZCR_EL2 and SMCR_EL2 cap EL1's vector
 * lengths and reset to UNKNOWN values. Fine-grained traps (FGT) and
 * HCRX_EL2 also reset UNKNOWN: no fine-grained trap is set, except that
 * with SME the "n" bits for TPIDR2_EL0 and SMPRI_EL1 must be 1 (0
 * traps). TPIDR2_EL0 is then switched for every vCPU (vcpu.c), since
 * without FGT nothing traps a secondary's access to it. */
#include "feature_setup.h"

#include "hf/dlog.h"

#include "sysregs.h"

#define ZCR_EL2 S3_4_C1_C2_0
#define SMCR_EL2 S3_4_C1_C2_6
#define HCRX_EL2 S3_4_C1_C2_2
#define HFGRTR_EL2 S3_4_C1_C1_4
#define HFGWTR_EL2 S3_4_C1_C1_5
#define HFGITR_EL2 S3_4_C1_C1_6
#define HDFGRTR_EL2 S3_4_C3_C1_4
#define HDFGWTR_EL2 S3_4_C3_C1_5

#define VL_MAX 0xfull
#define SMCR_EL2_FA64 (1ull << 31)
#define HFGXTR_EL2_NSMPRI_EL1 (1ull << 54)
#define HFGXTR_EL2_NTPIDR2_EL0 (1ull << 55)

struct cpu_features arch_features;

#define READ_ID(crm, op2)                                                 \
	case (crm)*8 + (op2):                                             \
		__asm__ volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v)); \
		break

#define READ_ID_ROW(crm)                                                  \
	READ_ID(crm, 0);                                                  \
	READ_ID(crm, 1);                                                  \
	READ_ID(crm, 2);                                                  \
	READ_ID(crm, 3);                                                  \
	READ_ID(crm, 4);                                                  \
	READ_ID(crm, 5);                                                  \
	READ_ID(crm, 6);                                                  \
	READ_ID(crm, 7)

/* The whole space is reserved for ID registers: the unallocated ones read
 * as zero. */
uint64_t arch_read_id_reg(unsigned int crm, unsigned int op2)
{
	uint64_t v = 0;

	switch (crm * 8 + op2) {
		READ_ID_ROW(1);
		READ_ID_ROW(2);
		READ_ID_ROW(3);
		READ_ID_ROW(4);
		READ_ID_ROW(5);
		READ_ID_ROW(6);
		READ_ID_ROW(7);
	}
	return v;
}

void arch_features_init(void)
{
	struct cpu_id_regs id = {
		.pfr0 = arch_read_id_reg(4, 0),
		.pfr1 = arch_read_id_reg(4, 1),
		.smfr0 = arch_read_id_reg(4, 5),
		.dfr0 = arch_read_id_reg(5, 0),
		.isar1 = arch_read_id_reg(6, 1),
		.isar2 = arch_read_id_reg(6, 2),
		.mmfr0 = arch_read_id_reg(7, 0),
		.mmfr1 = arch_read_id_reg(7, 1),
	};
	const struct cpu_features *f = &arch_features;

	arch_features = cpu_features_parse(&id);
	bool any = f->pauth || f->pauth_generic || f->sve || f->sme ||
		   f->mte || f->scxtnum || f->fgt || f->hcx;

	dlog("hafnium: CPU features set up for the primary:%s%s%s%s%s%s%s%s%s\n",
	     f->pauth || f->pauth_generic ? " pauth" : "",
	     f->sve ? " sve" : "", f->sme ? " sme" : "",
	     f->sme_fa64 ? " sme-fa64" : "", f->mte ? " mte" : "",
	     f->scxtnum ? " scxtnum" : "", f->fgt ? " fgt" : "",
	     f->hcx ? " hcx" : "", any ? "" : " none");
}

uint64_t arch_primary_cptr(void)
{
	return CPTR_EL2_RES1 | (arch_features.sve ? 0 : CPTR_EL2_TZ) |
	       (arch_features.sme ? 0 : CPTR_EL2_TSM);
}

void arch_features_cpu_setup(void)
{
	const struct cpu_features *f = &arch_features;

	/* CPTR_EL2.TZ and TSM trap EL2's access to ZCR_EL2 and SMCR_EL2
	 * too. */
	write_sysreg(cptr_el2, arch_primary_cptr());
	isb();
	if (f->sve) {
		write_sysreg(ZCR_EL2, VL_MAX);
	}
	if (f->sme) {
		write_sysreg(SMCR_EL2,
			     VL_MAX | (f->sme_fa64 ? SMCR_EL2_FA64 : 0));
	}
	if (f->hcx) {
		write_sysreg(HCRX_EL2, 0);
	}
	if (f->fgt) {
		uint64_t sme_untrapped = f->sme ? HFGXTR_EL2_NSMPRI_EL1 |
							  HFGXTR_EL2_NTPIDR2_EL0
						: 0;

		write_sysreg(HFGRTR_EL2, sme_untrapped);
		write_sysreg(HFGWTR_EL2, sme_untrapped);
		write_sysreg(HFGITR_EL2, 0);
		write_sysreg(HDFGRTR_EL2, 0);
		write_sysreg(HDFGWTR_EL2, 0);
	}
	isb();
}
