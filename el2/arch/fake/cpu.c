/* SPDX-License-Identifier: BSD-3-Clause */
/* Host stand-ins for firmware calls and VM entry: SMCs are recorded and
 * answered from a script the test sets, entering a VM or powering off
 * ends the test process (they must not be reached in unit tests). */
#include "hf/arch/cpu.h"

#include <stdio.h>
#include <stdlib.h>

#include "fake.h"

struct fake_smc fake_smc_calls[FAKE_SMC_MAX];
size_t fake_smc_count;
struct smc_result fake_smc_answer;
struct smc_result fake_smc_answers[FAKE_SMC_MAX];
size_t fake_smc_answer_count;

struct smc_result arch_smc(uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
	if (fake_smc_count < FAKE_SMC_MAX) {
		fake_smc_calls[fake_smc_count] =
			(struct fake_smc){ { fid, a1, a2, a3 } };
	}
	fake_smc_count++;
	if (fake_smc_count <= fake_smc_answer_count) {
		return fake_smc_answers[fake_smc_count - 1];
	}
	return fake_smc_answer;
}

uintptr_t arch_cpu_entry_pa(void)
{
	return FAKE_CPU_ENTRY_PA;
}

uint64_t arch_cpu_current_id(void)
{
	return 0;
}

void arch_vcpu_enter_primary(struct vcpu *v, uintptr_t entry, uint64_t arg)
{
	fprintf(stderr, "fake: vCPU %u entered at 0x%lx (0x%lx)\n", v->index,
		(unsigned long)entry, (unsigned long)arg);
	abort();
}

void arch_power_off(void)
{
	fprintf(stderr, "fake: power off\n%s", fake_console_output());
	abort();
}
