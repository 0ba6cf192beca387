/* SPDX-License-Identifier: BSD-3-Clause */
/* Which features hafnium finds in the ID registers (cpu_features.c):
 * nothing is assumed, and values are read as the Arm ARM defines them. */
#include "hf/cpu_features.h"

#include "test.h"

/* Cortex-A57 (r1p3): Armv8.0, none of the features. */
static const struct cpu_id_regs cortex_a57 = {
	.pfr0 = 0x00002222,
	.dfr0 = 0x10305106,
	.isar1 = 0,
	.mmfr0 = 0x00001124,
	.mmfr1 = 0,
};

TEST(cpu_features, armv8_0_has_none)
{
	struct cpu_features f = cpu_features_parse(&cortex_a57);

	EXPECT(!f.sve && !f.sme && !f.sme_fa64 && !f.pauth &&
	       !f.pauth_generic && !f.mte && !f.scxtnum && !f.fgt && !f.hcx &&
	       !f.lor && !f.ras && !f.amu && !f.spe && !f.trbe);
}

TEST(cpu_features, each_field)
{
	struct cpu_id_regs id = { 0 };

	id.pfr0 = 1ull << 32;
	EXPECT(cpu_features_parse(&id).sve);
	id = (struct cpu_id_regs){ .pfr1 = 1ull << 24 };
	EXPECT(cpu_features_parse(&id).sme);
	EXPECT(!cpu_features_parse(&id).sme_fa64);
	id.smfr0 = 1ull << 63;
	EXPECT(cpu_features_parse(&id).sme_fa64);
	/* FA64 without SME means nothing. */
	id = (struct cpu_id_regs){ .smfr0 = 1ull << 63 };
	EXPECT(!cpu_features_parse(&id).sme_fa64);
	/* Address authentication: QARMA5 (APA), IMPDEF (API) or QARMA3. */
	id = (struct cpu_id_regs){ .isar1 = 1ull << 4 };
	EXPECT(cpu_features_parse(&id).pauth);
	id = (struct cpu_id_regs){ .isar1 = 1ull << 8 };
	EXPECT(cpu_features_parse(&id).pauth);
	id = (struct cpu_id_regs){ .isar2 = 1ull << 12 };
	EXPECT(cpu_features_parse(&id).pauth);
	EXPECT(!cpu_features_parse(&id).pauth_generic);
	id = (struct cpu_id_regs){ .isar1 = 1ull << 28 };
	EXPECT(cpu_features_parse(&id).pauth_generic);
	EXPECT(!cpu_features_parse(&id).pauth);
	id = (struct cpu_id_regs){ .mmfr0 = 1ull << 56 };
	EXPECT(cpu_features_parse(&id).fgt);
	id = (struct cpu_id_regs){ .mmfr1 = 1ull << 40 };
	EXPECT(cpu_features_parse(&id).hcx);
	id = (struct cpu_id_regs){ .mmfr1 = 1ull << 16 };
	EXPECT(cpu_features_parse(&id).lor);
	id = (struct cpu_id_regs){ .dfr0 = 1ull << 32 };
	EXPECT(cpu_features_parse(&id).spe);
	id = (struct cpu_id_regs){ .dfr0 = 1ull << 44 };
	EXPECT(cpu_features_parse(&id).trbe);
}

/* MTE 1 is the instructions without tags in memory: nothing to set up. */
TEST(cpu_features, mte_needs_tag_storage)
{
	struct cpu_id_regs id = { .pfr1 = 1ull << 8 };

	EXPECT(!cpu_features_parse(&id).mte);
	id.pfr1 = 2ull << 8;
	EXPECT(cpu_features_parse(&id).mte);
	id.pfr1 = 3ull << 8;
	EXPECT(cpu_features_parse(&id).mte);
}

/* SCXTNUM comes with CSV2 2, or CSV2 1 and CSV2_frac 2. */
TEST(cpu_features, scxtnum_by_csv2)
{
	struct cpu_id_regs id = { .pfr0 = 1ull << 56 };

	EXPECT(!cpu_features_parse(&id).scxtnum);
	id.pfr1 = 1ull << 32;
	EXPECT(!cpu_features_parse(&id).scxtnum);
	id.pfr1 = 2ull << 32;
	EXPECT(cpu_features_parse(&id).scxtnum);
	id = (struct cpu_id_regs){ .pfr0 = 2ull << 56 };
	EXPECT(cpu_features_parse(&id).scxtnum);
	/* CSV2_frac alone says nothing. */
	id = (struct cpu_id_regs){ .pfr1 = 2ull << 32 };
	EXPECT(!cpu_features_parse(&id).scxtnum);
}
