/* SPDX-License-Identifier: BSD-3-Clause */
/* PSCI for the primary VM. */
#include "hf/psci.h"

#include "hf/api.h"
#include "hf/arch/cpu.h"

#define SMCCC_VERSION_1_1 0x10001

static bool firmware_smccc_1_1;
bool psci_firmware_workaround_1;

void psci_probe_firmware(void)
{
	struct smc_result r = arch_smc(PSCI_FEATURES, SMCCC_VERSION_FUNC, 0, 0);

	firmware_smccc_1_1 = false;
	psci_firmware_workaround_1 = false;
	if ((int32_t)r.x[0] < 0) {
		return;
	}
	r = arch_smc(SMCCC_VERSION_FUNC, 0, 0, 0);
	firmware_smccc_1_1 = (int32_t)r.x[0] >= SMCCC_VERSION_1_1;
	if (firmware_smccc_1_1) {
		r = arch_smc(SMCCC_ARCH_FEATURES, SMCCC_ARCH_WORKAROUND_1, 0,
			     0);
		/* 0: implemented and needed; 1: this CPU is not affected. */
		psci_firmware_workaround_1 = (int32_t)r.x[0] == 0;
	}
}

static bool is_smccc_arch_call(uint32_t fid)
{
	return fid == SMCCC_VERSION_FUNC || fid == SMCCC_ARCH_FEATURES ||
	       fid == SMCCC_ARCH_WORKAROUND_1 ||
	       fid == SMCCC_ARCH_WORKAROUND_2 ||
	       fid == SMCCC_ARCH_WORKAROUND_3;
}

bool smccc_arch_primary_call(uint64_t args[4])
{
	struct smc_result r;

	if (!is_smccc_arch_call((uint32_t)args[0])) {
		return false;
	}
	if (!firmware_smccc_1_1) {
		args[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
		return true;
	}
	r = arch_smc((uint32_t)args[0], args[1], args[2], args[3]);
	args[0] = r.x[0];
	args[1] = r.x[1];
	args[2] = r.x[2];
	args[3] = r.x[3];
	return true;
}


bool psci_is_psci_call(uint64_t fid)
{
	/* SMCCC: the id is w0; fold SMC32/SMC64. */
	uint32_t f = (uint32_t)fid & ~0x40000000u;

	return f >= 0x84000000u && f <= 0x8400001fu;
}

static bool forwarded(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
	case PSCI_CPU_OFF:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return true;
	default:
		return false;
	}
}

void psci_primary_call(struct cpu *c, uint64_t args[4])
{
	uint32_t fid = (uint32_t)args[0];
	struct smc_result r;
	struct cpu *target;

	if (!forwarded(fid)) {
		args[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
		return;
	}
	switch (fid) {
	case PSCI_FEATURES:
		/* SMCCC_VERSION is discovered through PSCI_FEATURES. */
		if (!forwarded((uint32_t)args[1]) &&
		    !((uint32_t)args[1] == SMCCC_VERSION_FUNC &&
		      firmware_smccc_1_1)) {
			args[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
			return;
		}
		r = arch_smc(fid, args[1], 0, 0);
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		target = cpu_find(args[1]);
		if (target == NULL) {
			args[0] = (uint64_t)(int64_t)PSCI_RET_INVALID_PARAMETERS;
			return;
		}
		cpu_set_vcpu_entry(target, args[2], args[3]);
		r = arch_smc(fid, args[1], arch_cpu_entry_pa(), target->index);
		break;
	case PSCI_CPU_SUSPEND_32:
	case PSCI_CPU_SUSPEND_64:
		/* A power-down state resumes at the given entry, through EL2
		 * like CPU_ON; a standby state simply returns. */
		cpu_set_vcpu_entry(c, args[2], args[3]);
		r = arch_smc(fid, args[1], arch_cpu_entry_pa(), c->index);
		break;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		/* RAM may outlive a reset (warm reset, QEMU's reset). */
		api_vm_scrub_all();
		r = arch_smc(fid, args[1], args[2], args[3]);
		break;
	default:
		r = arch_smc(fid, args[1], args[2], args[3]);
		break;
	}
	args[0] = r.x[0];
	args[1] = r.x[1];
	args[2] = r.x[2];
	args[3] = r.x[3];
}
