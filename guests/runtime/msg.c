/* SPDX-License-Identifier: BSD-3-Clause */
/* Messages between VMs over the FF-A mailbox (guest/msg.h). */
#include "guest/runtime.h"

/* The RX/TX pair: the guest runs identity-mapped, so an address is its
 * IPA. In bss: only guests that use messages pay for the two pages. */
static uint8_t tx_page[HF_MAILBOX_SIZE] __attribute__((aligned(4096)));
static uint8_t rx_page[HF_MAILBOX_SIZE] __attribute__((aligned(4096)));
static bool mapped;
static uint16_t own_id;
/* HF_MAILBOX_WRITABLE_INTID came, which hafnium raises on vCPU 0 only:
 * a receiver that answered BUSY has released its RX buffer, or lost it.
 * The id is enabled only while msg_send waits for it, so that one raised
 * for another vCPU's BUSY cannot end a wait of this vCPU's elsewhere. */
static bool writable;

_Static_assert(sizeof(struct ffa_partition_msg_header) ==
		       FFA_MSG_HEADER_SIZE,
	       "FF-A message header size");
_Static_assert(MSG_FFA_OFFSET >= FFA_MSG_HEADER_SIZE &&
		       MSG_FFA_OFFSET % 8 == 0,
	       "the port header follows the FF-A header, aligned");

static void mailbox_writable(unsigned int intid)
{
	(void)intid;
	__atomic_store_n(&writable, true, __ATOMIC_RELAXED);
}

int msg_init(void)
{
	struct hvc_ret r;
	int id;

	if (mapped) {
		return 0;
	}
	id = ffa_id_get();
	if (id < 0) {
		return id;
	}
	r = hvc_call(FFA_RXTX_MAP_64, (uintptr_t)tx_page, (uintptr_t)rx_page,
		     1, 0, 0, 0, 0);
	if ((uint32_t)r.x[0] != FFA_SUCCESS_32) {
		return ffa_error(r) != 0 ? ffa_error(r) : FFA_NOT_SUPPORTED;
	}
	own_id = (uint16_t)id;
	mapped = true;
	irq_set_handler(HF_MAILBOX_WRITABLE_INTID, mailbox_writable);
	return 0;
}

/* Sleeps (WFI) until mailbox_writable has run. */
static void wait_writable(void)
{
	uint64_t flags = local_irq_save();

	while (!__atomic_load_n(&writable, __ATOMIC_RELAXED)) {
		irq_wait();
	}
	local_irq_restore(flags);
}

uint16_t msg_own_id(void)
{
	return own_id;
}

int msg_send(uint16_t receiver, uint32_t src_port, uint32_t dst_port,
	     const void *data, size_t len)
{
	struct ffa_partition_msg_header h = {
		.flags = 0,
		.reserved = 0,
		.offset = MSG_FFA_OFFSET,
		.sender_receiver = receiver,
		.size = (unsigned int)(sizeof(struct msg_port_header) + len),
	};
	struct msg_port_header ports = {
		.src_port = src_port,
		.dst_port = dst_port,
	};
	bool listening = false;
	int err;

	if (!mapped) {
		return FFA_DENIED;
	}
	if (len > MSG_MAX) {
		return FFA_INVALID_PARAMETERS;
	}
	memcpy(tx_page, &h, sizeof(h));
	memcpy(tx_page + MSG_FFA_OFFSET, &ports, sizeof(ports));
	memcpy(tx_page + MSG_FFA_OFFSET + sizeof(ports), data, len);
	for (;;) {
		struct hvc_ret r;

		/* Before the call: a release after a BUSY answer counts. */
		__atomic_store_n(&writable, false, __ATOMIC_RELAXED);
		r = hvc_call(FFA_MSG_SEND2_32, 0, 0, 0, 0, 0, 0, 0);
		if ((uint32_t)r.x[0] == FFA_SUCCESS_32) {
			err = 0;
			break;
		}
		err = ffa_error(r);
		if (err != FFA_BUSY) {
			err = err != 0 ? err : FFA_NOT_SUPPORTED;
			break;
		}
		/* The receiver's RX buffer is full. vCPU 0 sleeps until
		 * hafnium says it is released (or gone: the retry fails);
		 * one raised before the id was enabled ends the first sleep
		 * at once, harmlessly. Another vCPU, which is not told, gives
		 * the CPU back and tries again when run. */
		if (!listening && cpu_index() == 0) {
			listening = hf_interrupt_enable(
					    HF_MAILBOX_WRITABLE_INTID, true) == 0;
		}
		if (listening) {
			wait_writable();
		} else {
			ffa_yield();
		}
	}
	if (listening) {
		hf_interrupt_enable(HF_MAILBOX_WRITABLE_INTID, false);
	}
	return err;
}

int msg_wait(uint16_t *sender, uint32_t *src_port, uint32_t *dst_port,
	     void *buf, size_t maxlen)
{
	struct ffa_partition_msg_header h;
	struct msg_port_header ports = {0, 0};
	uint32_t offset, size, n;
	struct hvc_ret r;

	if (!mapped) {
		return FFA_DENIED;
	}
	for (;;) {
		r = ffa_msg_wait();
		/* w1 = sender << 16 | this VM's id. */
		if ((uint32_t)r.x[0] == FFA_MSG_SEND2_32) {
			break;
		}
		if (ffa_error(r) != 0) {
			return ffa_error(r);
		}
		/* FFA_INTERRUPT: one of this vCPU's interrupts is deliverable.
		 * With IRQs unmasked it has been taken on the way back from
		 * the call; masked, it would end every wait at once. */
		if ((uint32_t)r.x[0] == FFA_INTERRUPT_32 && irqs_masked()) {
			return FFA_INTERRUPTED;
		}
	}
	memcpy(&h, rx_page, sizeof(h));
	/* Hafnium checked the header; check again rather than trust it. */
	offset = h.offset;
	size = h.size;
	if (offset < FFA_MSG_HEADER_SIZE || offset > HF_MAILBOX_SIZE ||
	    size > HF_MAILBOX_SIZE - offset) {
		offset = HF_MAILBOX_SIZE;
		size = 0;
	}
	if (size >= sizeof(ports)) {
		memcpy(&ports, rx_page + offset, sizeof(ports));
		offset += sizeof(ports);
		size -= sizeof(ports);
	}
	n = size < maxlen ? size : (uint32_t)maxlen;
	memcpy(buf, rx_page + offset, n);
	if (sender != NULL) {
		*sender = (uint16_t)(r.x[1] >> 16);
	}
	if (src_port != NULL) {
		*src_port = ports.src_port;
	}
	if (dst_port != NULL) {
		*dst_port = ports.dst_port;
	}
	hvc_call(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0, 0, 0);
	return (int)size;
}
