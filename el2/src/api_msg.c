/* FF-A indirect messages: FFA_MSG_SEND2 copies the header and payload in
 * the sender's TX buffer to the receiver's RX buffer, with the sender id
 * set here (no spoofing). A full RX buffer answers BUSY and remembers the
 * sender, who is told when the receiver calls FFA_RX_RELEASE; nothing is
 * dropped. Whoever must act is told through FFA_RUN's answers (see
 * docs/abi.md). A secondary's vCPU that is not in FFA_MSG_WAIT learns of
 * a message by HF_MAILBOX_READABLE_INTID, a sender told BUSY by
 * HF_MAILBOX_WRITABLE_INTID. All of it runs under api_lock: VMs cannot
 * come or go while a message is copied. */
#include "hf/arch/vcpu.h"

#include "api_internal.h"

static bool header_valid(const struct ffa_partition_msg_header *h)
{
	return h->flags == 0 && h->reserved == 0 &&
	       h->offset >= FFA_MSG_HEADER_SIZE &&
	       h->offset <= HF_MAILBOX_SIZE &&
	       h->size <= HF_MAILBOX_SIZE - h->offset;
}

/* The vCPU that should see a message: one in FFA_MSG_WAIT, or vCPU 0. */
static uint16_t vcpu_to_wake(const struct vm *vm)
{
	size_t i;

	for (i = 0; i < vm->vcpu_count; i++) {
		if (vm->vcpus[i].waiting_for_message) {
			return (uint16_t)i;
		}
	}
	return 0;
}

/* Copies the message; the receiver's lock is held. */
static struct ffa_value deliver(struct vm *from, struct vm *to,
				const struct ffa_partition_msg_header *h)
{
	struct ffa_partition_msg_header out = *h;
	uint8_t *rx = ptr_from_pa(to->mailbox.recv);
	const uint8_t *tx = ptr_from_pa(from->mailbox.send);

	if (!to->mailbox.mapped) {
		return ffa_error(FFA_DENIED);
	}
	if (to->mailbox.recv_full) {
		to->mailbox.writable_waiters |= 1u << from->id;
		return ffa_error(FFA_BUSY);
	}
	out.sender_receiver = (uint32_t)from->id << 16 | to->id;
	memcpy(rx, &out, sizeof(out));
	memcpy(rx + out.offset, tx + out.offset, out.size);
	to->mailbox.recv_full = true;
	to->mailbox.recv_sender = from->id;
	return ffa_success(0);
}

struct vcpu *api_msg_send2(struct vcpu *current)
{
	struct vm *from = current->vm;
	uint64_t sender = (current->regs.x[1] >> 16) & 0xffff;
	struct ffa_partition_msg_header h;
	struct ffa_value ret;
	struct ffa_value answer;
	struct vm *to;
	uint16_t wake = 0;

	if (current->regs.x[1] > UINT32_MAX ||
	    (sender != 0 && sender != from->id) || current->regs.x[2] != 0) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	sl_lock(&api_lock);
	sl_lock(&from->lock);
	if (!from->mailbox.mapped) {
		sl_unlock(&from->lock);
		sl_unlock(&api_lock);
		regs_set(current, ffa_error(FFA_DENIED));
		return current;
	}
	/* Read once: the sender may change TX meanwhile. */
	memcpy(&h, ptr_from_pa(from->mailbox.send), sizeof(h));
	sl_unlock(&from->lock);
	to = vm_find((uint16_t)(h.sender_receiver & 0xffff));
	if (!header_valid(&h) || to == NULL || to == from) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
	} else {
		sl_lock(&to->lock);
		ret = deliver(from, to, &h);
		wake = vcpu_to_wake(to);
		if (ret.func == FFA_SUCCESS_32 && to != vm_primary() &&
		    !to->vcpus[wake].waiting_for_message) {
			api_raise_interrupt(&to->vcpus[wake],
					    HF_MAILBOX_READABLE_INTID);
		}
		sl_unlock(&to->lock);
	}
	sl_unlock(&api_lock);
	if (ret.func != FFA_SUCCESS_32) {
		regs_set(current, ret);
		return current;
	}
	if (from == vm_primary()) {
		/* w2: the receiver's vCPU the primary should run. */
		ret.arg2 = vcpu_ffa_id(to->id, wake);
		regs_set(current, ret);
		return current;
	}
	regs_set(current, ret);
	if (to == vm_primary()) {
		answer = api_run_answer(current, FFA_MSG_SEND2_32);
		answer.arg2 = (uint64_t)from->id << 16 | to->id;
	} else {
		answer = api_run_answer(current, HF_RUN_WAKE_UP);
		answer.arg2 = vcpu_ffa_id(to->id, wake);
	}
	return api_leave(current, answer, VCPU_READY, false);
}

struct vcpu *api_msg_wait(struct vcpu *current)
{
	struct vm *vm = current->vm;
	struct ffa_value ret = { 0 };

	if (vm == vm_primary()) {
		regs_set(current, ffa_error(FFA_DENIED));
		return current;
	}
	sl_lock(&vm->lock);
	sl_lock(&current->lock);
	if (vm->mailbox.mapped && vm->mailbox.recv_full) {
		ret.func = FFA_MSG_SEND2_32;
		ret.arg1 = (uint64_t)vm->mailbox.recv_sender << 16 | vm->id;
	} else if (virq_deliverable(&current->interrupts)) {
		ret.func = FFA_INTERRUPT_32;
	} else {
		current->waiting_for_message = true;
	}
	sl_unlock(&current->lock);
	sl_unlock(&vm->lock);
	if (ret.func != 0) {
		regs_set(current, ret);
		return current;
	}
	return api_leave(current, api_run_answer(current, FFA_MSG_WAIT_32),
			 VCPU_READY, true);
}

void api_msg_raise_writable(uint32_t waiters)
{
	struct vm *vm;
	uint16_t id;

	sl_lock(&api_lock);
	for (id = HF_PRIMARY_VM_ID + 1; id < 32; id++) {
		vm = (waiters & 1u << id) ? vm_find(id) : NULL;
		if (vm != NULL) {
			api_raise_interrupt(&vm->vcpus[0],
					    HF_MAILBOX_WRITABLE_INTID);
		}
	}
	sl_unlock(&api_lock);
}

struct vcpu *api_rx_release(struct vcpu *current)
{
	struct vm *vm = current->vm;
	uint64_t arg1 = current->regs.x[1];
	struct ffa_value ret = ffa_success(0);
	uint32_t waiters = 0;

	if (arg1 != 0 && arg1 != vm->id) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	sl_lock(&vm->lock);
	if (!vm->mailbox.mapped || !vm->mailbox.recv_full) {
		ret = ffa_error(FFA_DENIED);
	} else {
		vm->mailbox.recv_full = false;
		waiters = vm->mailbox.writable_waiters;
		vm->mailbox.writable_waiters = 0;
	}
	sl_unlock(&vm->lock);
	/* x2: the VMs (bit = id) that found this buffer full and may retry. */
	ret.arg2 = ret.func == FFA_SUCCESS_32 ? waiters : ret.arg2;
	regs_set(current, ret);
	return api_msg_tell_writable(current, waiters);
}

struct vcpu *api_msg_tell_writable(struct vcpu *current, uint32_t waiters)
{
	struct ffa_value answer;

	api_msg_raise_writable(waiters);
	if (waiters == 0 || current->vm == vm_primary()) {
		return current;
	}
	answer = api_run_answer(current, FFA_RX_RELEASE_32);
	answer.arg2 = waiters;
	return api_leave(current, answer, VCPU_READY, false);
}
