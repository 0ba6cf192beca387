/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * cpuprobe: the CPU a secondary gets, seen from inside (docs/architecture.md,
 * "The secondary's CPU"). It prints the ID registers it reads (hafnium's
 * view: HCR_EL2.TID3 traps them), then runs one instruction of each
 * feature hafnium hides and expects an undefined-instruction exception,
 * which a vector table of its own catches and steps over:
 *   cpuprobe: ID_AA64PFR0_EL1 0x<value>     (and PFR1, ZFR0, SMFR0, DFR0,
 *                                            ISAR1, ISAR2, MMFR1)
 *   cpuprobe: <feature>: undefined          (or "executed", a failure)
 * With pointer authentication in its ID registers, its keys must start at
 * zero (never the primary's), sign and authenticate, and stay its own
 * across an FFA_YIELD:
 *   cpuprobe: pauth: own keys              (or "pauth: absent")
 * then "cpuprobe: done, <n> failed". Last it reads PMCR_EL0 with the
 * runtime's vectors, which report the undefined instruction and power the
 * VM off ("exception on vCPU 0: synchronous exception from EL1 with
 * SP_EL1: unknown reason (undefined instruction) (EC 0x0)").
 */
#include "guest/runtime.h"

extern char probe_vectors[];

/* Runs `insn` with the probe vectors: 0 if it executed, else ESR_EL1 of
 * the exception (probe_vectors leaves it in x17 and steps over the
 * instruction). */
#define PROBE(insn)                                                     \
	({                                                              \
		uint64_t esr_;                                          \
		__asm__ volatile("mov x17, #0\n\t" insn "\n\tmov %0, x17" \
				 : "=r"(esr_)                           \
				 :                                      \
				 : "x0", "x16", "x17", "memory");       \
		esr_;                                                   \
	})

__asm__(".pushsection .text.probe_vectors, \"ax\"\n"
	".balign 2048\n"
	"probe_vectors:\n"
	/* Current EL with SP_ELx, synchronous. */
	".skip 0x200\n"
	"mrs x17, esr_el1\n"
	"mrs x16, elr_el1\n"
	"add x16, x16, #4\n"
	"msr elr_el1, x16\n"
	"eret\n"
	".popsection\n");

static unsigned int failed;

static void expect_undefined(const char *name, uint64_t esr)
{
	uint32_t ec = (esr >> 26) & 0x3f;

	if (esr != 0 && ec == 0) {
		printf("cpuprobe: %s: undefined\n", name);
		return;
	}
	failed++;
	if (esr == 0) {
		printf("cpuprobe: %s: executed\n", name);
	} else {
		printf("cpuprobe: %s: exception class 0x%x, not undefined\n",
		       name, ec);
	}
}

/* Each instruction needs no operand state: x0 is the only register they
 * write. Encodings as .inst: the guests' assembler flags name no
 * extension. */
static void probe_hidden(void)
{
	expect_undefined("sve (rdvl)", PROBE(".inst 0x04bf5020"));
	expect_undefined("sve (zcr_el1)", PROBE("mrs x0, S3_0_C1_C2_0"));
	expect_undefined("sme (smstart)", PROBE(".inst 0xd503477f"));
	expect_undefined("sme (svcr)", PROBE("mrs x0, S3_3_C4_C2_2"));
	expect_undefined("sme (smcr_el1)", PROBE("mrs x0, S3_0_C1_C2_6"));
	expect_undefined("mte (gcr_el1)", PROBE("mrs x0, S3_0_C1_C0_6"));
	expect_undefined("mte (rgsr_el1)", PROBE("mrs x0, S3_0_C1_C0_5"));
	expect_undefined("mte (tfsr_el1)", PROBE("mrs x0, S3_0_C5_C6_0"));
	expect_undefined("pmu (pmcr_el0)", PROBE("mrs x0, pmcr_el0"));
	expect_undefined("pmu (pmccntr_el0)", PROBE("mrs x0, pmccntr_el0"));
	expect_undefined("debug (mdscr_el1)", PROBE("mrs x0, mdscr_el1"));
	expect_undefined("debug (dbgbvr0_el1)", PROBE("mrs x0, dbgbvr0_el1"));
	expect_undefined("ras (erridr_el1)", PROBE("mrs x0, S3_0_C5_C3_0"));
	expect_undefined("lor (lorc_el1)", PROBE("mrs x0, S3_0_C10_C4_3"));
	expect_undefined("scxtnum (scxtnum_el1)",
			 PROBE("mrs x0, S3_0_C13_C0_7"));
	expect_undefined("amu (amcr_el0)", PROBE("mrs x0, S3_3_C13_C2_0"));
	expect_undefined("gic (icc_pmr_el1)", PROBE("mrs x0, S3_0_C4_C6_0"));
	expect_undefined("actlr_el1", PROBE("mrs x0, actlr_el1"));
	expect_undefined("id register write (id_aa64pfr0_el1)",
			 PROBE("msr S3_0_C0_C4_0, xzr"));
}

#define APIAKEYLO_EL1 S3_0_C2_C1_0
#define APIAKEYHI_EL1 S3_0_C2_C1_1
#define APGAKEYLO_EL1 S3_0_C2_C3_0
#define APGAKEYHI_EL1 S3_0_C2_C3_1
#define SCTLR_EL1_ENIA (1ull << 31)
#define CPACR_EL1_ZEN (3ull << 16)
#define CPACR_EL1_FPEN (3ull << 20)
#define CPACR_EL1_SMEN (3ull << 24)

/* PACIA x0, x1 / AUTIA x0, x1 / PACGA x0, x0, x1, with x1 the modifier. */
static uint64_t pac(uint64_t ptr, uint64_t modifier, bool sign)
{
	register uint64_t x0 __asm__("x0") = ptr;
	register uint64_t x1 __asm__("x1") = modifier;

	if (sign) {
		__asm__ volatile(".inst 0xdac10020" : "+r"(x0) : "r"(x1));
	} else {
		__asm__ volatile(".inst 0xdac11020" : "+r"(x0) : "r"(x1));
	}
	return x0;
}

static void probe_pauth(uint64_t isar1, uint64_t isar2)
{
	/* APA, API (ISAR1 7:4, 11:8), APA3 (ISAR2 15:12). */
	bool present = ((isar1 >> 4) & 0xff) != 0 || ((isar2 >> 12) & 0xf) != 0;
	uint64_t key_lo = 0x0123456789abcdefull, key_hi = 0xfedcba9876543210ull;
	uint64_t ptr = 0x80001000ull, signed_ptr, after;

	if (!present) {
		printf("cpuprobe: pauth: absent\n");
		return;
	}
	if (READ_SYSREG(APIAKEYLO_EL1) != 0 || READ_SYSREG(APIAKEYHI_EL1) != 0 ||
	    READ_SYSREG(APGAKEYLO_EL1) != 0 || READ_SYSREG(APGAKEYHI_EL1) != 0) {
		printf("cpuprobe: pauth: keys not zero at start\n");
		failed++;
		return;
	}
	__asm__ volatile("msr S3_0_C2_C1_0, %0" : : "r"(key_lo));
	__asm__ volatile("msr S3_0_C2_C1_1, %0" : : "r"(key_hi));
	__asm__ volatile("msr sctlr_el1, %0\n\tisb"
			 : : "r"(READ_SYSREG(sctlr_el1) | SCTLR_EL1_ENIA));
	signed_ptr = pac(ptr, 42, true);
	ffa_yield();
	after = pac(signed_ptr, 42, false);
	if (signed_ptr == ptr || after != ptr ||
	    READ_SYSREG(APIAKEYLO_EL1) != key_lo ||
	    READ_SYSREG(APIAKEYHI_EL1) != key_hi) {
		printf("cpuprobe: pauth: signed 0x%lx as 0x%lx, authenticated "
		       "as 0x%lx after a yield\n",
		       (unsigned long)ptr, (unsigned long)signed_ptr,
		       (unsigned long)after);
		failed++;
		return;
	}
	printf("cpuprobe: pauth: own keys\n");
}

int main(const void *blob)
{
	uint64_t vbar = READ_SYSREG(vbar_el1);
	uint64_t cpacr = READ_SYSREG(cpacr_el1);
	uint64_t isar1 = READ_SYSREG(S3_0_C0_C6_1), isar2 = READ_SYSREG(S3_0_C0_C6_2);

	(void)blob;
	printf("cpuprobe: ID_AA64PFR0_EL1 0x%lx\n",
	       (unsigned long)READ_SYSREG(S3_0_C0_C4_0));
	printf("cpuprobe: ID_AA64PFR1_EL1 0x%lx\n",
	       (unsigned long)READ_SYSREG(S3_0_C0_C4_1));
	printf("cpuprobe: ID_AA64ZFR0_EL1 0x%lx\n",
	       (unsigned long)READ_SYSREG(S3_0_C0_C4_4));
	printf("cpuprobe: ID_AA64SMFR0_EL1 0x%lx\n",
	       (unsigned long)READ_SYSREG(S3_0_C0_C4_5));
	printf("cpuprobe: ID_AA64DFR0_EL1 0x%lx\n",
	       (unsigned long)READ_SYSREG(S3_0_C0_C5_0));
	printf("cpuprobe: ID_AA64ISAR1_EL1 0x%lx\n", (unsigned long)isar1);
	printf("cpuprobe: ID_AA64ISAR2_EL1 0x%lx\n", (unsigned long)isar2);
	printf("cpuprobe: ID_AA64MMFR1_EL1 0x%lx\n",
	       (unsigned long)READ_SYSREG(S3_0_C0_C7_1));

	/* IRQs stay masked while the probe vectors are in place. Its own
	 * CPACR_EL1 enables SVE, SME and FP, so that only hafnium's traps
	 * can stop them (on a CPU without them those bits are RES0). */
	__asm__ volatile("msr daifset, #2\n\t"
			 "msr vbar_el1, %0\n\t"
			 "msr cpacr_el1, %1\n\t"
			 "isb"
			 : : "r"(probe_vectors),
			   "r"(cpacr | CPACR_EL1_ZEN | CPACR_EL1_FPEN |
			       CPACR_EL1_SMEN)
			 : "memory");
	probe_hidden();
	__asm__ volatile("msr vbar_el1, %0\n\t"
			 "msr cpacr_el1, %1\n\t"
			 "isb\n\t"
			 "msr daifclr, #2"
			 : : "r"(vbar), "r"(cpacr) : "memory");
	probe_pauth(isar1, isar2);
	printf("cpuprobe: done, %u failed\n", failed);
	/* Last, a hidden feature with the runtime's own vectors: it reports
	 * the undefined instruction and powers the VM off. */
	__asm__ volatile("mrs x0, pmcr_el0" ::: "x0");
	printf("cpuprobe: PMCR_EL0 was readable\n");
	return 1;
}
