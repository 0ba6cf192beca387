// SPDX-License-Identifier: GPL-2.0
/*
 * hafnium.ko in the primary VM: loading and unloading, /dev/hafnium's
 * ioctls (argument checks and values), who may open it, and
 * /sys/kernel/hafnium against the ioctls (docs/driver.md).
 *
 * Every case needs the hypervisor and skips without it (make check
 * DIRECT=1); nohyp_test checks the driver on a kernel without hafnium.
 * Each case loads the driver if it is not loaded, and the driver stays
 * loaded at the end.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <time.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/hafnium.h>

#include "kselftest_harness.h"
#include "hf_driver.h"

#define LOAD_CYCLES 20
#define DT_BASE "/sys/firmware/devicetree/base"
#define PRIMARY_VM_ID 1
#define PRIMARY_NAME "primary"	/* vm1's debug_name, scripts/manifest.dts */
#define MAX_VMS 256

/* The ioctls, with what a valid argument looks like. */
struct hf_ioctl {
	const char *name;
	unsigned long cmd;
	size_t size;
	size_t reserved_offset, reserved_size;
};

#define HF_IOCTL(_cmd, _type)						\
	{ #_cmd, _cmd, sizeof(struct _type),				\
	  offsetof(struct _type, reserved),				\
	  sizeof(((struct _type *)0)->reserved) }

static const struct hf_ioctl ioctls[] = {
	HF_IOCTL(HF_IOCTL_VERSION, hf_ioctl_version),
	HF_IOCTL(HF_IOCTL_HYP_INFO, hf_ioctl_hyp_info),
	HF_IOCTL(HF_IOCTL_VM_LIST, hf_ioctl_vm_list),
	HF_IOCTL(HF_IOCTL_VM_INFO, hf_ioctl_vm_info),
	HF_IOCTL(HF_IOCTL_VM_STATUS, hf_ioctl_vm_status),
	HF_IOCTL(HF_IOCTL_VM_CONSOLE, hf_ioctl_vm_console),
};

#define N_IOCTLS (sizeof(ioctls) / sizeof(ioctls[0]))

static uint32_t vm_ids[MAX_VMS];

/* A valid argument for io in arg (io->size bytes). */
static void valid_arg(const struct hf_ioctl *io, void *arg)
{
	memset(arg, 0, io->size);
	*(uint32_t *)arg = io->size;
	if (io->cmd == HF_IOCTL_VM_LIST) {
		struct hf_ioctl_vm_list *l = arg;

		l->count = MAX_VMS;
		l->ids = (uintptr_t)vm_ids;
	} else if (io->cmd == HF_IOCTL_VM_INFO) {
		((struct hf_ioctl_vm_info *)arg)->vm_id = PRIMARY_VM_ID;
	} else if (io->cmd == HF_IOCTL_VM_STATUS) {
		((struct hf_ioctl_vm_status *)arg)->vm_id = PRIMARY_VM_ID;
	} else if (io->cmd == HF_IOCTL_VM_CONSOLE) {
		/* The primary has no console: nothing to read. */
		((struct hf_ioctl_vm_console *)arg)->vm_id = PRIMARY_VM_ID;
	}
}

/* ioctl()'s errno, or 0 if it succeeded. */
static int ioctl_errno(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

/* Reads a sysfs file without its newline into buf; 0 or -errno. */
static int read_attr(const char *path, char *buf, size_t size)
{
	ssize_t len;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -errno;
	len = read(fd, buf, size - 1);
	close(fd);
	if (len < 0)
		return -errno;
	buf[len] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
	return 0;
}

/* CPUs the kernel may ever use: "0-3" -> 4. */
static int possible_cpus(void)
{
	char buf[64], *p = buf;
	int count = 0;

	if (read_attr("/sys/devices/system/cpu/possible", buf, sizeof(buf)))
		return -1;
	while (*p) {
		long first = strtol(p, &p, 10), last = first;

		if (*p == '-')
			last = strtol(p + 1, &p, 10);
		count += last - first + 1;
		if (*p == ',')
			p++;
	}
	return count;
}

/* Bytes of RAM in the device tree's /memory nodes; 0 if unreadable. */
static uint64_t dt_ram_bytes(void)
{
	unsigned char *cells;
	uint32_t acells, scells;
	uint64_t total = 0;
	struct dirent *e;
	size_t size;
	DIR *dir;

	cells = (unsigned char *)read_all(DT_BASE "/#address-cells", &size);
	if (!cells || size != 4)
		return 0;
	acells = be32(cells);
	free(cells);
	cells = (unsigned char *)read_all(DT_BASE "/#size-cells", &size);
	if (!cells || size != 4)
		return 0;
	scells = be32(cells);
	free(cells);

	dir = opendir(DT_BASE);
	if (!dir)
		return 0;
	while ((e = readdir(dir))) {
		char path[512];
		size_t entry = 4 * (acells + scells), off;
		unsigned char *reg;

		if (strncmp(e->d_name, "memory", 6))
			continue;
		snprintf(path, sizeof(path), DT_BASE "/%s/reg", e->d_name);
		reg = (unsigned char *)read_all(path, &size);
		for (off = 0; reg && off + entry <= size; off += entry) {
			const unsigned char *s = reg + off + 4 * acells;

			total += scells == 2 ? be64(s) : be32(s);
		}
		free(reg);
	}
	closedir(dir);
	return total;
}

/* MemTotal of /proc/meminfo in bytes; 0 if unreadable. */
static uint64_t mem_total(void)
{
	unsigned long long kib = 0;
	char line[128];
	FILE *f = fopen("/proc/meminfo", "r");

	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f)) {
		if (sscanf(line, "MemTotal: %llu kB", &kib) == 1)
			break;
	}
	fclose(f);
	return kib * 1024;
}

TEST(load_unload_20_times)
{
	struct hf_ioctl_vm_list l;
	struct hf_ioctl_version v;
	struct stat st;
	int i, fd;

	if (!under_hafnium())
		SKIP(return, "not running under hafnium");
	ASSERT_EQ(0, driver_unload());

	for (i = 0; i < LOAD_CYCLES; i++) {
		ASSERT_EQ(0, load_module(HF_DRIVER)) TH_LOG("load %d", i);
		ASSERT_EQ(0, stat(HF_DEV, &st)) TH_LOG("load %d", i);
		ASSERT_TRUE(S_ISCHR(st.st_mode));
		ASSERT_TRUE(path_exists(HF_SYSFS "/vms/1/name"));

		/* Works each time: VM_LIST needs the RX buffer mapped. */
		fd = open(HF_DEV, O_RDWR);
		ASSERT_LE(0, fd) TH_LOG("open: %s", strerror(errno));
		memset(&v, 0, sizeof(v));
		v.size = sizeof(v);
		EXPECT_EQ(0, ioctl_errno(fd, HF_IOCTL_VERSION, &v));
		valid_arg(&ioctls[2], &l);
		EXPECT_EQ(0, ioctl_errno(fd, HF_IOCTL_VM_LIST, &l))
			TH_LOG("VM_LIST after load %d", i);
		close(fd);

		ASSERT_EQ(0, driver_unload()) TH_LOG("unload %d", i);
		ASSERT_FALSE(path_exists(HF_DEV)) TH_LOG("unload %d", i);
		ASSERT_FALSE(path_exists(HF_SYSFS)) TH_LOG("unload %d", i);
		ASSERT_FALSE(path_exists(HF_MODULE_SYSFS));
	}
	ASSERT_EQ(0, driver_load());
}

TEST(unload_while_open_refused)
{
	int fd;

	OPEN_DEV(fd);
	/* The open file holds the module. */
	EXPECT_EQ(-1, syscall(SYS_delete_module, "hafnium", O_NONBLOCK));
	EXPECT_EQ(EWOULDBLOCK, errno);
	EXPECT_TRUE(path_exists(HF_DEV));
	close(fd);
}

TEST(node_is_root_only)
{
	struct stat st;
	int fd;

	OPEN_DEV(fd);
	close(fd);
	ASSERT_EQ(0, stat(HF_DEV, &st));
	EXPECT_EQ(0600u, st.st_mode & 07777);
	EXPECT_EQ(0u, st.st_uid);
}

/* Opens the device as nobody in a child; the errno, 0 if it opened. */
static int open_as_nobody(void)
{
	int status;
	pid_t pid;

	pid = fork();
	if (pid == 0) {
		if (become_nobody())
			_exit(255);
		_exit(open(HF_DEV, O_RDWR) < 0 ? errno : 0);
	}
	if (pid < 0 || waitpid(pid, &status, 0) < 0 || !WIFEXITED(status))
		return -1;
	return WEXITSTATUS(status);
}

TEST(open_as_non_root_refused)
{
	int fd;

	OPEN_DEV(fd);
	close(fd);
	/* The node's mode... */
	EXPECT_EQ(EACCES, open_as_nobody());
	/* ...and, with the mode opened up, the driver's own check. */
	ASSERT_EQ(0, chmod(HF_DEV, 0666));
	EXPECT_EQ(EPERM, open_as_nobody());
	ASSERT_EQ(0, chmod(HF_DEV, 0600));
}

TEST(bad_command_enotty)
{
	const unsigned long bad[] = {
		_IO(HF_IOCTL_MAGIC, 0),
		/* Version 1's numbers, _IOR: the size is read, so _IOWR. */
		_IOR(HF_IOCTL_MAGIC, 0, struct hf_ioctl_version),
		_IOR(HF_IOCTL_MAGIC, 1, struct hf_ioctl_hyp_info),
		_IOR(HF_IOCTL_MAGIC, 0, uint64_t),		/* direction */
		_IOW(HF_IOCTL_MAGIC, 0, struct hf_ioctl_version),
		_IOR(HF_IOCTL_MAGIC, 2, struct hf_ioctl_vm_list),
		_IOWR(HF_IOCTL_MAGIC, 12, struct hf_ioctl_vm_info), /* number */
		_IOWR(HF_IOCTL_MAGIC, 0xff, struct hf_ioctl_vm_info),
		_IOR('h', 0, struct hf_ioctl_version),		/* magic */
		0,
		0x5401,						/* TCGETS */
	};
	char arg[256] = { 0 };
	size_t i;
	int fd;

	OPEN_DEV(fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		*(uint32_t *)arg = sizeof(struct hf_ioctl_version);
		EXPECT_EQ(ENOTTY, ioctl_errno(fd, bad[i], arg))
			TH_LOG("command 0x%lx", bad[i]);
	}
	close(fd);
}

TEST(bad_pointer_efault)
{
	long page = sysconf(_SC_PAGESIZE);
	char *none, *ro, *edge;
	size_t i;
	int fd;

	OPEN_DEV(fd);
	none = mmap(NULL, page, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, none);
	/* A writable page followed by an inaccessible one. */
	edge = mmap(NULL, 2 * page, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, edge);
	ASSERT_EQ(0, mprotect(edge + page, page, PROT_NONE));
	ro = mmap(NULL, page, PROT_READ | PROT_WRITE,
		  MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, ro);

	for (i = 0; i < N_IOCTLS; i++) {
		const struct hf_ioctl *io = &ioctls[i];
		char *tail = edge + page - io->size + 4;
		char arg[512];

		EXPECT_EQ(EFAULT, ioctl_errno(fd, io->cmd, NULL))
			TH_LOG("%s, NULL", io->name);
		EXPECT_EQ(EFAULT, ioctl_errno(fd, io->cmd, none))
			TH_LOG("%s, unmapped", io->name);
		/* The struct's last 4 bytes are unreadable. */
		valid_arg(io, arg);
		memcpy(tail, arg, io->size - 4);
		EXPECT_EQ(EFAULT, ioctl_errno(fd, io->cmd, tail))
			TH_LOG("%s, truncated", io->name);
		/* Valid but read-only: the answer cannot be written. */
		ASSERT_EQ(0, mprotect(ro, page, PROT_READ | PROT_WRITE));
		valid_arg(io, ro);
		ASSERT_EQ(0, mprotect(ro, page, PROT_READ));
		EXPECT_EQ(EFAULT, ioctl_errno(fd, io->cmd, ro))
			TH_LOG("%s, read-only", io->name);
	}

	/* VM_LIST's own pointer: the id array. */
	{
		struct hf_ioctl_vm_list l;

		valid_arg(&ioctls[2], &l);
		l.ids = (uintptr_t)none;
		EXPECT_EQ(EFAULT, ioctl_errno(fd, HF_IOCTL_VM_LIST, &l));
		valid_arg(&ioctls[2], &l);
		l.ids = (uintptr_t)ro;
		EXPECT_EQ(EFAULT, ioctl_errno(fd, HF_IOCTL_VM_LIST, &l));
		valid_arg(&ioctls[2], &l);
		l.ids = 0;
		EXPECT_EQ(EFAULT, ioctl_errno(fd, HF_IOCTL_VM_LIST, &l));
	}
	close(fd);
}

/*
 * The size field, by copy_struct_from_user()'s rules: below the first size
 * EINVAL, above HF_IOCTL_SIZE_MAX E2BIG, longer with a zero tail as the
 * struct itself, longer with a non-zero byte in the tail E2BIG.
 */
TEST(size_rules)
{
	static char arg[HF_IOCTL_SIZE_MAX + 8];
	size_t i, j;
	int fd;

	OPEN_DEV(fd);
	for (i = 0; i < N_IOCTLS; i++) {
		const struct hf_ioctl *io = &ioctls[i];
		const uint32_t small[] = { 0, 1, 4, io->size - 1 };
		const uint32_t large[] = {
			io->size + 1, io->size + 8, 2 * io->size,
			HF_IOCTL_SIZE_MAX,
		};
		const uint32_t huge[] = {
			HF_IOCTL_SIZE_MAX + 1, 2 * HF_IOCTL_SIZE_MAX, UINT32_MAX,
		};

		/* Control: the valid argument passes. */
		memset(arg, 0, sizeof(arg));
		valid_arg(io, arg);
		ASSERT_EQ(0, ioctl_errno(fd, io->cmd, arg)) TH_LOG("%s", io->name);
		for (j = 0; j < sizeof(small) / sizeof(small[0]); j++) {
			valid_arg(io, arg);
			*(uint32_t *)arg = small[j];
			EXPECT_EQ(EINVAL, ioctl_errno(fd, io->cmd, arg))
				TH_LOG("%s, size %u", io->name, small[j]);
		}
		for (j = 0; j < sizeof(huge) / sizeof(huge[0]); j++) {
			valid_arg(io, arg);
			*(uint32_t *)arg = huge[j];
			EXPECT_EQ(E2BIG, ioctl_errno(fd, io->cmd, arg))
				TH_LOG("%s, size %u", io->name, huge[j]);
		}
		for (j = 0; j < sizeof(large) / sizeof(large[0]); j++) {
			valid_arg(io, arg);
			*(uint32_t *)arg = large[j];
			EXPECT_EQ(0, ioctl_errno(fd, io->cmd, arg))
				TH_LOG("%s, size %u", io->name, large[j]);
			EXPECT_EQ(large[j], *(uint32_t *)arg)
				TH_LOG("%s, size %u", io->name, large[j]);
			/* A byte the driver does not know, first and last. */
			valid_arg(io, arg);
			*(uint32_t *)arg = large[j];
			arg[io->size] = 1;
			EXPECT_EQ(E2BIG, ioctl_errno(fd, io->cmd, arg))
				TH_LOG("%s, size %u, first", io->name, large[j]);
			arg[io->size] = 0;
			arg[large[j] - 1] = 0x80;
			EXPECT_EQ(E2BIG, ioctl_errno(fd, io->cmd, arg))
				TH_LOG("%s, size %u, last", io->name, large[j]);
			arg[large[j] - 1] = 0;
		}
	}
	close(fd);
}

/*
 * One ioctl with a struct of usize bytes that ends on a read-only page:
 * its first io->size bytes are copied from and back to buf. The driver
 * must read the zero tail and write none of it.
 */
static int ioctl_grown(int fd, unsigned long cmd, const struct hf_ioctl *io,
		       void *buf, uint32_t usize)
{
	long page = sysconf(_SC_PAGESIZE);
	size_t room = 2 * page + HF_IOCTL_SIZE_MAX;
	char *map, *arg;
	int err;

	map = mmap(NULL, room, PROT_READ | PROT_WRITE,
		   MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (map == MAP_FAILED)
		return -1;
	/* The struct's known part ends where the read-only page begins. */
	arg = map + page - io->size;
	memcpy(arg, buf, io->size);
	*(uint32_t *)arg = usize;
	if (mprotect(map + page, room - page, PROT_READ)) {
		munmap(map, room);
		return -1;
	}
	err = ioctl_errno(fd, cmd, arg);
	memcpy(buf, arg, io->size);
	munmap(map, room);
	return err;
}

/*
 * (a) to (f) of a struct that grows, for HF_IOCTL_HYP_INFO and
 * HF_IOCTL_VM_INFO: the exact size; longer with a zero tail, also with
 * the command's _IOC_SIZE saying that size (the same answer, the tail
 * untouched: it is on a read-only page, the size field as sent); longer
 * with a non-zero tail (E2BIG); shorter than the first size (EINVAL);
 * above HF_IOCTL_SIZE_MAX (E2BIG).
 */
TEST(struct_grows)
{
	const struct hf_ioctl *cases[] = { &ioctls[1], &ioctls[3] };
	const uint32_t extra[] = { 1, 8, 64, 0 };
	size_t i, j;
	int fd;

	OPEN_DEV(fd);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const struct hf_ioctl *io = cases[i];
		char want[512], got[512], arg[512 + 8];

		/* (a) */
		valid_arg(io, want);
		ASSERT_EQ(0, ioctl_errno(fd, io->cmd, want)) TH_LOG("%s", io->name);
		for (j = 0; j < sizeof(extra) / sizeof(extra[0]); j++) {
			uint32_t usize = extra[j] ? io->size + extra[j] :
					 HF_IOCTL_SIZE_MAX;
			unsigned long cmd = _IOC(_IOC_DIR(io->cmd),
						 _IOC_TYPE(io->cmd),
						 _IOC_NR(io->cmd),
						 usize & _IOC_SIZEMASK);
			int pass;

			/* (b), with the header's command and a newer one's. */
			for (pass = 0; pass < 2; pass++) {
				valid_arg(io, got);
				ASSERT_EQ(0, ioctl_grown(fd, pass ? cmd : io->cmd,
							 io, got, usize))
					TH_LOG("%s, size %u", io->name, usize);
				EXPECT_EQ(usize, *(uint32_t *)got);
				EXPECT_EQ(0, memcmp(want + 4, got + 4,
						    io->size - 4))
					TH_LOG("%s, size %u", io->name, usize);
			}
			/* (c) */
			if (usize > sizeof(arg))
				continue;
			memset(arg, 0, sizeof(arg));
			valid_arg(io, arg);
			*(uint32_t *)arg = usize;
			arg[usize - 1] = 1;
			EXPECT_EQ(E2BIG, ioctl_errno(fd, io->cmd, arg))
				TH_LOG("%s, size %u", io->name, usize);
			EXPECT_EQ(E2BIG, ioctl_errno(fd, cmd, arg))
				TH_LOG("%s, size %u", io->name, usize);
		}
		/* (d), (e): the first size is today's, so shorter is EINVAL. */
		valid_arg(io, arg);
		*(uint32_t *)arg = io->size - 8;
		EXPECT_EQ(EINVAL, ioctl_errno(fd, io->cmd, arg)) TH_LOG("%s", io->name);
		EXPECT_EQ(EINVAL, ioctl_errno(fd, _IOC(_IOC_DIR(io->cmd),
				_IOC_TYPE(io->cmd), _IOC_NR(io->cmd),
				io->size - 8), arg)) TH_LOG("%s", io->name);
		/* (f) */
		*(uint32_t *)arg = HF_IOCTL_SIZE_MAX + 1;
		EXPECT_EQ(E2BIG, ioctl_errno(fd, io->cmd, arg)) TH_LOG("%s", io->name);
		*(uint32_t *)arg = UINT32_MAX;
		EXPECT_EQ(E2BIG, ioctl_errno(fd, io->cmd, arg)) TH_LOG("%s", io->name);
	}
	close(fd);
}

TEST(reserved_nonzero_einval)
{
	char arg[512];
	size_t i, b;
	int fd;

	OPEN_DEV(fd);
	for (i = 0; i < N_IOCTLS; i++) {
		const struct hf_ioctl *io = &ioctls[i];

		/* Every byte of the reserved fields, one at a time. */
		for (b = 0; b < io->reserved_size; b++) {
			valid_arg(io, arg);
			arg[io->reserved_offset + b] = 0x80;
			EXPECT_EQ(EINVAL, ioctl_errno(fd, io->cmd, arg))
				TH_LOG("%s, reserved byte %zu", io->name, b);
		}
		valid_arg(io, arg);
		EXPECT_EQ(0, ioctl_errno(fd, io->cmd, arg)) TH_LOG("%s", io->name);
	}
	close(fd);
}

TEST(version)
{
	struct hf_ioctl_version v;
	int fd;

	OPEN_DEV(fd);
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	ASSERT_EQ(0, ioctl_errno(fd, HF_IOCTL_VERSION, &v));
	EXPECT_EQ(sizeof(v), v.size);
	EXPECT_EQ((uint32_t)HF_DRIVER_VERSION, v.driver_version);
	/* FF-A 1.1 or a later 1.x. */
	EXPECT_EQ(1u, HF_VERSION_MAJOR(v.abi_version));
	EXPECT_LE(1u, HF_VERSION_MINOR(v.abi_version));
	/* hafnium's own calls: 2.x since the VM table grew to 256. */
	EXPECT_EQ(2u, HF_VERSION_MAJOR(v.hf_abi_version));
	close(fd);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ull + ts.tv_nsec / 1000000;
}

/*
 * The primary has no console, but a read with a timeout waits for it as
 * for a secondary's: nothing comes, so the call returns at its timeout.
 */
TEST(console_primary_waits_its_timeout)
{
	static char buf[64];
	struct hf_ioctl_vm_console c;
	uint64_t t0, ms;
	int fd;

	OPEN_DEV(fd);
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.vm_id = PRIMARY_VM_ID;
	c.buf = (uintptr_t)buf;
	c.len = sizeof(buf);
	c.timeout_ms = 300;
	t0 = now_ms();
	ASSERT_EQ(0, ioctl_errno(fd, HF_IOCTL_VM_CONSOLE, &c));
	ms = now_ms() - t0;
	TH_LOG("a read of the primary's console with timeout 300 ms took %llu ms",
	       (unsigned long long)ms);
	EXPECT_LE(290ull, ms);
	EXPECT_GT(3000ull, ms);
	EXPECT_EQ(0u, c.len);
	EXPECT_EQ(0ull, c.total);
	EXPECT_EQ(0u, c.flags);
	/* Without a timeout it still returns at once. */
	c.len = sizeof(buf);
	c.timeout_ms = 0;
	t0 = now_ms();
	ASSERT_EQ(0, ioctl_errno(fd, HF_IOCTL_VM_CONSOLE, &c));
	EXPECT_GT(100ull, now_ms() - t0);
	close(fd);
}

/* A SIGALRM handler that only makes the waiting call return. */
static void on_alarm(int sig)
{
}

TEST(console_primary_wait_ends_on_a_signal)
{
	struct sigaction sa = { .sa_handler = on_alarm };
	static char buf[64];
	struct hf_ioctl_vm_console c;
	uint64_t t0, ms;
	int fd;

	OPEN_DEV(fd);
	ASSERT_EQ(0, sigaction(SIGALRM, &sa, NULL));
	memset(&c, 0, sizeof(c));
	c.size = sizeof(c);
	c.vm_id = PRIMARY_VM_ID;
	c.buf = (uintptr_t)buf;
	c.len = sizeof(buf);
	c.timeout_ms = 10000;
	alarm(1);
	t0 = now_ms();
	EXPECT_EQ(EINTR, ioctl_errno(fd, HF_IOCTL_VM_CONSOLE, &c));
	ms = now_ms() - t0;
	alarm(0);
	EXPECT_LE(900ull, ms);
	EXPECT_GT(5000ull, ms);
	signal(SIGALRM, SIG_DFL);
	close(fd);
}

/*
 * `hfctl console -f 1` follows the primary's (empty) console: it must
 * sleep in the driver, not spin (review D7). Its CPU time over 1 s.
 */
TEST(hfctl_console_follow_primary_sleeps)
{
	char *const argv[] = { HFCTL, "console", "-f", "1", NULL };
	struct rusage ru;
	uint64_t cpu_ms;
	int status, fd;
	pid_t pid;

	OPEN_DEV(fd);
	close(fd);
	pid = fork();
	ASSERT_LE(0, pid);
	if (!pid) {
		int null = open("/dev/null", O_WRONLY);

		dup2(null, STDOUT_FILENO);
		execv(argv[0], argv);
		_exit(127);
	}
	usleep(1000 * 1000);
	/* Still following: the primary never ends. */
	EXPECT_EQ(0, waitpid(pid, &status, WNOHANG));
	kill(pid, SIGKILL);
	ASSERT_EQ(pid, wait4(pid, &status, 0, &ru));
	EXPECT_TRUE(WIFSIGNALED(status));
	cpu_ms = (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1000ull +
		 (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1000;
	TH_LOG("hfctl console -f 1: %llu ms of CPU time (user %ld.%06ld s, sys %ld.%06ld s) in 1 s",
	       (unsigned long long)cpu_ms, (long)ru.ru_utime.tv_sec,
	       (long)ru.ru_utime.tv_usec, (long)ru.ru_stime.tv_sec,
	       (long)ru.ru_stime.tv_usec);
	EXPECT_GT(200ull, cpu_ms);
}

static void get_hyp_info(struct __test_metadata *_metadata, int fd,
			 struct hf_ioctl_hyp_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	ASSERT_EQ(0, ioctl_errno(fd, HF_IOCTL_HYP_INFO, info));
}

/* The VMs' ids into ids (MAX_VMS), their number into *count. */
static void get_vm_list(struct __test_metadata *_metadata, int fd,
			uint32_t *ids, uint32_t *count)
{
	struct hf_ioctl_vm_list l = {
		.size = sizeof(l), .count = MAX_VMS, .ids = (uintptr_t)ids,
	};

	ASSERT_EQ(0, ioctl_errno(fd, HF_IOCTL_VM_LIST, &l));
	*count = l.count;
}

static int get_vm_info(int fd, uint32_t id, struct hf_ioctl_vm_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->vm_id = id;
	return ioctl_errno(fd, HF_IOCTL_VM_INFO, info);
}

TEST(hyp_info)
{
	struct hf_ioctl_hyp_info info;
	uint64_t ram = dt_ram_bytes();
	int fd;

	OPEN_DEV(fd);
	get_hyp_info(_metadata, fd, &info);
	EXPECT_EQ(possible_cpus(), (int)info.cpu_count);
	EXPECT_EQ(2u, HF_VERSION_MAJOR(info.abi_version));
	EXPECT_LE(1u, info.vm_count);
	EXPECT_LE(info.vm_count, info.max_vms);
	/* The primary has a vCPU per CPU: a VM may have that many. */
	EXPECT_LE(info.cpu_count, info.max_vcpus);
	ASSERT_NE(0u, ram);
	EXPECT_LT(0u, info.mem_available);
	EXPECT_LE(info.mem_available, ram);
	EXPECT_EQ(0u, info.mem_available % 4096);
	close(fd);
}

TEST(vm_list)
{
	struct hf_ioctl_hyp_info info;
	struct hf_ioctl_vm_list l;
	uint32_t ids[MAX_VMS + 1];
	uint32_t count, i, j;
	bool primary = false;
	int fd;

	OPEN_DEV(fd);
	get_hyp_info(_metadata, fd, &info);
	/* Room for one more: it must stay untouched. */
	for (i = 0; i <= MAX_VMS; i++)
		ids[i] = 0xdeadbeef;
	get_vm_list(_metadata, fd, ids, &count);
	EXPECT_EQ(info.vm_count, count);
	ASSERT_LT(0u, count);
	ASSERT_GE((uint32_t)MAX_VMS, count);
	EXPECT_EQ(0xdeadbeefu, ids[count]);
	for (i = 0; i < count; i++) {
		EXPECT_LT(0u, ids[i]);
		EXPECT_GE(0xffffu, ids[i]);
		primary |= ids[i] == PRIMARY_VM_ID;
		for (j = 0; j < i; j++) {
			EXPECT_NE(ids[j], ids[i]) TH_LOG("id %u twice", ids[i]);
		}
	}
	EXPECT_TRUE(primary) TH_LOG("VM %d is not listed", PRIMARY_VM_ID);

	/* Too small: E2BIG, and count says how many there are. */
	l = (struct hf_ioctl_vm_list){
		.size = sizeof(l), .count = count - 1, .ids = (uintptr_t)ids,
	};
	EXPECT_EQ(E2BIG, ioctl_errno(fd, HF_IOCTL_VM_LIST, &l));
	EXPECT_EQ(count, l.count);
	l = (struct hf_ioctl_vm_list){ .size = sizeof(l) };
	EXPECT_EQ(E2BIG, ioctl_errno(fd, HF_IOCTL_VM_LIST, &l));
	EXPECT_EQ(count, l.count);
	close(fd);
}

TEST(vm_info)
{
	struct hf_ioctl_hyp_info hyp;
	struct hf_ioctl_vm_info vm;
	uint32_t ids[MAX_VMS], count, i;
	int fd;

	OPEN_DEV(fd);
	get_hyp_info(_metadata, fd, &hyp);
	ASSERT_EQ(0, get_vm_info(fd, PRIMARY_VM_ID, &vm));
	EXPECT_EQ((uint32_t)PRIMARY_VM_ID, vm.vm_id);
	EXPECT_STREQ(PRIMARY_NAME, vm.name);
	EXPECT_EQ((uint32_t)HF_IOCTL_VM_RUNNING, vm.state);
	EXPECT_EQ(hyp.cpu_count, vm.vcpu_count);
	/* Linux manages no more memory than it was given, and that is RAM. */
	EXPECT_LE(mem_total(), vm.mem_size);
	EXPECT_GE(dt_ram_bytes(), vm.mem_size);

	get_vm_list(_metadata, fd, ids, &count);
	for (i = 0; i < count; i++) {
		ASSERT_EQ(0, get_vm_info(fd, ids[i], &vm)) TH_LOG("VM %u", ids[i]);
		EXPECT_NE(0, vm.name[0]) TH_LOG("VM %u has no name", ids[i]);
		EXPECT_EQ(0, vm.name[sizeof(vm.name) - 1]);
		EXPECT_GE(hyp.max_vcpus, vm.vcpu_count);
		EXPECT_GE((uint32_t)HF_IOCTL_VM_CRASHED, vm.state);
	}
	close(fd);
}

TEST(vm_info_unknown_enoent)
{
	const uint32_t bad[] = { 0, 0xffff, 0x10000, 0x10001, UINT32_MAX };
	uint32_t ids[MAX_VMS], count, i, top = 0;
	struct hf_ioctl_vm_info vm;
	int fd;

	OPEN_DEV(fd);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(ENOENT, get_vm_info(fd, bad[i], &vm))
			TH_LOG("VM %u", bad[i]);
	}
	get_vm_list(_metadata, fd, ids, &count);
	for (i = 0; i < count; i++)
		top = ids[i] > top ? ids[i] : top;
	EXPECT_EQ(ENOENT, get_vm_info(fd, top + 1, &vm)) TH_LOG("VM %u", top + 1);
	close(fd);
}

/* HF_IOCTL_VM_IRQ without a VM to take it (vm_test has those). */
TEST(vm_irq_bad_args)
{
	const uint32_t unknown[] = { 0, 0xffff, 0x10000, UINT32_MAX };
	const uint32_t sizes[] = {
		0, 4, sizeof(struct hf_ioctl_vm_irq) - 1,
	};
	uint32_t ids[MAX_VMS], count, i, top = 0;
	struct hf_ioctl_vm_irq a;
	size_t b;
	int fd;

	OPEN_DEV(fd);
	get_vm_list(_metadata, fd, ids, &count);
	for (i = 0; i < count; i++)
		top = ids[i] > top ? ids[i] : top;
	/* Control: a valid argument for a VM that does not exist. */
	a = (struct hf_ioctl_vm_irq){
		.size = sizeof(a), .vm_id = top + 1,
		.intid = HF_IOCTL_IRQ_FIRST,
	};
	EXPECT_EQ(ENOENT, ioctl_errno(fd, HF_IOCTL_VM_IRQ, &a));
	/* Size and reserved fields come first. */
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		a.size = sizes[i];
		EXPECT_EQ(EINVAL, ioctl_errno(fd, HF_IOCTL_VM_IRQ, &a))
			TH_LOG("size %u", sizes[i]);
	}
	a.size = UINT32_MAX;
	EXPECT_EQ(E2BIG, ioctl_errno(fd, HF_IOCTL_VM_IRQ, &a));
	a.size = sizeof(a);
	a.reserved0 = 1;
	EXPECT_EQ(EINVAL, ioctl_errno(fd, HF_IOCTL_VM_IRQ, &a));
	a.reserved0 = 0;
	for (b = 0; b < sizeof(a.reserved); b++) {
		((unsigned char *)a.reserved)[b] = 0x80;
		EXPECT_EQ(EINVAL, ioctl_errno(fd, HF_IOCTL_VM_IRQ, &a))
			TH_LOG("reserved byte %zu", b);
		((unsigned char *)a.reserved)[b] = 0;
	}
	EXPECT_EQ(EFAULT, ioctl_errno(fd, HF_IOCTL_VM_IRQ, NULL));

	for (i = 0; i < sizeof(unknown) / sizeof(unknown[0]); i++) {
		a.vm_id = unknown[i];
		EXPECT_EQ(ENOENT, ioctl_errno(fd, HF_IOCTL_VM_IRQ, &a))
			TH_LOG("VM %u", unknown[i]);
	}
	/* The primary takes no injected interrupts, whatever the rest. */
	a.vm_id = PRIMARY_VM_ID;
	EXPECT_EQ(EINVAL, ioctl_errno(fd, HF_IOCTL_VM_IRQ, &a));
	a.intid = HF_IOCTL_IRQ_LAST;
	a.vcpu = 1;
	EXPECT_EQ(EINVAL, ioctl_errno(fd, HF_IOCTL_VM_IRQ, &a));
	close(fd);
}

#define LIST_THREADS 4
#define LIST_CALLS 300

static void *list_many(void *arg)
{
	int fd = *(int *)arg;
	uint32_t ids[MAX_VMS];
	long i, failures = 0;

	for (i = 0; i < LIST_CALLS; i++) {
		struct hf_ioctl_vm_list l = {
			.size = sizeof(l), .count = MAX_VMS,
			.ids = (uintptr_t)ids,
		};

		failures += ioctl(fd, HF_IOCTL_VM_LIST, &l) != 0;
	}
	return (void *)failures;
}

/* The RX buffer is shared: concurrent lists must take turns, not fail. */
TEST(vm_list_concurrent)
{
	pthread_t threads[LIST_THREADS];
	void *failures;
	int fd, i;

	OPEN_DEV(fd);
	for (i = 0; i < LIST_THREADS; i++) {
		ASSERT_EQ(0, pthread_create(&threads[i], NULL, list_many, &fd));
	}
	for (i = 0; i < LIST_THREADS; i++) {
		ASSERT_EQ(0, pthread_join(threads[i], &failures));
		EXPECT_EQ(0, (long)failures) TH_LOG("thread %d", i);
	}
	close(fd);
}

/* Checks that HF_SYSFS/<rel> is the number want. */
static void expect_attr_num(struct __test_metadata *_metadata,
			    const char *rel, unsigned long long want)
{
	char path[128], buf[64];

	snprintf(path, sizeof(path), HF_SYSFS "/%s", rel);
	ASSERT_EQ(0, read_attr(path, buf, sizeof(buf))) TH_LOG("%s", path);
	EXPECT_EQ(want, strtoull(buf, NULL, 10)) TH_LOG("%s", path);
}

static void expect_version_attr(struct __test_metadata *_metadata,
				const char *path, uint32_t version)
{
	char want[32], buf[32];

	snprintf(want, sizeof(want), "%u.%u", HF_VERSION_MAJOR(version),
		 HF_VERSION_MINOR(version));
	ASSERT_EQ(0, read_attr(path, buf, sizeof(buf))) TH_LOG("%s", path);
	EXPECT_STREQ(want, buf) TH_LOG("%s", path);
}

TEST(sysfs_matches_ioctls)
{
	static const char *const states[] = {
		"created", "running", "stopped", "crashed",
	};
	uint32_t ids[MAX_VMS], count, i, dirs = 0;
	struct hf_ioctl_hyp_info hyp;
	struct hf_ioctl_version v;
	struct dirent *e;
	DIR *dir;
	int fd;

	OPEN_DEV(fd);
	memset(&v, 0, sizeof(v));
	v.size = sizeof(v);
	ASSERT_EQ(0, ioctl_errno(fd, HF_IOCTL_VERSION, &v));
	expect_version_attr(_metadata, HF_SYSFS "/abi_version", v.abi_version);
	expect_version_attr(_metadata, HF_SYSFS "/hf_abi_version",
			    v.hf_abi_version);
	expect_version_attr(_metadata, HF_SYSFS "/driver_version",
			    v.driver_version);

	get_hyp_info(_metadata, fd, &hyp);
	expect_attr_num(_metadata, "cpu_count", hyp.cpu_count);
	expect_attr_num(_metadata, "vm_count", hyp.vm_count);
	expect_attr_num(_metadata, "mem_available", hyp.mem_available);
	expect_attr_num(_metadata, "max_vms", hyp.max_vms);
	expect_attr_num(_metadata, "max_vcpus", hyp.max_vcpus);

	get_vm_list(_metadata, fd, ids, &count);
	for (i = 0; i < count; i++) {
		struct hf_ioctl_vm_info vm;
		char path[128], buf[64];

		ASSERT_EQ(0, get_vm_info(fd, ids[i], &vm));
		snprintf(path, sizeof(path), HF_SYSFS "/vms/%u/name", ids[i]);
		ASSERT_EQ(0, read_attr(path, buf, sizeof(buf))) TH_LOG("%s", path);
		EXPECT_STREQ(vm.name, buf);
		snprintf(path, sizeof(path), HF_SYSFS "/vms/%u/state", ids[i]);
		ASSERT_EQ(0, read_attr(path, buf, sizeof(buf)));
		ASSERT_GT(4u, vm.state);
		EXPECT_STREQ(states[vm.state], buf);
		snprintf(path, sizeof(path), "vms/%u/vcpus", ids[i]);
		expect_attr_num(_metadata, path, vm.vcpu_count);
		snprintf(path, sizeof(path), "vms/%u/memory", ids[i]);
		expect_attr_num(_metadata, path, vm.mem_size);
	}

	/* vms/ has a directory per listed VM and nothing else. */
	dir = opendir(HF_SYSFS "/vms");
	ASSERT_NE(NULL, dir);
	while ((e = readdir(dir))) {
		bool listed = false;

		if (e->d_name[0] == '.')
			continue;
		for (i = 0; i < count; i++)
			listed |= strtoul(e->d_name, NULL, 10) == ids[i];
		EXPECT_TRUE(listed) TH_LOG("vms/%s is not a listed VM",
					   e->d_name);
		dirs++;
	}
	closedir(dir);
	EXPECT_EQ(count, dirs);
	close(fd);
}

TEST_HARNESS_MAIN
