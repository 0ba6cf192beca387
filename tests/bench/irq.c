// SPDX-License-Identifier: BSD-3-Clause
/*
 * Interrupt injection latency, in one boot under hafnium
 * (hafnium.mode=bench-irq, two CPUs, -icount shift=0: the counter
 * advances one tick per 16 instructions executed, by either CPU). Prints:
 *
 *   irq_idle samples=N ticks=T
 *                  N times: HF_IOCTL_VM_IRQ of intid 62 into the irqcount
 *                  VM's vCPU, which waits in WFI (its thread asleep, its
 *                  CPU idle), until the guest's handler reads the physical
 *                  counter first thing and prints it ("irqcount: at <n>")
 *
 * T sums the counter from just before the ioctl to the handler's reading
 * (CNTVOFF is 0 for the primary, so its virtual counter is the physical
 * one). This program runs on CPU 1 and the vCPU's thread on CPU 0.
 *
 * A vCPU spinning on the other CPU is not timed here: under icount QEMU
 * runs the CPUs in turns, and such a figure does not depend on the kick
 * that makes the vCPU leave its CPU (it came out the same without it),
 * so it is not that path's length. irq_test's
 * injection_reaches_a_running_vcpu_at_once checks that case with the CPUs
 * running in parallel.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/hafnium.h>

#include "../kselftest/hf_util.h"

#define DRIVER "/lib/hafnium/hafnium.ko"
#define IRQCOUNT "/lib/hafnium/guests/irqcount.bin"
#define SAMPLES 200
#define WARMUP 10
#define INTID_TIMESTAMP 62

static int inject(int fd, unsigned int id, unsigned int intid)
{
	struct hf_ioctl_vm_irq irq = {
		.size = sizeof(irq), .vm_id = id, .intid = intid,
	};

	return ioctl(fd, HF_IOCTL_VM_IRQ, &irq);
}

/* Ticks from the injection to the handler, summed over SAMPLES. */
static int measure(int fd, unsigned int id, uint64_t *offset,
		   unsigned long long *ticks)
{
	unsigned long long at;
	char line[64];
	uint64_t start;
	int i;

	*ticks = 0;
	for (i = 0; i < WARMUP + SAMPLES; i++) {
		/* Under icount the CPUs take turns: this CPU waits a while, so
		 * that CPU 0 takes the vCPU back to its WFI and goes idle
		 * (after 1 ms it had not always: the figure was 8% lower). */
		usleep(5000);
		start = cntvct();
		if (inject(fd, id, INTID_TIMESTAMP) ||
		    vm_console_line(fd, id, offset, "irqcount: at ", line,
				 sizeof(line)) ||
		    sscanf(line, "%llu", &at) != 1 || at < start)
			return -1;
		if (i >= WARMUP)
			*ticks += at - start;
	}
	return 0;
}

int main(void)
{
	struct hf_ioctl_vm_create c = {
		.size = sizeof(c), .vcpu_count = 1, .mem_size = 1 << 20,
	};
	struct hf_ioctl_vm_load l = { .size = sizeof(l) };
	struct hf_ioctl_vm_start s = { .size = sizeof(s) };
	struct hf_ioctl_vm_id d = { .size = sizeof(d) };
	unsigned long long ticks;
	char line[64], comm[32];
	uint64_t offset = 0;
	size_t size;
	char *image;
	pid_t vcpu;
	int fd, ret;

	ret = load_module(DRIVER);
	fd = ret ? -1 : open("/dev/hafnium", O_RDWR);
	image = read_all(IRQCOUNT, &size);
	if (fd < 0 || !image) {
		fprintf(stderr, "irq: driver or %s: %s\n", IRQCOUNT,
			strerror(ret ? -ret : errno));
		return 1;
	}
	snprintf(c.name, sizeof(c.name), "irqbench");
	if (pin_to_cpu(0, 1) || ioctl(fd, HF_IOCTL_VM_CREATE, &c)) {
		fprintf(stderr, "irq: create: %s\n", strerror(errno));
		return 1;
	}
	l.vm_id = s.vm_id = d.vm_id = c.vm_id;
	l.addr = (uintptr_t)image;
	l.len = size;
	if (ioctl(fd, HF_IOCTL_VM_LOAD, &l) || ioctl(fd, HF_IOCTL_VM_START, &s)) {
		fprintf(stderr, "irq: load/start: %s\n", strerror(errno));
		return 1;
	}
	snprintf(comm, sizeof(comm), "hf_vm%u_vcpu0", c.vm_id);
	vcpu = thread_pid(comm);
	if (!vcpu || pin_to_cpu(vcpu, 0) ||
	    vm_console_line(fd, c.vm_id, &offset, "irqcount: ready", line,
			 sizeof(line))) {
		fprintf(stderr, "irq: %s not found, not pinned or not ready\n",
			comm);
		return 1;
	}

	if (measure(fd, c.vm_id, &offset, &ticks)) {
		fprintf(stderr, "irq: idle vCPU: no timestamp\n");
		return 1;
	}
	printf("irq_idle samples=%d ticks=%llu\n", SAMPLES, ticks);
	if (ioctl(fd, HF_IOCTL_VM_DESTROY, &d))
		fprintf(stderr, "irq: destroy: %s\n", strerror(errno));
	return 0;
}
