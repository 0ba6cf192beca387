/* SPDX-License-Identifier: BSD-3-Clause */
/* Running secondary vCPUs: FFA_RUN from the primary switches this CPU to
 * the vCPU; everything that needs the primary (yield, wait, console
 * output, starting another vCPU, an interrupt for the primary, the VM's
 * end) switches back (hf/vcpu_exit.h) and becomes FFA_RUN's answer. A
 * vCPU's registers are all saved before it is marked runnable again
 * (vcpu_saved), so that no other CPU can pick it up half-saved. */
#include "hf/arch/vcpu.h"
#include "hf/cpu.h"
#include "hf/dlog.h"
#include "hf/exception_class.h"
#include "hf/psci.h"
#include "hf/vm.h"

#include "api_internal.h"

#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_VERSION_1_0 0x10000
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_MIGRATE_NOT_REQUIRED 2

/* For a vCPU in FFA_MSG_WAIT (its VM's and its own lock held): if a
 * message is in its RX buffer or an interrupt is deliverable, sets what
 * FFA_MSG_WAIT returns and ends the wait. */
static bool message_wait_over(struct vm_locked vm, struct vcpu *v)
{
	struct ffa_value answer;
	uint16_t sender;

	if (mailbox_has_message(vm, &sender)) {
		answer = (struct ffa_value){
			.func = FFA_MSG_SEND2_32,
			.arg1 = (uint64_t)sender << 16 | vm.vm->id,
		};
	} else if (virq_deliverable(&v->interrupts)) {
		answer = (struct ffa_value){ .func = FFA_INTERRUPT_32 };
	} else {
		return false;
	}
	regs_set(v, answer);
	v->waiting_for_message = false;
	return true;
}

/* Raises the timer interrupt of a vCPU that is not running if its timer
 * has fired meanwhile (its lock held). */
static void raise_fired_timer(struct vcpu *v)
{
	if (arch_vcpu_timer_expire(v)) {
		virq_raise(&v->interrupts, HF_VIRTUAL_TIMER_INTID);
	}
}

/* Whether v may run now; if not, what FFA_RUN answers instead is set in
 * current's registers (v's lock held; `vm` is its VM's lock if held,
 * NULL if v is not in FFA_MSG_WAIT). The VM's state is read under v's
 * lock: vm_end changes it before it takes each vCPU's lock. */
static inline __attribute__((always_inline)) bool
prepare_run(struct vcpu *current, const struct vm_locked *vm, struct vcpu *v)
{
	uint32_t vm_state = __atomic_load_n(&v->vm->state, __ATOMIC_RELAXED);
	struct ffa_value ret;

	if (v->state == VCPU_READY) {
		raise_fired_timer(v);
	}
	if (vm_state == HF_VM_STATE_STOPPED || vm_state == HF_VM_STATE_CRASHED) {
		ret = ffa_error(FFA_ABORTED);
	} else if (v->state == VCPU_RUNNING) {
		ret = ffa_error(FFA_BUSY);
	} else if (vm_state != HF_VM_STATE_RUNNING || v->state == VCPU_OFF) {
		ret = ffa_error(FFA_DENIED);
	} else if (v->waiting_for_message && !message_wait_over(*vm, v)) {
		ret = vcpu_run_answer(v, FFA_MSG_WAIT_32);
		ret.arg2 = arch_vcpu_timer_remaining_ns(v);
	} else if (v->waiting_for_interrupt &&
		   !virq_deliverable(&v->interrupts)) {
		ret = vcpu_run_answer(v, HF_RUN_WAIT_FOR_INTERRUPT);
		ret.arg2 = arch_vcpu_timer_remaining_ns(v);
	} else {
		v->waiting_for_interrupt = false;
		v->state = VCPU_RUNNING;
		v->cpu = current->cpu;
		return true;
	}
	regs_set(current, ret);
	return false;
}

/* No global lock: a reference keeps the VM, v's lock keeps its state
 * still. Only a vCPU in FFA_MSG_WAIT, whose answer may be a message in
 * the mailbox, needs the VM's lock too (taken first, as ranked). */
struct vcpu *api_run(struct vcpu *current, const struct ffa_value *args)
{
	uint64_t target = args->arg1;
	uint64_t index = target & 0xffff;
	struct vm *vm = target > UINT32_MAX
				? NULL
				: vm_get((uint16_t)(target >> 16));
	struct vm_locked locked;
	struct vcpu *v;
	bool run;

	if (vm == NULL || vm->id == HF_PRIMARY_VM_ID ||
	    index >= vm->vcpu_count) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		if (vm != NULL) {
			vm_put(vm);
		}
		return current;
	}
	v = &vm->vcpus[index];
	sl_lock(&v->lock);
	if (!v->waiting_for_message) {
		run = prepare_run(current, NULL, v);
		sl_unlock(&v->lock);
	} else {
		sl_unlock(&v->lock);
		locked = vm_lock(vm);
		sl_lock(&v->lock);
		run = prepare_run(current, &locked, v);
		sl_unlock(&v->lock);
		vm_unlock(&locked);
	}
	vm_put(vm);
	if (!run) {
		return current;
	}
	arch_vcpu_switch(current, v);
	return v;
}

/* Ends the VM from one of its own vCPUs and leaves it. */
static struct vcpu *end_vm(struct vcpu *v, uint32_t state,
			   const struct vm_exit *exit)
{
	struct vm_locked vm = vm_lock(v->vm);

	vm_end(vm, state, exit);
	vm_unlock(&vm);
	return vcpu_leave(v, ffa_error(FFA_ABORTED), VCPU_OFF, false);
}

struct vcpu *api_wait_for_interrupt(struct vcpu *current)
{
	bool deliverable;

	sl_lock(&current->lock);
	deliverable = virq_deliverable(&current->interrupts);
	current->waiting_for_interrupt = !deliverable;
	sl_unlock(&current->lock);
	if (deliverable) {
		return current;
	}
	return vcpu_leave(current,
			  vcpu_run_answer(current, HF_RUN_WAIT_FOR_INTERRUPT),
			  VCPU_READY, true);
}

struct vcpu *api_preempted(struct vcpu *current)
{
	return vcpu_leave(current, vcpu_run_answer(current, FFA_INTERRUPT_32),
			  VCPU_READY, false);
}

struct vcpu *api_crash(struct vcpu *current, uint64_t esr, uint64_t far)
{
	struct vm_exit exit = { .reason = HF_VM_EXIT_CRASHED,
				.vcpu = current->index,
				.esr = esr,
				.far = far,
				.elr = current->regs.pc };

	dlog("hafnium: VM %u '%s' vCPU %u crashed: %s (ESR 0x%llx) at PC "
	     "0x%llx, FAR 0x%llx\n",
	     current->vm->id, current->vm->name, current->index,
	     hf_exception_class(esr), (unsigned long long)esr,
	     (unsigned long long)exit.elr, (unsigned long long)far);
	return end_vm(current, HF_VM_STATE_CRASHED, &exit);
}

/* PSCI CPU_ON of another vCPU of the same VM: it starts at entry with
 * x0 = context; the primary is told to run it. */
static struct vcpu *psci_cpu_on(struct vcpu *current, uint64_t target_id,
				uint64_t entry, uint64_t context)
{
	struct vm *vm = current->vm;
	struct vcpu *target;
	int64_t ret = PSCI_RET_SUCCESS;
	struct ffa_value answer;

	if (target_id >= vm->vcpu_count || entry < HF_VM_RAM_BASE ||
	    entry >= HF_VM_RAM_BASE + vm->mem_size) {
		current->regs.x[0] = (uint64_t)(int64_t)PSCI_RET_INVALID_PARAMETERS;
		return current;
	}
	target = &vm->vcpus[target_id];
	sl_lock(&target->lock);
	if (target->state != VCPU_OFF) {
		ret = PSCI_RET_ALREADY_ON;
	} else {
		arch_regs_reset(&target->regs, vm, (uint16_t)target_id, entry,
				context);
		memset(&target->interrupts, 0, sizeof(target->interrupts));
		target->waiting_for_interrupt = false;
		target->waiting_for_message = false;
		target->state = VCPU_READY;
	}
	sl_unlock(&target->lock);
	current->regs.x[0] = (uint64_t)ret;
	if (ret != PSCI_RET_SUCCESS) {
		return current;
	}
	answer = vcpu_run_answer(current, HF_RUN_WAKE_UP);
	answer.arg2 = vcpu_ffa_id(vm->id, (uint16_t)target_id);
	return vcpu_leave(current, answer, VCPU_READY, false);
}

static bool psci_implemented(uint32_t fid)
{
	switch (fid) {
	case PSCI_VERSION:
	case PSCI_FEATURES:
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
	case PSCI_CPU_OFF:
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		return true;
	default:
		return false;
	}
}

/* PSCI for a secondary, implemented by hafnium over its vCPUs. */
struct vcpu *api_psci_secondary(struct vcpu *current,
				const struct ffa_value *args)
{
	uint32_t fid = (uint32_t)args->func;
	uint64_t *x = current->regs.x;
	struct vm_exit exit = { .vcpu = current->index };
	int64_t ret = PSCI_RET_NOT_SUPPORTED;

	switch (fid) {
	case PSCI_VERSION:
		ret = PSCI_VERSION_1_0;
		break;
	case PSCI_FEATURES:
		ret = psci_implemented((uint32_t)x[1]) ? PSCI_RET_SUCCESS
						       : PSCI_RET_NOT_SUPPORTED;
		break;
	case PSCI_MIGRATE_INFO_TYPE:
		ret = PSCI_MIGRATE_NOT_REQUIRED;
		break;
	case PSCI_CPU_ON_32:
	case PSCI_CPU_ON_64:
		return psci_cpu_on(current, x[1], x[2], x[3]);
	case PSCI_CPU_OFF:
		return vcpu_leave(current, ffa_error(FFA_DENIED), VCPU_OFF, false);
	case PSCI_AFFINITY_INFO_32:
	case PSCI_AFFINITY_INFO_64:
		if (x[1] >= current->vm->vcpu_count || x[2] != 0) {
			ret = PSCI_RET_INVALID_PARAMETERS;
		} else {
			ret = current->vm->vcpus[x[1]].state == VCPU_OFF
				      ? PSCI_AFFINITY_OFF
				      : PSCI_AFFINITY_ON;
		}
		break;
	case PSCI_SYSTEM_OFF:
		exit.reason = HF_VM_EXIT_POWEROFF;
		return end_vm(current, HF_VM_STATE_STOPPED, &exit);
	case PSCI_SYSTEM_RESET:
		exit.reason = HF_VM_EXIT_RESET;
		return end_vm(current, HF_VM_STATE_STOPPED, &exit);
	default:
		break;
	}
	x[0] = (uint64_t)ret;
	return current;
}

struct vcpu *api_debug_log(struct vcpu *current, const struct ffa_value *args)
{
	uint64_t len = (uint32_t)args->arg1;
	struct ffa_value answer = vcpu_run_answer(current, HF_RUN_DEBUG_LOG);

	if (len == 0 || len > HF_DEBUG_LOG_MAX) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	answer.arg1 |= len << 32;
	answer.arg2 = args->arg2;
	answer.arg3 = args->arg3;
	answer.arg4 = args->arg4;
	answer.arg5 = args->arg5;
	answer.arg6 = args->arg6;
	answer.arg7 = args->arg7;
	regs_set(current, ffa_success(0));
	return vcpu_leave(current, answer, VCPU_READY, false);
}

struct vcpu *api_yield(struct vcpu *current, const struct ffa_value *args)
{
	(void)args;
	regs_set(current, ffa_success(0));
	return vcpu_leave(current, vcpu_run_answer(current, FFA_YIELD_32),
			  VCPU_READY, false);
}
