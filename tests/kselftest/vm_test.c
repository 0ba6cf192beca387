// SPDX-License-Identifier: GPL-2.0
/*
 * Secondary VMs through hafnium.ko's ioctls (docs/driver.md): their life
 * (create, load, start, stop, destroy), consoles, crashes, isolation of
 * their memory, preemption by the primary's tick, vCPU threads, memory
 * accounting, injected interrupts, and every bad input with its errno. The guests are the
 * images in /lib/hafnium/guests (guests/). Every case skips without
 * hafnium and destroys the VMs it made, also when it fails.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_vm.h"

#define VCPU_MODULE "/lib/hafnium/tests/hf_vcpu_test.ko"
#define VCPU_PROC "/proc/hf_vcpu_test"
#define CONSOLE_MAX 8192
/* Guests start in milliseconds; QEMU under load is slow. */
#define START_MS 20000

HF_DEV_FIXTURE(vm)


static const char *state_name(uint32_t state)
{
	static const char *const names[] = {
		"created", "running", "stopped", "crashed",
	};

	return state < 4 ? names[state] : "?";
}

static int vm_count(int fd)
{
	uint32_t ids[64];
	struct hf_ioctl_vm_list l = {
		.size = sizeof(l), .count = 64, .ids = (uintptr_t)ids,
	};

	return xioctl(fd, HF_IOCTL_VM_LIST, &l) ? -1 : (int)l.count;
}

static long long mem_donated(void)
{
	char buf[32];
	int f = open(HF_SYSFS "/mem_donated", O_RDONLY);
	ssize_t n;

	if (f < 0)
		return -1;
	n = read(f, buf, sizeof(buf) - 1);
	close(f);
	if (n <= 0)
		return -1;
	buf[n] = '\0';
	return strtoll(buf, NULL, 10);
}

TEST_F(vm, hello_prints_and_powers_off)
{
	struct hf_ioctl_vm_status st;
	char con[CONSOLE_MAX], want[64], *log;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_create_guest(self->fd, "hello", "hello", 1, 16 * MiB,
				     &id));
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_CREATED, st.state);
	EXPECT_EQ((uint64_t)0, st.uptime_ns);
	EXPECT_EQ(16 * MiB, st.mem_size);
	EXPECT_EQ(16 * MiB, st.mem_donated);
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_OWNED, st.flags);
	EXPECT_STREQ("hello", st.name);

	ASSERT_EQ(0, vm_start(self->fd, id));
	snprintf(want, sizeof(want), ": 1 vCPUs, 16 MiB\n");
	EXPECT_TRUE(vm_console_wait(self->fd, id, want, START_MS, con,
				    sizeof(con))) TH_LOG("console: %s", con);
	ASSERT_EQ(0, vm_wait_end(self->fd, id, START_MS));
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_STREQ("stopped", state_name(st.state));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_POWEROFF, st.exit_reason);
	EXPECT_LT((uint64_t)0, st.uptime_ns);
	EXPECT_EQ(strlen(con), st.console_total);
	/* The console stays after the end, until destroy. */
	EXPECT_EQ(0, vm_console_read(self->fd, id, con, sizeof(con), 0, NULL));
	EXPECT_NE(NULL, strstr(con, want));
	/* And each line went to the kernel log. */
	log = kernel_log();
	ASSERT_NE(NULL, log);
	EXPECT_NE(NULL, strstr(log, "hafnium: [hello] hello from "));
	free(log);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_EQ(ENOENT, vm_status(self->fd, id, &st));
}

TEST_F(vm, two_vms_at_once)
{
	char con[CONSOLE_MAX];
	uint32_t a, b;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_create_guest(self->fd, "one", "hello", 1, 16 * MiB, &a));
	ASSERT_EQ(0, vm_create_guest(self->fd, "two", "hello", 1, 8 * MiB, &b));
	EXPECT_NE(a, b);
	ASSERT_EQ(0, vm_start(self->fd, a));
	ASSERT_EQ(0, vm_start(self->fd, b));
	EXPECT_TRUE(vm_console_wait(self->fd, a, ": 1 vCPUs, 16 MiB",
				    START_MS, con, sizeof(con)))
		TH_LOG("one: %s", con);
	EXPECT_TRUE(vm_console_wait(self->fd, b, ": 1 vCPUs, 8 MiB",
				    START_MS, con, sizeof(con)))
		TH_LOG("two: %s", con);
	EXPECT_EQ(0, vm_wait_end(self->fd, a, START_MS));
	EXPECT_EQ(0, vm_wait_end(self->fd, b, START_MS));
	EXPECT_EQ(0, vm_destroy(self->fd, a));
	EXPECT_EQ(0, vm_destroy(self->fd, b));
}

/* Runs a busy shell loop; its wall time in ms, or -1. */
static long long shell_loop_ms(void)
{
	char *const argv[] = {
		"/bin/sh", "-c",
		"i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done", NULL,
	};
	uint64_t start = now_ms();
	struct run_result r;

	if (run(argv, false, &r) || r.status != 0)
		return -1;
	return now_ms() - start;
}

/* The CPU a thread last ran on, from /proc/<pid>/stat, or -1. */
static int thread_cpu(pid_t pid)
{
	char path[64], *stat, *p;
	size_t size;
	int field, cpu = -1;

	snprintf(path, sizeof(path), "/proc/%d/stat", pid);
	stat = read_all(path, &size);
	if (!stat)
		return -1;
	stat[size ? size - 1 : 0] = '\0';
	/* After "(comm)", field 3 on; "processor" is field 39. */
	p = strrchr(stat, ')');
	for (field = 2; p && field < 39; field++)
		p = strchr(p + 1, ' ');
	if (p)
		cpu = atoi(p + 1);
	free(stat);
	return cpu;
}

#define SPIN_VMS 4
#define SPIN_SECONDS 10

TEST_F_TIMEOUT(vm, spin_on_every_cpu_primary_stays_responsive, 180)
{
	uint64_t runs[SPIN_VMS], start, cpus_seen = 0;
	long long base, worst = 0, ms;
	int ncpus = sysconf(_SC_NPROCESSORS_ONLN), loops = 0, i;
	pid_t pid[SPIN_VMS];
	char con[CONSOLE_MAX], *log;
	size_t log_before;
	uint32_t id[SPIN_VMS];

	NEED_HAFNIUM();
	ASSERT_LE(ncpus, SPIN_VMS);
	log = kernel_log();
	ASSERT_NE(NULL, log);
	log_before = strlen(log);
	free(log);
	base = shell_loop_ms();
	ASSERT_LT(0, base);

	/* A spinning VM per physical CPU. */
	for (i = 0; i < ncpus; i++) {
		char name[16];

		snprintf(name, sizeof(name), "spin%d", i);
		ASSERT_EQ(0, vm_run_guest(self->fd, name, "spin", 1, 4 * MiB,
					  &id[i]));
		EXPECT_TRUE(vm_console_wait(self->fd, id[i], "spin: spinning",
					    START_MS, con, sizeof(con)))
			TH_LOG("%s: %s", name, con);
		pid[i] = vcpu_thread_pid(id[i], 0);
		EXPECT_LT(0, pid[i]) TH_LOG("no thread for VM %u", id[i]);
		runs[i] = vm_runs(id[i]);
	}

	/* The primary keeps working while they spin. */
	start = now_ms();
	while (now_ms() - start < SPIN_SECONDS * 1000) {
		ms = shell_loop_ms();
		ASSERT_LT(0, ms);
		if (ms > worst)
			worst = ms;
		loops++;
		for (i = 0; i < ncpus; i++) {
			int cpu = pid[i] > 0 ? thread_cpu(pid[i]) : -1;

			if (cpu >= 0 && cpu < 64)
				cpus_seen |= 1ULL << cpu;
		}
	}
	TH_LOG("shell loop: %lld ms alone, at most %lld ms in %d runs beside %d spinning VMs",
	       base, worst, loops, ncpus);
	EXPECT_LE(3, loops);
	EXPECT_GT(base * 10 + 2000, worst);
	/* The vCPU threads ran on every CPU. */
	EXPECT_EQ((1ULL << ncpus) - 1, cpus_seen);
	for (i = 0; i < ncpus; i++) {
		struct hf_ioctl_vm_status st;

		/* Each went on running: preempted by ticks, run again. */
		EXPECT_LT(runs[i] + 10, vm_runs(id[i])) TH_LOG("VM %u", id[i]);
		ASSERT_EQ(0, vm_status(self->fd, id[i], &st));
		EXPECT_EQ((uint64_t)HF_IOCTL_VM_RUNNING, st.state);
	}
	for (i = 0; i < ncpus; i++)
		EXPECT_EQ(0, vm_destroy(self->fd, id[i]));

	log = kernel_log();
	ASSERT_NE(NULL, log);
	if (strlen(log) >= log_before) {
		const char *since = log + log_before;

		EXPECT_EQ(NULL, strstr(since, "rcu_sched detected stall"));
		EXPECT_EQ(NULL, strstr(since, "rcu: INFO"));
		EXPECT_EQ(NULL, strstr(since, "soft lockup"));
		EXPECT_EQ(NULL, strstr(since, "hung_task"));
		EXPECT_EQ(NULL, strstr(since, "blocked for more than"));
	}
	free(log);
}

TEST_F(vm, fault_crashes_with_its_far_others_go_on)
{
	struct hf_ioctl_vm_status st;
	char con[CONSOLE_MAX], *at, crash[256], want[64], *log;
	unsigned long long addr = 0;
	uint32_t spin, fault, hello;
	uint64_t runs;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_run_guest(self->fd, "bystander", "spin", 1, 4 * MiB,
				  &spin));
	EXPECT_TRUE(vm_console_wait(self->fd, spin, "spin: spinning", START_MS,
				    con, sizeof(con)));
	ASSERT_EQ(0, vm_run_guest(self->fd, "fault", "fault", 1, 16 * MiB,
				  &fault));
	ASSERT_EQ(0, vm_wait_end(self->fd, fault, START_MS));
	ASSERT_EQ(0, vm_console_read(self->fd, fault, con, sizeof(con), 0,
				     NULL));
	at = strstr(con, "fault: reading 0x");
	ASSERT_NE(NULL, at) TH_LOG("console: %s", con);
	addr = strtoull(at + strlen("fault: reading "), NULL, 16);

	ASSERT_EQ(0, vm_status(self->fd, fault, &st));
	EXPECT_STREQ("crashed", state_name(st.state));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_CRASHED, st.exit_reason);
	EXPECT_EQ(addr, st.exit_far);
	/* EC 0x24: a data abort from a lower exception level. */
	EXPECT_EQ((uint64_t)0x24, st.exit_esr >> 26 & 0x3f);
	EXPECT_EQ((uint64_t)0, st.exit_vcpu);
	EXPECT_LE(HF_IOCTL_VM_RAM_BASE, st.exit_elr);
	EXPECT_GT((uint64_t)HF_IOCTL_VM_RAM_BASE + 16 * MiB, st.exit_elr);
	/* The crash report, in sysfs and in the kernel log. */
	ASSERT_EQ(0, vm_sysfs(fault, "crash", crash, sizeof(crash)));
	snprintf(want, sizeof(want), "FAR 0x%llx,", addr);
	EXPECT_NE(NULL, strstr(crash, want)) TH_LOG("%s", crash);
	EXPECT_NE(NULL, strstr(crash, "data abort from a lower exception level"));
	ASSERT_EQ(0, vm_sysfs(fault, "exit_reason", crash, sizeof(crash)));
	EXPECT_STREQ("crashed", crash);
	log = kernel_log();
	ASSERT_NE(NULL, log);
	EXPECT_NE(NULL, strstr(log, "(fault) crashed after"));
	free(log);

	/* The other VM goes on running; new ones still run. */
	runs = vm_runs(spin);
	usleep(300000);
	EXPECT_LT(runs, vm_runs(spin));
	ASSERT_EQ(0, vm_status(self->fd, spin, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_RUNNING, st.state);
	ASSERT_EQ(0, vm_run_guest(self->fd, "after", "hello", 1, 16 * MiB,
				  &hello));
	EXPECT_EQ(0, vm_wait_end(self->fd, hello, START_MS));
	ASSERT_EQ(0, vm_status(self->fd, hello, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_POWEROFF, st.exit_reason);
	EXPECT_EQ(0, vm_destroy(self->fd, hello));
	EXPECT_EQ(0, vm_destroy(self->fd, fault));
	EXPECT_EQ(0, vm_destroy(self->fd, spin));
}

TEST_F(vm, memory_unreadable_while_running_zero_after_destroy)
{
	struct region ranges[64];
	char buf[4096], *line;
	int n = 0, i;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(PROBE_MODULE));
	ASSERT_EQ(0, vm_run_guest(self->fd, "secret", "spin", 1, 16 * MiB, &id));
	EXPECT_TRUE(vm_console_wait(self->fd, id, "spin: spinning", START_MS,
				    buf, sizeof(buf)));
	ASSERT_EQ(0, vm_sysfs(id, "memory_ranges", buf, sizeof(buf)));
	for (line = buf; *line && n < 64; line = strchr(line, '\n')) {
		unsigned long long base, size;

		if (*line == '\n')
			line++;
		if (sscanf(line, "0x%llx 0x%llx", &base, &size) != 2)
			break;
		ranges[n].base = base;
		ranges[n].size = size;
		n++;
		if (!strchr(line, '\n'))
			break;
	}
	ASSERT_LT(0, n) TH_LOG("memory_ranges: %s", buf);
	{
		uint64_t total = 0;

		for (i = 0; i < n; i++)
			total += ranges[i].size;
		EXPECT_EQ(16 * MiB, total);
	}

	expect_probes(_metadata, ranges, n, "fault", "of the running VM");
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	expect_probes(_metadata, ranges, n, "readable 0x0000000000000000",
		      "after destroy");
}

#define CYCLES 200

TEST_F_TIMEOUT(vm, create_start_destroy_200_times_memfree_within_1_percent, 600)
{
	long long before, after;
	uint32_t id;
	int i;

	NEED_HAFNIUM();
	/* A first cycle settles the driver's and the allocator's caches. */
	ASSERT_EQ(0, vm_run_guest(self->fd, "cycle", "hello", 1, 16 * MiB, &id));
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	drop_caches();
	before = meminfo("MemFree");
	ASSERT_LT(0, before);
	for (i = 0; i < CYCLES; i++) {
		ASSERT_EQ(0, vm_run_guest(self->fd, "cycle", "hello", 1,
					  16 * MiB, &id)) TH_LOG("cycle %d", i);
		/* Every other VM is destroyed while it may still run. */
		if (i % 2)
			EXPECT_EQ(0, vm_wait_end(self->fd, id, START_MS));
		ASSERT_EQ(0, vm_destroy(self->fd, id)) TH_LOG("cycle %d", i);
	}
	drop_caches();
	after = meminfo("MemFree");
	TH_LOG("MemFree %lld kB before, %lld kB after %d cycles of a 16 MiB VM",
	       before, after, CYCLES);
	/* Nothing lost; MemFree may rise meanwhile (see scale_test). */
	EXPECT_GT(after, before - before / 100);
	EXPECT_EQ(0, mem_donated());
}

TEST_F(vm, smp_runs_four_vcpus)
{
	struct hf_ioctl_vm_status st;
	char con[CONSOLE_MAX], want[64];
	uint32_t id;
	int i;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_run_guest(self->fd, "smp", "smp", 4, 16 * MiB, &id));
	EXPECT_TRUE(vm_console_wait(self->fd, id, "smp: all 4 vCPUs ran",
				    START_MS, con, sizeof(con)))
		TH_LOG("console: %s", con);
	for (i = 0; i < 4; i++) {
		snprintf(want, sizeof(want), "smp: vCPU %d of 4 running\n", i);
		EXPECT_NE(NULL, strstr(con, want)) TH_LOG("%s", want);
	}
	ASSERT_EQ(0, vm_wait_end(self->fd, id, START_MS));
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_POWEROFF, st.exit_reason);
	EXPECT_EQ((uint64_t)4, st.vcpu_count);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
}

TEST_F(vm, same_vcpu_from_two_threads_one_gets_busy)
{
	unsigned long busy, ran, aborted, denied, invalid, other;
	struct hf_ioctl_vm_status st;
	char con[CONSOLE_MAX], cmd[64], out[256];
	uint64_t runs;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(VCPU_MODULE));
	ASSERT_EQ(0, vm_run_guest(self->fd, "shared", "spin", 1, 4 * MiB, &id));
	EXPECT_TRUE(vm_console_wait(self->fd, id, "spin: spinning", START_MS,
				    con, sizeof(con)));
	/* Two test threads and the driver's own run vCPU 0 at once. */
	snprintf(cmd, sizeof(cmd), "race %u 0 500", id);
	ASSERT_EQ(0, proc_command(VCPU_PROC, cmd, out, sizeof(out)));
	ASSERT_EQ(6, sscanf(out, "busy %lu ran %lu aborted %lu denied %lu invalid %lu other %lu",
			    &busy, &ran, &aborted, &denied, &invalid, &other))
		TH_LOG("%s", out);
	TH_LOG("%s", out);
	EXPECT_LT((uint64_t)0, busy);
	EXPECT_LT((uint64_t)0, ran);
	EXPECT_EQ((uint64_t)0, aborted + denied + invalid + other);

	/* The VM is intact and the driver's thread still runs it. */
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_RUNNING, st.state);
	runs = vm_runs(id);
	usleep(300000);
	EXPECT_LT(runs, vm_runs(id));
	/* A stopped VM's vCPU: ABORTED, for both. */
	ASSERT_EQ(0, vm_stop(self->fd, id));
	snprintf(cmd, sizeof(cmd), "race %u 0 20", id);
	ASSERT_EQ(0, proc_command(VCPU_PROC, cmd, out, sizeof(out)));
	ASSERT_EQ(6, sscanf(out, "busy %lu ran %lu aborted %lu denied %lu invalid %lu other %lu",
			    &busy, &ran, &aborted, &denied, &invalid, &other))
		TH_LOG("%s", out);
	EXPECT_EQ(0UL, busy + ran + denied + invalid + other) TH_LOG("%s", out);
	EXPECT_LT(0UL, aborted);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
}

/* --- Bad input ------------------------------------------------------- */

struct leak_check {
	int vms;
	long long donated;
};

static void leak_begin(int fd, struct leak_check *l)
{
	l->vms = vm_count(fd);
	l->donated = mem_donated();
}

#define EXPECT_NO_LEAK(fd, l)						\
	do {								\
		EXPECT_EQ((l)->vms, vm_count(fd));			\
		EXPECT_EQ((l)->donated, mem_donated());			\
	} while (0)

TEST_F(vm, create_bad_memory)
{
	const uint64_t einval[] = {
		0, 1, 4095, 64 * 1024 + 1, 16 * MiB + 2048,
		15 * 4096,	/* below HF_IOCTL_VM_MIN_MEM */
	};
	struct hf_ioctl_hyp_info h = { .size = sizeof(h) };
	struct leak_check l;
	uint32_t id;
	size_t i;

	NEED_HAFNIUM();
	leak_begin(self->fd, &l);
	for (i = 0; i < sizeof(einval) / sizeof(einval[0]); i++) {
		EXPECT_EQ(EINVAL, vm_create(self->fd, "bad", 1, einval[i], &id))
			TH_LOG("mem %llu", (unsigned long long)einval[i]);
	}
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_HYP_INFO, &h));
	/* More than there is: refused before anything is taken. */
	EXPECT_EQ(ENOMEM, vm_create(self->fd, "bad", 1,
				    h.mem_available + 4096, &id));
	/* More than one VM's hypervisor pages can map: refused as such,
	 * before what is free is looked at. */
	EXPECT_EQ(EFBIG, vm_create(self->fd, "bad", 1, 1ULL << 40, &id));
	EXPECT_EQ(EFBIG, vm_create(self->fd, "bad", 1, 2030ULL << 20, &id));
	/* Available to the hypervisor, but not spare in Linux. */
	EXPECT_EQ(ENOMEM, vm_create(self->fd, "bad", 1,
				    h.mem_available & ~4095ULL, &id));
	EXPECT_NO_LEAK(self->fd, &l);
	/* The smallest VM is fine. */
	ASSERT_EQ(0, vm_create(self->fd, "small", 1, HF_IOCTL_VM_MIN_MEM, &id));
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_NO_LEAK(self->fd, &l);
}

TEST_F(vm, create_bad_vcpus)
{
	struct hf_ioctl_hyp_info h = { .size = sizeof(h) };
	struct leak_check l;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_HYP_INFO, &h));
	leak_begin(self->fd, &l);
	EXPECT_EQ(EINVAL, vm_create(self->fd, "bad", 0, 16 * MiB, &id));
	EXPECT_EQ(EINVAL, vm_create(self->fd, "bad", h.max_vcpus + 1, 16 * MiB,
				    &id));
	EXPECT_EQ(EINVAL, vm_create(self->fd, "bad", UINT32_MAX, 16 * MiB, &id));
	EXPECT_NO_LEAK(self->fd, &l);
	ASSERT_EQ(0, vm_create(self->fd, "wide", h.max_vcpus, 1 * MiB, &id));
	EXPECT_EQ(0, vm_destroy(self->fd, id));
}

TEST_F(vm, create_bad_names)
{
	struct hf_ioctl_vm_create c;
	struct leak_check l;
	uint32_t id, id2;

	NEED_HAFNIUM();
	leak_begin(self->fd, &l);
	/* 32 bytes without a NUL. */
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.vcpu_count = 1;
	c.mem_size = 1 * MiB;
	memset(c.name, 'x', sizeof(c.name));
	EXPECT_EQ(ENAMETOOLONG, xioctl(self->fd, HF_IOCTL_VM_CREATE, &c));
	EXPECT_EQ(EINVAL, vm_create(self->fd, "", 1, 1 * MiB, &id));
	EXPECT_EQ(EINVAL, vm_create(self->fd, "tab\there", 1, 1 * MiB, &id));
	EXPECT_NO_LEAK(self->fd, &l);
	/* 31 bytes is the longest name. */
	ASSERT_EQ(0, vm_create(self->fd, "0123456789012345678901234567890", 1,
			       1 * MiB, &id));
	EXPECT_EQ(EEXIST, vm_create(self->fd, "0123456789012345678901234567890",
				    1, 1 * MiB, &id2));
	EXPECT_EQ(EEXIST, vm_create(self->fd, "primary", 1, 1 * MiB, &id2));
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	/* The name is free again. */
	ASSERT_EQ(0, vm_create(self->fd, "0123456789012345678901234567890", 1,
			       1 * MiB, &id));
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_NO_LEAK(self->fd, &l);
}

TEST_F(vm, load_bad_input)
{
	const uint64_t mem = 1 * MiB;
	static char image[64 * 1024];
	struct hf_ioctl_vm_status st;
	uint32_t id;

	NEED_HAFNIUM();
	memset(image, 0x5a, sizeof(image));
	ASSERT_EQ(0, vm_create(self->fd, "load", 1, mem, &id));
	/* Up to the device tree's room: fine; one byte more: EFBIG. */
	EXPECT_EQ(0, vm_load(self->fd, id, image, sizeof(image),
			     mem - HF_IOCTL_VM_DT_SIZE - sizeof(image)));
	EXPECT_EQ(EFBIG, vm_load(self->fd, id, image, sizeof(image),
				 mem - HF_IOCTL_VM_DT_SIZE - sizeof(image) + 1));
	EXPECT_EQ(EFBIG, vm_load(self->fd, id, image, 1,
				 mem - HF_IOCTL_VM_DT_SIZE));
	EXPECT_EQ(EFBIG, vm_load(self->fd, id, image, 1, UINT64_MAX));
	EXPECT_EQ(EFBIG, vm_load(self->fd, id, image, UINT64_MAX, 0));
	EXPECT_EQ(EFAULT, vm_load(self->fd, id, NULL, 4096, 0));
	EXPECT_EQ(0, vm_load(self->fd, id, image, 0, 0));
	/* After start: EBUSY. */
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	ASSERT_EQ(0, vm_run_guest(self->fd, "load", "spin", 1, mem, &id));
	EXPECT_EQ(EBUSY, vm_load(self->fd, id, image, 16, 0));
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_RUNNING, st.state);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
}

TEST_F(vm, start_stop_destroy_states)
{
	struct hf_ioctl_vm_status st;
	struct hf_ioctl_vm_start s = { .size = sizeof(s) };
	char con[CONSOLE_MAX];
	uint64_t up;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_create_guest(self->fd, "states", "spin", 1, 4 * MiB,
				     &id));
	/* Entries outside its memory, or unaligned. */
	s.vm_id = id;
	s.entry = HF_IOCTL_VM_RAM_BASE - 4;
	EXPECT_EQ(EINVAL, xioctl(self->fd, HF_IOCTL_VM_START, &s));
	s.entry = HF_IOCTL_VM_RAM_BASE + 4 * MiB;
	EXPECT_EQ(EINVAL, xioctl(self->fd, HF_IOCTL_VM_START, &s));
	s.entry = HF_IOCTL_VM_RAM_BASE + 2;
	EXPECT_EQ(EINVAL, xioctl(self->fd, HF_IOCTL_VM_START, &s));
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_CREATED, st.state);

	ASSERT_EQ(0, vm_start(self->fd, id));
	EXPECT_EQ(EALREADY, vm_start(self->fd, id));
	EXPECT_TRUE(vm_console_wait(self->fd, id, "spin: spinning", START_MS,
				    con, sizeof(con)));
	ASSERT_EQ(0, vm_stop(self->fd, id));
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_STOPPED, st.state);
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_STOPPED, st.exit_reason);
	EXPECT_EQ(EALREADY, vm_stop(self->fd, id));
	/* A VM runs once. */
	EXPECT_EQ(EINVAL, vm_start(self->fd, id));
	/* Its uptime stays what it was. */
	up = st.uptime_ns;
	usleep(100000);
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ(up, st.uptime_ns);
	/* Its console stays until destroy. */
	EXPECT_EQ(0, vm_console_read(self->fd, id, con, sizeof(con), 0, NULL));
	EXPECT_NE(NULL, strstr(con, "spin: spinning"));
	EXPECT_EQ(0, vm_destroy(self->fd, id));

	/* Destroy of a running VM stops it first. */
	ASSERT_EQ(0, vm_run_guest(self->fd, "states", "spin", 2, 4 * MiB, &id));
	EXPECT_TRUE(vm_console_wait(self->fd, id, "spin: spinning", START_MS,
				    con, sizeof(con)));
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_EQ(ENOENT, vm_status(self->fd, id, &st));

	/* A created VM can be stopped (it never runs) or destroyed. */
	ASSERT_EQ(0, vm_create_guest(self->fd, "states", "spin", 1, 4 * MiB,
				     &id));
	EXPECT_EQ(0, vm_stop(self->fd, id));
	EXPECT_EQ(EINVAL, vm_start(self->fd, id));
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	ASSERT_EQ(0, vm_create_guest(self->fd, "states", "spin", 1, 4 * MiB,
				     &id));
	EXPECT_EQ(0, vm_destroy(self->fd, id));
}

/*
 * HF_IOCTL_VM_IRQ in each state of a VM, and its bad vCPUs and ids. spin
 * never acknowledges an interrupt: the second injection of an id merges.
 */
TEST_F(vm, irq_states_and_bad_input)
{
	const uint32_t bad_ids[] = { 0, 1, 2, 3, 15, 64, UINT32_MAX };
	char con[CONSOLE_MAX];
	uint32_t id, result;
	size_t i;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_create_guest(self->fd, "irq", "spin", 2, 4 * MiB,
				     &id));
	EXPECT_EQ(ESRCH, vm_irq(self->fd, id, 0, 16, &result));
	EXPECT_EQ(EINVAL, vm_irq(self->fd, id, 2, 16, &result));
	for (i = 0; i < sizeof(bad_ids) / sizeof(bad_ids[0]); i++) {
		EXPECT_EQ(EINVAL, vm_irq(self->fd, id, 0, bad_ids[i], &result))
			TH_LOG("intid %u", bad_ids[i]);
	}

	ASSERT_EQ(0, vm_start(self->fd, id));
	ASSERT_TRUE(vm_console_wait(self->fd, id, "spin: spinning", START_MS,
				    con, sizeof(con)));
	/* vCPU 0 spins on a CPU; vCPU 1 is off: both take it pending. */
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, vm_irq(self->fd, id, i, HF_IOCTL_IRQ_FIRST, &result));
		EXPECT_EQ((uint32_t)HF_IOCTL_IRQ_PENDING, result);
		ASSERT_EQ(0, vm_irq(self->fd, id, i, HF_IOCTL_IRQ_FIRST, &result));
		EXPECT_EQ((uint32_t)HF_IOCTL_IRQ_MERGED, result);
	}
	ASSERT_EQ(0, vm_irq(self->fd, id, 0, HF_IOCTL_IRQ_LAST, &result));
	EXPECT_EQ((uint32_t)HF_IOCTL_IRQ_PENDING, result);
	EXPECT_EQ(EINVAL, vm_irq(self->fd, id, 2, 16, &result));
	EXPECT_EQ(EINVAL, vm_irq(self->fd, id, 0, 64, &result));

	ASSERT_EQ(0, vm_stop(self->fd, id));
	EXPECT_EQ(ESRCH, vm_irq(self->fd, id, 0, 16, &result));
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_EQ(ENOENT, vm_irq(self->fd, id, 0, 16, &result));
}

TEST_F(vm, destroyed_vm_enoent)
{
	struct hf_ioctl_vm_status st;
	struct hf_ioctl_vm_console c = { .size = sizeof(c) };
	char buf[16], path[64];
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_create_guest(self->fd, "gone", "hello", 1, 1 * MiB,
				     &id));
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_EQ(ENOENT, vm_load(self->fd, id, buf, sizeof(buf), 0));
	EXPECT_EQ(ENOENT, vm_start(self->fd, id));
	EXPECT_EQ(ENOENT, vm_stop(self->fd, id));
	EXPECT_EQ(ENOENT, vm_destroy(self->fd, id));
	EXPECT_EQ(ENOENT, vm_status(self->fd, id, &st));
	c.vm_id = id;
	c.buf = (uintptr_t)buf;
	c.len = sizeof(buf);
	EXPECT_EQ(ENOENT, xioctl(self->fd, HF_IOCTL_VM_CONSOLE, &c));
	/* Ids that never named a VM, and the hypervisor's. */
	EXPECT_EQ(ENOENT, vm_start(self->fd, 0));
	EXPECT_EQ(ENOENT, vm_destroy(self->fd, 0xffff));
	EXPECT_EQ(ENOENT, vm_stop(self->fd, 0x10002));
	EXPECT_EQ(ENOENT, vm_status(self->fd, UINT32_MAX, &st));
	snprintf(path, sizeof(path), HF_SYSFS "/vms/%u", id);
	EXPECT_FALSE(path_exists(path));
}

TEST_F(vm, primary_is_not_controlled)
{
	struct hf_ioctl_vm_status st;
	char buf[16];

	NEED_HAFNIUM();
	EXPECT_EQ(EPERM, vm_load(self->fd, 1, buf, sizeof(buf), 0));
	EXPECT_EQ(EPERM, vm_start(self->fd, 1));
	EXPECT_EQ(EPERM, vm_stop(self->fd, 1));
	EXPECT_EQ(EPERM, vm_destroy(self->fd, 1));
	ASSERT_EQ(0, vm_status(self->fd, 1, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_RUNNING, st.state);
	EXPECT_STREQ("primary", st.name);
	EXPECT_EQ((uint64_t)0, st.flags);
	EXPECT_EQ((uint64_t)0, st.mem_donated);
	EXPECT_LT((uint64_t)0, st.uptime_ns);
}

/* The lifecycle ioctls' size and reserved rules (driver_test covers the
 * rest): checked before anything else, so an unknown VM gives EINVAL or
 * E2BIG. */
TEST_F(vm, lifecycle_ioctls_bad_size_and_reserved)
{
	static const struct {
		const char *name;
		unsigned long cmd;
		size_t size, reserved_offset, reserved_size;
	} io[] = {
#define IO(_cmd, _type) { #_cmd, _cmd, sizeof(struct _type),		\
			  offsetof(struct _type, reserved),		\
			  sizeof(((struct _type *)0)->reserved) }
		IO(HF_IOCTL_VM_CREATE, hf_ioctl_vm_create),
		IO(HF_IOCTL_VM_LOAD, hf_ioctl_vm_load),
		IO(HF_IOCTL_VM_START, hf_ioctl_vm_start),
		IO(HF_IOCTL_VM_STOP, hf_ioctl_vm_id),
		IO(HF_IOCTL_VM_DESTROY, hf_ioctl_vm_id),
#undef IO
	};
	char arg[512];
	size_t i, b;

	NEED_HAFNIUM();
	for (i = 0; i < sizeof(io) / sizeof(io[0]); i++) {
		const uint32_t sizes[] = { 0, 4, io[i].size - 1 };
		size_t j;
		int want;

		/* Control: VM 0xfffe does not exist (create: no memory). */
		memset(arg, 0, sizeof(arg));
		*(uint32_t *)arg = io[i].size;
		if (io[i].cmd == HF_IOCTL_VM_CREATE) {
			struct hf_ioctl_vm_create *c = (void *)arg;

			c->vcpu_count = 1;
			c->mem_size = 1ULL << 40;
			strcpy(c->name, "x");
		} else {
			((uint32_t *)arg)[1] = 0xfffe;
		}
		want = xioctl(self->fd, io[i].cmd, arg);
		EXPECT_NE(EINVAL, want) TH_LOG("%s", io[i].name);
		/* Below the first size: EINVAL; above 4096: E2BIG. */
		for (j = 0; j < sizeof(sizes) / sizeof(sizes[0]); j++) {
			*(uint32_t *)arg = sizes[j];
			EXPECT_EQ(EINVAL, xioctl(self->fd, io[i].cmd, arg))
				TH_LOG("%s size %u", io[i].name, sizes[j]);
		}
		*(uint32_t *)arg = HF_IOCTL_SIZE_MAX + 1;
		EXPECT_EQ(E2BIG, xioctl(self->fd, io[i].cmd, arg))
			TH_LOG("%s", io[i].name);
		/* Longer, from a newer caller: a zero tail is as none. */
		*(uint32_t *)arg = io[i].size + 8;
		EXPECT_EQ(want, xioctl(self->fd, io[i].cmd, arg))
			TH_LOG("%s", io[i].name);
		arg[io[i].size + 7] = 1;
		EXPECT_EQ(E2BIG, xioctl(self->fd, io[i].cmd, arg))
			TH_LOG("%s", io[i].name);
		arg[io[i].size + 7] = 0;
		*(uint32_t *)arg = io[i].size;
		for (b = 0; b < io[i].reserved_size; b++) {
			arg[io[i].reserved_offset + b] = 1;
			EXPECT_EQ(EINVAL, xioctl(self->fd, io[i].cmd, arg))
				TH_LOG("%s reserved byte %zu", io[i].name, b);
			arg[io[i].reserved_offset + b] = 0;
		}
		EXPECT_EQ(EFAULT, xioctl(self->fd, io[i].cmd, NULL));
	}
}

TEST_F(vm, rmmod_refused_while_a_vm_exists)
{
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_create_guest(self->fd, "pin", "hello", 1, 1 * MiB, &id));
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(-EWOULDBLOCK, driver_unload());
	EXPECT_TRUE(path_exists(HF_DEV));
	self->fd = open(HF_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	close(self->fd);
	self->fd = -1;
	EXPECT_EQ(0, driver_unload());
	ASSERT_EQ(0, driver_load());
	self->fd = open(HF_DEV, O_RDWR);
	ASSERT_LE(0, self->fd);
}

TEST_F(vm, vms_outlive_their_creator)
{
	struct hf_ioctl_vm_status st;
	char con[CONSOLE_MAX];
	int status, found = 0;
	uint32_t ids[64], i;
	struct hf_ioctl_vm_list l = {
		.size = sizeof(l), .count = 64, .ids = (uintptr_t)ids,
	};
	pid_t pid;

	NEED_HAFNIUM();
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		int fd = open(HF_DEV, O_RDWR);
		uint32_t id;

		_exit(fd < 0 || vm_run_guest(fd, "orphan", "spin", 1, 4 * MiB,
					     &id));
	}
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_VM_LIST, &l));
	for (i = 0; i < l.count; i++) {
		if (vm_status(self->fd, ids[i], &st) ||
		    strcmp(st.name, "orphan"))
			continue;
		found = 1;
		EXPECT_EQ((uint64_t)HF_IOCTL_VM_RUNNING, st.state);
		EXPECT_TRUE(vm_console_wait(self->fd, ids[i], "spin: spinning",
					    START_MS, con, sizeof(con)));
		EXPECT_EQ(0, vm_destroy(self->fd, ids[i]));
	}
	EXPECT_TRUE(found);
}

TEST_F(vm, sysfs_follows_the_vm)
{
	char buf[256], path[64];
	uint64_t up1, up2;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_create_guest(self->fd, "sys", "spin", 2, 4 * MiB, &id));
	snprintf(path, sizeof(path), HF_SYSFS "/vms/%u", id);
	EXPECT_TRUE(path_exists(path));
	ASSERT_EQ(0, vm_sysfs(id, "name", buf, sizeof(buf)));
	EXPECT_STREQ("sys", buf);
	ASSERT_EQ(0, vm_sysfs(id, "state", buf, sizeof(buf)));
	EXPECT_STREQ("created", buf);
	ASSERT_EQ(0, vm_sysfs(id, "vcpus", buf, sizeof(buf)));
	EXPECT_STREQ("2", buf);
	ASSERT_EQ(0, vm_sysfs(id, "memory", buf, sizeof(buf)));
	EXPECT_STREQ("4194304", buf);
	ASSERT_EQ(0, vm_sysfs(id, "mem_donated", buf, sizeof(buf)));
	EXPECT_STREQ("4194304", buf);
	EXPECT_EQ(4194304, mem_donated());
	ASSERT_EQ(0, vm_sysfs(id, "uptime", buf, sizeof(buf)));
	EXPECT_STREQ("0", buf);
	ASSERT_EQ(0, vm_sysfs(id, "exit_reason", buf, sizeof(buf)));
	EXPECT_STREQ("none", buf);
	ASSERT_EQ(0, vm_sysfs(id, "crash", buf, sizeof(buf)));
	EXPECT_STREQ("", buf);

	ASSERT_EQ(0, vm_start(self->fd, id));
	ASSERT_EQ(0, vm_sysfs(id, "state", buf, sizeof(buf)));
	EXPECT_STREQ("running", buf);
	ASSERT_EQ(0, vm_sysfs(id, "uptime", buf, sizeof(buf)));
	up1 = strtoull(buf, NULL, 10);
	usleep(50000);
	ASSERT_EQ(0, vm_sysfs(id, "uptime", buf, sizeof(buf)));
	up2 = strtoull(buf, NULL, 10);
	EXPECT_LT(up1, up2);
	ASSERT_EQ(0, vm_stop(self->fd, id));
	ASSERT_EQ(0, vm_sysfs(id, "state", buf, sizeof(buf)));
	EXPECT_STREQ("stopped", buf);
	ASSERT_EQ(0, vm_sysfs(id, "exit_reason", buf, sizeof(buf)));
	EXPECT_STREQ("stopped", buf);
	ASSERT_EQ(0, vm_destroy(self->fd, id));
	EXPECT_FALSE(path_exists(path));
	EXPECT_EQ(0, mem_donated());
}

TEST_F(vm, console_reads_from_an_offset_and_waits)
{
	struct hf_ioctl_vm_console c;
	char buf[CONSOLE_MAX];
	uint64_t start;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_create_guest(self->fd, "con", "hello", 1, 1 * MiB, &id));
	/* Nothing yet, and no wait without a timeout. */
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.vm_id = id;
	c.buf = (uintptr_t)buf;
	c.len = sizeof(buf);
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_VM_CONSOLE, &c));
	EXPECT_EQ((uint64_t)0, c.len);
	EXPECT_EQ((uint64_t)0, c.total);
	EXPECT_EQ((uint64_t)HF_IOCTL_VM_CREATED, c.state);
	/* A waiting read returns at the timeout for a VM that does not run. */
	start = now_ms();
	c.timeout_ms = 300;
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_VM_CONSOLE, &c));
	EXPECT_LE((uint64_t)250, now_ms() - start);
	EXPECT_EQ((uint64_t)0, c.len);

	ASSERT_EQ(0, vm_start(self->fd, id));
	ASSERT_EQ(0, vm_wait_end(self->fd, id, START_MS));
	c.offset = 0;
	c.len = sizeof(buf);
	c.timeout_ms = 0;
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_VM_CONSOLE, &c));
	EXPECT_EQ(c.total, c.len);
	EXPECT_STREQ("stopped", state_name(c.state));
	EXPECT_EQ((uint64_t)HF_IOCTL_CONSOLE_ENDED, c.flags);
	/* From an offset, with little room. */
	c.offset = 6;
	c.len = 4;
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_VM_CONSOLE, &c));
	EXPECT_EQ((uint64_t)6, c.offset);
	EXPECT_EQ((uint64_t)4, c.len);
	EXPECT_EQ(0, memcmp(buf, "from", 4));
	/* Past the end: nothing, at once (the VM has ended). */
	c.offset = c.total + 100;
	c.len = sizeof(buf);
	c.timeout_ms = 5000;
	start = now_ms();
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_VM_CONSOLE, &c));
	EXPECT_EQ((uint64_t)0, c.len);
	EXPECT_GT((uint64_t)1000, now_ms() - start);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
}

TEST_HARNESS_MAIN
