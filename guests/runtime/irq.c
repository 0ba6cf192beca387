/* SPDX-License-Identifier: BSD-3-Clause */
/* Virtual interrupts: the HF_INTERRUPT_* calls and dispatch (guest/irq.h). */
#include "guest/runtime.h"

typedef void (*irq_handler_fn)(unsigned int intid);

/* Shared by all vCPUs: enabling is per vCPU, handling is not. */
static irq_handler_fn handlers[HF_NUM_INTIDS];

/* 0 for FFA_SUCCESS, else the FF-A error (NOT_SUPPORTED if the answer is
 * neither, as from a hypervisor without the call). */
static int answer(struct hvc_ret r)
{
	if ((uint32_t)r.x[0] == FFA_SUCCESS_32 ||
	    (uint32_t)r.x[0] == FFA_SUCCESS_64) {
		return 0;
	}
	return ffa_error(r) != 0 ? ffa_error(r) : FFA_NOT_SUPPORTED;
}

int hf_interrupt_enable(uint32_t intid, bool enable)
{
	return answer(hvc_call(HF_INTERRUPT_ENABLE, intid, enable, 0, 0, 0, 0,
			       0));
}

uint32_t hf_interrupt_get(void)
{
	struct hvc_ret r = hvc_call(HF_INTERRUPT_GET, 0, 0, 0, 0, 0, 0, 0);

	return answer(r) == 0 ? (uint32_t)r.x[2] : HF_INVALID_INTID;
}

int hf_interrupt_deactivate(uint32_t intid)
{
	return answer(hvc_call(HF_INTERRUPT_DEACTIVATE, intid, 0, 0, 0, 0, 0,
			       0));
}

int hf_interrupt_inject(uint16_t vm_id, uint16_t vcpu, uint32_t intid)
{
	struct hvc_ret r = hvc_call(HF_INTERRUPT_INJECT,
				    (uint32_t)vm_id << 16 | vcpu, intid, 0, 0,
				    0, 0, 0);
	int err = answer(r);

	return err != 0 ? err : (uint32_t)r.x[2] != 0;
}

int irq_set_handler(uint32_t intid, void (*fn)(unsigned int intid))
{
	if (intid >= HF_NUM_INTIDS) {
		return FFA_INVALID_PARAMETERS;
	}
	/* Another vCPU may take the id as soon as it is enabled there. */
	__atomic_store_n(&handlers[intid], fn, __ATOMIC_RELEASE);
	return 0;
}

void irq_dispatch(void)
{
	uint32_t id;

	while ((id = hf_interrupt_get()) != HF_INVALID_INTID) {
		irq_handler_fn fn = NULL;

		if (id < HF_NUM_INTIDS) {
			fn = __atomic_load_n(&handlers[id], __ATOMIC_ACQUIRE);
		}
		if (fn != NULL) {
			fn(id);
		} else {
			printf("runtime: vCPU %u: unexpected interrupt %u\n",
			       cpu_index(), id);
		}
		hf_interrupt_deactivate(id);
	}
}
