/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * regcheck: checks that hypercalls which leave to the primary give the
 * callee-saved registers back, and the FP/SIMD registers too, which
 * hafnium switches lazily (docs/testing.md, race_test). Every vCPU in
 * its device tree loops forever: it sets x19-x28 and d8-d15 to values
 * unique to this VM instance (a hash of its name, the `model` of its
 * device tree), the vCPU and the loop count (d8-d15 as x19-x26), calls
 * FFA_YIELD (every 8th time HF_INTERRUPT_INJECT into a sibling vCPU,
 * which leaves when the sibling runs elsewhere) and compares them after
 * the call. On a difference it prints "regcheck: vCPU <i> call <n>:
 * x<r> = <got>, expected <want>" (or d<r>) for each register and crashes
 * on purpose reading REGCHECK_CRASH_IPA + r * 0x100 for the first wrong
 * register x(19 + r), or REGCHECK_CRASH_IPA + REGCHECK_FP + r * 0x100 for
 * d(8 + r), + 0x80 if its value is not one this VM instance ever set
 * (another VM's, or none): its state then says crashed with that FAR, even
 * if the lines were lost.
 */
#include "guest/runtime.h"

/* Not mapped in any VM: hafnium ends the VM with a FAR from here. */
#define REGCHECK_CRASH_IPA 0x7ec00000UL
#define REGCHECK_FOREIGN 0x80
#define REGCHECK_FP 0x1000
#define FP_CHECKED 8
#define SIBLING_INTID HF_SOFTWARE_INTID_FIRST

static uint64_t nonce;
static unsigned int ncpus;
static uint16_t own_id;

/* FNV-1a: the same name gives the same nonce, another name another. */
static uint64_t hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	while (*s != '\0') {
		h = (h ^ (uint8_t)*s++) * 0x100000001b3ULL;
	}
	return h;
}

/* Whether v is a value some vCPU of this instance put in register r. */
static bool own_value(uint64_t v, unsigned int r)
{
	v ^= nonce;
	return v >> 56 < ncpus && (v & 0xff) == r;
}

/* The call with x19-x28 = want[0..9] and d8-d15 = want[0..7]; got[] =
 * x19-x28 after it, fp_got[] = d8-d15. The guests are built without FP,
 * so nothing else in them touches these. */
static void call_checked(uint64_t func, uint64_t a1, uint64_t a2,
			 const uint64_t *want, uint64_t *got, uint64_t *fp_got)
{
	register uint64_t x0 __asm__("x0") = func;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x19 __asm__("x19") = want[0];
	register uint64_t x20 __asm__("x20") = want[1];
	register uint64_t x21 __asm__("x21") = want[2];
	register uint64_t x22 __asm__("x22") = want[3];
	register uint64_t x23 __asm__("x23") = want[4];
	register uint64_t x24 __asm__("x24") = want[5];
	register uint64_t x25 __asm__("x25") = want[6];
	register uint64_t x26 __asm__("x26") = want[7];
	register uint64_t x27 __asm__("x27") = want[8];
	register uint64_t x28 __asm__("x28") = want[9];

	__asm__ volatile(".arch_extension fp\n"
			 "fmov d8, x19\n"
			 "fmov d9, x20\n"
			 "fmov d10, x21\n"
			 "fmov d11, x22\n"
			 "fmov d12, x23\n"
			 "fmov d13, x24\n"
			 "fmov d14, x25\n"
			 "fmov d15, x26\n"
			 "hvc #0\n"
			 "stp d8, d9, [%[fp], #0]\n"
			 "stp d10, d11, [%[fp], #16]\n"
			 "stp d12, d13, [%[fp], #32]\n"
			 "stp d14, d15, [%[fp], #48]\n"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x19), "+r"(x20),
			   "+r"(x21), "+r"(x22), "+r"(x23), "+r"(x24),
			   "+r"(x25), "+r"(x26), "+r"(x27), "+r"(x28)
			 : [fp] "r"(fp_got)
			 : "x3", "x4", "x5", "x6", "x7", "x8", "x9", "x10",
			   "x11", "x12", "x13", "x14", "x15", "x16", "x17",
			   "memory");
	got[0] = x19;
	got[1] = x20;
	got[2] = x21;
	got[3] = x22;
	got[4] = x23;
	got[5] = x24;
	got[6] = x25;
	got[7] = x26;
	got[8] = x27;
	got[9] = x28;
}

/* CPACR_EL1.FPEN: FP/SIMD untrapped at EL1 on this vCPU (reset: off). */
static void enable_fp(void)
{
	uint64_t cpacr;

	__asm__ volatile("mrs %0, cpacr_el1" : "=r"(cpacr));
	__asm__ volatile("msr cpacr_el1, %0\n"
			 "isb"
			 :
			 : "r"(cpacr | 3ULL << 20));
}

static void check_loop(uintptr_t arg)
{
	unsigned int self = (unsigned int)arg;
	uint64_t sibling = (uint64_t)own_id << 16 | (self + 1) % ncpus;
	uint64_t want[10], got[10], fp_got[FP_CHECKED];
	uint64_t crash = 0;
	unsigned long n;

	enable_fp();
	for (n = 0;; n++) {
		for (unsigned int r = 0; r < 10; r++) {
			want[r] = nonce ^ (uint64_t)self << 56 ^ n << 8 ^ r;
		}
		if (n % 8 == 7) {
			call_checked(HF_INTERRUPT_INJECT, sibling, SIBLING_INTID,
				     want, got, fp_got);
		} else {
			call_checked(FFA_YIELD_32, 0, 0, want, got, fp_got);
		}
		for (unsigned int r = FP_CHECKED; r-- > 0;) {
			if (fp_got[r] != want[r]) {
				printf("regcheck: vCPU %u call %lu: d%u = 0x%lx, "
				       "expected 0x%lx\n",
				       self, n, 8 + r, (unsigned long)fp_got[r],
				       (unsigned long)want[r]);
				crash = REGCHECK_CRASH_IPA + REGCHECK_FP +
					r * 0x100 +
					(own_value(fp_got[r], r) ? 0
							 : REGCHECK_FOREIGN);
			}
		}
		for (unsigned int r = 10; r-- > 0;) {
			if (got[r] != want[r]) {
				printf("regcheck: vCPU %u call %lu: x%u = 0x%lx, "
				       "expected 0x%lx\n",
				       self, n, 19 + r, (unsigned long)got[r],
				       (unsigned long)want[r]);
				crash = REGCHECK_CRASH_IPA + r * 0x100 +
					(own_value(got[r], r) ? 0
							      : REGCHECK_FOREIGN);
			}
		}
		if (crash != 0) {
			(void)*(volatile uint64_t *)crash;
		}
	}
}

int main(const void *blob)
{
	struct fdt fdt;
	const char *name;
	int n;

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE) ||
	    (name = fdt_string(&fdt, "/", "model")) == NULL ||
	    (n = fdt_cpu_count(&fdt)) < 2 || n > GUEST_MAX_CPUS) {
		printf("regcheck: needs its name and 2..%d vCPUs\n",
		       GUEST_MAX_CPUS);
		return 1;
	}
	nonce = hash(name);
	ncpus = (unsigned int)n;
	own_id = (uint16_t)ffa_id_get();
	printf("regcheck: %s nonce 0x%lx on %u vCPUs\n", name,
	       (unsigned long)nonce, ncpus);
	for (unsigned int i = 1; i < ncpus; i++) {
		int ret = cpu_start(i, check_loop, i);

		if (ret != PSCI_SUCCESS) {
			printf("regcheck: CPU_ON of vCPU %u failed: %d\n", i, ret);
			return 1;
		}
	}
	check_loop(0);
	return 0;
}
