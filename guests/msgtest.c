/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * msgtest: a self-test of the message path between two secondaries. Its
 * peer is the VM whose id is one less than its own (create it right after
 * an echo VM, or a relay in front of one). It sends MSGTEST_COUNT messages
 * of 1 to MSG_MAX bytes, one at a time, and checks that each comes back
 * from the peer with the same payload and the ports swapped; then prints
 * "msgtest: <N> round trips with VM <peer> ok" (or the first mismatch) and
 * powers off.
 */
#include "guest/runtime.h"

#define MSGTEST_COUNT 200

static uint8_t out[MSG_MAX];
static uint8_t in[MSG_MAX];

int main(const void *fdt)
{
	uint16_t self, peer;
	int ret = msg_init();

	(void)fdt;
	if (ret != 0) {
		printf("msgtest: FFA_RXTX_MAP failed: %d\n", ret);
		return 1;
	}
	self = msg_own_id();
	peer = (uint16_t)(self - 1);
	printf("msgtest: VM %u sending %d messages to VM %u\n", self,
	       MSGTEST_COUNT, peer);
	for (uint32_t i = 0; i < MSGTEST_COUNT; i++) {
		size_t len = 1 + (i * 97) % MSG_MAX;
		uint32_t src = 1000 + i, dst = 7;
		uint32_t rsrc, rdst;
		uint16_t from;
		int n;

		if (i == MSGTEST_COUNT - 1) {
			len = MSG_MAX;
		}
		for (size_t j = 0; j < len; j++) {
			out[j] = (uint8_t)(i + j * 7);
		}
		ret = msg_send(peer, src, dst, out, len);
		if (ret != 0) {
			printf("msgtest: send %u failed: %d\n", i, ret);
			return 1;
		}
		n = msg_wait(&from, &rsrc, &rdst, in, sizeof(in));
		if (n != (int)len || from != peer || rsrc != dst ||
		    rdst != src || memcmp(in, out, len) != 0) {
			printf("msgtest: message %u: sent %u bytes, ports "
			       "%u->%u; got %d bytes from VM %u, ports "
			       "%u->%u%s\n", i, (unsigned int)len, src, dst,
			       n, from, rsrc, rdst,
			       n == (int)len && memcmp(in, out, len) != 0
				       ? ", payload differs"
				       : "");
			return 1;
		}
	}
	printf("msgtest: %d round trips with VM %u ok\n", MSGTEST_COUNT, peer);
	return 0;
}
