/* SPDX-License-Identifier: BSD-3-Clause */
/* HF_INTERRUPT_ENABLE, _GET, _DEACTIVATE and _INJECT: the paravirtual
 * interrupt controller of secondary vCPUs (uapi/hf/abi.h). The state is
 * per vCPU (hf/virq.h); the arch code turns it into the vCPU's virtual
 * IRQ line each time it enters the vCPU. Injecting into a vCPU that waits
 * or runs elsewhere needs the primary, which owns the threads and the
 * physical CPUs: a secondary injector leaves with HF_RUN_WAKE_UP, and the
 * primary's driver wakes or kicks the target after its own injections. */
#include "api_internal.h"

/* Whether v, just given a deliverable interrupt by another vCPU, must be
 * woken or kicked by the primary to see it (v's lock held). */
static bool needs_kick(const struct vcpu *v)
{
	return v->state == VCPU_RUNNING || v->waiting_for_interrupt ||
	       v->waiting_for_message;
}

/* Raises intid on v if its VM runs; *kick: whether the primary must act
 * for current to be seen. The VM is referenced by the caller. */
static struct ffa_value inject(struct vcpu *current, struct vcpu *v,
			       uint32_t intid, bool *kick)
{
	struct vm_locked vm = vm_lock(v->vm);
	struct ffa_value ret = ffa_error(FFA_DENIED);

	if (vm.vm->state == HF_VM_STATE_RUNNING) {
		sl_lock(&v->lock);
		ret = ffa_success(virq_raise(&v->interrupts, intid));
		*kick = v != current && virq_deliverable(&v->interrupts) &&
			needs_kick(v);
		sl_unlock(&v->lock);
	}
	vm_unlock(&vm);
	return ret;
}

struct vcpu *api_interrupt_inject(struct vcpu *current,
				  const struct ffa_value *args)
{
	uint64_t target = args->arg1;
	uint64_t intid = args->arg2;
	uint16_t vm_id = (target >> 16) & 0xffff;
	uint16_t index = target & 0xffff;
	bool from_primary = current->vm == vm_primary();
	struct ffa_value answer;
	struct ffa_value ret;
	bool kick = false;
	struct vm *vm;

	if (target > UINT32_MAX || !virq_id_injectable(intid)) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	if (!from_primary && vm_id != current->vm->id) {
		regs_set(current, ffa_error(FFA_DENIED));
		return current;
	}
	vm = vm_get(vm_id);
	if (vm == NULL || vm == vm_primary() || index >= vm->vcpu_count) {
		ret = ffa_error(vm == vm_primary() ? FFA_DENIED
						   : FFA_INVALID_PARAMETERS);
	} else {
		ret = inject(current, &vm->vcpus[index], (uint32_t)intid,
			     &kick);
	}
	if (vm != NULL) {
		vm_put(vm);
	}
	regs_set(current, ret);
	if (from_primary || !kick) {
		return current;
	}
	answer = vcpu_run_answer(current, HF_RUN_WAKE_UP);
	answer.arg2 = vcpu_ffa_id(vm_id, index);
	return vcpu_leave(current, answer, VCPU_READY, false);
}

/* ENABLE, GET and DEACTIVATE act on the caller's own vCPU (only
 * secondaries may call them: see api.c). */
struct ffa_value api_interrupt_enable(struct vcpu *current,
				      const struct ffa_value *args)
{
	struct ffa_value ret = ffa_success(0);

	if (!virq_id_valid(args->arg1) || args->arg2 > 1) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	sl_lock(&current->lock);
	virq_enable(&current->interrupts, (uint32_t)args->arg1,
		    args->arg2 == 1);
	sl_unlock(&current->lock);
	return ret;
}

struct ffa_value api_interrupt_get(struct vcpu *current,
				   const struct ffa_value *args)
{
	struct ffa_value ret = ffa_success(0);

	(void)args;
	sl_lock(&current->lock);
	ret.arg2 = virq_acknowledge(&current->interrupts);
	sl_unlock(&current->lock);
	return ret;
}

struct ffa_value api_interrupt_deactivate(struct vcpu *current,
					  const struct ffa_value *args)
{
	bool deactivated;

	if (!virq_id_valid(args->arg1)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	sl_lock(&current->lock);
	deactivated = virq_deactivate(&current->interrupts,
				      (uint32_t)args->arg1);
	sl_unlock(&current->lock);
	return deactivated ? ffa_success(0) : ffa_error(FFA_DENIED);
}
