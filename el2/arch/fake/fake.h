/* SPDX-License-Identifier: BSD-3-Clause */
/* What the host (fake) architecture exposes to the unit tests. */
#pragma once

#include "hf/arch/cpu.h"

extern size_t fake_tlb_invalidations;

/* Data cache ranges cleaned and invalidated to the point of coherency, in
 * order (the first FAKE_RANGES_MAX; the count goes on), and whole
 * instruction cache invalidations. */
#define FAKE_RANGES_MAX 512
struct fake_range {
	uintptr_t begin;
	size_t size;
	uint8_t first_byte; /* the range's first byte when it was cleaned */
};
extern struct fake_range fake_dcache_civac[FAKE_RANGES_MAX];
extern size_t fake_dcache_civac_count;
/* The same for ranges cleaned only (arch_mm_clean_dcache_range). */
extern struct fake_range fake_dcache_cvac[FAKE_RANGES_MAX];
extern size_t fake_dcache_cvac_count;
extern size_t fake_icache_invalidations;

/* Locks the test thread holds now (el2/arch/fake/spinlock.c). */
size_t fake_locks_held(void);

/* Console output of dlog, collected for assertions. */
const char *fake_console_output(void);
void fake_console_clear(void);

/* SMCs made through arch_smc, and the answer each one gets. */
#define FAKE_SMC_MAX 16
#define FAKE_CPU_ENTRY_PA 0x40001234u
struct fake_smc {
	uint64_t x[4];
};
extern struct fake_smc fake_smc_calls[FAKE_SMC_MAX];
extern size_t fake_smc_count;
extern struct smc_result fake_smc_answer;
/* Answers of the first fake_smc_answer_count calls, by call number; the
 * rest get fake_smc_answer. */
extern struct smc_result fake_smc_answers[FAKE_SMC_MAX];
extern size_t fake_smc_answer_count;

/* The vCPU the last arch_vcpu_switch went to. */
extern struct vcpu *fake_current_vcpu;

/* What arch_vcpu_timer_remaining_ns answers for every vCPU; 0 makes the
 * timer due, and arch_vcpu_timer_expire masks it (back to UINT64_MAX). */
extern uint64_t fake_timer_remaining_ns;

/* Device register accesses made through arch_mmio_* (the first
 * FAKE_MMIO_MAX; the count goes on), and the function that answers reads
 * (none: they read 0). */
#define FAKE_MMIO_MAX 64
struct fake_mmio {
	uintptr_t pa;
	uint8_t size;
	bool write;
	uint64_t value;
};
extern struct fake_mmio fake_mmio_log[FAKE_MMIO_MAX];
extern size_t fake_mmio_count;
extern uint64_t (*fake_mmio_reader)(uintptr_t pa, uint8_t size);
