/* SPDX-License-Identifier: BSD-3-Clause */
/* vCPUs: index, starting others, barriers, a spinlock. */
#ifndef GUEST_CPU_H
#define GUEST_CPU_H

#include <stdint.h>

#include "guest/layout.h"

/* A system register's value. Two levels: a register named by a macro
 * (an S3_... encoding for assemblers without its name) is expanded before
 * it is quoted. */
#define READ_SYSREG(reg) READ_SYSREG_EXPANDED(reg)
#define READ_SYSREG_EXPANDED(reg)                                     \
	({                                                            \
		uint64_t v_;                                          \
		__asm__ volatile("mrs %0, " #reg : "=r"(v_));        \
		v_;                                                   \
	})

/* This vCPU's index: MPIDR_EL1.Aff0 (0 .. GUEST_MAX_CPUS - 1). */
static inline unsigned int cpu_index(void)
{
	uint64_t mpidr;

	__asm__ volatile("mrs %0, mpidr_el1" : "=r"(mpidr));
	return mpidr & 0xff;
}

static inline void wfe(void)
{
	__asm__ volatile("wfe" ::: "memory");
}

static inline void sev(void)
{
	__asm__ volatile("sev" ::: "memory");
}

static inline void wfi(void)
{
	__asm__ volatile("wfi" ::: "memory");
}

static inline void dsb_ish(void)
{
	__asm__ volatile("dsb ish" ::: "memory");
}

/*
 * Starts vCPU index (1 .. vCPU count - 1, not the caller) with PSCI CPU_ON:
 * it sets up its stack, vectors and MMU, then calls fn(arg); when fn
 * returns, the vCPU turns itself off (PSCI CPU_OFF) and may be started
 * again. Returns PSCI_SUCCESS or a PSCI error (PSCI_E_ALREADY_ON, ...).
 */
int cpu_start(unsigned int index, void (*fn)(uintptr_t arg), uintptr_t arg);

/* Spinlock: ldaxr/stxr, waiters sleep in wfe, unlock is stlr + sev. */
struct spinlock {
	volatile uint32_t v;
};
#define SPINLOCK_INIT {0}

static inline void spin_lock(struct spinlock *l)
{
	uint32_t busy, fail;

	__asm__ volatile("	sevl\n"
			 "1:	wfe\n"
			 "2:	ldaxr	%w0, [%2]\n"
			 "	cbnz	%w0, 1b\n"
			 "	stxr	%w1, %w3, [%2]\n"
			 "	cbnz	%w1, 2b\n"
			 : "=&r"(busy), "=&r"(fail)
			 : "r"(&l->v), "r"(1)
			 : "memory");
}

static inline void spin_unlock(struct spinlock *l)
{
	__asm__ volatile("stlr wzr, [%0]\n"
			 "sev" ::"r"(&l->v)
			 : "memory");
}

#endif /* GUEST_CPU_H */
