/* SPDX-License-Identifier: BSD-3-Clause */
/* Which features the ID registers announce (field positions from the Arm
 * ARM's register descriptions). */
#include "hf/cpu_features.h"

#define PFR0_RAS 28
#define PFR0_SVE 32
#define PFR0_AMU 44
#define PFR0_CSV2 56
#define PFR1_MTE 8
#define PFR1_SME 24
#define PFR1_CSV2_FRAC 32
#define ISAR1_APA 4
#define ISAR1_API 8
#define ISAR1_GPA 24
#define ISAR1_GPI 28
#define ISAR2_GPA3 8
#define ISAR2_APA3 12
#define MMFR0_FGT 56
#define MMFR1_LO 16
#define MMFR1_HCX 40
#define DFR0_PMSVER 32
#define DFR0_TRACEBUFFER 44
#define SMFR0_FA64 (1ull << 63)

/* Values: MTE 2 is tag storage in memory (1 is instructions only); CSV2 2,
 * or 1 with CSV2_frac 2, brings SCXTNUM. */
struct cpu_features cpu_features_parse(const struct cpu_id_regs *id)
{
	unsigned int csv2 = id_field(id->pfr0, PFR0_CSV2);
	struct cpu_features f = {
		.sve = id_field(id->pfr0, PFR0_SVE) != 0,
		.sme = id_field(id->pfr1, PFR1_SME) != 0,
		.pauth = id_field(id->isar1, ISAR1_APA) != 0 ||
			 id_field(id->isar1, ISAR1_API) != 0 ||
			 id_field(id->isar2, ISAR2_APA3) != 0,
		.pauth_generic = id_field(id->isar1, ISAR1_GPA) != 0 ||
				 id_field(id->isar1, ISAR1_GPI) != 0 ||
				 id_field(id->isar2, ISAR2_GPA3) != 0,
		.mte = id_field(id->pfr1, PFR1_MTE) >= 2,
		.scxtnum = csv2 >= 2 ||
			   (csv2 == 1 &&
			    id_field(id->pfr1, PFR1_CSV2_FRAC) >= 2),
		.fgt = id_field(id->mmfr0, MMFR0_FGT) != 0,
		.hcx = id_field(id->mmfr1, MMFR1_HCX) != 0,
		.lor = id_field(id->mmfr1, MMFR1_LO) != 0,
		.ras = id_field(id->pfr0, PFR0_RAS) != 0,
		.amu = id_field(id->pfr0, PFR0_AMU) != 0,
		.spe = id_field(id->dfr0, DFR0_PMSVER) != 0,
		.trbe = id_field(id->dfr0, DFR0_TRACEBUFFER) != 0,
	};

	f.sme_fa64 = f.sme && (id->smfr0 & SMFR0_FA64) != 0;
	return f;
}
