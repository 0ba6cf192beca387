// SPDX-License-Identifier: GPL-2.0
/*
 * Timing of secondary VMs' timers and of the primary's tick. make check
 * runs these in a boot of their own under -icount (hafnium.mode=
 * test-timing): virtual time then follows executed instructions, so what
 * is measured is hafnium's and Linux's paths, not the host's scheduling of
 * QEMU's threads or the time QEMU takes to translate code.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/times.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_driver.h"
#include "hf_vm.h"

#define START_MS 60000
/* Debian's arm64 kernel ticks at CONFIG_HZ=250: one tick is 4 ms. */
#define KERNEL_HZ 250
#define TICK_US (1000000 / KERNEL_HZ)

static char console[HF_IOCTL_CONSOLE_SIZE + 1];

HF_DEV_FIXTURE(timing);

/*
 * `timer` counts on its own virtual counter (offset to start near 0), and
 * every wake-up of its 10 ms sleeps is within 1 ms plus a tick late.
 */
TEST_F_TIMEOUT(timing, timer_has_own_offset_and_wakes_on_time, 120)
{
	unsigned long long virt, phys, freq;
	unsigned int wakes = 0, i, us, max = 0;
	const char *p;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_run_guest(self->fd, "timer", "timer", 1, 4 * MiB, &id));
	ASSERT_TRUE(vm_console_wait(self->fd, id, "wake-ups, max drift",
				    60000, console, sizeof(console)))
		TH_LOG("console: %s", console);
	/* Its own virtual counter: started near 0 with the VM, well behind
	 * the physical one, which counts from QEMU's start. */
	p = strstr(console, "timer: counters virtual ");
	ASSERT_NE(NULL, p);
	ASSERT_EQ(2, sscanf(p, "timer: counters virtual %llu physical %llu",
			    &virt, &phys));
	asm volatile("mrs %0, cntfrq_el0" : "=r"(freq));
	EXPECT_LT(virt, freq / 10) TH_LOG("virtual count %llu", virt);
	EXPECT_LT(virt + freq / 2, phys) TH_LOG("physical count %llu", phys);
	for (p = strstr(console, "timer: wake "); p;
	     p = strstr(p + 1, "timer: wake ")) {
		ASSERT_EQ(2, sscanf(p, "timer: wake %u drift %u us", &i, &us));
		EXPECT_EQ(wakes + 1, i);
		EXPECT_LE(us, 1000u + TICK_US)
			TH_LOG("wake-up %u: %u us late", i, us);
		max = us > max ? us : max;
		wakes++;
	}
	EXPECT_EQ(100u, wakes);
	EXPECT_EQ(0, vm_wait_end(self->fd, id, 5000));
	TH_LOG("100 sleeps of 10 ms: latest wake-up %u us late", max);
}

/* Interrupts of the arch_timer line (the primary's tick) of each CPU. */
static int timer_interrupts(unsigned long long *count, int ncpus)
{
	char *text = read_all("/proc/interrupts", NULL);
	char *line, *p;
	int i;

	if (!text)
		return -1;
	line = strstr(text, "arch_timer");
	while (line && line > text && line[-1] != '\n')
		line--;
	if (!line) {
		free(text);
		return -1;
	}
	p = strchr(line, ':') + 1;
	for (i = 0; i < ncpus; i++)
		count[i] = strtoull(p, &p, 10);
	free(text);
	return 0;
}

/* While every CPU runs a spin vCPU, the primary's tick keeps its rate. */
TEST_F_TIMEOUT(timing, primary_ticks_while_every_cpu_runs_a_vcpu, 120)
{
	unsigned long long before[64], after[64];
	int ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	double seconds, jiffy_seconds;
	struct timespec t0, t1;
	uint32_t id[64];
	clock_t j0, j1;
	struct tms tms;
	int i;

	NEED_HAFNIUM();
	ASSERT_LE(ncpus, 64);
	ASSERT_EQ(0, vm_run_spinners(self->fd, "spin", ncpus, id));
	ASSERT_EQ(0, timer_interrupts(before, ncpus));
	clock_gettime(CLOCK_MONOTONIC, &t0);
	j0 = times(&tms);
	sleep(3);
	j1 = times(&tms);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ASSERT_EQ(0, timer_interrupts(after, ncpus));
	seconds = (double)(t1.tv_sec - t0.tv_sec) +
		  (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	jiffy_seconds = (double)(j1 - j0) / (double)sysconf(_SC_CLK_TCK);
	/* jiffies keep pace with the clock (to a clock_t either way) ... */
	EXPECT_LT(seconds - 0.02, jiffy_seconds);
	EXPECT_LT(jiffy_seconds, seconds + 0.02);
	/* ... because every CPU, busy running a vCPU, takes its ticks. */
	for (i = 0; i < ncpus; i++) {
		unsigned long long ticks = after[i] - before[i];

		EXPECT_LT(0.9 * KERNEL_HZ * seconds, (double)ticks)
			TH_LOG("CPU %d: %llu ticks in %.2f s", i, ticks,
			       seconds);
		TH_LOG("CPU %d: %llu ticks in %.2f s (%.0f per second)", i,
		       ticks, seconds, ticks / seconds);
	}
	TH_LOG("jiffies: %.3f s in %.3f s", jiffy_seconds, seconds);
	for (i = 0; i < ncpus; i++)
		EXPECT_EQ(0, vm_stop(self->fd, id[i]));
}

TEST_HARNESS_MAIN
