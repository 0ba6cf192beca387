/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * hold: maps its mailbox, prints "hold: VM <id> ready" and then sleeps in
 * WFI for good, never reading a message: after the first one its RX
 * buffer stays full, and every later sender is answered BUSY. A test
 * makes senders wait on it.
 */
#include "guest/runtime.h"

int main(const void *fdt)
{
	int ret = msg_init();

	(void)fdt;
	if (ret != 0) {
		printf("hold: FFA_RXTX_MAP failed: %d\n", ret);
		return 1;
	}
	printf("hold: VM %u ready\n", msg_own_id());
	console_flush();
	for (;;) {
		wfi();
	}
}
