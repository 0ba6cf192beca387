/* SPDX-License-Identifier: BSD-3-Clause */
/* FF-A indirect messages: FFA_MSG_SEND2 copies the header and payload in
 * the sender's TX buffer to the receiver's RX buffer, with the sender id
 * set here (no spoofing). A full RX buffer answers BUSY and remembers the
 * sender, who is told when the receiver calls FFA_RX_RELEASE; nothing is
 * dropped. Whoever must act is told through FFA_RUN's answers (see
 * docs/abi.md). A secondary's vCPU that is not in FFA_MSG_WAIT learns of
 * a message by HF_MAILBOX_READABLE_INTID, a sender told BUSY by
 * HF_MAILBOX_WRITABLE_INTID.
 *
 * The copy holds both VMs' locks (in id order) and a reference to the
 * receiver: neither buffer can be unmapped, nor the receiver destroyed,
 * while it is written or read. */
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

/* The header, copied once out of TX under the sender's lock. */
static struct ffa_value read_header(struct vm *from,
				    struct ffa_partition_msg_header *h)
{
	struct vm_locked locked = vm_lock(from);
	const uint8_t *tx = mailbox_tx(locked);

	if (tx != NULL) {
		memcpy(h, tx, sizeof(*h));
	}
	vm_unlock(&locked);
	if (tx == NULL) {
		return ffa_error(FFA_DENIED);
	}
	return header_valid(h) ? ffa_success(0)
			       : ffa_error(FFA_INVALID_PARAMETERS);
}

/* Copies the message (h is the checked copy of its header); both VMs are
 * locked. The payload comes from TX as it is now. */
static struct ffa_value deliver(struct two_vms_locked l,
				const struct ffa_partition_msg_header *h,
				uint16_t *wake)
{
	struct vm *from = l.a.vm;
	struct vm *to = l.b.vm;
	struct ffa_partition_msg_header out = *h;
	const uint8_t *tx = mailbox_tx(l.a);
	uint8_t *rx = mailbox_rx(l.b);

	if (tx == NULL || !mailbox_is_mapped(l.b)) {
		return ffa_error(FFA_DENIED);
	}
	if (rx == NULL) {
		mailbox_add_writable_waiter(l.b, from->id);
		return ffa_error(FFA_BUSY);
	}
	out.sender_receiver = (uint32_t)from->id << 16 | to->id;
	memcpy(rx, &out, sizeof(out));
	memcpy(rx + out.offset, tx + out.offset, out.size);
	mailbox_filled(l.b, from->id);
	*wake = vcpu_to_wake(to);
	if (to != vm_primary() && !to->vcpus[*wake].waiting_for_message) {
		vcpu_raise_interrupt(&to->vcpus[*wake],
				     HF_MAILBOX_READABLE_INTID);
	}
	return ffa_success(0);
}

static struct ffa_value send(struct vm *from, uint16_t *to_id,
			     uint16_t *wake)
{
	struct ffa_partition_msg_header h;
	struct two_vms_locked l;
	struct ffa_value ret;
	struct vm *to;

	ret = read_header(from, &h);
	if (ret.func != FFA_SUCCESS_32) {
		return ret;
	}
	*to_id = (uint16_t)(h.sender_receiver & 0xffff);
	to = vm_get(*to_id);
	if (to == NULL || to == from) {
		ret = ffa_error(FFA_INVALID_PARAMETERS);
	} else {
		l = vm_lock_both(from, to);
		ret = deliver(l, &h, wake);
		vm_unlock_both(&l);
	}
	if (to != NULL) {
		vm_put(to);
	}
	return ret;
}

struct vcpu *api_msg_send2(struct vcpu *current,
			   const struct ffa_value *args)
{
	struct vm *from = current->vm;
	uint64_t sender = (args->arg1 >> 16) & 0xffff;
	struct ffa_value answer;
	struct ffa_value ret;
	uint16_t to_id = 0;
	uint16_t wake = 0;

	if (args->arg1 > UINT32_MAX || (sender != 0 && sender != from->id) ||
	    args->arg2 != 0) {
		regs_set(current, ffa_error(FFA_INVALID_PARAMETERS));
		return current;
	}
	ret = send(from, &to_id, &wake);
	if (ret.func != FFA_SUCCESS_32) {
		regs_set(current, ret);
		return current;
	}
	if (from == vm_primary()) {
		/* w2: the receiver's vCPU the primary should run. */
		ret.arg2 = vcpu_ffa_id(to_id, wake);
		regs_set(current, ret);
		return current;
	}
	regs_set(current, ret);
	if (to_id == HF_PRIMARY_VM_ID) {
		answer = vcpu_run_answer(current, FFA_MSG_SEND2_32);
		answer.arg2 = (uint64_t)from->id << 16 | to_id;
	} else {
		answer = vcpu_run_answer(current, HF_RUN_WAKE_UP);
		answer.arg2 = vcpu_ffa_id(to_id, wake);
	}
	return vcpu_leave(current, answer, VCPU_READY, false);
}

struct vcpu *api_msg_wait(struct vcpu *current, const struct ffa_value *args)
{
	struct ffa_value ret = { 0 };
	struct vm_locked vm;
	uint16_t sender;

	(void)args;
	vm = vm_lock(current->vm);
	sl_lock(&current->lock);
	if (mailbox_has_message(vm, &sender)) {
		ret.func = FFA_MSG_SEND2_32;
		ret.arg1 = (uint64_t)sender << 16 | vm.vm->id;
	} else if (virq_deliverable(&current->interrupts)) {
		ret.func = FFA_INTERRUPT_32;
	} else {
		current->waiting_for_message = true;
	}
	sl_unlock(&current->lock);
	vm_unlock(&vm);
	if (ret.func != 0) {
		regs_set(current, ret);
		return current;
	}
	return vcpu_leave(current, vcpu_run_answer(current, FFA_MSG_WAIT_32),
			  VCPU_READY, true);
}
