/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * echo: maps its mailbox, prints "echo: VM <id> ready", then forever waits
 * for a message and sends its payload back to the sender with the ports
 * swapped (from the port it was sent to, to the port it came from).
 */
#include "guest/runtime.h"

static uint8_t buf[MSG_MAX];

int main(const void *fdt)
{
	int ret = msg_init();

	(void)fdt;
	if (ret != 0) {
		printf("echo: FFA_RXTX_MAP failed: %d\n", ret);
		return 1;
	}
	printf("echo: VM %u ready\n", msg_own_id());
	for (;;) {
		uint16_t from;
		uint32_t src, dst;
		int len = msg_wait(&from, &src, &dst, buf, sizeof(buf));

		if (len < 0) {
			printf("echo: FFA_MSG_WAIT failed: %d\n", len);
			return 1;
		}
		ret = msg_send(from, dst, src, buf, (size_t)len);
		if (ret != 0) {
			printf("echo: reply to VM %u failed: %d\n", from, ret);
		}
	}
}
