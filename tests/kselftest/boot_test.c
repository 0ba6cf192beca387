// SPDX-License-Identifier: GPL-2.0
/*
 * Boot tests of the primary VM, run inside QEMU by /init's test mode.
 *
 * They pass both under hafnium and with Linux booted directly (the
 * reference), except the hypervisor-memory and GIC cases, which need the
 * hypervisor's /memreserve/ and skip without it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/klog.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_util.h"

#define CPU_SYSFS "/sys/devices/system/cpu"
#define HOTPLUG_CPUS 3 /* CPUs 1..3; CPU 0 cannot be taken offline */

/* klogctl() actions, from the syslog(2) manual. */
#define SYSLOG_ACTION_READ_ALL 3
#define SYSLOG_ACTION_SIZE_BUFFER 10

/* Reads a small file into buf without its trailing newline; -1 on error. */
static int read_line(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -1;
	buf[len] = '\0';
	if (len > 0 && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return 0;
}

TEST(kernel_started_at_el1)
{
	int size = klogctl(SYSLOG_ACTION_SIZE_BUFFER, NULL, 0);
	char *log;
	int len;

	ASSERT_LT(0, size);
	log = malloc(size + 1);
	ASSERT_NE(NULL, log);
	len = klogctl(SYSLOG_ACTION_READ_ALL, log, size);
	ASSERT_LT(0, len);
	log[len] = '\0';
	EXPECT_NE(NULL, strstr(log, "CPU: All CPU(s) started at EL1"))
		TH_LOG("kernel log lacks \"CPU: All CPU(s) started at EL1\"");
	free(log);
}

TEST(four_cpus_online)
{
	char online[64];

	ASSERT_EQ(0, read_line(CPU_SYSFS "/online", online, sizeof(online)));
	EXPECT_STREQ("0-3", online);
}

struct pinned {
	int cpu;	/* where to run */
	int ran_on;	/* where sched_getcpu() said it ran, or -1 */
};

static void *run_pinned(void *arg)
{
	struct pinned *p = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(p->cpu, &set);
	/* pid 0 is the calling thread: only this thread is pinned. */
	if (sched_setaffinity(0, sizeof(set), &set) == 0)
		p->ran_on = sched_getcpu();
	return NULL;
}

TEST(cpu_hotplug)
{
	char path[64], state[8];
	pthread_t thread;
	int cpu;

	for (cpu = 1; cpu <= HOTPLUG_CPUS; cpu++) {
		struct pinned p = { .cpu = cpu, .ran_on = -1 };

		snprintf(path, sizeof(path), CPU_SYSFS "/cpu%d/online", cpu);

		ASSERT_EQ(0, write_str(path, "0")) TH_LOG("offline cpu%d", cpu);
		ASSERT_EQ(0, read_line(path, state, sizeof(state)));
		ASSERT_STREQ("0", state) TH_LOG("cpu%d still online", cpu);

		ASSERT_EQ(0, write_str(path, "1")) TH_LOG("online cpu%d", cpu);
		ASSERT_EQ(0, read_line(path, state, sizeof(state)));
		ASSERT_STREQ("1", state) TH_LOG("cpu%d still offline", cpu);

		ASSERT_EQ(0, pthread_create(&thread, NULL, run_pinned, &p));
		ASSERT_EQ(0, pthread_join(thread, NULL));
		ASSERT_EQ(cpu, p.ran_on) TH_LOG("thread pinned to cpu%d", cpu);
	}
}

/* Start of "Kernel data" in /proc/iomem: RAM the kernel surely reads. */
static uint64_t kernel_data_start(void)
{
	unsigned long long start = 0, end;
	char line[128], name[64];
	FILE *f = fopen("/proc/iomem", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, " %llx-%llx : %63[^\n]", &start, &end,
			   name) == 3 && !strcmp(name, "Kernel data"))
			break;
		start = 0;
	}
	fclose(f);
	return start;
}

TEST(hypervisor_memory_unreadable)
{
	struct region rsv[16];
	char result[64];
	uint64_t control;
	int n, i, j, ret;

	n = fdt_memreserves(rsv, 16);
	ASSERT_LE(0, n) TH_LOG("cannot parse /sys/firmware/fdt");
	if (n == 0)
		SKIP(return, "no /memreserve/ in the FDT: not under hafnium");

	ret = load_module(PROBE_MODULE);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", PROBE_MODULE, strerror(-ret));

	/* Control: the probe must be able to say "readable". */
	control = kernel_data_start();
	ASSERT_NE(0ULL, control) TH_LOG("no \"Kernel data\" in /proc/iomem");
	ASSERT_EQ(0, mem_probe(control, result, sizeof(result)));
	ASSERT_EQ(0, strncmp(result, "readable", 8))
		TH_LOG("kernel data at 0x%" PRIx64 ": %s", control, result);

	/* Every reserved region is the hypervisor's or a secondary's. */
	for (i = 0; i < n; i++) {
		uint64_t base = rsv[i].base, size = rsv[i].size;
		/* First, middle and last 8 bytes. */
		uint64_t where[3] = { base, base + size / 2, base + size - 8 };

		ASSERT_LE(8ULL, size);
		for (j = 0; j < 3; j++) {
			uint64_t addr = where[j] & ~7ULL;

			ASSERT_EQ(0, mem_probe(addr, result, sizeof(result)))
				TH_LOG("probe of 0x%" PRIx64 " refused", addr);
			EXPECT_STREQ("fault", result)
				TH_LOG("reserved 0x%" PRIx64 "+0x%" PRIx64
				       ", probed 0x%" PRIx64, base, size, addr);
		}
	}

	/* The primary survived the faults and still reads its own memory. */
	ASSERT_EQ(0, mem_probe(control, result, sizeof(result)));
	EXPECT_EQ(0, strncmp(result, "readable", 8));
}

/* tests/kmod/hf_gic_probe.c: the GIC's LPI registers, as the primary sees
 * them. */
#define GIC_PROBE_MODULE "/lib/hafnium/tests/hf_gic_probe.ko"
#define GIC_PROBE_PROC "/proc/hf_gic_probe"

/* The value of `name` in the probe's "name value" lines, or -1. */
static int gic_probe_value(const char *text, const char *name)
{
	const char *p = text;
	size_t len = strlen(name);
	int value;

	while ((p = strstr(p, name)) != NULL) {
		if ((p == text || p[-1] == '\n') && p[len] == ' ' &&
		    sscanf(p + len, " %d", &value) == 1)
			return value;
		p += len;
	}
	return -1;
}

/*
 * The GIC writes LPI tables at addresses the kernel picks (DMA): hafnium
 * hides LPIs, refuses the table registers and never lets them be enabled.
 */
TEST(gic_lpis_hidden)
{
	struct region rsv[16];
	char *text;
	int ret;

	if (fdt_memreserves(rsv, 16) <= 0)
		SKIP(return, "no /memreserve/ in the FDT: not under hafnium");
	ret = load_module(GIC_PROBE_MODULE);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", GIC_PROBE_MODULE,
				 strerror(-ret));
	text = read_all(GIC_PROBE_PROC, NULL);
	ASSERT_NE(NULL, text) TH_LOG("read %s", GIC_PROBE_PROC);
	EXPECT_EQ(0, gic_probe_value(text, "gicd_lpis")) TH_LOG("%s", text);
	EXPECT_EQ(0, gic_probe_value(text, "gicr_plpis")) TH_LOG("%s", text);
	EXPECT_EQ(0, gic_probe_value(text, "propbaser_kept"))
		TH_LOG("%s", text);
	EXPECT_EQ(0, gic_probe_value(text, "pendbaser_kept"))
		TH_LOG("%s", text);
	EXPECT_EQ(0, gic_probe_value(text, "enable_lpis")) TH_LOG("%s", text);
	free(text);
}

/* The primary's DTB has none of the devices hafnium leaves out. */
TEST(hidden_devices_not_in_device_tree)
{
	static const char hidden[][64] = {
		"/proc/device-tree/fw-cfg@9020000",
		"/proc/device-tree/smmuv3@9050000",
		"/proc/device-tree/intc@8000000/its@8080000",
		"/proc/device-tree/virtio_mmio@a000000",
		"/proc/device-tree/platform-bus@c000000",
		"/proc/device-tree/pcie@10000000/iommu-map",
		"/proc/device-tree/pcie@10000000/msi-map",
	};
	struct region rsv[16];
	size_t i;

	if (fdt_memreserves(rsv, 16) <= 0)
		SKIP(return, "no /memreserve/ in the FDT: not under hafnium");
	ASSERT_EQ(0, access("/proc/device-tree/pcie@10000000", F_OK))
		TH_LOG("the PCIe host, behind the SMMU, must stay");
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		EXPECT_NE(0, access(hidden[i], F_OK)) TH_LOG("%s", hidden[i]);
	}
}

TEST_HARNESS_MAIN
