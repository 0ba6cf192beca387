/* vCPU state changes shared by every call: interrupts raised from
 * elsewhere, and leaving a CPU (hf/vcpu_exit.h). */
#include "hf/arch/vcpu.h"
#include "hf/cpu.h"
#include "hf/vcpu_exit.h"
#include "hf/vm.h"

void vcpu_raise_interrupt(struct vcpu *v, uint32_t intid)
{
	sl_lock(&v->lock);
	virq_raise(&v->interrupts, intid);
	sl_unlock(&v->lock);
}

static bool answer_notifies(struct ffa_value answer)
{
	return answer.func == FFA_MSG_SEND2_32 ||
	       answer.func == HF_RUN_WAKE_UP ||
	       answer.func == FFA_RX_RELEASE_32;
}

struct vcpu *vcpu_leave(struct vcpu *v, struct ffa_value answer,
			enum vcpu_state state, bool with_timeout)
{
	struct vcpu *primary = &vm_primary()->vcpus[v->cpu->index];

	arch_vcpu_switch(v, primary);
	if (with_timeout) {
		answer.arg2 = arch_vcpu_timer_remaining_ns(v);
	}
	/* Without the VM's lock: a VM that ends just after this read is
	 * found by the primary's next FFA_RUN, which checks under v's lock.
	 * An answer that tells the primary something it must act on (a
	 * message in its RX buffer, a vCPU to wake, senders to kick) is
	 * delivered all the same, or a buffer would stay full for good. */
	if (__atomic_load_n(&v->vm->state, __ATOMIC_RELAXED) !=
	    HF_VM_STATE_RUNNING) {
		state = VCPU_OFF;
		if (!answer_notifies(answer)) {
			answer = ffa_error(FFA_ABORTED);
		}
	}
	v->state_after_save = state;
	v->regs.leaving = 1;
	regs_set(primary, answer);
	return primary;
}

void vcpu_saved(struct vcpu *v)
{
	/* While a vCPU runs, only the CPU it runs on changes its state (every
	 * other writer leaves a RUNNING vCPU alone), so it is published with
	 * a release store: whoever reads READY under the lock also sees every
	 * register saved before. */
	v->regs.leaving = 0;
	v->cpu = NULL;
	__atomic_store_n(&v->state, v->state_after_save, __ATOMIC_RELEASE);
}
