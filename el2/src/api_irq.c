/* HF_INTERRUPT_ENABLE, _GET, _DEACTIVATE and _INJECT: the paravirtual
 * interrupt controller of secondary vCPUs (uapi/hf/abi.h). The state is
 * per vCPU (hf/virq.h); the arch code turns it into the vCPU's virtual
 * IRQ line each time it enters the vCPU. Injecting into a vCPU that waits
 * or runs elsewhere needs the primary, which owns the threads and the
 * physical CPUs: a secondary injector leaves with HF_RUN_WAKE_UP, and the
 * primary's driver wakes or kicks the target after its own injections. */
#include "api_internal.h"

void api_raise_interrupt(struct vcpu *v, uint32_t intid)
{
	sl_lock(&v->lock);
	virq_raise(&v->interrupts, intid);
	sl_unlock(&v->lock);
}

/* Whether v, just given a deliverable interrupt by another vCPU, must be
 * woken or kicked by the primary to see it (v's lock held). */
static bool needs_kick(const struct vcpu *v)
{
	return v->state == VCPU_RUNNING || v->waiting_for_interrupt ||
	       v->waiting_for_message;
}

static struct vcpu *interrupt_inject(struct vcpu *current)
{
	uint64_t target = current->regs.x[1];
	uint64_t intid = current->regs.x[2];
	uint16_t vm_id = (target >> 16) & 0xffff;
	uint16_t index = target & 0xffff;
	bool from_primary = current->vm == vm_primary();
	struct ffa_value answer;
	struct ffa_value ret;
	bool kick = false;
	struct vcpu *v;
	struct vm *vm;

	if (target > UINT32_MAX || !virq_id_injectable(intid)) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	if (!from_primary && vm_id != current->vm->id) {
		regs_set(current, ffa_error(FFA_DENIED));
		return current;
	}
	vm = vm_find(vm_id);
	if (vm == NULL || vm == vm_primary() || index >= vm->vcpu_count) {
		regs_set(current, ffa_error(vm == vm_primary()
						    ? FFA_DENIED
						    : FFA_INVALID_PARAMETERS));
		return current;
	}
	sl_lock(&vm->lock);
	if (vm->state != HF_VM_STATE_RUNNING) {
		ret = ffa_error(FFA_DENIED);
	} else {
		v = &vm->vcpus[index];
		sl_lock(&v->lock);
		ret = ffa_success(virq_raise(&v->interrupts, (uint32_t)intid));
		kick = v != current && virq_deliverable(&v->interrupts) &&
		       needs_kick(v);
		sl_unlock(&v->lock);
	}
	sl_unlock(&vm->lock);
	regs_set(current, ret);
	if (from_primary || !kick) {
		return current;
	}
	answer = api_run_answer(current, HF_RUN_WAKE_UP);
	answer.arg2 = vcpu_ffa_id(vm_id, index);
	return api_leave(current, answer, VCPU_READY, false);
}

/* ENABLE, GET and DEACTIVATE act on the caller's own vCPU. */
static struct ffa_value own_interrupt_call(struct vcpu *current,
					   uint32_t func)
{
	uint64_t intid = current->regs.x[1];
	struct ffa_value ret = ffa_success(0);

	if (current->vm == vm_primary()) {
		return ffa_error(FFA_DENIED);
	}
	if (func != HF_INTERRUPT_GET && !virq_id_valid(intid)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	sl_lock(&current->lock);
	switch (func) {
	case HF_INTERRUPT_ENABLE:
		if (current->regs.x[2] > 1) {
			ret = ffa_error(FFA_INVALID_PARAMETERS);
		} else {
			virq_enable(&current->interrupts, (uint32_t)intid,
				    current->regs.x[2] == 1);
		}
		break;
	case HF_INTERRUPT_GET:
		ret.arg2 = virq_acknowledge(&current->interrupts);
		break;
	default:
		if (!virq_deactivate(&current->interrupts, (uint32_t)intid)) {
			ret = ffa_error(FFA_DENIED);
		}
		break;
	}
	sl_unlock(&current->lock);
	return ret;
}

struct vcpu *api_interrupt_call(struct vcpu *current, uint32_t func)
{
	if (func == HF_INTERRUPT_INJECT) {
		return interrupt_inject(current);
	}
	regs_set(current, own_interrupt_call(current, func));
	return current;
}
