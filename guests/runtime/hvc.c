/* SPDX-License-Identifier: BSD-3-Clause */
/* Hypercall and PSCI wrappers (guest/hf.h). */
#include "guest/runtime.h"

struct hvc_ret hvc_call(uint64_t func, uint64_t a1, uint64_t a2, uint64_t a3,
			uint64_t a4, uint64_t a5, uint64_t a6, uint64_t a7)
{
	register uint64_t x0 __asm__("x0") = func;
	register uint64_t x1 __asm__("x1") = a1;
	register uint64_t x2 __asm__("x2") = a2;
	register uint64_t x3 __asm__("x3") = a3;
	register uint64_t x4 __asm__("x4") = a4;
	register uint64_t x5 __asm__("x5") = a5;
	register uint64_t x6 __asm__("x6") = a6;
	register uint64_t x7 __asm__("x7") = a7;

	__asm__ volatile("hvc #0"
			 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4),
			   "+r"(x5), "+r"(x6), "+r"(x7)
			 :
			 : "x8", "x9", "x10", "x11", "x12", "x13", "x14",
			   "x15", "x16", "x17", "memory");
	return (struct hvc_ret){{x0, x1, x2, x3, x4, x5, x6, x7}};
}

static struct hvc_ret call0(uint64_t func)
{
	return hvc_call(func, 0, 0, 0, 0, 0, 0, 0);
}

int hf_debug_log(const char *buf, size_t len)
{
	while (len > 0) {
		size_t n = len < HF_DEBUG_LOG_MAX ? len : HF_DEBUG_LOG_MAX;
		uint64_t r[6] = {0};
		struct hvc_ret ret;

		for (size_t i = 0; i < n; i++) {
			r[i / 8] |= (uint64_t)(uint8_t)buf[i] << (8 * (i % 8));
		}
		ret = hvc_call(HF_DEBUG_LOG, n, r[0], r[1], r[2], r[3], r[4],
			       r[5]);
		if (ffa_error(ret) != 0) {
			return ffa_error(ret);
		}
		buf += n;
		len -= n;
	}
	return 0;
}

int ffa_id_get(void)
{
	struct hvc_ret r = call0(FFA_ID_GET_32);

	if ((uint32_t)r.x[0] != FFA_SUCCESS_32) {
		return ffa_error(r) != 0 ? ffa_error(r) : FFA_NOT_SUPPORTED;
	}
	return (int)(r.x[2] & 0xffff);
}

struct hvc_ret ffa_yield(void)
{
	return call0(FFA_YIELD_32);
}

struct hvc_ret ffa_msg_wait(void)
{
	return call0(FFA_MSG_WAIT_32);
}

int psci_version(void)
{
	return (int32_t)call0(PSCI_VERSION).x[0];
}

int psci_cpu_on(uint64_t target, uintptr_t entry, uint64_t ctx)
{
	return (int32_t)hvc_call(PSCI_CPU_ON, target, entry, ctx, 0, 0, 0, 0)
		.x[0];
}

int psci_cpu_off(void)
{
	return (int32_t)call0(PSCI_CPU_OFF).x[0];
}

int psci_affinity_info(uint64_t target, unsigned int lowest_level)
{
	return (int32_t)hvc_call(PSCI_AFFINITY_INFO, target, lowest_level, 0,
				 0, 0, 0, 0)
		.x[0];
}

void psci_system_off(void)
{
	call0(PSCI_SYSTEM_OFF);
	for (;;) {
		wfi();
	}
}

void psci_system_reset(void)
{
	call0(PSCI_SYSTEM_RESET);
	for (;;) {
		wfi();
	}
}
