/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * sink: maps its mailbox, prints "sink: VM <id> ready", then counts the
 * messages it gets. Each must start with a 64-bit little-endian sequence
 * number one more than the previous message's (the first sets the start);
 * one that does not, or is shorter than 8 bytes, counts as an error (and
 * the next is expected to follow it). Two payloads are commands, neither
 * counted: "report" answers the sender (ports swapped) with
 * "count <N> errors <E>"; "reset" sets both to 0, forgets the sequence and
 * answers the same way.
 */
#include "guest/runtime.h"

static uint8_t buf[MSG_MAX];

static bool is_command(const uint8_t *p, int len, const char *cmd)
{
	size_t n = strlen(cmd);

	return (size_t)len == n && memcmp(p, cmd, n) == 0;
}

int main(const void *fdt)
{
	uint64_t count = 0, errors = 0, next = 0;
	bool started = false;
	int ret = msg_init();

	(void)fdt;
	if (ret != 0) {
		printf("sink: FFA_RXTX_MAP failed: %d\n", ret);
		return 1;
	}
	printf("sink: VM %u ready\n", msg_own_id());
	for (;;) {
		uint16_t from;
		uint32_t src, dst;
		int len = msg_wait(&from, &src, &dst, buf, sizeof(buf));
		bool reset = is_command(buf, len, "reset");
		uint64_t seq = 0;

		if (len < 0) {
			printf("sink: FFA_MSG_WAIT failed: %d\n", len);
			return 1;
		}
		if (reset || is_command(buf, len, "report")) {
			char reply[64];
			int n;

			if (reset) {
				count = errors = 0;
				started = false;
			}
			n = snprintf(reply, sizeof(reply),
				     "count %lu errors %lu",
				     (unsigned long)count,
				     (unsigned long)errors);
			ret = msg_send(from, dst, src, reply, (size_t)n);
			if (ret != 0) {
				printf("sink: reply to VM %u failed: %d\n",
				       from, ret);
			}
			continue;
		}
		count++;
		if (len < 8) {
			errors++;
			continue;
		}
		for (int i = 7; i >= 0; i--) {
			seq = seq << 8 | buf[i];
		}
		if (started && seq != next) {
			errors++;
		}
		started = true;
		next = seq + 1;
	}
}
