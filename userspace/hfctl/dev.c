// SPDX-License-Identifier: BSD-3-Clause
/*
 * /dev/hafnium: opening it and its ioctls, each failure reported as one
 * line that names the device, the call and the cause.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "hfctl.h"

int dev_open(void)
{
	const char *hint = "";
	int fd;

	fd = open(HFCTL_DEVICE, O_RDWR | O_CLOEXEC);
	if (fd >= 0)
		return fd;
	switch (errno) {
	case ENOENT:
	case ENXIO:
	case ENODEV:
		/* No node, or a node without a driver behind it. */
		hint = " (is hafnium.ko loaded?)";
		break;
	case EACCES:
	case EPERM:
		hint = " (run as root)";
		break;
	}
	hfctl_error("%s: %s%s", HFCTL_DEVICE, strerror(errno), hint);
	return -1;
}

static int dev_ioctl(int fd, unsigned long request, void *arg,
		     const char *name)
{
	if (ioctl(fd, request, arg) == 0)
		return 0;
	hfctl_error("%s: %s: %s", HFCTL_DEVICE, name, strerror(errno));
	return -1;
}

int dev_version(int fd, struct hf_ioctl_version *version)
{
	memset(version, 0, sizeof(*version));
	version->size = sizeof(*version);
	return dev_ioctl(fd, HF_IOCTL_VERSION, version, "HF_IOCTL_VERSION");
}

int dev_hyp_info(int fd, struct hf_ioctl_hyp_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	return dev_ioctl(fd, HF_IOCTL_HYP_INFO, info, "HF_IOCTL_HYP_INFO");
}

int dev_vm_list(int fd, uint32_t **ids, uint32_t *count)
{
	struct hf_ioctl_vm_list list;
	uint32_t capacity = 16;
	uint32_t *buf = NULL;

	/* VMs may be created meanwhile: grow until the list fits. */
	for (;;) {
		uint32_t *bigger = realloc(buf, capacity * sizeof(*buf));

		if (!bigger) {
			free(buf);
			hfctl_error("out of memory");
			return -1;
		}
		buf = bigger;
		memset(&list, 0, sizeof(list));
		list.size = sizeof(list);
		list.count = capacity;
		list.ids = (uintptr_t)buf;
		if (ioctl(fd, HF_IOCTL_VM_LIST, &list) == 0)
			break;
		if (errno != E2BIG) {
			hfctl_error("%s: HF_IOCTL_VM_LIST: %s", HFCTL_DEVICE,
				    strerror(errno));
			free(buf);
			return -1;
		}
		capacity = list.count;
	}
	*ids = buf;
	*count = list.count;
	return 0;
}

int dev_vm_info(int fd, uint32_t vm_id, struct hf_ioctl_vm_info *info)
{
	memset(info, 0, sizeof(*info));
	info->size = sizeof(*info);
	info->vm_id = vm_id;
	if (ioctl(fd, HF_IOCTL_VM_INFO, info) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	hfctl_error("%s: HF_IOCTL_VM_INFO of VM %u: %s", HFCTL_DEVICE, vm_id,
		    strerror(errno));
	return -1;
}

int dev_vm_status(int fd, uint32_t vm_id, struct hf_ioctl_vm_status *st)
{
	memset(st, 0, sizeof(*st));
	st->size = sizeof(*st);
	st->vm_id = vm_id;
	if (ioctl(fd, HF_IOCTL_VM_STATUS, st) == 0)
		return 0;
	if (errno == ENOENT)
		return 1;
	hfctl_error("%s: HF_IOCTL_VM_STATUS of VM %u: %s", HFCTL_DEVICE, vm_id,
		    strerror(errno));
	return -1;
}

static int dev_errno(int fd, unsigned long request, void *arg)
{
	return ioctl(fd, request, arg) ? errno : 0;
}

int dev_vm_create(int fd, struct hf_ioctl_vm_create *arg)
{
	arg->size = sizeof(*arg);
	return dev_errno(fd, HF_IOCTL_VM_CREATE, arg);
}

int dev_vm_load(int fd, uint32_t vm_id, const void *buf, uint64_t len,
		uint64_t offset)
{
	struct hf_ioctl_vm_load arg = {
		.size = sizeof(arg),
		.vm_id = vm_id,
		.addr = (uintptr_t)buf,
		.len = len,
		.offset = offset,
	};

	return dev_errno(fd, HF_IOCTL_VM_LOAD, &arg);
}

int dev_vm_start(int fd, uint32_t vm_id, uint64_t entry)
{
	struct hf_ioctl_vm_start arg = {
		.size = sizeof(arg),
		.vm_id = vm_id,
		.entry = entry,
	};

	return dev_errno(fd, HF_IOCTL_VM_START, &arg);
}

int dev_vm_stop(int fd, uint32_t vm_id)
{
	struct hf_ioctl_vm_id arg = { .size = sizeof(arg), .vm_id = vm_id };

	return dev_errno(fd, HF_IOCTL_VM_STOP, &arg);
}

int dev_vm_destroy(int fd, uint32_t vm_id)
{
	struct hf_ioctl_vm_id arg = { .size = sizeof(arg), .vm_id = vm_id };

	return dev_errno(fd, HF_IOCTL_VM_DESTROY, &arg);
}

int dev_vm_console(int fd, struct hf_ioctl_vm_console *arg)
{
	arg->size = sizeof(*arg);
	return dev_errno(fd, HF_IOCTL_VM_CONSOLE, arg);
}

int dev_vm_irq(int fd, uint32_t vm_id, uint32_t vcpu, uint32_t intid)
{
	struct hf_ioctl_vm_irq arg = {
		.size = sizeof(arg),
		.vm_id = vm_id,
		.vcpu = vcpu,
		.intid = intid,
	};

	return dev_errno(fd, HF_IOCTL_VM_IRQ, &arg);
}
