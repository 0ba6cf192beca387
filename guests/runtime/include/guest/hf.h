/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Hypercalls from a secondary VM: SMCCC over "hvc #0", function id in x0,
 * arguments x1..x7, results x0..x7 (uapi/hf/abi.h has the ids), and PSCI
 * over the same conduit.
 */
#ifndef GUEST_HF_H
#define GUEST_HF_H

#include <stddef.h>
#include <stdint.h>

#include "hf/abi.h"

/* PSCI function ids (the 64-bit ones where PSCI has both). */
#define PSCI_VERSION 0x84000000
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0xc4000003
#define PSCI_AFFINITY_INFO 0xc4000004
#define PSCI_SYSTEM_OFF 0x84000008
#define PSCI_SYSTEM_RESET 0x84000009

/* PSCI return codes. */
#define PSCI_SUCCESS 0
#define PSCI_E_NOT_SUPPORTED (-1)
#define PSCI_E_INVALID_PARAMS (-2)
#define PSCI_E_DENIED (-3)
#define PSCI_E_ALREADY_ON (-4)
#define PSCI_E_ON_PENDING (-5)
#define PSCI_E_INTERNAL_FAILURE (-6)
#define PSCI_E_NOT_PRESENT (-7)
#define PSCI_E_DISABLED (-8)
#define PSCI_E_INVALID_ADDRESS (-9)

/* AFFINITY_INFO answers. */
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_AFFINITY_ON_PENDING 2

/* x0..x7 after a hypercall. */
struct hvc_ret {
	uint64_t x[8];
};

/* The raw call: x8..x17 may be clobbered (SMCCC 1.2), x18 up are kept. */
struct hvc_ret hvc_call(uint64_t func, uint64_t a1, uint64_t a2, uint64_t a3,
			uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7);

/* The FF-A error code of an answer (0 if it is not FFA_ERROR). */
static inline int ffa_error(struct hvc_ret r)
{
	return (uint32_t)r.x[0] == FFA_ERROR_32 ? (int)(int32_t)r.x[2] : 0;
}

/* HF_DEBUG_LOG: len bytes of buf, in calls of at most HF_DEBUG_LOG_MAX.
 * Raw: no locking, no line buffering (see console.h for printf). Returns 0
 * or the first FF-A error code. */
int hf_debug_log(const char *buf, size_t len);

/* FFA_ID_GET: this VM's id, or a negative FF-A error code. */
int ffa_id_get(void);
/* FFA_YIELD: gives the physical CPU back to the primary; returns when this
 * vCPU is run again. */
struct hvc_ret ffa_yield(void);
/* FFA_MSG_WAIT: this vCPU waits for a message (or its timer). */
struct hvc_ret ffa_msg_wait(void);

/* PSCI. A vCPU's target (MPIDR) is its index: Aff0 = index. */
int psci_version(void);
/* Starts vCPU target at entry (an IPA; MMU off, EL1h) with x0 = ctx.
 * The runtime's cpu_start() (cpu.h) is the friendlier way. */
int psci_cpu_on(uint64_t target, uintptr_t entry, uint64_t ctx);
/* Turns the calling vCPU off: does not return on success. */
int psci_cpu_off(void);
/* PSCI_AFFINITY_ON/OFF/ON_PENDING, or a PSCI error. */
int psci_affinity_info(uint64_t target, unsigned int lowest_level);
/* End the VM (hafnium's exit reason POWEROFF, resp. RESET). */
__attribute__((noreturn)) void psci_system_off(void);
__attribute__((noreturn)) void psci_system_reset(void);

#endif /* GUEST_HF_H */
