/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * memsum: a target for the DMA isolation tests (tests/kselftest/dma_test.c).
 * Fills a 64 KiB page-aligned buffer with a fixed pattern, maps its mailbox,
 * prints "memsum: buffer 0x<IPA> size <bytes>" and "memsum: ready", then
 * answers every message, to its sender with the ports swapped, with
 * "sum 0x<FNV-1a 64 of the buffer> ipa 0x<IPA> size <bytes>". The primary
 * asks before and after aiming a device at the buffer (its PA from the
 * VM's memory_ranges in sysfs): a different sum means the DMA landed.
 */
#include "guest/runtime.h"

#define MEMSUM_SIZE (64 * 1024)

static uint64_t buffer[MEMSUM_SIZE / sizeof(uint64_t)]
	__attribute__((aligned(4096)));
static uint8_t msg[MSG_MAX];

/* Every word differs from every other, and none is zero: a page of zeros
 * or of a disk's sectors written over it shows in the sum. */
static void fill(void)
{
	size_t i;

	for (i = 0; i < sizeof(buffer) / sizeof(buffer[0]); i++)
		buffer[i] = 0x6d656d73756d0000ULL | (i + 1);
}

static uint64_t fnv1a64(const void *data, size_t len)
{
	const uint8_t *p = data;
	uint64_t h = 0xcbf29ce484222325ULL;

	while (len--) {
		h ^= *p++;
		h *= 0x100000001b3ULL;
	}
	return h;
}

int main(const void *fdt)
{
	int ret = msg_init();

	(void)fdt;
	if (ret != 0) {
		printf("memsum: FFA_RXTX_MAP failed: %d\n", ret);
		return 1;
	}
	fill();
	/* The runtime maps the VM identity: the buffer's address is its IPA. */
	printf("memsum: buffer 0x%lx size %u\n", (unsigned long)buffer,
	       (unsigned int)sizeof(buffer));
	printf("memsum: ready\n");
	for (;;) {
		uint16_t from;
		uint32_t src, dst;
		int len = msg_wait(&from, &src, &dst, msg, sizeof(msg));

		if (len < 0) {
			printf("memsum: FFA_MSG_WAIT failed: %d\n", len);
			return 1;
		}
		len = snprintf((char *)msg, sizeof(msg),
			       "sum 0x%016llx ipa 0x%lx size %u",
			       (unsigned long long)fnv1a64(buffer,
							   sizeof(buffer)),
			       (unsigned long)buffer,
			       (unsigned int)sizeof(buffer));
		ret = msg_send(from, dst, src, msg, (size_t)len);
		if (ret != 0)
			printf("memsum: reply to VM %u failed: %d\n", from, ret);
	}
}
