// SPDX-License-Identifier: BSD-3-Clause
/*
 * Times the disk (hafnium.mode=bench-disk): what
 * `dd if=/dev/vda of=/dev/null bs=1M count=64 iflag=direct` does, 64 reads
 * of 1 MiB with O_DIRECT, then the same 64 MiB written with O_DIRECT
 * (QEMU keeps the writes in a snapshot), each counted in instructions.
 *
 * Not with CNTVCT_EL0, as the other benches: while the process waits for
 * the device the CPU is idle, and under -icount sleep=off QEMU then jumps
 * virtual time to its next timer, however soon the I/O ends in host time.
 * The PMU's instructions event counts only what runs: on the one CPU of
 * the boot (system-wide, pid -1), at EL0, EL1 and, under hafnium, EL2
 * (exclude_hv clear): the system call, the block layer, virtio-blk, the
 * DMA API's IOMMU mappings and their invalidations, the interrupts, and
 * whatever hafnium does meanwhile. That count still depends on the
 * host: whether a request ends before the process sleeps (no idle entry
 * and exit, no wake-up), how many timer ticks fall into a wait; one pass
 * varied by 20% from boot to boot. So each pass runs PASSES times and the
 * least disturbed one counts, the fewest instructions. Prints
 * "disk_read bytes=B instructions=MIN max=MAX passes=P", the same for
 * disk_write.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <linux/perf_event.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define DISK "/dev/vda"
#define BLOCK (1024 * 1024)
#define BLOCKS 64
#define PASSES 5

/* A counter of instructions on CPU 0, every exception level; -1. */
static int instructions_counter(void)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_INSTRUCTIONS,
		.disabled = 1,
	};

	return syscall(SYS_perf_event_open, &attr, -1, 0, -1, 0);
}

/* BLOCKS transfers of BLOCK bytes at increasing offsets: the instructions
 * they took, or -1 after saying why. */
static long long timed(int counter, int disk, int write, void *buf)
{
	uint64_t count;
	ssize_t n;
	int i;

	ioctl(counter, PERF_EVENT_IOC_RESET, 0);
	ioctl(counter, PERF_EVENT_IOC_ENABLE, 0);
	for (i = 0; i < BLOCKS; i++) {
		n = write ? pwrite(disk, buf, BLOCK, (off_t)i * BLOCK)
			  : pread(disk, buf, BLOCK, (off_t)i * BLOCK);
		if (n != BLOCK) {
			perror(write ? "disk: write" : "disk: read");
			return -1;
		}
	}
	ioctl(counter, PERF_EVENT_IOC_DISABLE, 0);
	if (read(counter, &count, sizeof(count)) != sizeof(count)) {
		perror("disk: reading the counter");
		return -1;
	}
	return (long long)count;
}

/* PASSES passes; prints the fewest and the most instructions. 0 or -1. */
static int passes(const char *what, int counter, int disk, int write,
		  void *buf)
{
	long long n, min = -1, max = -1;
	int i;

	for (i = 0; i < PASSES; i++) {
		n = timed(counter, disk, write, buf);
		if (n < 0)
			return -1;
		if (min < 0 || n < min)
			min = n;
		if (n > max)
			max = n;
	}
	printf("%s bytes=%d instructions=%lld max=%lld passes=%d\n", what,
	       BLOCK * BLOCKS, min, max, PASSES);
	return 0;
}

int main(void)
{
	int counter = instructions_counter();
	int disk = open(DISK, O_RDWR | O_DIRECT);
	void *buf = aligned_alloc(4096, BLOCK);

	if (counter < 0 || disk < 0 || !buf) {
		perror(counter < 0 ? "disk: perf_event_open" : "disk: " DISK);
		return 1;
	}
	if (passes("disk_read", counter, disk, 0, buf))
		return 1;
	memset(buf, 0x5a, BLOCK);
	return passes("disk_write", counter, disk, 1, buf) ? 1 : 0;
}
