/* Running secondary vCPUs: FFA_RUN from the primary switches this CPU to
 * the vCPU; everything that needs the primary (yield, wait, console
 * output, starting another vCPU, an interrupt for the primary, the VM's
 * end) switches back and becomes FFA_RUN's answer. A vCPU's registers are
 * saved before it is marked runnable again, so that no other CPU can pick
 * it up half-saved. */
#include "hf/arch/vcpu.h"
#include "hf/cpu.h"
#include "hf/dlog.h"
#include "hf/exception_class.h"
#include "hf/psci.h"

#include "api_internal.h"

#define PSCI_RET_ALREADY_ON (-4)
#define PSCI_VERSION_1_0 0x10000
#define PSCI_AFFINITY_ON 0
#define PSCI_AFFINITY_OFF 1
#define PSCI_MIGRATE_NOT_REQUIRED 2

static struct vcpu *primary_vcpu_of(const struct cpu *c)
{
	return &vm_primary()->vcpus[c->index];
}

/* For a vCPU in FFA_MSG_WAIT (its VM's and its own lock held): if a
 * message is in its RX buffer or an interrupt is deliverable, sets what
 * FFA_MSG_WAIT returns and ends the wait. */
static bool message_wait_over(struct vcpu *v)
{
	struct mailbox *mb = &v->vm->mailbox;
	struct ffa_value answer;

	if (mb->mapped && mb->recv_full) {
		answer = (struct ffa_value){
			.func = FFA_MSG_SEND2_32,
			.arg1 = (uint64_t)mb->recv_sender << 16 | v->vm->id,
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

struct vcpu *api_run(struct vcpu *current, uint64_t target)
{
	uint64_t vm_id = (target >> 16) & 0xffff;
	uint64_t index = target & 0xffff;
	struct ffa_value ret;
	struct vm *vm = target > UINT32_MAX ? NULL : vm_find((uint16_t)vm_id);
	struct vcpu *v;

	if (vm == NULL || vm == vm_primary() || index >= vm->vcpu_count) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	sl_lock(&vm->lock);
	v = &vm->vcpus[index];
	sl_lock(&v->lock);
	if (v->state == VCPU_READY) {
		raise_fired_timer(v);
	}
	if (vm->state == HF_VM_STATE_STOPPED ||
	    vm->state == HF_VM_STATE_CRASHED) {
		ret = ffa_error(FFA_ABORTED);
	} else if (v->state == VCPU_RUNNING) {
		ret = ffa_error(FFA_BUSY);
	} else if (vm->state != HF_VM_STATE_RUNNING || v->state == VCPU_OFF) {
		ret = ffa_error(FFA_DENIED);
	} else if (v->waiting_for_message && !message_wait_over(v)) {
		ret = api_run_answer(v, FFA_MSG_WAIT_32);
		ret.arg2 = arch_vcpu_timer_remaining_ns(v);
	} else if (v->waiting_for_interrupt &&
		   !virq_deliverable(&v->interrupts)) {
		ret = api_run_answer(v, HF_RUN_WAIT_FOR_INTERRUPT);
		ret.arg2 = arch_vcpu_timer_remaining_ns(v);
	} else {
		v->waiting_for_interrupt = false;
		v->state = VCPU_RUNNING;
		v->cpu = current->cpu;
		ret.func = 0;
	}
	sl_unlock(&v->lock);
	sl_unlock(&vm->lock);
	if (ret.func != 0) {
		regs_set(current, ret);
		return current;
	}
	arch_vcpu_switch(current, v);
	return v;
}

/* Switches back to this CPU's primary vCPU; `answer` becomes its
 * FFA_RUN's result. The vCPU leaves in `state` (READY or OFF), or OFF
 * with FFA_ERROR(ABORTED) if its VM ended meanwhile. */
struct vcpu *api_leave(struct vcpu *v, struct ffa_value answer,
		       enum vcpu_state state, bool with_timeout)
{
	struct vcpu *primary = primary_vcpu_of(v->cpu);
	struct vm *vm = v->vm;

	arch_vcpu_switch(v, primary);
	if (with_timeout) {
		answer.arg2 = arch_vcpu_timer_remaining_ns(v);
	}
	sl_lock(&vm->lock);
	sl_lock(&v->lock);
	if (vm->state != HF_VM_STATE_RUNNING) {
		answer = ffa_error(FFA_ABORTED);
		state = VCPU_OFF;
	}
	v->state = state;
	v->cpu = NULL;
	sl_unlock(&v->lock);
	sl_unlock(&vm->lock);
	regs_set(primary, answer);
	return primary;
}

struct ffa_value api_run_answer(const struct vcpu *v, uint64_t func)
{
	return (struct ffa_value){ .func = func,
				   .arg1 = vcpu_ffa_id(v->vm->id, v->index) };
}

/* Ends the VM from one of its own vCPUs and leaves it. */
static struct vcpu *end_vm(struct vcpu *v, uint32_t state,
			   const struct vm_exit *exit)
{
	sl_lock(&v->vm->lock);
	api_vm_end(v->vm, state, exit);
	sl_unlock(&v->vm->lock);
	return api_leave(v, ffa_error(FFA_ABORTED), VCPU_OFF, false);
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
	return api_leave(current,
			 api_run_answer(current, HF_RUN_WAIT_FOR_INTERRUPT),
			 VCPU_READY, true);
}

struct vcpu *api_preempted(struct vcpu *current)
{
	return api_leave(current, api_run_answer(current, FFA_INTERRUPT_32), VCPU_READY,
		     false);
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
	answer = api_run_answer(current, HF_RUN_WAKE_UP);
	answer.arg2 = vcpu_ffa_id(vm->id, (uint16_t)target_id);
	return api_leave(current, answer, VCPU_READY, false);
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
static struct vcpu *psci_secondary(struct vcpu *current, uint32_t fid)
{
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
		return api_leave(current, ffa_error(FFA_DENIED), VCPU_OFF, false);
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

static struct vcpu *debug_log(struct vcpu *current)
{
	uint64_t len = (uint32_t)current->regs.x[1];
	struct ffa_value answer = api_run_answer(current, HF_RUN_DEBUG_LOG);

	if (len == 0 || len > HF_DEBUG_LOG_MAX) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	answer.arg1 |= len << 32;
	answer.arg2 = current->regs.x[2];
	answer.arg3 = current->regs.x[3];
	answer.arg4 = current->regs.x[4];
	answer.arg5 = current->regs.x[5];
	answer.arg6 = current->regs.x[6];
	answer.arg7 = current->regs.x[7];
	regs_set(current, ffa_success(0));
	return api_leave(current, answer, VCPU_READY, false);
}

struct vcpu *api_secondary_call(struct vcpu *current, uint32_t func,
				bool *handled)
{
	*handled = true;
	switch (func) {
	case FFA_YIELD_32:
		regs_set(current, ffa_success(0));
		return api_leave(current, api_run_answer(current, FFA_YIELD_32),
			     VCPU_READY, false);
	case FFA_MSG_WAIT_32:
		return api_msg_wait(current);
	case HF_DEBUG_LOG:
		return debug_log(current);
	default:
		if (psci_is_psci_call(func)) {
			return psci_secondary(current, func);
		}
		*handled = false;
		return current;
	}
}
