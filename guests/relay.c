/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * relay: maps its mailbox and forwards messages to one VM, the target:
 * the VM id in its device tree's /chosen/hafnium,relay-to (one u32 cell)
 * if there is one; otherwise the little-endian u32 at the start of the
 * first message it gets, which is not forwarded. It prints
 * "relay: VM <id> forwarding to VM <target>" (or, without the property,
 * "relay: VM <id> waiting for its target", and the forwarding line once it
 * knows). Every message from another VM goes to the target with its ports
 * and payload unchanged (hafnium makes the relay its sender); a message
 * from the target goes back to the VM that last sent one through the
 * relay, the same way, so a relay is a two-way proxy (with nobody to go
 * back to, it is dropped with a console line).
 */
#include "guest/runtime.h"

static uint8_t buf[MSG_MAX];

static uint16_t target_from_dt(const void *blob)
{
	struct fdt fdt;
	const uint8_t *p;
	uint32_t len;

	if (!fdt_open(&fdt, blob, HF_VM_DT_SIZE)) {
		return 0;
	}
	p = fdt_getprop(&fdt, "/chosen", "hafnium,relay-to", &len);
	if (p == NULL || len != 4) {
		return 0;
	}
	return (uint16_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
			  (uint32_t)p[2] << 8 | p[3]);
}

int main(const void *blob)
{
	uint16_t self, target, back = 0;
	int ret = msg_init();

	if (ret != 0) {
		printf("relay: FFA_RXTX_MAP failed: %d\n", ret);
		return 1;
	}
	self = msg_own_id();
	target = target_from_dt(blob);
	if (target == self) {
		printf("relay: hafnium,relay-to names this VM, ignored\n");
		target = 0;
	}
	if (target != 0) {
		printf("relay: VM %u forwarding to VM %u\n", self, target);
	} else {
		printf("relay: VM %u waiting for its target\n", self);
	}
	for (;;) {
		uint16_t from, to;
		uint32_t src, dst;
		int len = msg_wait(&from, &src, &dst, buf, sizeof(buf));

		if (len < 0) {
			printf("relay: FFA_MSG_WAIT failed: %d\n", len);
			return 1;
		}
		if (target == 0) {
			uint32_t id;

			if (len < 4) {
				printf("relay: %d-byte message from VM %u "
				       "names no target\n", len, from);
				continue;
			}
			id = (uint32_t)buf[0] | (uint32_t)buf[1] << 8 |
			     (uint32_t)buf[2] << 16 | (uint32_t)buf[3] << 24;
			if (id == 0 || id > 0xffff || id == self) {
				printf("relay: VM %u named target %u, "
				       "ignored\n", from, id);
				continue;
			}
			target = (uint16_t)id;
			printf("relay: VM %u forwarding to VM %u\n", self,
			       target);
			continue;
		}
		if (from == target) {
			if (back == 0) {
				printf("relay: message from VM %u with "
				       "nobody to return it to, dropped\n",
				       from);
				continue;
			}
			to = back;
		} else {
			back = from;
			to = target;
		}
		ret = msg_send(to, src, dst, buf, (size_t)len);
		if (ret != 0) {
			printf("relay: forwarding to VM %u failed: %d\n", to,
			       ret);
		}
	}
}
