// SPDX-License-Identifier: BSD-3-Clause
/*
 * What the VM commands share: finding a VM by name or id, explaining a
 * failed VM ioctl, sizes, images, creating a VM and following its console.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hf/abi.h"
#include "hfctl.h"

/* The arm64 Linux Image header (Documentation/arm64/booting.rst). */
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_HEADER_SIZE 64
static const char image_magic[4] = { 'A', 'R', 'M', 0x64 };

int parse_uint(const char *s, uint32_t *value)
{
	unsigned long long v = 0;
	const char *p;

	if (!*s)
		return -1;
	for (p = s; *p; p++) {
		if (*p < '0' || *p > '9')
			return -1;
		v = v * 10 + (*p - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	*value = v;
	return 0;
}

int parse_size(const char *s, uint64_t *bytes)
{
	static const char units[] = "KMGT";
	unsigned int shift = 0;
	uint64_t v = 0;
	const char *p;

	if (*s < '0' || *s > '9')
		return -1;
	for (p = s; *p >= '0' && *p <= '9'; p++) {
		if (v > (UINT64_MAX - 9) / 10)
			return -1;
		v = v * 10 + (*p - '0');
	}
	if (*p) {
		const char *u = strchr(units, *p >= 'a' ? *p - 'a' + 'A' : *p);

		if (!u || p[1])
			return -1;
		shift = 10 * (u - units + 1);
	}
	if (shift && v > UINT64_MAX >> shift)
		return -1;
	*bytes = v << shift;
	return 0;
}

int vm_find(int fd, const struct hfctl_cmd *cmd, const char *arg,
	    struct hf_ioctl_vm_status *st)
{
	uint32_t id, *ids, count, i;
	int ret = 0;

	/* A number names the VM with that id, if there is one. */
	if (!parse_uint(arg, &id)) {
		ret = dev_vm_status(fd, id, st);
		if (ret <= 0)
			return ret;
	}
	if (dev_vm_list(fd, &ids, &count))
		return -1;
	for (i = 0; i < count; i++) {
		ret = dev_vm_status(fd, ids[i], st);
		if (ret < 0)
			break;
		if (ret == 0 && !strncmp(st->name, arg, sizeof(st->name)))
			break;
	}
	free(ids);
	if (i < count)
		return ret < 0 ? -1 : 0;
	hfctl_error("%s: no VM '%s': %s", cmd->name, arg, strerror(ENOENT));
	return -1;
}

int vm_open(const struct hfctl_cmd *cmd, const char *arg,
	    struct hf_ioctl_vm_status *st)
{
	int fd = dev_open();

	if (fd >= 0 && vm_find(fd, cmd, arg, st)) {
		close(fd);
		return -1;
	}
	return fd;
}

void vm_error(const struct hfctl_cmd *cmd, const struct hf_ioctl_vm_status *st,
	      const char *call, int err)
{
	const char *hint = NULL;
	char name[HF_IOCTL_VM_NAME_SIZE];

	switch (err) {
	case ENOENT:
		hint = "it was destroyed";
		break;
	case EPERM:
		if (st->vm_id == 1)
			hint = "the primary VM is not controlled by hfctl";
		break;
	case ESRCH:
		hint = "it is not running";
		break;
	case EALREADY:
		hint = !strcmp(call, "HF_IOCTL_VM_START") ? "it is running" :
			"it has already ended";
		break;
	case EINVAL:
		if (!strcmp(call, "HF_IOCTL_VM_START") &&
		    (st->state == HF_IOCTL_VM_STOPPED ||
		     st->state == HF_IOCTL_VM_CRASHED))
			hint = "it has ended, and a VM runs once: destroy it and create it again";
		else if (st->vm_id == 1)
			hint = "the primary VM is not controlled by hfctl";
		break;
	case EBUSY:
		if (!strcmp(call, "HF_IOCTL_VM_LOAD"))
			hint = "it has started";
		break;
	case EOPNOTSUPP:
		hint = "the hypervisor does not implement it";
		break;
	}
	format_name(name, sizeof(name), st->name);
	hfctl_error("%s: VM %u (%s): %s: %s%s%s%s", cmd->name, st->vm_id, name,
		    call, strerror(err), hint ? " (" : "", hint ? hint : "",
		    hint ? ")" : "");
}

/* An image file's bytes and where they go. */
struct image {
	char *bytes;
	uint64_t len;		/* in the file */
	uint64_t offset;	/* in the VM's memory */
	uint64_t extent;	/* memory it needs from offset (bss included) */
	bool arm64;		/* an arm64 Linux Image */
};

static uint64_t le64(const char *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--)
		v = v << 8 | (unsigned char)p[i];
	return v;
}

/* Reads an image; 0 or -1 reported. */
static int image_read(const struct hfctl_cmd *cmd, const char *path,
		      struct image *img)
{
	struct stat sb;
	uint64_t done = 0;
	ssize_t n;
	int fd;

	memset(img, 0, sizeof(*img));
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &sb)) {
		hfctl_error("%s: image '%s': %s", cmd->name, path,
			    strerror(errno));
		if (fd >= 0)
			close(fd);
		return -1;
	}
	if (!S_ISREG(sb.st_mode) || sb.st_size == 0) {
		hfctl_error("%s: image '%s': %s (%s)", cmd->name, path,
			    strerror(EINVAL),
			    S_ISREG(sb.st_mode) ? "it is empty" :
			    "not a regular file");
		close(fd);
		return -1;
	}
	img->len = sb.st_size;
	img->bytes = malloc(img->len);
	if (!img->bytes) {
		hfctl_error("%s: image '%s': %s", cmd->name, path,
			    strerror(ENOMEM));
		close(fd);
		return -1;
	}
	while (done < img->len) {
		n = read(fd, img->bytes + done, img->len - done);
		if (n <= 0) {
			hfctl_error("%s: image '%s': %s", cmd->name, path,
				    n ? strerror(errno) : "file shrank");
			close(fd);
			free(img->bytes);
			return -1;
		}
		done += n;
	}
	close(fd);

	img->extent = img->len;
	if (img->len >= IMAGE_HEADER_SIZE &&
	    !memcmp(img->bytes + IMAGE_MAGIC_OFFSET, image_magic,
		    sizeof(image_magic))) {
		uint64_t image_size = le64(img->bytes + 16);

		/* Loaded at text_offset from the start of RAM (2 MiB). */
		img->arm64 = true;
		img->offset = le64(img->bytes + 8);
		if (image_size > img->extent)
			img->extent = image_size;
	}
	return 0;
}

/*
 * The most memory one VM may have: the hypervisor's pages for a VM
 * (hf_vm_hyp_pages(), at most HF_VM_HYP_MAX_PAGES) map no more.
 */
static uint64_t max_vm_mem(void)
{
	uint64_t blocks = HF_VM_HYP_MAX_PAGES; /* of 2 MiB */

	while (hf_vm_hyp_pages(blocks * 512) > HF_VM_HYP_MAX_PAGES)
		blocks--;
	return blocks * 512 * HF_IOCTL_VM_PAGE_SIZE;
}

/* Names the argument that made HF_IOCTL_VM_CREATE fail. */
static void create_error(int fd, const struct hfctl_cmd *cmd,
			 const struct vm_spec *spec, const char *mem, int err)
{
	struct hf_ioctl_hyp_info info;
	size_t len = strlen(spec->name), i;
	char avail[16];

	switch (err) {
	case ENAMETOOLONG:
		hfctl_error("%s: VM name '%.40s%s': %s (at most %d bytes)",
			    cmd->name, spec->name, len > 40 ? "..." : "",
			    strerror(err), HF_IOCTL_VM_NAME_SIZE - 1);
		return;
	case EEXIST:
		hfctl_error("%s: VM name '%s': %s (another VM has it)",
			    cmd->name, spec->name, strerror(err));
		return;
	case ENOSPC:
		if (dev_hyp_info(fd, &info))
			return;
		hfctl_error("%s %s: too many VMs (hafnium holds at most %u secondaries)",
			    cmd->name, spec->name, info.max_vms - 1);
		return;
	case EFBIG:
		/* Exact: 2028M would round to 2.0G. */
		hfctl_error("%s: --mem %s: %s (one VM has at most %" PRIu64 "M: the hypervisor's pages for a VM, %d at most, map no more)",
			    cmd->name, mem, strerror(err), max_vm_mem() >> 20,
			    HF_VM_HYP_MAX_PAGES);
		return;
	case ENOMEM:
		if (dev_hyp_info(fd, &info))
			return;
		format_size(avail, sizeof(avail), info.mem_available);
		hfctl_error("%s: --mem %s: %s (more than the primary can spare now; the hypervisor allows at most %s)",
			    cmd->name, mem, strerror(err), avail);
		return;
	case EINVAL:
		if (!len) {
			hfctl_error("%s: VM name '': %s (1 to %d bytes)",
				    cmd->name, strerror(err),
				    HF_IOCTL_VM_NAME_SIZE - 1);
			return;
		}
		for (i = 0; i < len; i++) {
			if ((unsigned char)spec->name[i] < 0x20 ||
			    spec->name[i] == 0x7f) {
				hfctl_error("%s: VM name: %s (no control characters)",
					    cmd->name, strerror(err));
				return;
			}
		}
		if (dev_hyp_info(fd, &info))
			return;
		if (!spec->vcpus || spec->vcpus > info.max_vcpus) {
			hfctl_error("%s: --vcpus %u: %s (1 to %u)", cmd->name,
				    spec->vcpus, strerror(err), info.max_vcpus);
			return;
		}
		if (!spec->mem || spec->mem % HF_IOCTL_VM_PAGE_SIZE ||
		    spec->mem < HF_IOCTL_VM_MIN_MEM) {
			hfctl_error("%s: --mem %s: %s (a multiple of 4K, at least 64K)",
				    cmd->name, mem, strerror(err));
			return;
		}
		break;
	}
	hfctl_error("%s: %s: HF_IOCTL_VM_CREATE: %s", cmd->name, HFCTL_DEVICE,
		    strerror(err));
}

int vm_create(int fd, const struct hfctl_cmd *cmd, const struct vm_spec *spec,
	      struct hf_ioctl_vm_status *st)
{
	struct hf_ioctl_vm_create arg;
	const char *mem = spec->mem_arg;
	struct image img;
	uint32_t number;
	uint64_t room;
	int err, ret;

	if (!parse_uint(spec->name, &number)) {
		hfctl_error("%s: VM name '%s': %s (a number would read as an id)",
			    cmd->name, spec->name, strerror(EINVAL));
		return -1;
	}
	if (image_read(cmd, spec->image, &img))
		return -1;
	/* With a valid size, the image must fit before the device tree. */
	room = spec->mem > HF_IOCTL_VM_DT_SIZE ?
	       spec->mem - HF_IOCTL_VM_DT_SIZE : 0;
	if (spec->mem >= HF_IOCTL_VM_MIN_MEM &&
	    spec->mem % HF_IOCTL_VM_PAGE_SIZE == 0 &&
	    (img.offset > room || img.extent > room - img.offset)) {
		hfctl_error("%s: image '%s': %s (it needs %llu bytes of the VM's memory; --mem %s leaves %llu after the VM's device tree)",
			    cmd->name, spec->image, strerror(EFBIG),
			    (unsigned long long)(img.offset + img.extent), mem,
			    (unsigned long long)room);
		free(img.bytes);
		return -1;
	}

	memset(&arg, 0, sizeof(arg));
	/* A longer name fills all 32 bytes: the driver says ENAMETOOLONG. */
	memcpy(arg.name, spec->name,
	       strnlen(spec->name, sizeof(arg.name)));
	arg.vcpu_count = spec->vcpus;
	arg.mem_size = spec->mem;
	arg.entry = HF_IOCTL_VM_RAM_BASE + img.offset;
	err = dev_vm_create(fd, &arg);
	if (err) {
		create_error(fd, cmd, spec, mem, err);
		free(img.bytes);
		return -1;
	}
	ret = dev_vm_status(fd, arg.vm_id, st);
	if (ret) {
		if (ret > 0)
			hfctl_error("%s: VM %u (%s): %s (it was destroyed)",
				    cmd->name, arg.vm_id, spec->name,
				    strerror(ENOENT));
		free(img.bytes);
		return -1;
	}
	err = dev_vm_load(fd, arg.vm_id, img.bytes, img.len, img.offset);
	free(img.bytes);
	if (err) {
		vm_error(cmd, st, "HF_IOCTL_VM_LOAD", err);
		/* Nothing is left behind. */
		dev_vm_destroy(fd, arg.vm_id);
		return -1;
	}
	return 0;
}

/* Writes all of buf to stdout; 0 or -1 reported. */
static int write_out(const struct hfctl_cmd *cmd, const char *buf, size_t len)
{
	ssize_t n;

	while (len) {
		n = write(STDOUT_FILENO, buf, len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			hfctl_error("%s: standard output: %s", cmd->name,
				    strerror(errno));
			return -1;
		}
		buf += n;
		len -= n;
	}
	return 0;
}

int vm_console(int fd, const struct hfctl_cmd *cmd,
	       const struct hf_ioctl_vm_status *st, uint64_t *offset,
	       int follow)
{
	static char buf[HF_IOCTL_CONSOLE_SIZE];
	struct hf_ioctl_vm_console arg;
	uint64_t until = UINT64_MAX;
	int err;

	fflush(stdout);
	for (;;) {
		memset(&arg, 0, sizeof(arg));
		arg.vm_id = st->vm_id;
		arg.offset = *offset;
		arg.buf = (uintptr_t)buf;
		arg.len = sizeof(buf);
		/* Woken at once by output or the VM's end. */
		arg.timeout_ms = follow ? 1000 : 0;
		err = dev_vm_console(fd, &arg);
		if (err == EINTR)
			continue;
		if (err == ENOENT)
			return 1;
		if (err) {
			vm_error(cmd, st, "HF_IOCTL_VM_CONSOLE", err);
			return -1;
		}
		/* Bytes the ring has dropped are skipped. */
		if (write_out(cmd, buf, arg.len))
			return -1;
		*offset = arg.offset + arg.len;
		if (!follow) {
			/* What was there when we began, and no more. */
			if (until == UINT64_MAX)
				until = arg.total;
			if (*offset >= until)
				return 0;
		} else if ((arg.flags & HF_IOCTL_CONSOLE_ENDED) &&
			   *offset >= arg.total) {
			return 0;
		}
	}
}
