/* SPDX-License-Identifier: BSD-3-Clause */
/* PSCI (Arm DEN0022) as the primary VM sees it: the hypervisor forwards the
 * calls that are safe to the platform's PSCI (QEMU's, by SMC from EL2) and
 * rewrites the entry points of CPU_ON and CPU_SUSPEND so that every CPU
 * comes up through EL2 first. */
#pragma once

#include "hf/arch/cpu.h"
#include "hf/cpu.h"

#define PSCI_VERSION 0x84000000u
#define PSCI_CPU_SUSPEND_32 0x84000001u
#define PSCI_CPU_SUSPEND_64 0xc4000001u
#define PSCI_CPU_OFF 0x84000002u
#define PSCI_CPU_ON_32 0x84000003u
#define PSCI_CPU_ON_64 0xc4000003u
#define PSCI_AFFINITY_INFO_32 0x84000004u
#define PSCI_AFFINITY_INFO_64 0xc4000004u
#define PSCI_MIGRATE_INFO_TYPE 0x84000006u
#define PSCI_SYSTEM_OFF 0x84000008u
#define PSCI_SYSTEM_RESET 0x84000009u
#define PSCI_FEATURES 0x8400000au

#define PSCI_RET_SUCCESS 0
#define PSCI_RET_NOT_SUPPORTED (-1)
#define PSCI_RET_INVALID_PARAMETERS (-2)

/* SMCCC v1.1 architecture calls (Arm DEN0028): the version, feature
 * discovery and the CPU vulnerability workarounds (Spectre v2, SSBD,
 * Spectre-BHB). */
#define SMCCC_ARCH_FEATURES 0x80000001u
#define SMCCC_ARCH_WORKAROUND_1 0x80008000u
#define SMCCC_ARCH_WORKAROUND_2 0x80007fffu
#define SMCCC_ARCH_WORKAROUND_3 0x80003fffu

/* Asks firmware, once at boot, whether it implements SMCCC v1.1 and the
 * branch-predictor workaround. Until then (and on firmware without them,
 * QEMU's) none of the SMCCC architecture calls is forwarded: an SMC that
 * firmware does not implement is UNDEFINED at EL2. */
void psci_probe_firmware(void);

/* An SMCCC architecture call from the primary (args as for
 * psci_primary_call): forwarded to firmware when it has SMCCC v1.1, else
 * answered NOT_SUPPORTED. False if fid is not one. */
bool smccc_arch_primary_call(uint64_t args[4]);

/* Whether firmware has SMCCC_ARCH_WORKAROUND_1 (psci_probe_firmware). */
extern bool psci_firmware_workaround_1;

/* Invalidates the branch predictors through firmware's WORKAROUND_1 where
 * it has one, on every switch between VMs, so that no VM trains them
 * against another; nothing otherwise. Inline: it is on every switch. */
static inline void smccc_harden_branch_predictor(void)
{
	if (psci_firmware_workaround_1) {
		arch_smc(SMCCC_ARCH_WORKAROUND_1, 0, 0, 0);
	}
}

/* True if `fid` is in the PSCI range (SMCCC standard secure service). */
bool psci_is_psci_call(uint64_t fid);

/* Handles a PSCI SMC from the primary's vCPU on CPU `c`; args[0..3] are
 * x0..x3 on entry and the results on return. */
void psci_primary_call(struct cpu *c, uint64_t args[4]);
