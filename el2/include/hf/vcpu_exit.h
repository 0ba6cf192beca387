/* SPDX-License-Identifier: BSD-3-Clause */
/* How a secondary's vCPU hands its CPU back to the primary: a world switch
 * to this CPU's primary vCPU, whose FFA_RUN then returns the answer. */
#pragma once

#include "hf/arch/vcpu.h"
#include "hf/cpu.h"
#include "hf/ffa.h"
#include "hf/vm.h"

/* Switches from secondary vCPU v to this CPU's primary vCPU; `answer`
 * becomes the primary's FFA_RUN result (its w2 the time v may sleep, with
 * with_timeout). v takes `state` (READY or OFF) once saved (vcpu_saved);
 * OFF if its VM has ended, and then the answer is FFA_ERROR(ABORTED)
 * unless it notifies the primary of something (a message for it, a vCPU
 * to wake, senders to tell). */
static inline bool vcpu_answer_notifies(struct ffa_value answer)
{
	return answer.func == FFA_MSG_SEND2_32 ||
	       answer.func == HF_RUN_WAKE_UP ||
	       answer.func == FFA_RX_RELEASE_32;
}

/* Inline, and the answer stored before the switch: on every FFA_RUN's
 * way back, where passing it by value to a call and keeping it across the
 * switch cost about 30 instructions. */
static inline struct vcpu *vcpu_leave(struct vcpu *v, struct ffa_value answer,
				      enum vcpu_state state,
				      bool with_timeout)
{
	struct vcpu *primary = v->cpu->primary;
	bool ended = __atomic_load_n(&v->vm->state, __ATOMIC_RELAXED) !=
		     HF_VM_STATE_RUNNING;

	/* Without the VM's lock: a VM that ends just after this read is
	 * found by the primary's next FFA_RUN, which checks under v's lock.
	 * An answer that tells the primary something it must act on (a
	 * message in its RX buffer, a vCPU to wake, senders to kick) is
	 * delivered all the same, or a buffer would stay full for good. */
	if (ended) {
		state = VCPU_OFF;
		if (!vcpu_answer_notifies(answer)) {
			answer = ffa_error(FFA_ABORTED);
			with_timeout = false;
		}
	}
	regs_set(primary, answer);
	arch_vcpu_switch(v, primary);
	if (with_timeout) {
		/* w2: from the timer state the switch has just saved. */
		primary->regs.x[2] = arch_vcpu_timer_remaining_ns(v);
	}
	v->state_after_save = state;
	v->regs.leaving = 1;
	return primary;
}

static inline struct ffa_value vcpu_run_answer(const struct vcpu *v,
					       uint64_t func)
{
	return ffa_run_answer(v->vm->id, v->index, func);
}
