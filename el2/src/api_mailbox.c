/* SPDX-License-Identifier: BSD-3-Clause */
/* FFA_RXTX_MAP, FFA_RXTX_UNMAP and FFA_RX_RELEASE: a VM's RX/TX buffers.
 * The pages are checked to be the VM's own RAM under the VM's lock, the
 * same lock under which the primary's memory is donated, so that a page
 * cannot become a mailbox and another VM's memory at once. */
#include "api_internal.h"

/* True when [ipa, ipa + PAGE_SIZE) is ordinary RAM of the VM: mapped
 * read-write-execute as normal memory in its stage-2. Device memory,
 * the hypervisor's and other VMs' memory fail. */
static bool page_is_own_ram(struct vm_locked vm, uint64_t ipa, paddr_t *pa)
{
	const struct mm_ptable *t = &vm.vm->ptable;
	uint32_t mode;

	if (!is_aligned(ipa, PAGE_SIZE) || ipa >= mm_ptable_limit(t) ||
	    !mm_range_has_mode(t, ipa, ipa + PAGE_SIZE,
			       MM_MODE_R | MM_MODE_W | MM_MODE_X)) {
		return false;
	}
	return mm_lookup(t, ipa, pa, &mode);
}

static struct ffa_value map(struct vm_locked vm, uint64_t send,
			    uint64_t recv)
{
	paddr_t send_pa;
	paddr_t recv_pa;

	if (send == recv || !page_is_own_ram(vm, send, &send_pa) ||
	    !page_is_own_ram(vm, recv, &recv_pa)) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	if (!mailbox_map(vm, send_pa, recv_pa)) {
		return ffa_error(FFA_DENIED);
	}
	return ffa_success(0);
}

struct ffa_value api_rxtx_map(struct vcpu *current,
			      const struct ffa_value *args)
{
	uint64_t send = args->arg1;
	uint64_t recv = args->arg2;
	struct vm_locked vm;
	struct ffa_value ret;

	if ((uint32_t)args->func == FFA_RXTX_MAP_32) {
		send = (uint32_t)send;
		recv = (uint32_t)recv;
	}
	if ((uint32_t)args->arg3 != HF_MAILBOX_SIZE / PAGE_SIZE) {
		return ffa_error(FFA_INVALID_PARAMETERS);
	}
	vm = vm_lock(current->vm);
	ret = map(vm, send, recv);
	vm_unlock(&vm);
	return ret;
}

/* Senders that found the RX buffer full are told it is gone: they retry
 * and get DENIED instead of waiting for a release that cannot come. */
struct vcpu *api_rxtx_unmap(struct vcpu *current,
			    const struct ffa_value *args)
{
	uint32_t id = (uint32_t)(args->arg1 >> 16);
	struct vm_id_set waiters = { 0 };
	struct vm_locked vm;
	bool unmapped;

	/* Bits [31:16] name the VM: zero or the caller itself. */
	if (args->arg1 > UINT32_MAX || (args->arg1 & 0xffff) != 0 ||
	    (id != 0 && id != current->vm->id)) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	vm = vm_lock(current->vm);
	unmapped = mailbox_unmap(vm, &waiters);
	vm_unlock(&vm);
	regs_set(current, unmapped ? ffa_success(0)
				   : ffa_error(FFA_INVALID_PARAMETERS));
	return api_tell_writable(current, &waiters);
}

struct vcpu *api_rx_release(struct vcpu *current,
			    const struct ffa_value *args)
{
	struct vm_id_set waiters = { 0 };
	struct vm_locked vm;
	bool released;

	if (args->arg1 != 0 && args->arg1 != current->vm->id) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	vm = vm_lock(current->vm);
	released = mailbox_release(vm, &waiters);
	vm_unlock(&vm);
	/* x2..x5: the VMs that found it full and may retry. */
	regs_set(current, released ? api_waiters_answer(ffa_success(0),
							&waiters)
				   : ffa_error(FFA_DENIED));
	return api_tell_writable(current, &waiters);
}

struct ffa_value api_waiters_answer(struct ffa_value answer,
				    const struct vm_id_set *waiters)
{
	answer.arg2 = waiters->bits[0];
	answer.arg3 = waiters->bits[1];
	answer.arg4 = waiters->bits[2];
	answer.arg5 = waiters->bits[3];
	return answer;
}

struct vcpu *api_tell_writable(struct vcpu *current,
			       const struct vm_id_set *waiters)
{
	mailbox_notify_writable(waiters);
	if (vm_id_set_empty(waiters) || current->vm == vm_primary()) {
		return current;
	}
	return vcpu_leave(current,
			  api_waiters_answer(vcpu_run_answer(current,
							     FFA_RX_RELEASE_32),
					     waiters),
			  VCPU_READY, false);
}
