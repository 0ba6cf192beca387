/* SPDX-License-Identifier: BSD-3-Clause */
/* A secondary's view of the ID registers (el2/src/id_regs.c): the values of
 * two real CPU models go in and come out field by field as the policy says;
 * nothing the table does not pass leaks, hidden features stay hidden
 * whatever the host says, caps hold. */
#include "hf/id_regs.h"

#include "test.h"

#define PFR0_EL0_AARCH32 0x2ull
#define PFR0_EL0_AARCH64 0x1ull
#define ALL_ONES 0xffffffffffffffffull

struct id_case {
	unsigned int crm, op2;
	uint64_t host, secondary;
};

static void check_cases(const struct id_case *cases, size_t n, uint64_t pfr0)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct id_case *c = &cases[i];
		uint64_t got = id_reg_secondary_view(c->crm, c->op2, c->host,
						     pfr0);

		if (got != c->secondary) {
			char m[160];

			snprintf(m, sizeof(m),
				 "CRm %u op2 %u: host 0x%llx gives 0x%llx, "
				 "not 0x%llx",
				 c->crm, c->op2, (unsigned long long)c->host,
				 (unsigned long long)got,
				 (unsigned long long)c->secondary);
			test_fail(__FILE__, __LINE__, m);
		}
	}
}

static uint64_t field(uint64_t reg, unsigned int shift)
{
	return reg >> shift & 0xf;
}

/* QEMU 7.2, -M virt,virtualization=on,gic-version=3 -cpu cortex-a57, each
 * register read at EL2, and what a secondary must read. */
TEST(id_regs, cortex_a57)
{
	static const uint64_t pfr0 = 0x0000000001000222;
	static const struct id_case cases[] = {
		/* EL0 AArch64+AArch32, EL1 AArch64 only, no EL2, GIC gone. */
		{ 4, 0, pfr0, 0x12 },
		{ 4, 1, 0, 0 },
		/* DebugVer 6, PMUv3 gone, BRPs 5, WRPs 3, CTX_CMPs 1,
		 * DoubleLock not implemented. */
		{ 5, 0, 0x10305106, 0xf010305006 },
		{ 5, 1, 0, 0 },
		{ 6, 0, 0x11120, 0x11120 },
		{ 6, 1, 0, 0 },
		/* 44-bit PARange capped at 40. */
		{ 7, 0, 0x1124, 0x1122 },
		{ 7, 1, 0, 0 },
		{ 7, 2, 0, 0 },
		/* AArch32: Virtualization and GIC gone from ID_PFR1. */
		{ 1, 0, 0x131, 0x131 },
		{ 1, 1, 0x10011001, 0x00010001 },
		/* PerfMon, MMapTrc, CopSDbg gone; CopDbg Armv8. */
		{ 1, 2, 0x03010066, 0x6 },
		{ 1, 3, 0, 0 },
		/* AuxReg gone. */
		{ 1, 4, 0x10101105, 0x10001105 },
		{ 1, 5, 0x40000000, 0x40000000 },
		{ 1, 6, 0x01260000, 0x01260000 },
		{ 1, 7, 0x02102211, 0x02102211 },
		{ 2, 0, 0x02101110, 0x02101110 },
		{ 2, 1, 0x13112111, 0x13112111 },
		{ 2, 2, 0x21232042, 0x21232042 },
		{ 2, 3, 0x01112131, 0x01112131 },
		{ 2, 4, 0x00011142, 0x00011142 },
		{ 2, 5, 0x00011121, 0x00011121 },
		{ 2, 6, 0, 0 },
		{ 2, 7, 0, 0 },
		{ 3, 0, 0x10110222, 0x10110222 },
		{ 3, 1, 0x12111111, 0x12111111 },
		{ 3, 2, 0x43, 0x43 },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]), pfr0);
}

/* QEMU 7.2, -M virt,virtualization=on,gic-version=3,mte=on -cpu max, read at
 * EL2. */
TEST(id_regs, qemu_max)
{
	static const uint64_t pfr0 = 0x1201001121110222;
	static const struct id_case cases[] = {
		/* EL1 AArch64 only; EL2, GIC, RAS, SVE gone; FP and AdvSIMD
		 * with FP16, DIT, CSV3 as the host; CSV2_2 down to CSV2. */
		{ 4, 0, pfr0, 0x1101000000110012 },
		/* BT, SSBS2 stay; MTE3 and SME gone. */
		{ 4, 1, 0x0000000001000321, 0x21 },
		{ 4, 2, 0, 0 },
		/* SVE and SME feature registers read 0. */
		{ 4, 4, 0x0110110100110021, 0 },
		{ 4, 5, 0x80f100fd00000000, 0 },
		/* Debugv8p4 down to 6, PMUv3p5 gone, DoubleLock not
		 * implemented. */
		{ 5, 0, 0x0000000010305609, 0x000000f010305006 },
		/* Every ISA extension -cpu max has: RNDR, TLB range, FlagM2,
		 * SHA3, SM3/4, DP, FHM, RDM, LSE; DPB2, APA, JSCVT, FCMA,
		 * LRCPC2, GPA, FRINTTS, SB, SPECRES, BF16, DGH, I8MM. */
		{ 6, 0, 0x1221111110212120, 0x1221111110212120 },
		{ 6, 1, 0x0011111101211012, 0x0011111101211012 },
		{ 6, 2, 0, 0 },
		/* 52-bit PARange capped at 40, stage-2 granules gone. */
		{ 7, 0, 0x0000032310201126, 0x0000000010201122 },
		/* VMIDBits, VH, LO, HCX gone. */
		{ 7, 1, 0x0000011010211122, 0x0000001010201002 },
		/* FWB gone. */
		{ 7, 2, 0x1021011010011011, 0x1021001010011011 },
		{ 7, 3, 0, 0 },
		{ 7, 4, 0, 0 },
		/* AArch32: RAS gone, CSV2 down to 1. */
		{ 1, 0, 0x11020131, 0x01010131 },
		{ 1, 1, 0x10011001, 0x00010001 },
		{ 1, 2, 0x06010009, 0x6 },
		{ 1, 4, 0x10101105, 0x10001105 },
		{ 1, 5, 0x40000000, 0x40000000 },
		{ 1, 6, 0x01260000, 0x01260000 },
		{ 1, 7, 0x02122211, 0x02122211 },
		{ 2, 0, 0x02101110, 0x02101110 },
		{ 2, 1, 0x13112111, 0x13112111 },
		{ 2, 2, 0x21232042, 0x21232042 },
		{ 2, 3, 0x01112131, 0x01112131 },
		{ 2, 4, 0x00011142, 0x00011142 },
		{ 2, 5, 0x11011121, 0x11011121 },
		/* AC2 gone. */
		{ 2, 6, 0x00011110, 0x00011100 },
		{ 2, 7, 0x01111111, 0x01111111 },
		{ 3, 0, 0x10110222, 0x10110222 },
		{ 3, 1, 0x13211111, 0x13211111 },
		{ 3, 2, 0x43, 0x43 },
		{ 3, 4, 0x11, 0x11 },
		{ 3, 5, 0, 0 },
		{ 3, 6, 0x1, 0x1 },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]), pfr0);
}

/* An all-ones host gives exactly the fields the policy passes: 0xf where
 * shown as the host, the cap where capped, the fixed value; no other bit. */
TEST(id_regs, all_ones_leaks_nothing)
{
	static const struct id_case cases[] = {
		/* EL0 2, EL1 1, FP, AdvSIMD, DIT, CSV2 1, CSV3. */
		{ 4, 0, ALL_ONES, 0xf10f000000ff0012 },
		/* BT, SSBS, CSV2_frac 1. */
		{ 4, 1, ALL_ONES, 0x00000001000000ff },
		/* DebugVer 6, BRPs, WRPs, CTX_CMPs, DoubleLock 0xf. */
		{ 5, 0, ALL_ONES, 0x000000f0f0f0f006 },
		/* Everything but TME and RES0 [3:0]. */
		{ 6, 0, ALL_ONES, 0xfffffffff0fffff0 },
		/* Everything but LS64. */
		{ 6, 1, ALL_ONES, 0x0fffffffffffffff },
		/* RPRES, GPA3, APA3, BC, PAC_frac, CLRBHB, RPRFM, CSSC. */
		{ 6, 2, ALL_ONES, 0x00ff0000fff0fff0 },
		/* PARange 2, ASIDBits, BigEnd, SNSMem, BigEndEL0, TGran*,
		 * ExS. */
		{ 7, 0, ALL_ONES, 0x0000f000fffffff2 },
		/* HAFDBS 2, HPDS, PAN, SpecSEI, XNX, ETS, AFP, nTLBPA, CMOW,
		 * ECBHB. */
		{ 7, 1, ALL_ONES, 0xff0ff0f0fff0f002 },
		/* Everything but NV, FWB, EVT and RES0 [47:44]. */
		{ 7, 2, ALL_ONES, 0xf0ff00fff0ffffff },
		{ 1, 0, ALL_ONES, 0x0f01ffff },
		{ 1, 1, ALL_ONES, 0x00010f0f },
		{ 1, 2, ALL_ONES, 0x00f00006 },
		{ 1, 3, ALL_ONES, 0 },
		{ 1, 4, ALL_ONES, 0xff00ffff },
		{ 1, 5, ALL_ONES, 0xffffffff },
		{ 1, 6, ALL_ONES, 0xffffffff },
		{ 1, 7, ALL_ONES, 0xffffffff },
		{ 2, 0, ALL_ONES, 0x0fffffff },
		{ 2, 1, ALL_ONES, 0xffffffff },
		{ 2, 2, ALL_ONES, 0xffffffff },
		{ 2, 3, ALL_ONES, 0xffffffff },
		{ 2, 4, ALL_ONES, 0xffffffff },
		{ 2, 5, ALL_ONES, 0xff0fffff },
		{ 2, 6, ALL_ONES, 0x0fffff0f },
		{ 2, 7, ALL_ONES, 0x0fffffff },
		{ 3, 0, ALL_ONES, 0xffffffff },
		{ 3, 1, ALL_ONES, 0xffffffff },
		{ 3, 2, ALL_ONES, 0xff },
		{ 3, 4, ALL_ONES, 0xff },
		{ 3, 5, ALL_ONES, 0 },
		{ 3, 6, ALL_ONES, 0xff },
	};

	check_cases(cases, sizeof(cases) / sizeof(cases[0]), PFR0_EL0_AARCH32);
}

/* Registers that read 0 whatever the host: unallocated encodings, the SVE,
 * SME, IMPLEMENTATION DEFINED and not yet known ones, and anything outside
 * CRm 1..7, op2 0..7. */
TEST(id_regs, zero_registers)
{
	static const unsigned int zero[][2] = {
		{ 3, 3 }, { 3, 7 }, { 4, 2 }, { 4, 3 }, { 4, 4 }, { 4, 5 },
		{ 4, 6 }, { 4, 7 }, { 5, 1 }, { 5, 2 }, { 5, 3 }, { 5, 4 },
		{ 5, 5 }, { 5, 6 }, { 5, 7 }, { 6, 3 }, { 6, 4 }, { 6, 5 },
		{ 6, 6 }, { 6, 7 }, { 7, 3 }, { 7, 4 }, { 7, 5 }, { 7, 6 },
		{ 7, 7 }, { 0, 0 }, { 0, 5 }, { 8, 0 }, { 15, 7 }, { 1, 8 },
		{ 4, 8 }, { 7, 255 },
	};
	size_t i;

	for (i = 0; i < sizeof(zero) / sizeof(zero[0]); i++) {
		EXPECT_EQ(id_reg_secondary_view(zero[i][0], zero[i][1],
						ALL_ONES, PFR0_EL0_AARCH32),
			  0);
	}
}

/* Every hidden feature's field reads "not implemented" for every value the
 * host may have. */
TEST(id_regs, hidden_whatever_the_host)
{
	static const struct {
		unsigned int crm, op2, shift;
	} hidden[] = {
		{ 4, 0, 8 },  /* EL2 */
		{ 4, 0, 12 }, /* EL3 */
		{ 4, 0, 24 }, /* GIC */
		{ 4, 0, 28 }, /* RAS */
		{ 4, 0, 32 }, /* SVE */
		{ 4, 0, 36 }, /* SEL2 */
		{ 4, 0, 40 }, /* MPAM */
		{ 4, 0, 44 }, /* AMU */
		{ 4, 0, 52 }, /* RME */
		{ 4, 1, 8 },  /* MTE */
		{ 4, 1, 12 }, /* RAS_frac */
		{ 4, 1, 16 }, /* MPAM_frac */
		{ 4, 1, 24 }, /* SME */
		{ 4, 1, 28 }, /* RNDR_trap */
		{ 4, 1, 36 }, /* NMI */
		{ 4, 1, 44 }, /* GCS */
		{ 5, 0, 4 },  /* TraceVer */
		{ 5, 0, 8 },  /* PMUVer */
		{ 5, 0, 32 }, /* PMSVer */
		{ 5, 0, 40 }, /* TraceFilt */
		{ 5, 0, 44 }, /* TraceBuffer */
		{ 5, 0, 52 }, /* BRBE */
		{ 6, 0, 24 }, /* TME */
		{ 6, 1, 60 }, /* LS64 */
		{ 6, 2, 0 },  /* WFxT */
		{ 6, 2, 16 }, /* MOPS */
		{ 7, 0, 56 }, /* FGT */
		{ 7, 0, 60 }, /* ECV */
		{ 7, 1, 4 },  /* VMIDBits */
		{ 7, 1, 8 },  /* VH */
		{ 7, 1, 16 }, /* LO */
		{ 7, 1, 32 }, /* TWED */
		{ 7, 1, 40 }, /* HCX */
		{ 7, 1, 52 }, /* TIDCP1 */
		{ 7, 2, 24 }, /* NV */
		{ 7, 2, 40 }, /* FWB */
		{ 7, 2, 56 }, /* EVT */
		{ 1, 0, 20 }, /* AArch32 AMU */
		{ 1, 0, 28 }, /* AArch32 RAS */
		{ 1, 1, 28 }, /* AArch32 GIC */
		{ 1, 2, 24 }, /* PerfMon */
		{ 3, 4, 8 },  /* AArch32 RAS_frac */
	};
	size_t i;
	uint64_t v;

	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		for (v = 1; v <= 0xf; v++) {
			uint64_t got = id_reg_secondary_view(
				hidden[i].crm, hidden[i].op2,
				v << hidden[i].shift, PFR0_EL0_AARCH32);

			EXPECT_EQ(field(got, hidden[i].shift), 0);
		}
	}
}

/* A capped field is min(host, cap); an uncapped signed one is the host's,
 * "not implemented" (0xf) included. */
TEST(id_regs, caps_and_signed_fields)
{
	uint64_t v;

	for (v = 0; v <= 0xf; v++) {
		/* PARange: 40 bits is 2. */
		EXPECT_EQ(id_reg_secondary_view(7, 0, v, PFR0_EL0_AARCH64),
			  v < 2 ? v : 2);
		/* EL0 up to AArch32, EL1 AArch64 only. */
		EXPECT_EQ(field(id_reg_secondary_view(4, 0, v, v), 0),
			  v < 2 ? v : 2);
		EXPECT_EQ(field(id_reg_secondary_view(4, 0, v << 4, v), 4),
			  v < 1 ? v : 1);
		/* CSV2 without SCXTNUM. */
		EXPECT_EQ(field(id_reg_secondary_view(4, 0, v << 56, 0), 56),
			  v < 1 ? v : 1);
		/* DebugVer: Armv8.0 debug. */
		EXPECT_EQ(field(id_reg_secondary_view(5, 0, v, 0), 0),
			  v < 6 ? v : 6);
		/* HAFDBS up to DBM. */
		EXPECT_EQ(field(id_reg_secondary_view(7, 1, v, 0), 0),
			  v < 2 ? v : 2);
		/* FP and AdvSIMD as the host, whatever the value. */
		EXPECT_EQ(field(id_reg_secondary_view(4, 0, v << 16, 0), 16),
			  v);
		EXPECT_EQ(field(id_reg_secondary_view(4, 0, v << 20, 0), 20),
			  v);
		/* DoubleLock never implemented. */
		EXPECT_EQ(field(id_reg_secondary_view(5, 0, v << 36, 0), 36),
			  0xf);
	}
	/* Pointer authentication, each field as the host. */
	EXPECT_EQ(id_reg_secondary_view(6, 1, 0x0000000055005050, 0),
		  0x0000000055005050);
	EXPECT_EQ(id_reg_secondary_view(6, 2, 0x000000000100f500, 0),
		  0x000000000100f500);
}

/* Without AArch32 at the host's EL0, the AArch32 registers (UNKNOWN there)
 * read 0; the AArch64 ones do not depend on it. */
TEST(id_regs, aarch32_only_with_aarch32_el0)
{
	unsigned int crm, op2;

	for (crm = 1; crm <= 3; crm++) {
		for (op2 = 0; op2 <= 7; op2++) {
			EXPECT_EQ(id_reg_secondary_view(crm, op2, ALL_ONES,
							PFR0_EL0_AARCH64),
				  0);
			EXPECT_EQ(id_reg_secondary_view(crm, op2, ALL_ONES, 0),
				  0);
			EXPECT_EQ(id_reg_secondary_view(crm, op2, ALL_ONES,
							0xf),
				  0);
		}
	}
	EXPECT_EQ(id_reg_secondary_view(1, 0, 0x131, 0x1111), 0);
	EXPECT_EQ(id_reg_secondary_view(1, 0, 0x131, 0x2222), 0x131);
	EXPECT_EQ(id_reg_secondary_view(6, 0, 0x11120, PFR0_EL0_AARCH64),
		  0x11120);
	EXPECT_EQ(id_reg_secondary_view(4, 0, 0x1111, 0x1111), 0x11);
}
