// SPDX-License-Identifier: GPL-2.0
/*
 * hafnium.ko on a kernel booted without hafnium: tests/check.py boots the
 * same kernel directly with hafnium.mode=test-nohyp, and /init runs only
 * this program. insmod must fail with ENODEV, say why in one kernel log
 * line, and never make a hypercall. On hardware without EL2 an HVC is an
 * undefined instruction (an oops); QEMU instead answers it with its own
 * PSCI emulation, so a hardware breakpoint on arm_smccc_1_2_hvc(), the
 * driver's only way to make one, is what shows that none is made.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <linux/hw_breakpoint.h>
#include <linux/perf_event.h>

#include "kselftest_harness.h"
#include "hf_driver.h"

#define ATTEMPTS 3
#define NOHYP_LINE "hafnium: no \"hafnium,hafnium\" node in the device tree: not running under the hafnium hypervisor"

/* klogctl() actions, from the syslog(2) manual. */
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* How many kernel log lines contain needle; -1 if the log is unreadable. */
static int klog_count(const char *needle)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	int len, count = 0;
	char *log, *p;

	if (size <= 0)
		return -1;
	log = malloc(size + 1);
	if (!log)
		return -1;
	len = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
	if (len < 0) {
		free(log);
		return -1;
	}
	log[len] = '\0';
	for (p = log; (p = strstr(p, needle)); p += strlen(needle))
		count++;
	free(log);
	return count;
}

#define MAX_CPUS 64

/* A kernel symbol's address from /proc/kallsyms; 0 if not found. */
static unsigned long ksym(const char *name)
{
	unsigned long addr, found = 0;
	char line[256], sym[128], type;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "%lx %c %127s", &addr, &type, sym) == 3 &&
		    !strcmp(sym, name)) {
			found = addr;
			break;
		}
	}
	fclose(f);
	return found;
}

/* Counts executions of the kernel instruction at addr, on every CPU. */
struct breakpoint {
	int fds[MAX_CPUS];
	int cpus;
};

static int breakpoint_open(struct breakpoint *bp, unsigned long addr)
{
	struct perf_event_attr attr = {
		.type = PERF_TYPE_BREAKPOINT,
		.size = sizeof(attr),
		.bp_type = HW_BREAKPOINT_X,
		.bp_addr = addr,
		.bp_len = sizeof(long),
	};
	int cpu;

	bp->cpus = sysconf(_SC_NPROCESSORS_ONLN);
	if (bp->cpus < 1 || bp->cpus > MAX_CPUS)
		return -ERANGE;
	for (cpu = 0; cpu < bp->cpus; cpu++) {
		/* pid -1: whatever runs on this CPU. */
		bp->fds[cpu] = syscall(SYS_perf_event_open, &attr, -1, cpu, -1,
				       0);
		if (bp->fds[cpu] < 0)
			return -errno;
	}
	return 0;
}

static long long breakpoint_hits(struct breakpoint *bp)
{
	long long total = 0, count;
	int cpu;

	for (cpu = 0; cpu < bp->cpus; cpu++) {
		if (read(bp->fds[cpu], &count, sizeof(count)) != sizeof(count))
			return -1;
		total += count;
	}
	return total;
}

static void breakpoint_close(struct breakpoint *bp)
{
	int cpu;

	for (cpu = 0; cpu < bp->cpus; cpu++)
		close(bp->fds[cpu]);
}

TEST(booted_without_hafnium)
{
	ASSERT_FALSE(under_hafnium())
		TH_LOG("the no-hypervisor tests ran under hafnium");
}

TEST(insmod_fails_with_enodev_and_one_log_line)
{
	int i, fd, before, after;

	ASSERT_FALSE(under_hafnium());
	for (i = 0; i < ATTEMPTS; i++) {
		before = klog_count(NOHYP_LINE);
		ASSERT_LE(0, before);
		fd = open(HF_DRIVER, O_RDONLY);
		ASSERT_LE(0, fd) TH_LOG("%s: %s", HF_DRIVER, strerror(errno));
		EXPECT_EQ(-1, syscall(SYS_finit_module, fd, "", 0));
		EXPECT_EQ(ENODEV, errno) TH_LOG("errno %s", strerror(errno));
		close(fd);
		after = klog_count(NOHYP_LINE);
		EXPECT_EQ(before + 1, after) TH_LOG("attempt %d", i);
	}
}

TEST(insmod_makes_no_hypercall)
{
	unsigned long hvc = ksym("arm_smccc_1_2_hvc");
	unsigned long lookup = ksym("of_find_compatible_node");
	struct breakpoint hvc_bp, lookup_bp;
	int fd;

	ASSERT_FALSE(under_hafnium());
	ASSERT_NE(0UL, hvc);
	ASSERT_NE(0UL, lookup);
	ASSERT_EQ(0, breakpoint_open(&hvc_bp, hvc));
	/* Control: a breakpoint sees the driver's init run. */
	ASSERT_EQ(0, breakpoint_open(&lookup_bp, lookup));

	fd = open(HF_DRIVER, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, syscall(SYS_finit_module, fd, "", 0));
	EXPECT_EQ(ENODEV, errno);
	close(fd);

	EXPECT_LE(1, breakpoint_hits(&lookup_bp));
	EXPECT_EQ(0, breakpoint_hits(&hvc_bp));
	breakpoint_close(&hvc_bp);
	breakpoint_close(&lookup_bp);
}

TEST(nothing_left_behind)
{
	int fd;

	ASSERT_FALSE(under_hafnium());
	fd = open(HF_DRIVER, O_RDONLY);
	ASSERT_LE(0, fd);
	EXPECT_EQ(-1, syscall(SYS_finit_module, fd, "", 0));
	close(fd);
	EXPECT_FALSE(path_exists(HF_MODULE_SYSFS));
	EXPECT_FALSE(path_exists(HF_DEV));
	EXPECT_FALSE(path_exists(HF_SYSFS));
}

TEST(hfctl_names_the_missing_driver)
{
	char *const argv[] = { HFCTL, "info", NULL };
	struct run_result r;

	ASSERT_EQ(0, run(argv, false, &r));
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ("hfctl: " HF_DEV ": No such file or directory (is hafnium.ko loaded?)\n",
		     r.err);
}

TEST_HARNESS_MAIN
