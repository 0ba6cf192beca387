/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-2-Clause */
/*
 * The ioctl interface of /dev/hafnium, the hafnium hypervisor's control
 * device in the primary VM (driver/, docs/driver.md).
 *
 * Every argument struct begins with its own size, which the caller sets to
 * sizeof(struct) — also for the read-only (_IOR) calls, whose struct the
 * driver reads first. A different size, or a reserved field that is not
 * zero, fails with EINVAL: both leave room for later versions of a struct.
 * Structs have explicit sizes and no implicit padding, so 32-bit and 64-bit
 * callers share one layout; user pointers are passed as __u64.
 *
 * Errors: ENOTTY for an unknown command, EFAULT for an unreadable or
 * unwritable argument, EINVAL for a bad size or reserved field.
 */
#ifndef _UAPI_LINUX_HAFNIUM_H
#define _UAPI_LINUX_HAFNIUM_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Version of this interface (struct hf_ioctl_version.driver_version). */
#define HF_DRIVER_VERSION_MAJOR 1
#define HF_DRIVER_VERSION_MINOR 0
#define HF_DRIVER_VERSION \
	((HF_DRIVER_VERSION_MAJOR << 16) | HF_DRIVER_VERSION_MINOR)

/* Versions are encoded major << 16 | minor. */
#define HF_VERSION_MAJOR(v) ((v) >> 16)
#define HF_VERSION_MINOR(v) ((v) & 0xffff)

#define HF_IOCTL_MAGIC 'H'

/* VM states (struct hf_ioctl_vm_info.state), as the hypervisor reports them. */
#define HF_IOCTL_VM_CREATED 0
#define HF_IOCTL_VM_RUNNING 1
#define HF_IOCTL_VM_STOPPED 2
#define HF_IOCTL_VM_CRASHED 3

/* VM names: at most 31 bytes and a terminating NUL. */
#define HF_IOCTL_VM_NAME_SIZE 32

/* HF_IOCTL_VERSION: the versions of the driver and of the hypervisor's ABI. */
struct hf_ioctl_version {
	__u32 size;
	__u32 driver_version;	/* out: HF_DRIVER_VERSION of the driver */
	__u32 abi_version;	/* out: FF-A version negotiated */
	__u32 hf_abi_version;	/* out: hafnium's own (HF_*) call version */
	__u32 reserved[4];
};

/* HF_IOCTL_HYP_INFO: the hypervisor and its resources, now. */
struct hf_ioctl_hyp_info {
	__u32 size;
	__u32 abi_version;	/* out: hafnium's own (HF_*) call version */
	__u32 cpu_count;	/* out: physical CPUs */
	__u32 vm_count;		/* out: VMs that exist, the primary included */
	__u64 mem_available;	/* out: bytes of RAM available for VMs */
	__u32 max_vms;		/* out: most VMs that can exist at once */
	__u32 max_vcpus;	/* out: most vCPUs of one VM */
	__u64 reserved[4];
};

/*
 * HF_IOCTL_VM_LIST: the ids of all VMs. In: count is the capacity of the
 * __u32 array at ids. Out: count is the number of VMs. If they do not fit,
 * the call fails with E2BIG and count says how many there are.
 */
struct hf_ioctl_vm_list {
	__u32 size;
	__u32 count;
	__u64 ids;
	__u64 reserved[2];
};

/* HF_IOCTL_VM_INFO: one VM. An id that names no VM fails with ENOENT. */
struct hf_ioctl_vm_info {
	__u32 size;
	__u32 vm_id;		/* in */
	__u32 state;		/* out: HF_IOCTL_VM_* */
	__u32 vcpu_count;	/* out */
	__u64 mem_size;		/* out: bytes of RAM the VM has */
	char name[HF_IOCTL_VM_NAME_SIZE]; /* out: NUL-terminated */
	__u64 reserved[4];
};

#define HF_IOCTL_VERSION	_IOR(HF_IOCTL_MAGIC, 0, struct hf_ioctl_version)
#define HF_IOCTL_HYP_INFO	_IOR(HF_IOCTL_MAGIC, 1, struct hf_ioctl_hyp_info)
#define HF_IOCTL_VM_LIST	_IOWR(HF_IOCTL_MAGIC, 2, struct hf_ioctl_vm_list)
#define HF_IOCTL_VM_INFO	_IOWR(HF_IOCTL_MAGIC, 3, struct hf_ioctl_vm_info)

#endif /* _UAPI_LINUX_HAFNIUM_H */
