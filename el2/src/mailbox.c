/* SPDX-License-Identifier: BSD-3-Clause */
/* RX/TX buffer pairs; see hf/mailbox.h. */
#include "hf/mailbox.h"

bool mailbox_map(struct vm_locked vm, paddr_t send, paddr_t recv)
{
	struct mailbox *mb = &vm.vm->mailbox;

	if (mb->mapped || pa_addr(send) == 0 || pa_addr(recv) == 0) {
		return false;
	}
	mb->send = send;
	mb->recv = recv;
	mb->recv_full = false;
	mb->mapped = true;
	return true;
}

bool mailbox_unmap(struct vm_locked vm, struct vm_id_set *waiters)
{
	struct mailbox *mb = &vm.vm->mailbox;

	if (!mb->mapped) {
		return false;
	}
	*waiters = mb->writable_waiters;
	memset(mb, 0, sizeof(*mb));
	return true;
}

bool mailbox_is_mapped(struct vm_locked vm)
{
	return vm.vm->mailbox.mapped;
}

static bool page_in_range(paddr_t page, uint64_t begin, uint64_t size)
{
	return pa_addr(page) >= begin && pa_addr(page) - begin < size;
}

bool mailbox_in_range(struct vm_locked vm, uint64_t begin, uint64_t size)
{
	const struct mailbox *mb = &vm.vm->mailbox;

	return mb->mapped && (page_in_range(mb->send, begin, size) ||
			      page_in_range(mb->recv, begin, size));
}

const uint8_t *mailbox_tx(struct vm_locked vm)
{
	const struct mailbox *mb = &vm.vm->mailbox;

	return mb->mapped ? ptr_from_pa(mb->send) : NULL;
}

uint8_t *mailbox_rx(struct vm_locked vm)
{
	const struct mailbox *mb = &vm.vm->mailbox;

	return mb->mapped && !mb->recv_full ? ptr_from_pa(mb->recv) : NULL;
}

void mailbox_filled(struct vm_locked vm, uint16_t sender)
{
	vm.vm->mailbox.recv_full = true;
	vm.vm->mailbox.recv_sender = sender;
}

bool mailbox_has_message(struct vm_locked vm, uint16_t *sender)
{
	const struct mailbox *mb = &vm.vm->mailbox;

	*sender = mb->recv_sender;
	return mb->mapped && mb->recv_full;
}

void mailbox_add_writable_waiter(struct vm_locked vm, uint16_t id)
{
	vm_id_set_add(&vm.vm->mailbox.writable_waiters, id);
}

bool mailbox_release(struct vm_locked vm, struct vm_id_set *waiters)
{
	struct mailbox *mb = &vm.vm->mailbox;

	if (!mb->mapped || !mb->recv_full) {
		return false;
	}
	mb->recv_full = false;
	*waiters = mb->writable_waiters;
	memset(&mb->writable_waiters, 0, sizeof(mb->writable_waiters));
	return true;
}

void mailbox_notify_writable(const struct vm_id_set *waiters)
{
	size_t word;

	for (word = 0; word < HF_WAITERS_WORDS; word++) {
		uint64_t bits = waiters->bits[word];

		while (bits != 0) {
			uint16_t id = (uint16_t)(word * 64 +
						 (size_t)__builtin_ctzll(bits) +
						 1);
			struct vm *vm = id == HF_PRIMARY_VM_ID ? NULL
							       : vm_get(id);

			bits &= bits - 1;
			if (vm != NULL) {
				vcpu_raise_interrupt(&vm->vcpus[0],
						     HF_MAILBOX_WRITABLE_INTID);
				vm_put(vm);
			}
		}
	}
}
