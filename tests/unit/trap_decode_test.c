/* SPDX-License-Identifier: BSD-3-Clause */
/* The aarch64 trap path's pure decoding (el2/arch/aarch64/trap_decode.h):
 * injection vectors, instruction lengths and AArch32 IT/condition state,
 * when HPFAR_EL2 and FAR_EL2 mean anything, and the timer's tick to ns
 * conversion. */
#include "../../el2/arch/aarch64/trap_decode.h"

#include "test.h"

#define EC(ec) ((uint64_t)(ec) << 26)
#define SPSR_A32_USR 0x10ull
#define SPSR_NZCV(n, z, c, v)                                            \
	((uint64_t)(n) << 31 | (uint64_t)(z) << 30 | (uint64_t)(c) << 29 | \
	 (uint64_t)(v) << 28)

/* The IT state of an AArch32 SPSR, as IT[7:0]. */
static uint64_t it_of(uint64_t spsr)
{
	return (spsr >> 25 & 3) | (spsr >> 10 & 0x3f) << 2;
}

static uint64_t with_it(uint64_t spsr, uint64_t it)
{
	return spsr | (it & 3) << 25 | (it >> 2) << 10;
}

TEST(trap_decode, vector_offset_by_mode)
{
	EXPECT_EQ(sync_vector_offset(0x3c5), 0x200); /* EL1h */
	EXPECT_EQ(sync_vector_offset(0x3c4), 0x000); /* EL1t */
	EXPECT_EQ(sync_vector_offset(0x000), 0x400); /* EL0t, AArch64 */
	/* AArch32 EL0 (usr, ARM and Thumb; M[3:0] = 0 like EL0t). */
	EXPECT_EQ(sync_vector_offset(SPSR_A32_USR), 0x600);
	EXPECT_EQ(sync_vector_offset(SPSR_A32_USR | SPSR_A32_T), 0x600);
	EXPECT(spsr_is_el0(SPSR_A32_USR));
	EXPECT(spsr_is_el0(0x000));
	EXPECT(!spsr_is_el0(0x3c4));
	EXPECT(!spsr_is_el0(0x3c5));
}

TEST(trap_decode, skip_by_instruction_length)
{
	uint64_t pc = 0x1000, spsr = 0x3c5;

	skip_trapped_insn(&pc, &spsr, EC(0x01) | ESR_IL);
	EXPECT_EQ(pc, 0x1004);
	EXPECT_EQ(spsr, 0x3c5);

	/* A 16-bit T32 WFI (IL clear) is 2 bytes. */
	pc = 0x8000;
	spsr = SPSR_A32_USR | SPSR_A32_T;
	skip_trapped_insn(&pc, &spsr, EC(0x01));
	EXPECT_EQ(pc, 0x8002);
	skip_trapped_insn(&pc, &spsr, EC(0x01) | ESR_IL);
	EXPECT_EQ(pc, 0x8006);
	EXPECT_EQ(spsr, SPSR_A32_USR | SPSR_A32_T);

	/* AArch32 addresses wrap at 4 GiB. */
	pc = 0xfffffffe;
	skip_trapped_insn(&pc, &spsr, EC(0x01));
	EXPECT_EQ(pc, 0);
}

TEST(trap_decode, skip_advances_it_block)
{
	uint64_t flags = SPSR_NZCV(1, 0, 1, 0) | SPSR_A32_USR | SPSR_A32_T;
	uint64_t pc = 0x8000, spsr = with_it(flags, 0xa6);

	/* ITAdvance: IT[4:0] shifts left until IT[2:0] is 0, then the
	 * block ends; IT[7:5] (the base condition) stays. */
	skip_trapped_insn(&pc, &spsr, EC(0x01));
	EXPECT_EQ(it_of(spsr), 0xac);
	skip_trapped_insn(&pc, &spsr, EC(0x01));
	EXPECT_EQ(it_of(spsr), 0xb8);
	skip_trapped_insn(&pc, &spsr, EC(0x01));
	EXPECT_EQ(it_of(spsr), 0);
	EXPECT_EQ(spsr, flags);
	EXPECT_EQ(pc, 0x8006);

	/* ITT EQ: two instructions. */
	spsr = with_it(flags, 0x04);
	skip_trapped_insn(&pc, &spsr, EC(0x01));
	EXPECT_EQ(it_of(spsr), 0x08);
	skip_trapped_insn(&pc, &spsr, EC(0x01));
	EXPECT_EQ(spsr, flags);

	/* A32 (T clear) has no IT state to advance. */
	spsr = with_it(SPSR_A32_USR, 0x04);
	skip_trapped_insn(&pc, &spsr, EC(0x01) | ESR_IL);
	EXPECT_EQ(it_of(spsr), 0x04);
}

TEST(trap_decode, aarch32_condition)
{
	/* Condition code -> expected, for N=1 Z=0 C=1 V=0. */
	static const bool holds[16] = {
		false, true,  /* EQ NE */
		true,  false, /* CS CC */
		true,  false, /* MI PL */
		false, true,  /* VS VC */
		true,  false, /* HI LS */
		false, true,  /* GE LT */
		false, true,  /* GT LE */
		true,  true,  /* AL, unconditional */
	};
	uint64_t spsr = SPSR_NZCV(1, 0, 1, 0) | SPSR_A32_USR;
	uint64_t cond;

	for (cond = 0; cond < 16; cond++) {
		uint64_t esr = EC(0x01) | ESR_IL | ESR_CV | cond << 20;

		EXPECT_EQ(trapped_insn_executes(esr, spsr), holds[cond]);
	}
	/* CV clear: the condition is not known, the instruction ran. */
	EXPECT(trapped_insn_executes(EC(0x01) | ESR_IL | 0ull << 20,
				     SPSR_A32_USR));
	/* Z set: EQ holds, NE does not; HI needs Z clear. */
	spsr = SPSR_NZCV(0, 1, 1, 0) | SPSR_A32_USR;
	EXPECT(trapped_insn_executes(EC(0x01) | ESR_CV | 0ull << 20, spsr));
	EXPECT(!trapped_insn_executes(EC(0x01) | ESR_CV | 1ull << 20, spsr));
	EXPECT(!trapped_insn_executes(EC(0x01) | ESR_CV | 8ull << 20, spsr));
	/* GT: Z clear and N == V. */
	spsr = SPSR_NZCV(1, 0, 0, 1) | SPSR_A32_USR;
	EXPECT(trapped_insn_executes(EC(0x01) | ESR_CV | 12ull << 20, spsr));
	/* From AArch64 the ISS has no condition. */
	EXPECT(trapped_insn_executes(EC(0x01) | ESR_IL | ESR_CV | 0ull << 20,
				     0x3c5));
}

TEST(trap_decode, hpfar_only_for_translation_access_flag_and_walks)
{
	uint64_t fsc;

	for (fsc = 0x00; fsc <= 0x0b; fsc++) {
		EXPECT(hpfar_is_valid(EC(0x24) | ESR_IL | fsc));
	}
	/* Permission faults, levels 0-3: HPFAR_EL2 is UNKNOWN. */
	for (fsc = 0x0c; fsc <= 0x0f; fsc++) {
		EXPECT(!hpfar_is_valid(EC(0x24) | ESR_IL | fsc));
		EXPECT(!hpfar_is_valid(EC(0x20) | ESR_IL | fsc));
		/* ... unless the fault was on the stage-1 walk. */
		EXPECT(hpfar_is_valid(EC(0x24) | ESR_IL | ESR_S1PTW | fsc));
	}
	EXPECT(!hpfar_is_valid(EC(0x24) | ESR_IL | 0x10));
}

TEST(trap_decode, far_only_for_aborts)
{
	EXPECT(esr_has_far(EC(0x24) | ESR_IL | 0x07));
	EXPECT(esr_has_far(EC(0x20) | ESR_IL | 0x07));
	/* WFx, AArch32 MCR/MRC, MCRR/MRRC, CP14, HVC32, SMC32, MSR/MRS,
	 * SError: FAR_EL2 is UNKNOWN. */
	EXPECT(!esr_has_far(EC(0x01) | ESR_IL));
	EXPECT(!esr_has_far(EC(0x03) | ESR_IL));
	EXPECT(!esr_has_far(EC(0x04) | ESR_IL));
	EXPECT(!esr_has_far(EC(0x05) | ESR_IL));
	EXPECT(!esr_has_far(EC(0x12) | ESR_IL));
	EXPECT(!esr_has_far(EC(0x13) | ESR_IL));
	EXPECT(!esr_has_far(EC(0x18) | ESR_IL));
	EXPECT(!esr_has_far(EC(0x2f) | ESR_IL));
}

TEST(trap_decode, ticks_to_ns_saturates)
{
	const uint64_t freq = 62500000; /* QEMU virt's counter */

	EXPECT_EQ(ticks_to_ns(0, freq), 0);
	EXPECT_EQ(ticks_to_ns(1, freq), 16);
	EXPECT_EQ(ticks_to_ns(freq, freq), 1000000000ull);
	EXPECT_EQ(ticks_to_ns(freq * 3 + freq / 2, freq), 3500000000ull);
	EXPECT_EQ(ticks_to_ns(1, 1000000000), 1);
	/* The largest count that fits, and one more second. */
	EXPECT_EQ(ticks_to_ns(UINT64_MAX / 1000000000ull * freq, freq),
		  UINT64_MAX / 1000000000ull * 1000000000ull);
	EXPECT_EQ(ticks_to_ns((UINT64_MAX / 1000000000ull + 1) * freq, freq),
		  UINT64_MAX);
	/* A deadline beyond 584 years: "never", not a wrapped short sleep. */
	EXPECT_EQ(ticks_to_ns(UINT64_MAX, freq), UINT64_MAX);
	EXPECT_EQ(ticks_to_ns(UINT64_MAX - 1, 1), UINT64_MAX);
	/* Whole seconds that fit, plus a fraction that does not. */
	EXPECT_EQ(ticks_to_ns(UINT64_MAX / 1000000000ull * freq + freq - 1,
			      freq),
		  UINT64_MAX);
}

/* ISS of a trapped MSR/MRS: Op0 21:20, Op2 19:17, Op1 16:14, CRn 13:10,
 * Rt 9:5, CRm 4:1, direction 0 (1: read). */
static uint64_t sysreg_iss(unsigned int op0, unsigned int op1,
			   unsigned int crn, unsigned int crm, unsigned int op2,
			   unsigned int rt, bool read)
{
	return EC(0x18) | (uint64_t)op0 << 20 | (uint64_t)op2 << 17 |
	       (uint64_t)op1 << 14 | (uint64_t)crn << 10 | (uint64_t)rt << 5 |
	       (uint64_t)crm << 1 | (read ? 1 : 0);
}

TEST(trap_decode, sysreg_access_fields)
{
	/* mrs x7, ID_AA64ISAR1_EL1 (S3_0_C0_C6_1). */
	struct sysreg_access a =
		sysreg_access_decode(sysreg_iss(3, 0, 0, 6, 1, 7, true));

	EXPECT_EQ(a.op0, 3);
	EXPECT_EQ(a.op1, 0);
	EXPECT_EQ(a.crn, 0);
	EXPECT_EQ(a.crm, 6);
	EXPECT_EQ(a.op2, 1);
	EXPECT_EQ(a.rt, 7);
	EXPECT(a.read);
	EXPECT(sysreg_is_id_space(&a));
	EXPECT(!sysreg_is_pauth_key(&a));
	/* msr APGAKeyHi_EL1 (S3_0_C2_C3_1), xzr. */
	a = sysreg_access_decode(sysreg_iss(3, 0, 2, 3, 1, 31, false));
	EXPECT_EQ(a.rt, 31);
	EXPECT(!a.read);
	EXPECT(sysreg_is_pauth_key(&a));
	EXPECT(!sysreg_is_id_space(&a));
}

TEST(trap_decode, sysreg_id_space_bounds)
{
	struct sysreg_access a;

	/* MIDR_EL1 (CRm 0) is not TID3's; CRm 1-7 are, CRm 8 is not. */
	a = sysreg_access_decode(sysreg_iss(3, 0, 0, 0, 0, 0, true));
	EXPECT(!sysreg_is_id_space(&a));
	a = sysreg_access_decode(sysreg_iss(3, 0, 0, 1, 0, 0, true));
	EXPECT(sysreg_is_id_space(&a));
	a = sysreg_access_decode(sysreg_iss(3, 0, 0, 7, 7, 0, true));
	EXPECT(sysreg_is_id_space(&a));
	a = sysreg_access_decode(sysreg_iss(3, 0, 0, 8, 0, 0, true));
	EXPECT(!sysreg_is_id_space(&a));
	/* CTR_EL0 (op1 3) and CCSIDR_EL1 (op1 1) are elsewhere. */
	a = sysreg_access_decode(sysreg_iss(3, 3, 0, 0, 1, 0, true));
	EXPECT(!sysreg_is_id_space(&a));
	a = sysreg_access_decode(sysreg_iss(3, 1, 0, 0, 0, 0, true));
	EXPECT(!sysreg_is_id_space(&a));
	/* SCTLR_EL1 (CRn 1) and the key registers' neighbours. */
	a = sysreg_access_decode(sysreg_iss(3, 0, 1, 0, 0, 0, true));
	EXPECT(!sysreg_is_id_space(&a));
	a = sysreg_access_decode(sysreg_iss(3, 0, 2, 0, 0, 0, true));
	EXPECT(!sysreg_is_pauth_key(&a)); /* TTBR0_EL1 */
	a = sysreg_access_decode(sysreg_iss(3, 0, 2, 4, 0, 0, true));
	EXPECT(!sysreg_is_pauth_key(&a));
}

/* ISS of a data abort with ISV: SAS 23:22, SSE 21, SRT 20:16, SF 15,
 * WnR 6, a level-3 translation fault. */
static uint64_t dabt_iss(unsigned int sas, bool sse, unsigned int rt, bool sf,
			 bool write)
{
	return EC(0x24) | ESR_IL | ESR_DABT_ISV | (uint64_t)sas << 22 |
	       (uint64_t)sse << 21 | (uint64_t)rt << 16 | (uint64_t)sf << 15 |
	       (uint64_t)write << 6 | 0x07;
}

TEST(trap_decode, dabt_access_fields)
{
	/* ldr w3, [x0] */
	struct dabt_access d = dabt_access_decode(dabt_iss(2, 0, 3, 0, 0));

	EXPECT_EQ(d.size, 4);
	EXPECT_EQ(d.rt, 3);
	EXPECT(!d.write);
	EXPECT(!d.sf);
	EXPECT(!d.sign_extend);
	/* str x30, [x1]; strb wzr, [x1]; ldrsh x9, [x1]; ldr x0 */
	d = dabt_access_decode(dabt_iss(3, 0, 30, 1, 1));
	EXPECT_EQ(d.size, 8);
	EXPECT_EQ(d.rt, 30);
	EXPECT(d.write);
	EXPECT(d.sf);
	d = dabt_access_decode(dabt_iss(0, 0, 31, 0, 1));
	EXPECT_EQ(d.size, 1);
	EXPECT_EQ(d.rt, 31);
	d = dabt_access_decode(dabt_iss(1, 1, 9, 1, 0));
	EXPECT_EQ(d.size, 2);
	EXPECT(d.sign_extend);
	d = dabt_access_decode(dabt_iss(3, 0, 0, 1, 0));
	EXPECT_EQ(d.rt, 0);
	EXPECT_EQ(d.size, 8);
}

TEST(trap_decode, dabt_emulable_only_with_syndrome)
{
	uint64_t esr = dabt_iss(2, 0, 3, 0, 0);

	EXPECT(dabt_is_emulable(esr));
	/* Translation faults at any level. */
	EXPECT(dabt_is_emulable((esr & ~ESR_FSC_MASK) | 0x05));
	/* LDP, SIMD, atomics: no syndrome. */
	EXPECT(!dabt_is_emulable(esr & ~ESR_DABT_ISV));
	/* Cache maintenance, the stage-1 walk, a permission fault
	 * (HPFAR_EL2 UNKNOWN). */
	EXPECT(!dabt_is_emulable(esr | ESR_DABT_CM));
	EXPECT(!dabt_is_emulable(esr | ESR_S1PTW));
	EXPECT(!dabt_is_emulable((esr & ~ESR_FSC_MASK) | 0x0f));
}

TEST(trap_decode, dabt_load_result_extends_and_truncates)
{
	struct dabt_access d;

	/* ldrb w0: zero-extended; garbage above the access dropped. */
	d = dabt_access_decode(dabt_iss(0, 0, 0, 0, 0));
	EXPECT_EQ(dabt_load_result(&d, 0xfff0), 0xf0);
	/* ldrsb w0: to 32 bits, upper half zero. */
	d = dabt_access_decode(dabt_iss(0, 1, 0, 0, 0));
	EXPECT_EQ(dabt_load_result(&d, 0x80), 0xffffff80);
	EXPECT_EQ(dabt_load_result(&d, 0x7f), 0x7f);
	/* ldrsb x0, ldrsh x0, ldrsw x0: to 64 bits. */
	d = dabt_access_decode(dabt_iss(0, 1, 0, 1, 0));
	EXPECT_EQ(dabt_load_result(&d, 0x80), 0xffffffffffffff80ull);
	d = dabt_access_decode(dabt_iss(1, 1, 0, 1, 0));
	EXPECT_EQ(dabt_load_result(&d, 0x8001), 0xffffffffffff8001ull);
	EXPECT_EQ(dabt_load_result(&d, 0x7001), 0x7001);
	d = dabt_access_decode(dabt_iss(2, 1, 0, 1, 0));
	EXPECT_EQ(dabt_load_result(&d, 0x80000000), 0xffffffff80000000ull);
	/* ldr w0, ldr x0. */
	d = dabt_access_decode(dabt_iss(2, 0, 0, 0, 0));
	EXPECT_EQ(dabt_load_result(&d, 0x1234567890abcdefull), 0x90abcdef);
	d = dabt_access_decode(dabt_iss(3, 0, 0, 1, 0));
	EXPECT_EQ(dabt_load_result(&d, 0x1234567890abcdefull),
		  0x1234567890abcdefull);
	/* ldrh w0 of a value with bit 15 set: not extended without SSE. */
	d = dabt_access_decode(dabt_iss(1, 0, 0, 0, 0));
	EXPECT_EQ(dabt_load_result(&d, 0x8001), 0x8001);
}

TEST(trap_decode, fault_ipa_page_and_offset)
{
	/* HPFAR_EL2.FIPA holds IPA[47:12] in bits [39:4]. */
	EXPECT_EQ(fault_ipa(0x080a0ull << 4, 0xffff800012345008ull),
		  0x080a0008ull);
	EXPECT_EQ(fault_ipa(0xfffffffffull << 4 | 0xf, 0xfff),
		  0xffffffffffffull);
	EXPECT_EQ(fault_ipa(0, 0xabc), 0xabc);
}
