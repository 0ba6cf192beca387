/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * regs: checks that hafnium keeps a vCPU's registers, all it can fill.
 * Every vCPU in its device tree (1 to 8) loops forever: round n sets
 * x0-x30 (but the scratch x16), v0-v31 (128 bits), FPCR, FPSR, NZCV and
 * the EL0/EL1 system registers hafnium switches (TPIDR_EL0, TPIDRRO_EL0,
 * TPIDR_EL1, CONTEXTIDR_EL1, SP_EL0, PAR_EL1, AFSR0/1_EL1, AMAIR_EL1,
 * CNTKCTL_EL1, CSSELR_EL1, CNTV_CVAL_EL0, and the PAuth keys where the ID
 * registers say there are any) to values made of a hash of its name (the
 * `model`: each instance gets its own), the vCPU and n; checks them
 * REGS_PASSES times in an asm loop with IRQs unmasked (regs.S), so that a
 * physical interrupt ends the vCPU's turn, and a virtual one comes in, at
 * any instruction; then calls FFA_YIELD (every 8th round
 * HF_INTERRUPT_INJECT of a software id into the next vCPU, which takes it
 * in its loop) and checks again what the call must keep.
 *
 * On a difference it prints "regs: vCPU <i> round <n> <where>: <reg> =
 * <got>, expected <want>" (and a line for every other wrong GPR or vector
 * register) and reads REGS_CRASH_IPA + check * 0x100 (+ 0x80 if the value
 * is not one this instance ever set in that register; known for the
 * registers it sets all 64 bits of), which is not mapped: the VM is then
 * CRASHED with that FAR, even if the line was lost. Every second each vCPU
 * prints "regs: vCPU <i> rounds <n> irqs <k> in the loop <l>": the
 * sibling interrupts it took, l of them inside the check loop (the others
 * on the way back from its call).
 */
#include "guest/runtime.h"
#include "regs.h"

#define REGS_CRASH_IPA 0x7ed00000UL
#define REGS_FOREIGN 0x80
#define REGS_PASSES 32
#define SIBLING_INTID HF_SOFTWARE_INTID_FIRST
/* In the low byte of every base value, and the vCPU in the top byte:
 * what own_value() recognises. */
#define BASE_TAG 0x5a

struct regs_frame {
	uint64_t x[32];
	uint64_t v[32][2];
	uint64_t base, passes, func, arg1, arg2, features, diff, check, phase,
		round;
	uint64_t sys[SYS_COUNT];
	uint64_t pad;
};

_Static_assert(__builtin_offsetof(struct regs_frame, v) == RF_V, "RF_V");
_Static_assert(__builtin_offsetof(struct regs_frame, base) == RF_BASE,
	       "RF_BASE");
_Static_assert(__builtin_offsetof(struct regs_frame, features) ==
		       RF_FEATURES,
	       "RF_FEATURES");
_Static_assert(__builtin_offsetof(struct regs_frame, round) == RF_ROUND,
	       "RF_ROUND");
_Static_assert(__builtin_offsetof(struct regs_frame, sys) == RF_SYS,
	       "RF_SYS");
_Static_assert(sizeof(struct regs_frame) == RF_SIZE, "RF_SIZE");

uint64_t regs_run(const struct regs_frame *in);
/* regs.S: the check loop's first and past-the-last instruction. */
extern char regs_loop_start[], regs_loop_end[];

/* The bits each system register is tried with: CONTEXTIDR_EL1 has 32,
 * CNTKCTL_EL1's are its access and event stream controls, FPCR's the ones
 * that change no exception behaviour (AHP, DN, FZ, RMode, FZ16, NEP, AH,
 * FIZ: no trap enables), FPSR's the cumulative flags, QC and NZCV.
 * CSSELR_EL1 takes only the values CLIDR_EL1 says are caches. */
static const struct {
	const char *name;
	uint64_t bits;
} sysregs[SYS_COUNT] = {
	[SYS_TPIDR_EL0] = {"tpidr_el0", ~0ULL},
	[SYS_TPIDRRO_EL0] = {"tpidrro_el0", ~0ULL},
	[SYS_TPIDR_EL1] = {"tpidr_el1", ~0ULL},
	[SYS_CONTEXTIDR_EL1] = {"contextidr_el1", 0xffffffffULL},
	[SYS_SP_EL0] = {"sp_el0", ~0ULL},
	[SYS_PAR_EL1] = {"par_el1", ~0ULL},
	[SYS_AFSR0_EL1] = {"afsr0_el1", ~0ULL},
	[SYS_AFSR1_EL1] = {"afsr1_el1", ~0ULL},
	[SYS_AMAIR_EL1] = {"amair_el1", ~0ULL},
	[SYS_CNTKCTL_EL1] = {"cntkctl_el1", 0x203ffULL},
	[SYS_CSSELR_EL1] = {"csselr_el1", 0},
	[SYS_CNTV_CVAL_EL0] = {"cntv_cval_el0", ~0ULL},
	[SYS_FPCR] = {"fpcr", 0x07c80007ULL},
	[SYS_FPSR] = {"fpsr", 0xf800009fULL},
	[SYS_NZCV] = {"nzcv", 0xf0000000ULL},
	[SYS_APIAKEYLO + 0] = {"apiakeylo_el1", ~0ULL},
	[SYS_APIAKEYLO + 1] = {"apiakeyhi_el1", ~0ULL},
	[SYS_APIAKEYLO + 2] = {"apibkeylo_el1", ~0ULL},
	[SYS_APIAKEYLO + 3] = {"apibkeyhi_el1", ~0ULL},
	[SYS_APIAKEYLO + 4] = {"apdakeylo_el1", ~0ULL},
	[SYS_APIAKEYLO + 5] = {"apdakeyhi_el1", ~0ULL},
	[SYS_APIAKEYLO + 6] = {"apdbkeylo_el1", ~0ULL},
	[SYS_APIAKEYLO + 7] = {"apdbkeyhi_el1", ~0ULL},
	[SYS_APGAKEYLO + 0] = {"apgakeylo_el1", ~0ULL},
	[SYS_APGAKEYLO + 1] = {"apgakeyhi_el1", ~0ULL},
};

static uint64_t nonce;
static unsigned int ncpus;
static uint16_t own_id;
static uint64_t features;
/* What vCPU 0 found each system register to keep: the bits that take a
 * write (mask) and those that read as 1 anyway (fixed). */
static uint64_t sys_mask[SYS_COUNT], sys_fixed[SYS_COUNT];
static uint64_t csselr_values[14];
static unsigned int csselr_count;
static struct regs_frame inputs[GUEST_MAX_CPUS];
/* Sibling interrupts taken, and how many of them in the check loop
 * (the others come on the way back from a call). */
static volatile unsigned long irqs[GUEST_MAX_CPUS], irqs_in_loop[GUEST_MAX_CPUS];

/* FNV-1a: the same name gives the same nonce, another name another. */
static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s != '\0') {
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ULL;
	}
	return h;
}

static uint64_t ror(uint64_t v, unsigned int k)
{
	k &= 63;
	return k == 0 ? v : v >> k | v << (64 - k);
}

static uint64_t rol(uint64_t v, unsigned int k)
{
	return ror(v, 64 - (k & 63));
}

/* Writes v to system register i, reads it back (one asm: nothing in
 * between may touch NZCV). */
static uint64_t sys_write_read(unsigned int i, uint64_t v)
{
	uint64_t r = 0;

#define WR(idx, reg)                                                   \
	case idx:                                                      \
		__asm__ volatile(".arch_extension fp\n"                \
				 "msr " #reg ", %1\n"                  \
				 "isb\n"                               \
				 "mrs %0, " #reg                       \
				 : "=&r"(r)                            \
				 : "r"(v)                              \
				 : "cc");                              \
		break
	switch (i) {
		WR(SYS_TPIDR_EL0, tpidr_el0);
		WR(SYS_TPIDRRO_EL0, tpidrro_el0);
		WR(SYS_TPIDR_EL1, tpidr_el1);
		WR(SYS_CONTEXTIDR_EL1, contextidr_el1);
		WR(SYS_SP_EL0, sp_el0);
		WR(SYS_PAR_EL1, par_el1);
		WR(SYS_AFSR0_EL1, afsr0_el1);
		WR(SYS_AFSR1_EL1, afsr1_el1);
		WR(SYS_AMAIR_EL1, amair_el1);
		WR(SYS_CNTKCTL_EL1, cntkctl_el1);
		WR(SYS_CSSELR_EL1, csselr_el1);
		WR(SYS_CNTV_CVAL_EL0, cntv_cval_el0);
		WR(SYS_FPCR, fpcr);
		WR(SYS_FPSR, fpsr);
		WR(SYS_NZCV, nzcv);
		WR(SYS_APIAKEYLO + 0, s3_0_c2_c1_0);
		WR(SYS_APIAKEYLO + 1, s3_0_c2_c1_1);
		WR(SYS_APIAKEYLO + 2, s3_0_c2_c1_2);
		WR(SYS_APIAKEYLO + 3, s3_0_c2_c1_3);
		WR(SYS_APIAKEYLO + 4, s3_0_c2_c2_0);
		WR(SYS_APIAKEYLO + 5, s3_0_c2_c2_1);
		WR(SYS_APIAKEYLO + 6, s3_0_c2_c2_2);
		WR(SYS_APIAKEYLO + 7, s3_0_c2_c2_3);
		WR(SYS_APGAKEYLO + 0, s3_0_c2_c3_0);
		WR(SYS_APGAKEYLO + 1, s3_0_c2_c3_1);
	}
#undef WR
	return r;
}

static bool sys_present(unsigned int i)
{
	if (i >= SYS_APGAKEYLO) {
		return features & RF_PAUTH_GENERIC;
	}
	if (i >= SYS_APIAKEYLO) {
		return features & RF_PAUTH_ADDRESS;
	}
	return true;
}

/* The rotation of the base value that system register i gets. */
static unsigned int sys_rotation(unsigned int i)
{
	return (5 * i + 3) & 63;
}

/* PAuth (FEAT_PAuth: APA/API/GPA/GPI in ID_AA64ISAR1_EL1, FEAT_PACQARMA3:
 * APA3/GPA3 in ID_AA64ISAR2_EL1) and SVE (ID_AA64PFR0_EL1.SVE). Only PAuth
 * changes what is checked: SVE's Z registers' low 128 bits are v0-v31;
 * the rest, P and FFR are left alone. */
static void detect_features(bool *sve)
{
	uint64_t isar1 = READ_SYSREG(id_aa64isar1_el1);
	uint64_t isar2 = READ_SYSREG(s3_0_c0_c6_2); /* ID_AA64ISAR2_EL1 */
	uint64_t pfr0 = READ_SYSREG(id_aa64pfr0_el1);

	if ((isar1 >> 4 & 0xf) != 0 || (isar1 >> 8 & 0xf) != 0 ||
	    (isar2 >> 12 & 0xf) != 0) {
		features |= RF_PAUTH_ADDRESS;
	}
	if ((isar1 >> 24 & 0xf) != 0 || (isar1 >> 28 & 0xf) != 0 ||
	    (isar2 >> 8 & 0xf) != 0) {
		features |= RF_PAUTH_GENERIC;
	}
	*sve = (pfr0 >> 32 & 0xf) != 0;
}

/* CSSELR_EL1's valid values: Level << 1 | InD for each cache CLIDR_EL1
 * lists (Ctype 1 instruction, 2 data, 3 both, 4 unified). */
static void find_caches(void)
{
	uint64_t clidr = READ_SYSREG(clidr_el1);

	for (unsigned int level = 0; level < 7; level++) {
		unsigned int ctype = clidr >> (3 * level) & 7;

		if (ctype == 0 || ctype > 4) {
			break;
		}
		if (ctype != 1) {
			csselr_values[csselr_count++] = level << 1;
		}
		if (ctype == 1 || ctype == 3) {
			csselr_values[csselr_count++] = level << 1 | 1;
		}
	}
}

/* Learns which bits of each system register take a write; then checks
 * that two patterns read back as they will be expected. 0 or -1. */
static int probe_sysregs(void)
{
	for (unsigned int i = 0; i < SYS_COUNT; i++) {
		uint64_t r0, r1;

		if (!sys_present(i)) {
			continue;
		}
		if (i == SYS_CSSELR_EL1) {
			/* No write of a value that is not a cache. */
			sys_mask[i] = ~0ULL;
			continue;
		}
		r0 = sys_write_read(i, 0);
		r1 = sys_write_read(i, sysregs[i].bits);
		sys_mask[i] = r1 & ~r0;
		sys_fixed[i] = r0;
		for (uint64_t p = 0x5555555555555555ULL;;
		     p = 0xaaaaaaaaaaaaaaaaULL) {
			uint64_t want = (p & sys_mask[i]) | sys_fixed[i];
			uint64_t got = sys_write_read(i, want);

			if (got != want) {
				printf("regs: %s: wrote 0x%lx, read 0x%lx\n",
				       sysregs[i].name, (unsigned long)want,
				       (unsigned long)got);
				return -1;
			}
			if (p == 0xaaaaaaaaaaaaaaaaULL) {
				break;
			}
		}
	}
	return 0;
}

/* The value register check id must hold for base b (a system register:
 * the frame's). */
static uint64_t expected(const struct regs_frame *f, unsigned int id)
{
	if (id < CHECK_BASE) {
		return ror(f->base, id + 1);
	}
	if (id == CHECK_BASE) {
		return f->base;
	}
	if (id < CHECK_VHI) {
		return ror(f->base, id - CHECK_VLO + 32);
	}
	if (id < CHECK_SYS) {
		return ~ror(f->base, id - CHECK_VHI + 1);
	}
	return f->sys[id - CHECK_SYS];
}

/* Whether b is a base value some vCPU of this instance used. */
static bool own_base(uint64_t b)
{
	b ^= nonce;
	return b >> 56 < ncpus && (b & 0xff) == BASE_TAG;
}

/* Whether v is a value this instance ever put in check id's register;
 * true where that cannot be told (system registers it sets only some bits
 * of). */
static bool own_value(unsigned int id, uint64_t v)
{
	unsigned int s = id - CHECK_SYS;

	if (id < CHECK_BASE) {
		return own_base(rol(v, id + 1));
	}
	if (id == CHECK_BASE) {
		return own_base(v);
	}
	if (id < CHECK_VHI) {
		return own_base(rol(v, id - CHECK_VLO + 32));
	}
	if (id < CHECK_SYS) {
		return own_base(rol(~v, id - CHECK_VHI + 1));
	}
	if (sys_mask[s] == ~0ULL && s != SYS_CSSELR_EL1) {
		return own_base(rol(v, sys_rotation(s)));
	}
	return true;
}

static const char *check_name(unsigned int id, char *buf, size_t size)
{
	if (id <= CHECK_BASE) {
		snprintf(buf, size, "x%u", id == CHECK_BASE ? 18 : id);
	} else if (id < CHECK_VHI) {
		snprintf(buf, size, "v%u.d[0]", id - CHECK_VLO);
	} else if (id < CHECK_SYS) {
		snprintf(buf, size, "v%u.d[1]", id - CHECK_VHI);
	} else {
		snprintf(buf, size, "%s", sysregs[id - CHECK_SYS].name);
	}
	return buf;
}

/* The register of check id as regs_fail saved it, for the GPRs and the
 * vector registers. */
static uint64_t saved(const struct regs_frame *f, unsigned int id)
{
	if (id <= CHECK_BASE) {
		return f->x[id == CHECK_BASE ? 18 : id];
	}
	if (id < CHECK_VHI) {
		return f->v[id - CHECK_VLO][0];
	}
	return f->v[id - CHECK_VHI][1];
}

/* From regs.S at the first difference: reports it, and any other GPR or
 * vector register that differs, then crashes on purpose. */
__attribute__((noreturn)) void regs_mismatch(const struct regs_frame *f)
{
	unsigned int me = cpu_index();
	unsigned int id = (unsigned int)f->check;
	uint64_t want = expected(f, id), got = want ^ f->diff;
	const char *where = f->phase == PHASE_SPIN ? "spinning"
			    : f->func == FFA_YIELD_32 ? "after FFA_YIELD"
						      : "after HF_INTERRUPT_INJECT";
	char name[24];

	printf("regs: vCPU %u round %lu %s: %s = 0x%lx, expected 0x%lx\n", me,
	       (unsigned long)f->round, where, check_name(id, name, sizeof(name)),
	       (unsigned long)got, (unsigned long)want);
	for (unsigned int other = 0; other < CHECK_SYS; other++) {
		/* x16 is the scratch register, x17 the second one while the
		 * system registers are checked, x18 is CHECK_BASE's; a call
		 * may change x0-x17. */
		if (other == id || other == 16 || other == 17 || other == 18 ||
		    (f->phase == PHASE_CALL && other < 18)) {
			continue;
		}
		if (saved(f, other) != expected(f, other)) {
			printf("regs: vCPU %u round %lu %s: also %s = 0x%lx, "
			       "expected 0x%lx\n",
			       me, (unsigned long)f->round, where,
			       check_name(other, name, sizeof(name)),
			       (unsigned long)saved(f, other),
			       (unsigned long)expected(f, other));
		}
	}
	console_flush();
	(void)*(volatile uint64_t *)(REGS_CRASH_IPA + id * 0x100 +
				     (own_value(id, got) ? 0 : REGS_FOREIGN));
	psci_system_off();
}

/* CPACR_EL1.FPEN: FP/SIMD untrapped at EL1 on this vCPU (reset: off). */
static void enable_fp(void)
{
	uint64_t cpacr = READ_SYSREG(cpacr_el1);

	__asm__ volatile("msr cpacr_el1, %0\n"
			 "isb"
			 :
			 : "r"(cpacr | 3ULL << 20));
}

static void sibling_irq(unsigned int intid)
{
	uintptr_t at = READ_SYSREG(elr_el1);

	(void)intid;
	irqs[cpu_index()]++;
	if (at >= (uintptr_t)regs_loop_start && at < (uintptr_t)regs_loop_end) {
		irqs_in_loop[cpu_index()]++;
	}
}

static void regs_loop(uintptr_t arg)
{
	unsigned int self = (unsigned int)arg;
	uint64_t sibling = (uint64_t)own_id << 16 | (self + 1) % ncpus;
	struct regs_frame *in = &inputs[self];
	uint64_t second = counter_freq(), next = counter_now() + second;
	unsigned int odd = 0;

	enable_fp();
	if (hf_interrupt_enable(SIBLING_INTID, true) != 0) {
		printf("regs: vCPU %u: cannot enable interrupt %u\n", self,
		       SIBLING_INTID);
	}
	for (uint64_t n = 0;; n++) {
		uint64_t b = nonce ^ (uint64_t)self << 56 ^ n << 8 ^ BASE_TAG;
		uint64_t answer;

		in->base = b;
		in->round = n;
		in->passes = REGS_PASSES;
		in->features = features;
		for (unsigned int i = 0; i < SYS_COUNT; i++) {
			in->sys[i] = (ror(b, sys_rotation(i)) & sys_mask[i]) |
				     sys_fixed[i];
		}
		in->sys[SYS_CSSELR_EL1] =
			csselr_count == 0
				? 0
				: csselr_values[(n + self) % csselr_count];
		if (n % 8 == 7) {
			in->func = HF_INTERRUPT_INJECT;
			in->arg1 = sibling;
			in->arg2 = SIBLING_INTID;
		} else {
			in->func = FFA_YIELD_32;
			in->arg1 = 0;
			in->arg2 = 0;
		}
		answer = regs_run(in);
		if ((uint32_t)answer != FFA_SUCCESS_32 && odd++ < 3) {
			printf("regs: vCPU %u round %lu: call 0x%lx answered "
			       "0x%lx\n",
			       self, (unsigned long)n, (unsigned long)in->func,
			       (unsigned long)answer);
		}
		if (counter_now() >= next) {
			printf("regs: vCPU %u rounds %lu irqs %lu in the loop "
			       "%lu\n",
			       self, (unsigned long)n + 1, irqs[self],
			       irqs_in_loop[self]);
			next += second;
		}
	}
}

int main(const void *blob)
{
	struct fdt fdt;
	const char *name;
	bool sve;
	int n;

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE) ||
	    (name = fdt_string(&fdt, "/", "model")) == NULL ||
	    (n = fdt_cpu_count(&fdt)) < 1 || n > GUEST_MAX_CPUS) {
		printf("regs: needs its name and 1..%d vCPUs\n", GUEST_MAX_CPUS);
		return 1;
	}
	/* Top and low byte clear: the vCPU and BASE_TAG go there. */
	nonce = hash(name) & 0x00ffffffffffff00ULL;
	ncpus = (unsigned int)n;
	own_id = (uint16_t)ffa_id_get();
	enable_fp();
	detect_features(&sve);
	find_caches();
	if (probe_sysregs() != 0) {
		return 1;
	}
	printf("regs: %s nonce 0x%lx on %u vCPUs; PAuth: %s, SVE: %s\n", name,
	       (unsigned long)nonce, ncpus,
	       features == (RF_PAUTH_ADDRESS | RF_PAUTH_GENERIC) ? "yes"
	       : features == RF_PAUTH_ADDRESS			 ? "address keys only"
	       : features == RF_PAUTH_GENERIC			 ? "generic key only"
								 : "no",
	       sve ? "yes (not used: v0-v31 are Z0-Z31's low halves)" : "no");
	for (unsigned int i = 0; i < SYS_COUNT; i++) {
		if (sys_present(i) && i != SYS_CSSELR_EL1 &&
		    (sys_mask[i] != sysregs[i].bits || sys_fixed[i] != 0)) {
			printf("regs: %s keeps bits 0x%lx of 0x%lx (fixed 0x%lx)\n",
			       sysregs[i].name, (unsigned long)sys_mask[i],
			       (unsigned long)sysregs[i].bits,
			       (unsigned long)sys_fixed[i]);
		}
	}
	printf("regs: csselr_el1 takes %u values\n", csselr_count);
	irq_set_handler(SIBLING_INTID, sibling_irq);
	for (unsigned int i = 1; i < ncpus; i++) {
		int ret = cpu_start(i, regs_loop, i);

		if (ret != PSCI_SUCCESS) {
			printf("regs: CPU_ON of vCPU %u failed: %d\n", i, ret);
			return 1;
		}
	}
	regs_loop(0);
	return 0;
}
