/* Shared by the api_*.c files: answers, the lifecycle lock, the pool. */
#pragma once

#include "hf/api.h"

/* Serializes VM creation and destruction (see the lock order in vm.h). */
extern struct spinlock api_lock;
extern struct mpool *api_pool;

static inline struct ffa_value ffa_error(int32_t code)
{
	return (struct ffa_value){ .func = FFA_ERROR_32,
				   .arg2 = (uint32_t)code };
}

static inline struct ffa_value ffa_success(uint64_t arg2)
{
	return (struct ffa_value){ .func = FFA_SUCCESS_32, .arg2 = arg2 };
}

static inline struct ffa_value regs_args(const struct vcpu *v)
{
	return (struct ffa_value){ v->regs.x[0], v->regs.x[1], v->regs.x[2],
				   v->regs.x[3], v->regs.x[4], v->regs.x[5],
				   v->regs.x[6], v->regs.x[7] };
}

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

/* Lifecycle calls (api_vm.c); primary only. */
struct ffa_value api_vm_create(struct vm *primary, uint64_t length);
struct ffa_value api_vm_load(struct vm *primary, const struct ffa_value *a);
struct ffa_value api_vm_start(const struct ffa_value *a);
struct ffa_value api_vm_stop(uint64_t id);
struct ffa_value api_vm_destroy(struct vm *primary, uint64_t id);
struct ffa_value api_vm_exit_info(uint64_t id);

/* Ends a running or created VM (vm::lock held); see api_vm.c. */
void api_vm_end(struct vm *vm, uint32_t state, const struct vm_exit *exit);

/* Running secondaries (api_run.c). */
struct vcpu *api_run(struct vcpu *current, uint64_t target);
/* Switches from secondary vCPU v back to this CPU's primary vCPU, whose
 * FFA_RUN answers `answer`; v leaves in `state` (see api_run.c). */
struct vcpu *api_leave(struct vcpu *v, struct ffa_value answer,
		       enum vcpu_state state, bool with_timeout);
/* An answer to FFA_RUN about v: func, w1 = v's VM id << 16 | index. */
struct ffa_value api_run_answer(const struct vcpu *v, uint64_t func);

/* HF_INTERRUPT_* (api_irq.c). */
struct vcpu *api_interrupt_call(struct vcpu *current, uint32_t func);

/* Messages (api_msg.c); from any VM. */
struct vcpu *api_msg_send2(struct vcpu *current);
struct vcpu *api_msg_wait(struct vcpu *current);
struct vcpu *api_rx_release(struct vcpu *current);
/* The VMs in waiters (bit = id) found a buffer full that is now released
 * or gone: raises HF_MAILBOX_WRITABLE_INTID on vCPU 0 of each secondary
 * among them (api_lock not held). */
void api_msg_raise_writable(uint32_t waiters);
/* The same, from current's call; a secondary caller then leaves its CPU
 * so that the primary kicks them (FFA_RUN answers FFA_RX_RELEASE). */
struct vcpu *api_msg_tell_writable(struct vcpu *current, uint32_t waiters);
struct vcpu *api_secondary_call(struct vcpu *current, uint32_t func,
				bool *handled);
