/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * irqecho: echo without waiting. Maps its mailbox, enables
 * HF_MAILBOX_READABLE_INTID, prints "irqecho: VM <id> ready" and spins with
 * IRQs unmasked, never calling FFA_MSG_WAIT to wait. A message therefore
 * reaches it only as an interrupt, while it runs: the handler notes it,
 * and the loop takes the message out of RX (FFA_MSG_WAIT answers at once
 * when RX is full) and sends the payload back to the sender with the
 * ports swapped.
 */
#include "guest/runtime.h"

static uint8_t buf[MSG_MAX];
static bool readable;

static void mailbox_readable(unsigned int intid)
{
	(void)intid;
	__atomic_store_n(&readable, true, __ATOMIC_RELAXED);
}

int main(const void *fdt)
{
	int ret = msg_init();

	(void)fdt;
	if (ret != 0) {
		printf("irqecho: FFA_RXTX_MAP failed: %d\n", ret);
		return 1;
	}
	irq_set_handler(HF_MAILBOX_READABLE_INTID, mailbox_readable);
	ret = hf_interrupt_enable(HF_MAILBOX_READABLE_INTID, true);
	if (ret != 0) {
		printf("irqecho: enabling the mailbox interrupt failed: %d\n",
		       ret);
		return 1;
	}
	printf("irqecho: VM %u ready\n", msg_own_id());
	console_flush();
	for (;;) {
		uint16_t from;
		uint32_t src, dst;
		int len;

		local_irq_enable();
		while (!__atomic_load_n(&readable, __ATOMIC_RELAXED)) {
		}
		/* The message calls and printf are not reentrant. */
		local_irq_disable();
		__atomic_store_n(&readable, false, __ATOMIC_RELAXED);
		len = msg_wait(&from, &src, &dst, buf, sizeof(buf));
		if (len < 0) {
			printf("irqecho: reading RX failed: %d\n", len);
			return 1;
		}
		ret = msg_send(from, dst, src, buf, (size_t)len);
		if (ret != 0) {
			printf("irqecho: reply to VM %u failed: %d\n", from,
			       ret);
		}
	}
}
