// SPDX-License-Identifier: GPL-2.0
/*
 * Many VMs at once (docs/testing.md): 128 VMs of 1 MiB running sleeper
 * (the last one echo, which answers a message) while the primary stays
 * responsive, with no RCU stall or soft lockup in the kernel log, and
 * MemFree back within 1% once all are destroyed; and the id space: the
 * VM after the 255th secondary is refused with ENOSPC and hfctl's one
 * line naming the limit. Cases skip without hafnium.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_vm.h"

#define MANY 128
#define VM_MEM MiB
/* What the kernel prints when a CPU makes no progress. */
static const char *const stalls[] = {
	"rcu: INFO", "self-detected stall", "soft lockup", "hung_task",
	"blocked for more than",
};

HF_DEV_FIXTURE(scale)

/* How many times the kernel log holds any of the stall messages. */
static int stall_count(void)
{
	char *log = kernel_log(), *p;
	int count = 0;
	size_t i;

	if (!log)
		return -1;
	for (i = 0; i < sizeof(stalls) / sizeof(stalls[0]); i++)
		for (p = log; (p = strstr(p, stalls[i])) != NULL; p++)
			count++;
	free(log);
	return count;
}

/* ms that 20 sleeps of 10 ms take in the primary. */
static uint64_t nap_ms(void)
{
	uint64_t start = now_ms();
	int i;

	for (i = 0; i < 20; i++)
		usleep(10000);
	return now_ms() - start;
}

TEST_F_TIMEOUT(scale, many_vms_sleep_answer_and_give_memory_back, 180)
{
	static uint32_t id[MANY];
	struct sockaddr_hf a = { .family = AF_HF, .port = 7 };
	struct hf_ioctl_hyp_info info0 = { .size = sizeof(info0) };
	struct hf_ioctl_hyp_info info1 = { .size = sizeof(info1) };
	struct timeval tv = { .tv_sec = 10 };
	char name[HF_IOCTL_VM_NAME_SIZE], text[512], in[64];
	long long free0, free1;
	int i, s, stalls0, err;
	uint64_t napped;

	NEED_HAFNIUM();
	stalls0 = stall_count();
	ASSERT_LE(0, stalls0);
	/*
	 * MemFree before, once the page allocator has seen the same churn
	 * (128 VMs' worth of allocations drains the per-CPU page lists, which
	 * MemFree does not count) and without the page cache.
	 */
	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "warm%d", i);
		ASSERT_EQ(0, vm_create(self->fd, name, 1, VM_MEM, &id[i]));
	}
	for (i = 0; i < MANY; i++) {
		ASSERT_EQ(0, vm_destroy(self->fd, id[i]));
	}
	drop_caches();
	free0 = meminfo("MemFree");
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_HYP_INFO, &info0));
	ASSERT_LT(0, free0);

	for (i = 0; i < MANY; i++) {
		snprintf(name, sizeof(name), "scale%d", i);
		err = vm_run_guest(self->fd, name,
				   i == MANY - 1 ? "echo" : "sleeper", 1, VM_MEM,
				   &id[i]);
		ASSERT_EQ(0, err) TH_LOG("VM %d: %s", i, strerror(err));
	}
	for (i = 0; i < MANY - 1; i++) {
		ASSERT_TRUE(vm_console_wait(self->fd, id[i], "all asleep",
					    20000, text, sizeof(text)))
			TH_LOG("VM %u: '%s'", id[i], text);
	}
	ASSERT_TRUE(vm_console_wait(self->fd, id[MANY - 1], "ready", 20000,
				    text, sizeof(text)));
	/*
	 * All of them wake 20 times a second: the primary still naps, within
	 * what a loaded host's TCG allows (a starved primary takes far more).
	 */
	napped = nap_ms();
	EXPECT_GT((uint64_t)10000, napped) TH_LOG("20 naps of 10 ms took %llu ms",
				      (unsigned long long)napped);

	/* The last VM (the highest id) answers. */
	s = socket(AF_HF, SOCK_DGRAM, 0);
	ASSERT_LE(0, s);
	ASSERT_EQ(0, setsockopt(s, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv)));
	a.vm_id = id[MANY - 1];
	ASSERT_EQ(0, connect(s, (struct sockaddr *)&a, sizeof(a)));
	ASSERT_EQ(5, send(s, "hello", 5, 0)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(5, recv(s, in, sizeof(in), 0)) TH_LOG("%s", strerror(errno));
	EXPECT_EQ(0, memcmp(in, "hello", 5));
	close(s);

	for (i = 0; i < MANY; i++) {
		EXPECT_EQ(0, vm_destroy(self->fd, id[i])) TH_LOG("VM %u", id[i]);
	}
	/* The hypervisor gave back every page, the hyp pages included. */
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_HYP_INFO, &info1));
	EXPECT_EQ(info0.mem_available, info1.mem_available);
	/* The vCPU threads' tasks and stacks are freed after an RCU grace
	 * period. */
	sleep(1);
	drop_caches();
	free1 = meminfo("MemFree");
	TH_LOG("%d VMs: 20 naps of 10 ms in %llu ms; MemFree %lld kB before, %lld kB after",
	       MANY, (unsigned long long)napped, free0, free1);
	/*
	 * Nothing lost: a leak of these VMs would be over 128 MiB. MemFree
	 * may also rise meanwhile (by up to 16 MB since the primary has a
	 * disk and dma_test runs before), which loses nothing.
	 */
	EXPECT_GT(free1, free0 - free0 / 100)
		TH_LOG("MemFree %lld kB before, %lld kB after", free0, free1);
	EXPECT_EQ(stalls0, stall_count());
}

TEST_F_TIMEOUT(scale, the_id_space_holds_255_secondaries, 180)
{
	static uint32_t id[HF_IOCTL_VM_MAX_VMS], listed[HF_IOCTL_VM_MAX_VMS];
	struct hf_ioctl_vm_list list = {
		.size = sizeof(list), .count = HF_IOCTL_VM_MAX_VMS,
		.ids = (uintptr_t)listed,
	};
	struct hf_ioctl_hyp_info info = { .size = sizeof(info) };
	char *argv[] = { HFCTL, "create", "one-more", "--image",
			 GUESTS "sleeper.bin", "--mem", "64K", NULL };
	char name[HF_IOCTL_VM_NAME_SIZE];
	struct run_result r;
	uint32_t n = 0, more;
	int err = 0;

	NEED_HAFNIUM();
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_HYP_INFO, &info));
	EXPECT_EQ((uint32_t)HF_IOCTL_VM_MAX_VMS, info.max_vms);
	for (more = info.max_vms - info.vm_count; n < more; n++) {
		snprintf(name, sizeof(name), "id%u", n);
		err = vm_create(self->fd, name, 1, HF_IOCTL_VM_MIN_MEM, &id[n]);
		if (err)
			break;
	}
	EXPECT_EQ(0, err) TH_LOG("VM %u: %s", n, strerror(err));
	EXPECT_EQ((uint32_t)HF_IOCTL_VM_MAX_VMS, id[n - 1]);
	/* More than one RX buffer of descriptors: listed in two calls. */
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_VM_LIST, &list));
	EXPECT_EQ((uint32_t)HF_IOCTL_VM_MAX_VMS, list.count);
	EXPECT_EQ(1U, listed[0]);
	EXPECT_EQ((uint32_t)HF_IOCTL_VM_MAX_VMS, listed[list.count - 1]);
	EXPECT_EQ(ENOSPC, vm_create(self->fd, "one-more", 1,
				    HF_IOCTL_VM_MIN_MEM, &id[n]));
	ASSERT_EQ(0, run(argv, false, &r));
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ("hfctl: create one-more: too many VMs (hafnium holds at most 255 secondaries)\n",
		     r.err);
	while (n > 0) {
		EXPECT_EQ(0, vm_destroy(self->fd, id[--n]));
	}
}

TEST_HARNESS_MAIN
