// SPDX-License-Identifier: GPL-2.0
/*
 * The primary's PMU does not see secondaries: a CPU cycle counter of the
 * primary (perf, per CPU, EL0 and EL1 counted) advances at the clock's
 * rate while a process of the primary spins on that CPU, hardly at all
 * while a secondary's vCPU spins there (hafnium stops the primary's
 * counters for the secondary's turn), and at the full rate again after.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/perf_event.h>

#include "kselftest_harness.h"
#include "hf_driver.h"
#include "hf_vm.h"

#define CPU 1
#define START_MS 20000

HF_DEV_FIXTURE(pmu);

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ull + t.tv_nsec;
}

/* Cycles counted by fd (a CPU's, whatever runs there, EL2 excluded) per
 * 1000 ns of CLOCK_MONOTONIC over ms milliseconds of sleep; 0 on error. */
static unsigned long long cycles_per_us(int fd, unsigned int ms)
{
	uint64_t c0, c1, t0, t1;

	if (read(fd, &c0, sizeof(c0)) != sizeof(c0))
		return 0;
	t0 = now_ns();
	usleep(ms * 1000);
	if (read(fd, &c1, sizeof(c1)) != sizeof(c1))
		return 0;
	t1 = now_ns();
	return (c1 - c0) * 1000 / (t1 - t0);
}

/* The same while a process of the primary spins on CPU. */
static unsigned long long cycles_per_us_spinning(int fd)
{
	unsigned long long r;
	pid_t child = fork();
	int status;

	if (child < 0)
		return 0;
	if (child == 0) {
		pin_to_cpu(0, CPU);
		for (;;)
			;
	}
	r = cycles_per_us(fd, 1000);
	kill(child, SIGKILL);
	waitpid(child, &status, 0);
	return r;
}

TEST_F_TIMEOUT(pmu, primary_cycles_stop_while_a_secondary_runs, 120)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_HARDWARE,
		.size = sizeof(attr),
		.config = PERF_COUNT_HW_CPU_CYCLES,
		.exclude_hv = 1,
	};
	unsigned long long own, vm, after, runs0, runs1;
	char text[256];
	uint32_t id;
	pid_t vcpu;
	int fd;

	NEED_HAFNIUM();
	ASSERT_EQ(0, pin_to_cpu(0, 0));
	fd = syscall(SYS_perf_event_open, &attr, -1, CPU, -1, 0);
	ASSERT_LE(0, fd) TH_LOG("perf_event_open: %s", strerror(errno));

	/* The control: a process of the primary spinning on the CPU. */
	own = cycles_per_us_spinning(fd);
	/* QEMU's cycle counter runs at 1 GHz of virtual time. */
	ASSERT_LT(500ull, own) TH_LOG("%llu cycles/us with the primary spinning",
				   own);

	ASSERT_EQ(0, vm_run_guest(self->fd, "pmuspin", "spin", 1, 4 * MiB,
				  &id));
	vcpu = vcpu_thread_pid(id, 0);
	ASSERT_NE(0, vcpu);
	ASSERT_EQ(0, pin_to_cpu(vcpu, CPU));
	ASSERT_TRUE(vm_console_wait(self->fd, id, "spin: spinning", START_MS,
				    text, sizeof(text)));
	runs0 = vm_runs(id);
	vm = cycles_per_us(fd, 2000);
	runs1 = vm_runs(id);
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	/* The primary's counters are back, as they were. */
	after = cycles_per_us_spinning(fd);
	close(fd);
	EXPECT_LT(500ull, after) TH_LOG("%llu cycles/us after the VM", after);
	/* It ran there all along (preempted by each tick, run again). */
	ASSERT_LT(runs0 + 100, runs1);
	/* What is left is the primary's own: its ticks and the vCPU
	 * thread's way in and out (about 2% seen); without hafnium's
	 * switch of the PMU the secondary's run counted in full. */
	EXPECT_GT(own / 4, vm);
	TH_LOG("cycles/us on CPU %d: %llu with a primary process spinning, %llu with a secondary's vCPU spinning (%llu runs)",
	       CPU, own, vm, runs1 - runs0);
}

TEST_HARNESS_MAIN
