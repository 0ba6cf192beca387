// SPDX-License-Identifier: GPL-2.0
/*
 * hfctl's VM commands, run as a program (docs/hfctl.md): create, start,
 * stop, destroy, list, info, console, run and irq, against the ioctls'
 * answers; and each bad input's one line on stderr with its errno, exit
 * status 1 (2 for usage errors), nothing on stdout and nothing left
 * behind. Cases skip without hafnium.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_vm.h"

#define PRIMARY_INFO \
	"id:           1\nname:         primary\nstate:        running\n"
#define HELLO GUESTS "hello.bin"
#define SPIN GUESTS "spin.bin"
#define FAULT GUESTS "fault.bin"

HF_DEV_FIXTURE(hfctl)


/* Runs hfctl with the arguments (NULL-terminated by the macro) as root. */
#define RUN_HFCTL(r, ...)							\
	do {								\
		char *const _argv[] = { HFCTL, __VA_ARGS__, NULL };	\
		ASSERT_EQ(0, run(_argv, false, r));			\
	} while (0)

/* Exit status 1, nothing on stdout, exactly `line` on stderr. */
#define EXPECT_ERROR(r, line)						\
	do {								\
		EXPECT_EQ(1, (r)->status) TH_LOG("%s", (r)->err);	\
		EXPECT_STREQ("", (r)->out);				\
		EXPECT_STREQ(line "\n", (r)->err);			\
	} while (0)

/* The id of the VM with this name, or 0. */
static uint32_t vm_id_of(int fd, const char *name)
{
	uint32_t ids[64], i;
	struct hf_ioctl_vm_list l = {
		.size = sizeof(l), .count = 64, .ids = (uintptr_t)ids,
	};
	struct hf_ioctl_vm_status st;

	if (xioctl(fd, HF_IOCTL_VM_LIST, &l))
		return 0;
	for (i = 0; i < l.count; i++) {
		if (!vm_status(fd, ids[i], &st) && !strcmp(st.name, name))
			return ids[i];
	}
	return 0;
}

static int vm_count(int fd)
{
	uint32_t ids[64];
	struct hf_ioctl_vm_list l = {
		.size = sizeof(l), .count = 64, .ids = (uintptr_t)ids,
	};

	return xioctl(fd, HF_IOCTL_VM_LIST, &l) ? -1 : (int)l.count;
}

/* The line of `out` that starts with `start`, copied into buf. */
static const char *line_of(const char *out, const char *start, char *buf,
			   size_t size)
{
	const char *p = out;

	while (p && *p) {
		if (!strncmp(p, start, strlen(start))) {
			size_t len = strcspn(p, "\n");

			if (len >= size)
				len = size - 1;
			memcpy(buf, p, len);
			buf[len] = '\0';
			return buf;
		}
		p = strchr(p, '\n');
		if (p)
			p++;
	}
	return NULL;
}

TEST_F(hfctl, help_names_the_vm_commands)
{
	static const char *const commands[] = {
		"create", "start", "stop", "destroy", "console", "run",
	};
	static struct run_result all, r;
	size_t i;

	RUN_HFCTL(&all, "--help");
	EXPECT_EQ(0, all.status);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		char want[64];

		snprintf(want, sizeof(want), "\n  %s ", commands[i]);
		EXPECT_NE(NULL, strstr(all.out, want)) TH_LOG("%s", commands[i]);
		RUN_HFCTL(&r, (char *)commands[i], "--help");
		snprintf(want, sizeof(want), "Usage: hfctl %s ", commands[i]);
		EXPECT_EQ(0, r.status);
		EXPECT_EQ(0, strncmp(r.out, want, strlen(want))) TH_LOG("%s", r.out);
		EXPECT_STREQ("", r.err);
	}
}

TEST_F(hfctl, usage_errors_exit_2)
{
	static const struct hfctl_error_case cases[] = {
		{ { HFCTL, "create" },
		  "hfctl: create: no VM name given (see hfctl create --help)\n" },
		{ { HFCTL, "create", "x" },
		  "hfctl: create: no --image given (see hfctl create --help)\n" },
		{ { HFCTL, "create", "x", "--image", HELLO, "--mem", "12Q" },
		  "hfctl: create: invalid size '12Q' (see hfctl create --help)\n" },
		{ { HFCTL, "create", "x", "--image", HELLO, "--mem", "-1" },
		  "hfctl: create: invalid size '-1' (see hfctl create --help)\n" },
		{ { HFCTL, "create", "x", "--image", HELLO, "--vcpus", "two" },
		  "hfctl: create: invalid vCPU count 'two' (see hfctl create --help)\n" },
		{ { HFCTL, "create", "x", "y", "--image", HELLO },
		  "hfctl: create: unexpected argument 'y' (see hfctl create --help)\n" },
		{ { HFCTL, "create", "x", "--image" },
		  "hfctl: create: option '--image' needs a value (see hfctl create --help)\n" },
		{ { HFCTL, "start" },
		  "hfctl: start: no VM given (see hfctl start --help)\n" },
		{ { HFCTL, "stop", "a", "b" },
		  "hfctl: stop: unexpected argument 'b' (see hfctl stop --help)\n" },
		{ { HFCTL, "destroy", "--force", "a" },
		  "hfctl: destroy: unknown option '--force' (see hfctl destroy --help)\n" },
		{ { HFCTL, "console", "-x", "a" },
		  "hfctl: console: unknown option '-x' (see hfctl console --help)\n" },
		{ { HFCTL, "info", "a", "b" },
		  "hfctl: info: unexpected argument 'b' (see hfctl info --help)\n" },
		{ { HFCTL, "run", "x" },
		  "hfctl: run: no --image given (see hfctl run --help)\n" },
	};

	expect_hfctl_errors(_metadata, cases, sizeof(cases) / sizeof(cases[0]),
			    2);
}

TEST_F(hfctl, run_hello_exits_0)
{
	struct run_result r;

	NEED_HAFNIUM();
	RUN_HFCTL(&r, "run", "hi", "--image", HELLO, "--rm");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.err);
	EXPECT_EQ(0, strncmp(r.out, "hello from ", 11)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, ": 1 vCPUs, 16 MiB\n"));
	/* --rm: gone. */
	EXPECT_EQ((uint64_t)0, vm_id_of(self->fd, "hi"));
	/* Without --rm it stays, stopped; options may come first. */
	RUN_HFCTL(&r, "run", "--mem", "4M", "--vcpus=2", "--image", HELLO, "hi");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.out, ": 2 vCPUs, 4 MiB\n")) TH_LOG("%s", r.out);
	RUN_HFCTL(&r, "info", "hi");
	EXPECT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "\nstate:        stopped\n")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\nexit:         poweroff\n"));
	RUN_HFCTL(&r, "destroy", "hi");
	EXPECT_EQ(0, r.status);
}

TEST_F(hfctl, run_fault_exits_1_with_the_crash_report)
{
	struct hf_ioctl_vm_status st;
	char want[256], line[256];
	unsigned long long addr;
	struct run_result r;
	const char *at;
	uint32_t id;

	NEED_HAFNIUM();
	RUN_HFCTL(&r, "run", "fault", "--image", FAULT);
	EXPECT_EQ(1, r.status);
	at = strstr(r.out, "fault: reading 0x");
	ASSERT_NE(NULL, at) TH_LOG("%s", r.out);
	addr = strtoull(at + strlen("fault: reading "), NULL, 16);
	id = vm_id_of(self->fd, "fault");
	ASSERT_NE((uint64_t)0, id);
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	snprintf(want, sizeof(want),
		 "hfctl: run: VM %u (fault) crashed: vCPU 0: data abort from a lower exception level (EC 0x24, ESR 0x%llx), FAR 0x%llx, ELR 0x%llx\n",
		 id, (unsigned long long)st.exit_esr, addr,
		 (unsigned long long)st.exit_elr);
	EXPECT_STREQ(want, r.err);

	RUN_HFCTL(&r, "info", "fault");
	EXPECT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "\nstate:        crashed\n")) TH_LOG("%s", r.out);
	snprintf(want, sizeof(want), "  FAR:        0x%016llx", addr);
	EXPECT_NE(NULL, line_of(r.out, "  FAR:", line, sizeof(line)));
	EXPECT_STREQ(want, line);
	EXPECT_NE(NULL, line_of(r.out, "  class:", line, sizeof(line)));
	EXPECT_STREQ("  class:      data abort from a lower exception level (EC 0x24)",
		     line);
	RUN_HFCTL(&r, "destroy", "fault");
	EXPECT_EQ(0, r.status);
}

TEST_F(hfctl, run_of_a_stopped_vm_exits_1)
{
	char *const argv[] = {
		HFCTL, "run", "victim", "--image", SPIN, "--mem", "4M", NULL,
	};
	char con[256], want[128];
	struct run_result *r;
	uint64_t deadline;
	uint32_t id = 0;
	int status;
	pid_t pid;

	NEED_HAFNIUM();
	r = mmap(NULL, sizeof(*r), PROT_READ | PROT_WRITE,
		 MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, r);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0)
		_exit(run(argv, false, r) ? 99 : 0);
	deadline = now_ms() + 20000;
	while (!id && now_ms() < deadline) {
		usleep(10000);
		id = vm_id_of(self->fd, "victim");
	}
	ASSERT_NE((uint64_t)0, id);
	EXPECT_TRUE(vm_console_wait(self->fd, id, "spin: spinning", 20000, con,
				    sizeof(con)));
	EXPECT_EQ(0, vm_stop(self->fd, id));
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_EQ(0, WEXITSTATUS(status));
	EXPECT_EQ(1, r->status);
	EXPECT_STREQ("spin: spinning\n", r->out);
	snprintf(want, sizeof(want), "hfctl: run: VM %u (victim) was stopped\n",
		 id);
	EXPECT_STREQ(want, r->err);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	munmap(r, sizeof(*r));
}

/*
 * An arm64 Image (text_offset 512K, image_size 4K) whose code sends its own
 * address (adr) to the console as 8 bytes, then powers off.
 */
static const uint32_t arm64_image[] = {
	0x14000010, 0x00000000,	/* b 64; code1 */
	0x00080000, 0x00000000,	/* text_offset */
	0x00001000, 0x00000000,	/* image_size */
	0, 0, 0, 0, 0, 0, 0, 0,	/* flags, res2..res4 */
	0x644d5241, 0x00000000,	/* "ARM\x64", res5 */
	0x10000002,		/* 64: adr x2, . */
	0xd2800120, 0xf2b8c000,	/* x0 = HF_DEBUG_LOG */
	0xd2800101,		/* x1 = 8 */
	0xd4000002,		/* hvc #0 */
	0x52800100, 0x72b08000,	/* w0 = PSCI SYSTEM_OFF */
	0xd4000002,		/* hvc #0 */
	0x14000000,		/* b . */
};

TEST_F(hfctl, create_loads_an_arm64_image_at_its_text_offset)
{
	static const char path[] = "/tmp/hfctl_vm_test.Image";
	struct hf_ioctl_vm_status st;
	struct run_result r;
	uint64_t pc = 0;
	char con[64];
	bool ended;
	uint32_t id;
	int f;

	NEED_HAFNIUM();
	f = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ASSERT_LE(0, f);
	ASSERT_EQ((ssize_t)sizeof(arm64_image),
		  write(f, arm64_image, sizeof(arm64_image)));
	close(f);
	RUN_HFCTL(&r, "create", "image", "--image", (char *)path, "--mem", "1M");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	id = vm_id_of(self->fd, "image");
	ASSERT_NE((uint64_t)0, id);
	RUN_HFCTL(&r, "start", "image");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	ASSERT_EQ(0, vm_wait_end(self->fd, id, 20000));
	ASSERT_EQ(0, vm_console_read(self->fd, id, con, sizeof(con), 0, &ended));
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_POWEROFF, st.exit_reason);
	EXPECT_EQ((uint64_t)8, st.console_total);
	memcpy(&pc, con, sizeof(pc));
	/* Entered at RAM + text_offset, where the code was loaded. */
	EXPECT_EQ(HF_IOCTL_VM_RAM_BASE + 0x80000 + 64, pc);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	/* Its image_size must fit too: 512K + 4K does not in 512K. */
	RUN_HFCTL(&r, "create", "image", "--image", (char *)path, "--mem", "512K");
	EXPECT_EQ(1, r.status);
	EXPECT_NE(NULL, strstr(r.err, "File too large (it needs 528384 bytes")) TH_LOG("%s", r.err);
	unlink(path);
}

TEST_F(hfctl, create_start_list_console_stop_destroy)
{
	char want[128], line[256], id_s[16];
	char name[32], state[16], vcpus[8], mem[16], up[16];
	struct run_result r;
	unsigned int n;
	uint32_t id;

	NEED_HAFNIUM();
	RUN_HFCTL(&r, "create", "spinner", "--image", SPIN, "--mem", "8M",
	      "--vcpus", "2");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.err);
	id = vm_id_of(self->fd, "spinner");
	ASSERT_NE((uint64_t)0, id);
	snprintf(want, sizeof(want), "VM %u (spinner) created: 2 vCPUs, 8M\n",
		 id);
	EXPECT_STREQ(want, r.out);
	snprintf(id_s, sizeof(id_s), "%u", id);

	RUN_HFCTL(&r, "list");
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp(r.out, "ID", 2));
	EXPECT_NE(NULL, strstr(r.out, "UPTIME\n")) TH_LOG("%s", r.out);
	ASSERT_NE(NULL, line_of(r.out, id_s, line, sizeof(line)));
	ASSERT_EQ(6, sscanf(line, "%u %31s %15s %7s %15s %15s", &n, name,
			    state, vcpus, mem, up)) TH_LOG("%s", line);
	EXPECT_STREQ("spinner", name);
	EXPECT_STREQ("created", state);
	EXPECT_STREQ("2", vcpus);
	EXPECT_STREQ("8M", mem);
	EXPECT_STREQ("-", up);

	/* By id, then by name. */
	RUN_HFCTL(&r, "start", id_s);
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.out);
	RUN_HFCTL(&r, "list", "--json");
	EXPECT_EQ(0, r.status);
	snprintf(want, sizeof(want),
		 "{\"id\": %u, \"name\": \"spinner\", \"state\": \"running\", \"vcpus\": 2, \"memory\": 8388608, \"uptime_ns\": ",
		 id);
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("%s", r.out);
	EXPECT_TRUE(vm_console_wait(self->fd, id, "spin: spinning", 20000,
				    line, sizeof(line)));
	RUN_HFCTL(&r, "console", "spinner");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("spin: spinning\n", r.out);
	EXPECT_STREQ("", r.err);
	RUN_HFCTL(&r, "info", "spinner");
	EXPECT_EQ(0, r.status);
	EXPECT_NE(NULL, strstr(r.out, "\nstate:        running\n")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\nconsole:      15 bytes\n"));

	RUN_HFCTL(&r, "stop", "spinner");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	RUN_HFCTL(&r, "info", id_s);
	EXPECT_NE(NULL, strstr(r.out, "\nstate:        stopped\n")) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\nexit:         stopped\n"));
	/* Follow on a VM that has ended: what there is, then exit. */
	RUN_HFCTL(&r, "console", "-f", "spinner");
	EXPECT_EQ(0, r.status);
	EXPECT_STREQ("spin: spinning\n", r.out);

	RUN_HFCTL(&r, "destroy", "spinner");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.out);
	EXPECT_EQ((uint64_t)0, vm_id_of(self->fd, "spinner"));
	RUN_HFCTL(&r, "list");
	EXPECT_EQ(NULL, strstr(r.out, "spinner"));
}

TEST_F(hfctl, console_follow_ends_with_the_vm)
{
	struct run_result r;
	pid_t pid;
	int status;
	uint32_t id;

	NEED_HAFNIUM();
	RUN_HFCTL(&r, "create", "follow", "--image", SPIN, "--mem", "4M");
	ASSERT_EQ(0, r.status);
	id = vm_id_of(self->fd, "follow");
	RUN_HFCTL(&r, "start", "follow");
	ASSERT_EQ(0, r.status);
	/* Stops it in a second, while hfctl follows. */
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		sleep(1);
		_exit(vm_stop(self->fd, id));
	}
	RUN_HFCTL(&r, "console", "--follow", "follow");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("spin: spinning\n", r.out);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	EXPECT_EQ(0, WEXITSTATUS(status));
	RUN_HFCTL(&r, "destroy", "follow");
	EXPECT_EQ(0, r.status);
}

TEST_F(hfctl, bad_create_one_line_each_nothing_left)
{
	struct hf_ioctl_hyp_info h = { .size = sizeof(h) };
	char want[256], mem[16];
	struct run_result r;
	int before;

	NEED_HAFNIUM();
	ASSERT_EQ(0, xioctl(self->fd, HF_IOCTL_HYP_INFO, &h));
	before = vm_count(self->fd);

	RUN_HFCTL(&r, "create", "big", "--image", HF_DRIVER, "--mem", "64K");
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	EXPECT_EQ(0, strncmp(r.err, "hfctl: create: image '" HF_DRIVER "': File too large (it needs ",
			     strlen("hfctl: create: image '" HF_DRIVER "': File too large (it needs ")))
		TH_LOG("%s", r.err);
	EXPECT_NE(NULL, strstr(r.err, " bytes of the VM's memory; --mem 64K leaves 57344 after the VM's device tree)\n"));

	RUN_HFCTL(&r, "create", "x", "--image", HELLO, "--mem", "0");
	EXPECT_ERROR(&r, "hfctl: create: --mem 0: Invalid argument (a multiple of 4K, at least 64K)");
	RUN_HFCTL(&r, "create", "x", "--image", HELLO, "--mem", "1000");
	EXPECT_ERROR(&r, "hfctl: create: --mem 1000: Invalid argument (a multiple of 4K, at least 64K)");
	RUN_HFCTL(&r, "create", "x", "--image", HELLO, "--mem", "60K");
	EXPECT_ERROR(&r, "hfctl: create: --mem 60K: Invalid argument (a multiple of 4K, at least 64K)");
	RUN_HFCTL(&r, "create", "x", "--image", HELLO, "--mem", "2000M");
	EXPECT_EQ(1, r.status);
	EXPECT_EQ(0, strncmp(r.err, "hfctl: create: --mem 2000M: Cannot allocate memory (",
			     strlen("hfctl: create: --mem 2000M: Cannot allocate memory (")))
		TH_LOG("%s", r.err);
	/* More than the hypervisor's pages for one VM can map, however much
	 * memory is free. */
	RUN_HFCTL(&r, "create", "x", "--image", HELLO, "--mem", "2030M");
	EXPECT_ERROR(&r, "hfctl: create: --mem 2030M: File too large (one VM has at most 2028M: the hypervisor's pages for a VM, 1024 at most, map no more)");
	RUN_HFCTL(&r, "create", "x", "--image", HELLO, "--vcpus", "0");
	snprintf(want, sizeof(want), "hfctl: create: --vcpus 0: Invalid argument (1 to %u)\n",
		 h.max_vcpus);
	EXPECT_STREQ(want, r.err);
	snprintf(mem, sizeof(mem), "%u", h.max_vcpus + 1);
	RUN_HFCTL(&r, "create", "x", "--image", HELLO, "--vcpus", mem);
	snprintf(want, sizeof(want), "hfctl: create: --vcpus %u: Invalid argument (1 to %u)\n",
		 h.max_vcpus + 1, h.max_vcpus);
	EXPECT_STREQ(want, r.err);
	EXPECT_EQ(1, r.status);
	RUN_HFCTL(&r, "create", "0123456789012345678901234567890123", "--image", HELLO);
	EXPECT_ERROR(&r, "hfctl: create: VM name '0123456789012345678901234567890123': File name too long (at most 31 bytes)");
	RUN_HFCTL(&r, "create", "", "--image", HELLO);
	EXPECT_ERROR(&r, "hfctl: create: VM name '': Invalid argument (1 to 31 bytes)");
	RUN_HFCTL(&r, "create", "42", "--image", HELLO);
	EXPECT_ERROR(&r, "hfctl: create: VM name '42': Invalid argument (a number would read as an id)");
	RUN_HFCTL(&r, "create", "x", "--image", "/nonexistent");
	EXPECT_ERROR(&r, "hfctl: create: image '/nonexistent': No such file or directory");
	RUN_HFCTL(&r, "create", "x", "--image", "/dev/null");
	EXPECT_ERROR(&r, "hfctl: create: image '/dev/null': Invalid argument (not a regular file)");
	EXPECT_EQ(before, vm_count(self->fd));

	RUN_HFCTL(&r, "create", "dup", "--image", HELLO, "--mem", "1M");
	EXPECT_EQ(0, r.status);
	RUN_HFCTL(&r, "create", "dup", "--image", HELLO, "--mem", "1M");
	EXPECT_ERROR(&r, "hfctl: create: VM name 'dup': File exists (another VM has it)");
	EXPECT_EQ(before + 1, vm_count(self->fd));
	RUN_HFCTL(&r, "destroy", "dup");
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(before, vm_count(self->fd));
}

TEST_F(hfctl, bad_lifecycle_one_line_each)
{
	char want[256];
	struct run_result r;
	uint32_t id;

	NEED_HAFNIUM();
	RUN_HFCTL(&r, "create", "life", "--image", SPIN, "--mem", "4M");
	ASSERT_EQ(0, r.status);
	id = vm_id_of(self->fd, "life");
	RUN_HFCTL(&r, "stop", "life");
	EXPECT_EQ(0, r.status);
	RUN_HFCTL(&r, "start", "life");
	snprintf(want, sizeof(want), "hfctl: start: VM %u (life): HF_IOCTL_VM_START: Invalid argument (it has ended, and a VM runs once: destroy it and create it again)\n", id);
	EXPECT_STREQ(want, r.err);
	EXPECT_EQ(1, r.status);
	RUN_HFCTL(&r, "stop", "life");
	snprintf(want, sizeof(want), "hfctl: stop: VM %u (life): HF_IOCTL_VM_STOP: Operation already in progress (it has already ended)\n", id);
	EXPECT_STREQ(want, r.err);
	RUN_HFCTL(&r, "destroy", "life");
	EXPECT_EQ(0, r.status);

	RUN_HFCTL(&r, "create", "life", "--image", SPIN, "--mem", "4M");
	ASSERT_EQ(0, r.status);
	id = vm_id_of(self->fd, "life");
	RUN_HFCTL(&r, "start", "life");
	EXPECT_EQ(0, r.status);
	RUN_HFCTL(&r, "start", "life");
	snprintf(want, sizeof(want), "hfctl: start: VM %u (life): HF_IOCTL_VM_START: Operation already in progress (it is running)\n", id);
	EXPECT_STREQ(want, r.err);
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	/* Destroy stops it first. */
	RUN_HFCTL(&r, "destroy", "life");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);

	/* Anything on a destroyed VM. */
	RUN_HFCTL(&r, "start", "life");
	EXPECT_ERROR(&r, "hfctl: start: no VM 'life': No such file or directory");
	RUN_HFCTL(&r, "stop", "life");
	EXPECT_ERROR(&r, "hfctl: stop: no VM 'life': No such file or directory");
	RUN_HFCTL(&r, "destroy", "life");
	EXPECT_ERROR(&r, "hfctl: destroy: no VM 'life': No such file or directory");
	RUN_HFCTL(&r, "info", "life");
	EXPECT_ERROR(&r, "hfctl: info: no VM 'life': No such file or directory");
	RUN_HFCTL(&r, "console", "life");
	EXPECT_ERROR(&r, "hfctl: console: no VM 'life': No such file or directory");
	snprintf(want, sizeof(want), "%u", id);
	RUN_HFCTL(&r, "destroy", want);
	snprintf(want, sizeof(want), "hfctl: destroy: no VM '%u': No such file or directory\n", id);
	EXPECT_STREQ(want, r.err);

	/* The primary is not hfctl's to start, stop or destroy. */
	RUN_HFCTL(&r, "destroy", "primary");
	EXPECT_ERROR(&r, "hfctl: destroy: VM 1 (primary): HF_IOCTL_VM_DESTROY: Operation not permitted (the primary VM is not controlled by hfctl)");
	RUN_HFCTL(&r, "info", "1");
	EXPECT_EQ(0, r.status);
	EXPECT_EQ(0, strncmp(r.out, PRIMARY_INFO, strlen(PRIMARY_INFO)))
		TH_LOG("%s", r.out);
}

TEST_F(hfctl, irq_prints_nothing_errors_one_line_each)
{
	char want[256], id_arg[16];
	struct run_result r;
	uint32_t id;

	NEED_HAFNIUM();
	RUN_HFCTL(&r, "create", "irq", "--image", SPIN, "--mem", "4M",
		  "--vcpus", "2");
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	id = vm_id_of(self->fd, "irq");
	RUN_HFCTL(&r, "irq", "irq", "16");
	snprintf(want, sizeof(want), "hfctl: irq: VM %u (irq): HF_IOCTL_VM_IRQ: No such process (it is not running)\n", id);
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ(want, r.err);
	RUN_HFCTL(&r, "irq", "irq", "--vcpu", "2", "16");
	snprintf(want, sizeof(want), "hfctl: irq: VM %u (irq) has no vCPU 2: Invalid argument (its vCPUs are 0..1)\n", id);
	EXPECT_EQ(1, r.status);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ(want, r.err);

	RUN_HFCTL(&r, "start", "irq");
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	/* Pending, then merged with it: both succeed silently. */
	snprintf(id_arg, sizeof(id_arg), "%u", id);
	RUN_HFCTL(&r, "irq", id_arg, "16");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ("", r.err);
	RUN_HFCTL(&r, "irq", "irq", "16", "--vcpu=0");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ("", r.err);
	RUN_HFCTL(&r, "irq", "--vcpu", "1", "irq", "63");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	EXPECT_STREQ("", r.out);
	EXPECT_STREQ("", r.err);
	RUN_HFCTL(&r, "destroy", "irq");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
}

/* hfctl list --json: UTF-8 names as they are, other bytes as U+FFFD
 * (docs/hfctl.md). */
TEST_F(hfctl, list_json_writes_names_in_utf8)
{
	static const char utf8[] = "caf\xc3\xa9-\xe2\x82\xac-\xf0\x9f\x98\x80";
	static const char bad[] = "x\xffy\xc3";
	char want[128];
	struct run_result r;
	uint32_t id;

	NEED_HAFNIUM();
	RUN_HFCTL(&r, "create", (char *)utf8, "--image", HELLO, "--mem", "1M");
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	RUN_HFCTL(&r, "create", (char *)bad, "--image", HELLO, "--mem", "1M");
	ASSERT_EQ(0, r.status) TH_LOG("%s", r.err);
	RUN_HFCTL(&r, "list", "--json");
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	snprintf(want, sizeof(want), "\"name\": \"%s\"", utf8);
	EXPECT_NE(NULL, strstr(r.out, want)) TH_LOG("%s", r.out);
	EXPECT_NE(NULL, strstr(r.out, "\"name\": \"x\\ufffdy\\ufffd\""))
		TH_LOG("%s", r.out);
	id = vm_id_of(self->fd, utf8);
	EXPECT_NE((uint32_t)0, id);
	RUN_HFCTL(&r, "destroy", (char *)utf8);
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
	RUN_HFCTL(&r, "destroy", (char *)bad);
	EXPECT_EQ(0, r.status) TH_LOG("%s", r.err);
}

/* Output that cannot be written is an error, like the tools around it. */
TEST_F(hfctl, full_stdout_exits_1_with_one_line)
{
	char *const argv[] = { HFCTL, "list", "--json", NULL };
	char err[256] = "";
	int errpipe[2], status, full;
	ssize_t n;
	pid_t pid;

	NEED_HAFNIUM();
	full = open("/dev/full", O_WRONLY);
	ASSERT_LE(0, full);
	ASSERT_EQ(0, pipe(errpipe));
	fflush(NULL);
	pid = fork();
	ASSERT_LE(0, pid);
	if (pid == 0) {
		dup2(full, 1);
		dup2(errpipe[1], 2);
		execv(argv[0], argv);
		_exit(127);
	}
	close(errpipe[1]);
	close(full);
	n = read(errpipe[0], err, sizeof(err) - 1);
	close(errpipe[0]);
	ASSERT_EQ(pid, waitpid(pid, &status, 0));
	ASSERT_LE(0, n);
	err[n] = '\0';
	EXPECT_TRUE(WIFEXITED(status));
	EXPECT_EQ(1, WEXITSTATUS(status));
	EXPECT_STREQ("hfctl: cannot write to standard output: No space left on device\n",
		     err);
}

TEST_HARNESS_MAIN
