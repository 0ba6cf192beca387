/* How a secondary's vCPU hands its CPU back to the primary: a world switch
 * to this CPU's primary vCPU, whose FFA_RUN then returns the answer. */
#pragma once

#include "hf/ffa.h"
#include "hf/vm.h"

/* Switches from secondary vCPU v to this CPU's primary vCPU; `answer`
 * becomes the primary's FFA_RUN result (its w2 the time v may sleep, with
 * with_timeout). v takes `state` (READY or OFF) once saved (vcpu_saved);
 * OFF if its VM has ended, and then the answer is FFA_ERROR(ABORTED)
 * unless it notifies the primary of something (a message for it, a vCPU
 * to wake, senders to tell). */
struct vcpu *vcpu_leave(struct vcpu *v, struct ffa_value answer,
			enum vcpu_state state, bool with_timeout);

static inline struct ffa_value vcpu_run_answer(const struct vcpu *v,
					       uint64_t func)
{
	return ffa_run_answer(v->vm->id, v->index, func);
}
