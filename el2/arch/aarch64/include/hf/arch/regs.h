/* SPDX-License-Identifier: BSD-3-Clause */
/* A vCPU's register state on aarch64: what the vectors save on every trap
 * (x0-x30, pc, pstate) and what a world switch saves and restores (EL1
 * system registers, FP/SIMD, the VM's EL2 controls). Offsets of x, pc,
 * spsr and leaving are used by exceptions.S. */
#pragma once

#include <stdint.h>

struct arch_fp_regs {
	__uint128_t q[32];
	uint64_t fpsr;
	uint64_t fpcr;
};

struct arch_sysregs {
	uint64_t sp_el0, sp_el1, elr_el1, spsr_el1;
	uint64_t sctlr_el1, actlr_el1, cpacr_el1, csselr_el1;
	uint64_t ttbr0_el1, ttbr1_el1, tcr_el1, mair_el1, amair_el1;
	uint64_t vbar_el1, contextidr_el1;
	uint64_t tpidr_el0, tpidrro_el0, tpidr_el1;
	uint64_t esr_el1, far_el1, afsr0_el1, afsr1_el1, par_el1;
	uint64_t cntkctl_el1, cntv_ctl_el0, cntv_cval_el0;
	uint64_t mdscr_el1;
	uint64_t tpidr2_el0; /* switched only with SME */
};

/* Pointer authentication keys: APIA, APIB, APDA, APDB, APGA, each Lo then
 * Hi. */
struct arch_pauth_keys {
	uint64_t key[10];
};

/* The VM's EL2 controls, loaded when the vCPU is switched in. */
struct arch_el2_controls {
	uint64_t hcr_el2, vttbr_el2, vmpidr_el2, mdcr_el2, cnthctl_el2;
	uint64_t icc_sre_el2, ich_hcr_el2;
	uint64_t cntvoff_el2;
	uint64_t cptr_el2;
};

/* The primary's PMU control, saved while a secondary runs (vcpu.c). */
struct arch_pmu {
	uint64_t pmcr_el0;
};

struct arch_regs {
	uint64_t x[31];
	uint64_t pc;   /* ELR_EL2 */
	uint64_t spsr; /* SPSR_EL2 */
	/* Not a register: non-zero while the vCPU has left its CPU and waits
	 * for the vectors to finish saving it (vcpu_saved, hf/vcpu.h), so that
	 * they call it only then. */
	uint64_t leaving;
	struct arch_sysregs sys;
	struct arch_el2_controls el2;
	struct arch_pmu pmu;
	/* A secondary's FP/SIMD registers are in the CPU, not in fp, since
	 * its first FP access of this run (vcpu.c). */
	uint64_t fp_live;
	/* A secondary's keys are in the CPU, not in pauth, since its first
	 * pointer authentication instruction or key access of this run. The
	 * primary's pauth holds its keys only while a secondary's are in. */
	uint64_t pauth_live;
	struct arch_pauth_keys pauth;
	struct arch_fp_regs fp __attribute__((aligned(16)));
};

#define ARCH_REGS_PC_OFFSET (31 * 8)
