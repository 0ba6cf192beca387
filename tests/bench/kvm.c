// SPDX-License-Identifier: BSD-3-Clause
/*
 * The anchor for hafnium's figures: what KVM costs for the same kind of
 * operation, in a boot of the same Debian kernel at EL2 with KVM and no
 * hafnium (hafnium.mode=bench-kvm, with kvm-arm.mode=nvhe or protected),
 * under QEMU's -icount shift=0: CNTVCT_EL0 advances one tick per 16
 * instructions executed, by all CPUs together. A minimal VMM: a VM with
 * one memory slot and one vCPU (no in-kernel GIC), which runs guest_code
 * below at EL1 with its MMU off. Prints:
 *
 *   kvm_hvc calls=N ticks=T answer=A
 *            N HVCs of PSCI_VERSION by the guest, each answered by KVM in
 *            the host kernel without an exit to this VMM (A: the answer,
 *            a PSCI version), timed by the guest with its virtual counter
 *   kvm_mmio exits=N ticks=T
 *            N guest stores to an IPA that no slot backs, each a
 *            KVM_EXIT_MMIO to this VMM and KVM_RUN back, timed by the
 *            guest
 *   getppid calls=N ticks=T          this process's getppid() (syscalls.h)
 *   pipe_rtt msgs=N ticks=T bytes=B  a pipe round trip (syscalls.h)
 *
 * The boot has the CPUs of the boot without hafnium, so that the kernel's
 * time to /init compares; every CPU but CPU 0 is taken offline first (PSCI
 * CPU_OFF: they then execute nothing), so that the operations are timed on
 * one CPU, as hafnium's are.
 */
#include <errno.h>
#include <fcntl.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <linux/kvm.h>
#include <linux/psci.h>

#include "../kselftest/hf_util.h"
#include "syscalls.h"

#define ROUND_TRIPS 100000
#define GUEST_IPA 0x40000000ul
#define GUEST_SIZE 0x10000ul
/* No slot backs it: the guest's stores there exit to this VMM. */
#define MMIO_IPA 0x10000000ul
/* The guest's reports, as stores at these offsets from MMIO_IPA. */
#define MMIO_TIMED 0
#define MMIO_ANSWER 8
#define MMIO_HVC_TICKS 16
#define MMIO_MMIO_TICKS 24

#define STR(x) #x
#define XSTR(x) STR(x)

/*
 * The guest, entered with x0 = round trips per loop and x1 = MMIO_IPA. The
 * ISBs keep the counter reads from moving across the loops. Its labels are
 * global: the C code reaches them through the GOT, and the static link gave
 * the two, as local symbols, one GOT entry (guest_code's address).
 */
extern const uint32_t guest_code[], guest_code_end[];
asm(".pushsection .rodata\n"
    ".balign 4\n"
    ".globl guest_code, guest_code_end\n"
    "guest_code:\n"
    "	mov	x19, x0\n"
    "	mov	x20, x1\n"
    "	mov	x21, x19\n"
    "	isb\n"
    "	mrs	x22, cntvct_el0\n"
    "1:	mov	x0, #" XSTR(PSCI_0_2_FN_PSCI_VERSION) "\n"
    "	hvc	#0\n"
    "	subs	x21, x21, #1\n"
    "	b.ne	1b\n"
    "	isb\n"
    "	mrs	x23, cntvct_el0\n"
    "	str	x0, [x20, #" XSTR(MMIO_ANSWER) "]\n"
    "	sub	x23, x23, x22\n"
    "	str	x23, [x20, #" XSTR(MMIO_HVC_TICKS) "]\n"
    "	mov	x21, x19\n"
    "	isb\n"
    "	mrs	x22, cntvct_el0\n"
    "2:	str	xzr, [x20, #" XSTR(MMIO_TIMED) "]\n"
    "	subs	x21, x21, #1\n"
    "	b.ne	2b\n"
    "	isb\n"
    "	mrs	x23, cntvct_el0\n"
    "	sub	x23, x23, x22\n"
    "	str	x23, [x20, #" XSTR(MMIO_MMIO_TICKS) "]\n"
    "	b	.\n"
    "guest_code_end:\n"
    ".popsection\n");

/* Takes every CPU but CPU 0 offline. 0 or -1. */
static int offline_other_cpus(void)
{
	char path[64];
	int cpu, ret;

	for (cpu = 1;; cpu++) {
		snprintf(path, sizeof(path),
			 "/sys/devices/system/cpu/cpu%d/online", cpu);
		ret = write_str(path, "0");
		if (ret == -ENOENT)
			return 0;
		if (ret) {
			fprintf(stderr, "kvm: %s: %s\n", path, strerror(-ret));
			return -1;
		}
	}
}

static int set_reg(int vcpu, uint64_t id, uint64_t value)
{
	struct kvm_one_reg reg = { .id = id, .addr = (uintptr_t)&value };

	return ioctl(vcpu, KVM_SET_ONE_REG, &reg);
}

#define CORE_REG(name) (KVM_REG_ARM64 | KVM_REG_SIZE_U64 | \
			KVM_REG_ARM_CORE | KVM_REG_ARM_CORE_REG(name))

/*
 * A VM with guest_code in its one memory slot and one vCPU about to run it;
 * the vCPU's fd, its kvm_run in *run. -1 on failure (said why).
 */
static int create_vm(struct kvm_run **run)
{
	struct kvm_userspace_memory_region slot = {
		.guest_phys_addr = GUEST_IPA, .memory_size = GUEST_SIZE,
	};
	struct kvm_vcpu_init init;
	int kvm, vm, vcpu;
	long run_size;
	void *mem;

	kvm = open("/dev/kvm", O_RDWR);
	if (kvm < 0) {
		fprintf(stderr, "kvm: /dev/kvm: %s\n", strerror(errno));
		return -1;
	}
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	mem = mmap(NULL, GUEST_SIZE, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || mem == MAP_FAILED) {
		fprintf(stderr, "kvm: KVM_CREATE_VM: %s\n", strerror(errno));
		return -1;
	}
	memcpy(mem, guest_code, (guest_code_end - guest_code) * 4);
	slot.userspace_addr = (uintptr_t)mem;
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot)) {
		fprintf(stderr, "kvm: memory slot: %s\n", strerror(errno));
		return -1;
	}
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0 || ioctl(vm, KVM_ARM_PREFERRED_TARGET, &init)) {
		fprintf(stderr, "kvm: vCPU: %s\n", strerror(errno));
		return -1;
	}
	/* PSCI 0.2 and later: PSCI_VERSION is a function KVM answers. */
	init.features[0] |= 1u << KVM_ARM_VCPU_PSCI_0_2;
	if (ioctl(vcpu, KVM_ARM_VCPU_INIT, &init) ||
	    set_reg(vcpu, CORE_REG(regs.pc), GUEST_IPA) ||
	    set_reg(vcpu, CORE_REG(regs.regs[0]), ROUND_TRIPS) ||
	    set_reg(vcpu, CORE_REG(regs.regs[1]), MMIO_IPA)) {
		fprintf(stderr, "kvm: vCPU init: %s\n", strerror(errno));
		return -1;
	}
	run_size = ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	*run = run_size < 0 ? MAP_FAILED :
		mmap(NULL, run_size, PROT_READ | PROT_WRITE, MAP_SHARED, vcpu,
		     0);
	if (*run == MAP_FAILED) {
		fprintf(stderr, "kvm: kvm_run: %s\n", strerror(errno));
		return -1;
	}
	return vcpu;
}

/* Runs the guest to its last report; prints its figures. 0 or -1. */
static int bench_guest(void)
{
	uint64_t value, answer = 0, hvc_ticks = 0;
	unsigned long exits = 0;
	struct kvm_run *run;
	int vcpu = create_vm(&run);

	if (vcpu < 0)
		return -1;
	for (;;) {
		if (ioctl(vcpu, KVM_RUN, 0)) {
			fprintf(stderr, "kvm: KVM_RUN: %s\n", strerror(errno));
			return -1;
		}
		if (run->exit_reason != KVM_EXIT_MMIO || !run->mmio.is_write ||
		    run->mmio.len != sizeof(value)) {
			fprintf(stderr, "kvm: unexpected exit %u\n",
				run->exit_reason);
			return -1;
		}
		memcpy(&value, run->mmio.data, sizeof(value));
		switch (run->mmio.phys_addr - MMIO_IPA) {
		case MMIO_TIMED:
			exits++;
			break;
		case MMIO_ANSWER:
			answer = value;
			break;
		case MMIO_HVC_TICKS:
			hvc_ticks = value;
			break;
		case MMIO_MMIO_TICKS:
			/* An error is negative: KVM did not answer it. */
			if ((int64_t)answer < 0 || exits != ROUND_TRIPS) {
				fprintf(stderr, "kvm: PSCI_VERSION answered"
					" %#llx, %lu exits\n",
					(unsigned long long)answer, exits);
				return -1;
			}
			printf("kvm_hvc calls=%d ticks=%llu answer=%#llx\n",
			       ROUND_TRIPS, (unsigned long long)hvc_ticks,
			       (unsigned long long)answer);
			printf("kvm_mmio exits=%lu ticks=%llu\n", exits,
			       (unsigned long long)value);
			return 0;
		default:
			fprintf(stderr, "kvm: guest store at %#llx\n",
				(unsigned long long)run->mmio.phys_addr);
			return -1;
		}
	}
}

int main(void)
{
	if (offline_other_cpus() || bench_guest())
		return 1;
	bench_getppid();
	return bench_pipe() ? 1 : 0;
}
