// SPDX-License-Identifier: GPL-2.0
/*
 * hfctl, run as a program: its output against the ioctls' answers, its
 * exit statuses (0 success, 1 error, 2 usage error) and its one-line
 * errors (docs/hfctl.md). Cases that need the hypervisor skip without it;
 * the driver is loaded at the end.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include <linux/hafnium.h>

#include "kselftest_harness.h"
#include "hf_driver.h"

#define MAX_VMS 256

/* Runs hfctl with up to 3 arguments (NULL-terminated) as root. */
#define HFCTL_RUN(r, ...)						\
	do {								\
		char *const _argv[] = { HFCTL, __VA_ARGS__, NULL };	\
		ASSERT_EQ(0, run(_argv, false, r));			\
	} while (0)

/* The value after "key:" on a line of out, spaces trimmed, into buf. */
static int value_of(const char *out, const char *key, char *buf,
		    size_t size)
{
	size_t klen = strlen(key);
	const char *line = out;

	while (line && *line) {
		if (!strncmp(line, key, klen) && line[klen] == ':') {
			const char *v = line + klen + 1;
			size_t len;

			v += strspn(v, " ");
			len = strcspn(v, "\n");
			if (len >= size)
				return -1;
			memcpy(buf, v, len);
			buf[len] = '\0';
			return 0;
		}
		line = strchr(line, '\n');
		if (line)
			line++;
	}
	return -1;
}

static void version_string(char *buf, size_t size, uint32_t v)
{
	snprintf(buf, size, "%u.%u", HF_VERSION_MAJOR(v), HF_VERSION_MINOR(v));
}

TEST(help)
{
	static const char *const commands[] = { "version", "info", "list" };
	struct run_result r;
	size_t i;

	HFCTL_RUN(&r, "--help");
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp(r.out, "Usage: hfctl ", 13)) TH_LOG("%s", r.out);
	EXPECT_STREQ("", r.err);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char line[32], usage[32];
		struct run_result c;

		snprintf(line, sizeof(line), "\n  %s ", commands[i]);
		EXPECT_NE(NULL, strstr(r.out, line)) TH_LOG("%s", commands[i]);

		HFCTL_RUN(&c, (char *)commands[i], "--help");
		snprintf(usage, sizeof(usage), "Usage: hfctl %s", commands[i]);
		EXPECT_EQ(0, c.status) TH_LOG("%s --help", commands[i]);
		EXPECT_EQ(0, strncmp(c.out, usage, strlen(usage)))
			TH_LOG("%s --help: %s", commands[i], c.out);
		EXPECT_STREQ("", c.err);
	}

	HFCTL_RUN(&r, "--version");
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp(r.out, "hfctl ", 6)) TH_LOG("%s", r.out);
	EXPECT_EQ(strlen(r.out) - 1, strcspn(r.out, "\n")) TH_LOG("one line");
}

TEST(usage_errors_exit_2)
{
	static const struct hfctl_error_case cases[] = {
		{ { HFCTL }, "hfctl: no command given (see hfctl --help)\n" },
		{ { HFCTL, "bogus" },
		  "hfctl: unknown command 'bogus' (see hfctl --help)\n" },
		{ { HFCTL, "--bogus" },
		  "hfctl: unknown option '--bogus' (see hfctl --help)\n" },
		{ { HFCTL, "list", "--bogus" },
		  "hfctl: list: unknown option '--bogus' (see hfctl list --help)\n" },
		{ { HFCTL, "version", "extra" },
		  "hfctl: version: unexpected argument 'extra' (see hfctl version --help)\n" },
		{ { HFCTL, "version", "--json" },
		  "hfctl: version: unknown option '--json' (see hfctl version --help)\n" },
	};

	expect_hfctl_errors(_metadata, cases, sizeof(cases) / sizeof(cases[0]),
			    2);
}

/* Checked before the device is opened: no hafnium needed. */
TEST(irq_bad_input_exit_2)
{
	static const struct hfctl_error_case cases[] = {
		{ { HFCTL, "irq", "vm", "0" },
		  "hfctl: irq: intid 0 is not a software interrupt (16..63) (see hfctl irq --help)\n" },
		{ { HFCTL, "irq", "vm", "3" },
		  "hfctl: irq: intid 3 is not a software interrupt (16..63) (see hfctl irq --help)\n" },
		{ { HFCTL, "irq", "vm", "64" },
		  "hfctl: irq: intid 64 is not a software interrupt (16..63) (see hfctl irq --help)\n" },
		{ { HFCTL, "irq", "vm", "x" },
		  "hfctl: irq: invalid intid 'x' (see hfctl irq --help)\n" },
		{ { HFCTL, "irq", "vm", "16", "--vcpu=x" },
		  "hfctl: irq: invalid vCPU 'x' (see hfctl irq --help)\n" },
		{ { HFCTL, "irq", "vm" },
		  "hfctl: irq: no intid given (see hfctl irq --help)\n" },
		{ { HFCTL, "irq" },
		  "hfctl: irq: no VM given (see hfctl irq --help)\n" },
		{ { HFCTL, "irq", "vm", "16", "17" },
		  "hfctl: irq: unexpected argument '17' (see hfctl irq --help)\n" },
	};

	expect_hfctl_errors(_metadata, cases, sizeof(cases) / sizeof(cases[0]),
			    2);
}

/* Targets that are refused without a guest to take the interrupt. */
TEST(irq_bad_target_exit_1)
{
	static const struct hfctl_error_case cases[] = {
		{ { HFCTL, "irq", "no-such-vm", "16" },
		  "hfctl: irq: no VM 'no-such-vm': No such file or directory\n" },
		{ { HFCTL, "irq", "65535", "16" },
		  "hfctl: irq: no VM '65535': No such file or directory\n" },
		{ { HFCTL, "irq", "primary", "16" },
		  "hfctl: irq: VM 1 (primary): HF_IOCTL_VM_IRQ: Invalid argument (the primary VM is not controlled by hfctl)\n" },
	};
	int fd;

	OPEN_DEV(fd);
	close(fd);
	expect_hfctl_errors(_metadata, cases, sizeof(cases) / sizeof(cases[0]),
			    1);
}

TEST(without_driver_exit_1)
{
	static const char err[] = "hfctl: " HF_DEV
		": No such file or directory (is hafnium.ko loaded?)\n";
	struct run_result r;

	ASSERT_EQ(0, driver_unload());
	HFCTL_RUN(&r, "info");
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ(err, r.err);
	HFCTL_RUN(&r, "list", "--json");
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ(err, r.err);
	if (under_hafnium())
		ASSERT_EQ(0, driver_load());
}

TEST(as_non_root_exit_1)
{
	char *const argv[] = { HFCTL, "info", NULL };
	struct run_result r;
	int fd;

	OPEN_DEV(fd);
	close(fd);
	ASSERT_EQ(0, run(argv, true, &r));
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ("hfctl: " HF_DEV ": Permission denied (run as root)\n",
		     r.err);
}

TEST(version)
{
	struct hf_ioctl_version v = { .size = sizeof(v) };
	char want[32], got[32];
	struct run_result r;
	int fd;

	OPEN_DEV(fd);
	ASSERT_EQ(0, ioctl(fd, HF_IOCTL_VERSION, &v));
	close(fd);

	HFCTL_RUN(&r, "version");
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.err);
	ASSERT_EQ(0, value_of(r.out, "hfctl", got, sizeof(got)));
	EXPECT_STRNE("", got);
	version_string(want, sizeof(want), v.driver_version);
	ASSERT_EQ(0, value_of(r.out, "driver", got, sizeof(got)));
	EXPECT_STREQ(want, got);
	version_string(want, sizeof(want), v.abi_version);
	ASSERT_EQ(0, value_of(r.out, "FF-A", got, sizeof(got)));
	EXPECT_STREQ(want, got);
	version_string(want, sizeof(want), v.hf_abi_version);
	ASSERT_EQ(0, value_of(r.out, "hafnium ABI", got, sizeof(got)));
	EXPECT_STREQ(want, got);
}

TEST(info)
{
	struct hf_ioctl_hyp_info h = { .size = sizeof(h) };
	char want[64], got[64];
	struct run_result r;
	size_t len;
	int fd;

	OPEN_DEV(fd);
	ASSERT_EQ(0, ioctl(fd, HF_IOCTL_HYP_INFO, &h));
	close(fd);

	HFCTL_RUN(&r, "info");
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.err);
	version_string(want, sizeof(want), h.abi_version);
	ASSERT_EQ(0, value_of(r.out, "hafnium ABI", got, sizeof(got)));
	EXPECT_STREQ(want, got);
	snprintf(want, sizeof(want), "%u", h.cpu_count);
	ASSERT_EQ(0, value_of(r.out, "CPUs", got, sizeof(got)));
	EXPECT_STREQ(want, got);
	snprintf(want, sizeof(want), "%u (at most %u)", h.vm_count,
		 h.max_vms);
	ASSERT_EQ(0, value_of(r.out, "VMs", got, sizeof(got)));
	EXPECT_STREQ(want, got);
	snprintf(want, sizeof(want), "at most %u", h.max_vcpus);
	ASSERT_EQ(0, value_of(r.out, "vCPUs per VM", got, sizeof(got)));
	EXPECT_STREQ(want, got);
	/* "1020M (1069547520 bytes)": the exact figure at the end. */
	snprintf(want, sizeof(want), " (%llu bytes)",
		 (unsigned long long)h.mem_available);
	ASSERT_EQ(0, value_of(r.out, "memory for VMs", got, sizeof(got)));
	len = strlen(got);
	ASSERT_LT(strlen(want), len);
	EXPECT_STREQ(want, got + len - strlen(want));
}

/* The VMs as the ioctls describe them; returns their number. */
static uint32_t vm_infos(struct __test_metadata *_metadata, int fd,
			 struct hf_ioctl_vm_info *vms)
{
	uint32_t ids[MAX_VMS], i;
	struct hf_ioctl_vm_list l = {
		.size = sizeof(l), .count = MAX_VMS, .ids = (uintptr_t)ids,
	};

	ASSERT_EQ(0, ioctl(fd, HF_IOCTL_VM_LIST, &l));
	for (i = 0; i < l.count; i++) {
		memset(&vms[i], 0, sizeof(vms[i]));
		vms[i].size = sizeof(vms[i]);
		vms[i].vm_id = ids[i];
		ASSERT_EQ(0, ioctl(fd, HF_IOCTL_VM_INFO, &vms[i]));
	}
	return l.count;
}

static const char *state_name(uint32_t state)
{
	static const char *const names[] = {
		"created", "running", "stopped", "crashed",
	};

	return state < 4 ? names[state] : "?";
}

TEST(list)
{
	static struct hf_ioctl_vm_info vms[MAX_VMS];
	char id[16], name[64], state[16], vcpus[16], mem[16];
	const char *line;
	struct run_result r;
	uint32_t count, i;
	int fd;

	OPEN_DEV(fd);
	count = vm_infos(_metadata, fd, vms);
	close(fd);

	HFCTL_RUN(&r, "list");
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.err);
	ASSERT_EQ(5, sscanf(r.out, "%15s %63s %15s %15s %15s", id, name, state,
			    vcpus, mem));
	EXPECT_STREQ("ID", id);
	EXPECT_STREQ("NAME", name);
	EXPECT_STREQ("STATE", state);
	EXPECT_STREQ("VCPUS", vcpus);
	EXPECT_STREQ("MEMORY", mem);

	line = r.out;
	for (i = 0; i < count; i++) {
		unsigned int n;

		line = strchr(line, '\n');
		ASSERT_NE(NULL, line) TH_LOG("no line for VM %u", vms[i].vm_id);
		line++;
		ASSERT_EQ(5, sscanf(line, "%u %63s %15s %15s %15s", &n, name,
				    state, vcpus, mem)) TH_LOG("%s", line);
		EXPECT_EQ(vms[i].vm_id, n);
		EXPECT_STREQ(vms[i].name, name);
		EXPECT_STREQ(state_name(vms[i].state), state);
		EXPECT_EQ(vms[i].vcpu_count, strtoul(vcpus, NULL, 10));
	}
	/* And nothing after the last VM. */
	EXPECT_STREQ("", strchr(line, '\n') + 1);
}

/* Removes the "uptime_ns" members of hfctl list --json's output. */
static void strip_uptimes(char *out)
{
	static const char key[] = ", \"uptime_ns\": ";
	char *p, *end;

	while ((p = strstr(out, key))) {
		end = p + strlen(key);
		end += strspn(end, "0123456789");
		memmove(p, end, strlen(end) + 1);
	}
}

TEST(list_json)
{
	static struct hf_ioctl_vm_info vms[MAX_VMS];
	char want[8192];
	struct run_result r;
	uint32_t count, i;
	size_t len = 0;
	int fd;

	OPEN_DEV(fd);
	count = vm_infos(_metadata, fd, vms);
	close(fd);

	/* The documented format, exactly (docs/hfctl.md). */
	len += snprintf(want + len, sizeof(want) - len, "[");
	for (i = 0; i < count; i++) {
		len += snprintf(want + len, sizeof(want) - len,
				"%s\n  {\"id\": %u, \"name\": \"%s\", \"state\": \"%s\", \"vcpus\": %u, \"memory\": %llu}",
				i ? "," : "", vms[i].vm_id, vms[i].name,
				state_name(vms[i].state), vms[i].vcpu_count,
				(unsigned long long)vms[i].mem_size);
		ASSERT_GT(sizeof(want), len);
	}
	snprintf(want + len, sizeof(want) - len, "\n]\n");

	HFCTL_RUN(&r, "list", "--json");
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.err);
	/* Uptimes change from one call to the next: compared without them. */
	strip_uptimes(r.out);
	EXPECT_STREQ(want, r.out);
	EXPECT_NE(NULL, strstr(r.out, "{\"id\": 1, \"name\": \"primary\", \"state\": \"running\""));
}

TEST_HARNESS_MAIN
