/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Helpers of the kselftests of secondary VMs: the VM ioctls of
 * /dev/hafnium (each returns 0 or an errno), guest images, consoles, the
 * per-VM sysfs files, /proc/meminfo and the kernel log.
 */
#ifndef HF_VM_H
#define HF_VM_H

#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/klog.h>
#include <time.h>
#include <unistd.h>

#include <linux/hafnium.h>

#include "hf_driver.h"

#define GUESTS "/lib/hafnium/guests/"
#define MiB (1024ULL * 1024)

static inline uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

static inline int xioctl(int fd, unsigned long cmd, void *arg)
{
	return ioctl(fd, cmd, arg) ? errno : 0;
}

static inline int vm_create(int fd, const char *name, uint32_t vcpus,
			    uint64_t mem, uint32_t *id)
{
	struct hf_ioctl_vm_create c = {
		.size = sizeof(c), .vcpu_count = vcpus, .mem_size = mem,
	};
	int err;

	memcpy(c.name, name, strnlen(name, sizeof(c.name) - 1));
	err = xioctl(fd, HF_IOCTL_VM_CREATE, &c);
	if (!err)
		*id = c.vm_id;
	return err;
}

static inline int vm_load(int fd, uint32_t id, const void *buf, uint64_t len,
			  uint64_t offset)
{
	struct hf_ioctl_vm_load l = {
		.size = sizeof(l), .vm_id = id, .addr = (uintptr_t)buf,
		.len = len, .offset = offset,
	};

	return xioctl(fd, HF_IOCTL_VM_LOAD, &l);
}

static inline int vm_start(int fd, uint32_t id)
{
	struct hf_ioctl_vm_start s = { .size = sizeof(s), .vm_id = id };

	return xioctl(fd, HF_IOCTL_VM_START, &s);
}

static inline int vm_stop(int fd, uint32_t id)
{
	struct hf_ioctl_vm_id a = { .size = sizeof(a), .vm_id = id };

	return xioctl(fd, HF_IOCTL_VM_STOP, &a);
}

static inline int vm_destroy(int fd, uint32_t id)
{
	struct hf_ioctl_vm_id a = { .size = sizeof(a), .vm_id = id };

	return xioctl(fd, HF_IOCTL_VM_DESTROY, &a);
}

static inline int vm_status(int fd, uint32_t id,
			    struct hf_ioctl_vm_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->vm_id = id;
	return xioctl(fd, HF_IOCTL_VM_STATUS, st);
}

/* HF_IOCTL_VM_IRQ; *result (if not NULL) gets PENDING or MERGED. */
static inline int vm_irq(int fd, uint32_t id, uint32_t vcpu, uint32_t intid,
			 uint32_t *result)
{
	struct hf_ioctl_vm_irq irq = {
		.size = sizeof(irq), .vm_id = id, .vcpu = vcpu, .intid = intid,
	};
	int err = xioctl(fd, HF_IOCTL_VM_IRQ, &irq);

	if (!err && result)
		*result = irq.result;
	return err;
}

/* Creates a VM and loads a guest image (raw, at offset 0). */
static inline int vm_create_guest(int fd, const char *name, const char *guest,
				  uint32_t vcpus, uint64_t mem, uint32_t *id)
{
	char path[256];
	size_t size;
	char *image;
	int err;

	snprintf(path, sizeof(path), GUESTS "%s.bin", guest);
	image = read_all(path, &size);
	if (!image)
		return errno ? errno : EIO;
	err = vm_create(fd, name, vcpus, mem, id);
	if (!err) {
		err = vm_load(fd, *id, image, size, 0);
		if (err)
			vm_destroy(fd, *id);
	}
	free(image);
	return err;
}

static inline int vm_run_guest(int fd, const char *name, const char *guest,
			       uint32_t vcpus, uint64_t mem, uint32_t *id)
{
	int err = vm_create_guest(fd, name, guest, vcpus, mem, id);

	if (!err) {
		err = vm_start(fd, *id);
		if (err)
			vm_destroy(fd, *id);
	}
	return err;
}

/*
 * A VM's whole console (what the ring holds) into buf, NUL-terminated;
 * waits up to timeout_ms for output at *offset first. Fills *ended.
 */
static inline int vm_console_read(int fd, uint32_t id, char *buf, size_t size,
				  unsigned int timeout_ms, bool *ended)
{
	struct hf_ioctl_vm_console c = {
		.size = sizeof(c), .vm_id = id, .buf = (uintptr_t)buf,
		.len = size - 1, .timeout_ms = timeout_ms,
	};
	int err;

	/* Wait for anything past what is there now. */
	err = xioctl(fd, HF_IOCTL_VM_CONSOLE, &c);
	if (err)
		return err;
	buf[c.len] = '\0';
	if (ended)
		*ended = c.flags & HF_IOCTL_CONSOLE_ENDED;
	return 0;
}

/* Waits until the console holds `text` or the VM ends; true if it does. */
static inline bool vm_console_wait(int fd, uint32_t id, const char *text,
				   unsigned int timeout_ms, char *buf,
				   size_t size)
{
	uint64_t deadline = now_ms() + timeout_ms;
	struct hf_ioctl_vm_console c;
	bool ended = false;

	buf[0] = '\0';
	while (now_ms() < deadline) {
		size_t have = strlen(buf);

		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.vm_id = id;
		c.offset = have;
		c.buf = (uintptr_t)(buf + have);
		c.len = size - 1 - have;
		c.timeout_ms = 200;
		if (xioctl(fd, HF_IOCTL_VM_CONSOLE, &c))
			return false;
		buf[have + c.len] = '\0';
		if (strstr(buf, text))
			return true;
		if (ended && c.offset + c.len >= c.total)
			return false;
		ended = c.flags & HF_IOCTL_CONSOLE_ENDED;
	}
	return false;
}

/*
 * Starts n one-vCPU `spin` VMs named <prefix><i> (ids into id) and waits
 * until each spins; 0 or an errno (ETIMEDOUT: one said nothing).
 */
static inline int vm_run_spinners(int fd, const char *prefix, int n,
				  uint32_t *id)
{
	char name[HF_IOCTL_VM_NAME_SIZE], text[256];
	int err, i;

	for (i = 0; i < n; i++) {
		snprintf(name, sizeof(name), "%s%d", prefix, i);
		err = vm_run_guest(fd, name, "spin", 1, 4 * MiB, &id[i]);
		if (err)
			return err;
		if (!vm_console_wait(fd, id[i], "spin: spinning", 20000, text,
				     sizeof(text)))
			return ETIMEDOUT;
	}
	return 0;
}

/* Waits until the VM has ended (its console says so); 0 or an errno. */
static inline int vm_wait_end(int fd, uint32_t id, unsigned int timeout_ms)
{
	uint64_t deadline = now_ms() + timeout_ms;
	struct hf_ioctl_vm_console c;
	int err;

	do {
		memset(&c, 0, sizeof(c));
		c.size = sizeof(c);
		c.vm_id = id;
		c.offset = UINT64_MAX;	/* no bytes: just wait for the end */
		c.timeout_ms = 200;
		err = xioctl(fd, HF_IOCTL_VM_CONSOLE, &c);
		if (err)
			return err;
		if (c.flags & HF_IOCTL_CONSOLE_ENDED)
			return 0;
	} while (now_ms() < deadline);
	return ETIMEDOUT;
}

/* /sys/kernel/hafnium/vms/<id>/<file> into buf, newline dropped. */
static inline int vm_sysfs(uint32_t id, const char *file, char *buf,
			   size_t size)
{
	char path[128];
	ssize_t len;
	int f;

	snprintf(path, sizeof(path), HF_SYSFS "/vms/%u/%s", id, file);
	f = open(path, O_RDONLY);
	if (f < 0)
		return errno;
	len = read(f, buf, size - 1);
	close(f);
	if (len < 0)
		return errno;
	buf[len] = '\0';
	if (len && buf[len - 1] == '\n')
		buf[len - 1] = '\0';
	return 0;
}

static inline uint64_t vm_runs(uint32_t id)
{
	char buf[32];

	return vm_sysfs(id, "runs", buf, sizeof(buf)) ? 0 :
	       strtoull(buf, NULL, 10);
}

/* A /proc/meminfo value in kB, or -1. */
static inline long long meminfo(const char *key)
{
	size_t size, klen = strlen(key);
	char *info = read_all("/proc/meminfo", &size), *p;
	long long v = -1;

	if (!info)
		return -1;
	info[size ? size - 1 : 0] = '\0';
	for (p = info; p && *p; p = strchr(p, '\n'), p = p ? p + 1 : NULL) {
		if (!strncmp(p, key, klen) && p[klen] == ':') {
			v = strtoll(p + klen + 1, NULL, 10);
			break;
		}
	}
	free(info);
	return v;
}

/* Frees the page cache, dentries and inodes, so that MemFree compares. */
static inline void drop_caches(void)
{
	int f = open("/proc/sys/vm/drop_caches", O_WRONLY);

	if (f >= 0) {
		if (write(f, "3", 1) < 0)
			perror("drop_caches");
		close(f);
	}
}

/* The kernel log, malloc'd and NUL-terminated, or NULL. */
static inline char *kernel_log(void)
{
	int size = klogctl(10, NULL, 0), len;
	char *log;

	if (size <= 0)
		return NULL;
	log = malloc(size + 1);
	if (!log)
		return NULL;
	len = klogctl(3, log, size);
	if (len < 0) {
		free(log);
		return NULL;
	}
	log[len] = '\0';
	return log;
}

/* Destroys every VM the driver created (leftovers of a failed case). */
static inline void vm_destroy_all(int fd)
{
	static uint32_t ids[HF_IOCTL_VM_MAX_VMS];
	struct hf_ioctl_vm_list l = {
		.size = sizeof(l), .count = HF_IOCTL_VM_MAX_VMS,
		.ids = (uintptr_t)ids,
	};
	uint32_t i;
	struct hf_ioctl_vm_status st;

	if (xioctl(fd, HF_IOCTL_VM_LIST, &l))
		return;
	for (i = 0; i < l.count; i++) {
		if (!vm_status(fd, ids[i], &st) && (st.flags & HF_IOCTL_VM_OWNED))
			vm_destroy(fd, ids[i]);
	}
}

/*
 * A kselftest fixture with the driver loaded, /dev/hafnium open in
 * self->fd and no VM left over from an earlier (timed-out) case; fd is -1
 * without hafnium, and NEED_HAFNIUM() then skips the case (a SKIP() in a
 * fixture's setup does not end the case in this harness).
 */
/*
 * Probes the first, middle and last 8 bytes of each range (a VM's image is
 * at the start, its device tree at the end): each must answer want.
 */
static inline void expect_probes(struct __test_metadata *_metadata,
				 const struct region *ranges, int n,
				 const char *want, const char *when)
{
	char out[64];
	int i, j;

	for (i = 0; i < n; i++) {
		uint64_t at[3] = {
			ranges[i].base,
			ranges[i].base + (ranges[i].size / 2 & ~7ULL),
			ranges[i].base + ranges[i].size - 8,
		};

		for (j = 0; j < 3; j++) {
			ASSERT_EQ(0, mem_probe(at[j], out, sizeof(out)));
			EXPECT_STREQ(want, out)
				TH_LOG("PA 0x%llx %s", (unsigned long long)at[j],
				       when);
		}
	}
}

static inline void hf_dev_fixture_setup(struct __test_metadata *_metadata,
					int *fd)
{
	*fd = -1;
	if (!under_hafnium())
		return;
	ASSERT_EQ(0, driver_load());
	*fd = open(HF_DEV, O_RDWR);
	ASSERT_LE(0, *fd) TH_LOG("open %s: %s", HF_DEV, strerror(errno));
	vm_destroy_all(*fd);
}

static inline void hf_dev_fixture_teardown(int fd)
{
	if (fd >= 0) {
		vm_destroy_all(fd);
		close(fd);
	}
}

#define HF_DEV_FIXTURE(name)						\
	FIXTURE(name) {							\
		int fd;							\
	};								\
	FIXTURE_SETUP(name)						\
	{								\
		hf_dev_fixture_setup(_metadata, &self->fd);		\
	}								\
	FIXTURE_TEARDOWN(name)						\
	{								\
		hf_dev_fixture_teardown(self->fd);			\
	}

#define NEED_HAFNIUM()							\
	do {								\
		if (self->fd < 0)					\
			SKIP(return, "not running under hafnium");	\
	} while (0)

#endif /* HF_VM_H */
