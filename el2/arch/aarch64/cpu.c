/* SPDX-License-Identifier: BSD-3-Clause */
/* Firmware calls, CPU identity, and entry into the primary VM at EL1. */
#include "hf/arch/cpu.h"

#include "hf/limits.h"

#include "hf/arch/vcpu.h"
#include "hf/vm.h"

#include "feature_setup.h"
#include "stacks.h"
#include "sysregs.h"
#include "vcpu_switch.h"

/* VTCR_EL2: T0SZ = 24 (40-bit IPA), SL0 = 1 (start at level 1, two
 * concatenated tables), inner/outer WB RA WA, inner shareable, 4 KiB
 * granule, PS = 40 bits, RES1 bit 31. */
#define VTCR_EL2_VALUE                                                 \
	((1ull << 31) | (2ull << 16) | (3ull << 12) | (1ull << 10) |   \
	 (1ull << 8) | (1ull << 6) | 24ull)

extern char cpu_entry[];

struct smc_result arch_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	register uint64_t x0 __asm__("x0") = fid;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;

	__asm__ volatile("smc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
			 :
			 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11",
			   "x12", "x13", "x14", "x15", "x16", "x17", "memory");
	return (struct smc_result){ .x = { x0, x1, x2, x3 } };
}

uintptr_t arch_cpu_entry_pa(void)
{
	return (uintptr_t)cpu_entry;
}

uint64_t arch_cpu_current_id(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFFINITY_MASK;
}

uint64_t arch_counter_us(void)
{
	uint64_t freq = read_sysreg(cntfrq_el0);
	uint64_t ticks = read_sysreg(cntpct_el0);

	if (freq == 0) {
		return 0;
	}
	return ticks / freq * 1000000 + ticks % freq * 1000000 / freq;
}

void arch_vcpu_enter_primary(struct vcpu *v, uintptr_t entry, uint64_t arg)
{
	static bool features_read;

	/* The boot CPU comes first, alone: the primary starts the others. */
	if (!features_read) {
		arch_features_init();
		features_read = true;
	}
	arch_features_cpu_setup();
	arch_regs_reset(&v->regs, v->vm, v->index, entry, arg);
	/* The stage-2 geometry is the same for every VM. */
	write_sysreg(vtcr_el2, VTCR_EL2_VALUE);
	/* No TLB maintenance: the CPU's entry (entry.S) invalidated all
	 * of EL1&0. */
	arch_regs_load_el2(&v->regs.el2);
	/* Reset values of these are UNKNOWN; Linux builds its CPU errata
	 * list from MIDR. */
	write_sysreg(vpidr_el2, read_sysreg(midr_el1));
	write_sysreg(cntvoff_el2, 0);
	write_sysreg(cnthp_ctl_el2, 0);
	write_sysreg(hstr_el2, 0);
	write_sysreg(sctlr_el1, SCTLR_EL1_RES1);
	if (arch_features.lor) {
		/* Reset UNKNOWN; Linux expects LORegions off. */
		write_sysreg(S3_0_C10_C4_3 /* LORC_EL1 */, 0);
	}
	write_sysreg(tpidr_el2, (uintptr_t)v);
	isb();
	/* Primary vCPU i runs on CPU i. */
	vcpu_enter(v, (uintptr_t)cpu_stacks[v->index] + STACK_SLOT_SIZE);
}

void arch_power_off(void)
{
	arch_smc(0x84000008u /* PSCI SYSTEM_OFF */, 0, 0, 0);
	for (;;) {
		__asm__ volatile("wfi");
	}
}
