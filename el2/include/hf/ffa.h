/* SPDX-License-Identifier: BSD-3-Clause */
/* FF-A register values (SMCCC x0..x7) and the packing of answers: one
 * place for how a call's results are laid out in a vCPU's registers. */
#pragma once

#include "hf/abi.h"
#include "hf/vcpu.h"

struct ffa_value {
	uint64_t func; /* x0 */
	uint64_t arg1, arg2, arg3, arg4, arg5, arg6, arg7;
};

static inline struct ffa_value ffa_error(int32_t code)
{
	return (struct ffa_value){ .func = FFA_ERROR_32,
				   .arg2 = (uint32_t)code };
}

static inline struct ffa_value ffa_success(uint64_t arg2)
{
	return (struct ffa_value){ .func = FFA_SUCCESS_32, .arg2 = arg2 };
}

/* An answer to FFA_RUN about v: func, w1 = v's VM id << 16 | index. */
static inline struct ffa_value ffa_run_answer(uint16_t vm_id,
					      uint16_t index, uint64_t func)
{
	return (struct ffa_value){ .func = func,
				   .arg1 = vcpu_ffa_id(vm_id, index) };
}

_Static_assert(sizeof(struct ffa_value) == 8 * sizeof(uint64_t),
	       "struct ffa_value is x0..x7");

/* A call's arguments where they are, in the caller's saved x0..x7 (no
 * copy on the hypercall path): a handler reads them all before it sets
 * its answer in the same registers. */
static inline const struct ffa_value *regs_args(const struct vcpu *v)
{
	return (const struct ffa_value *)v->regs.x;
}

/* Sets all of x0..x7, so that nothing of a previous call leaks. */
static inline void regs_set(struct vcpu *v, struct ffa_value r)
{
	v->regs.x[0] = r.func;
	v->regs.x[1] = r.arg1;
	v->regs.x[2] = r.arg2;
	v->regs.x[3] = r.arg3;
	v->regs.x[4] = r.arg4;
	v->regs.x[5] = r.arg5;
	v->regs.x[6] = r.arg6;
	v->regs.x[7] = r.arg7;
}
