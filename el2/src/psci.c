/* PSCI for the primary VM. */
#include "hf/psci.h"

#include "hf/api.h"
#include "hf/arch/cpu.h"

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
		if (!forwarded((uint32_t)args[1])) {
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
