// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/hafnium: the ioctls of <linux/hafnium.h>. Root only: the node is
 * mode 0600 and open() also wants CAP_SYS_ADMIN, since the device will
 * create and destroy VMs.
 *
 * The device is registered last in probe and removed first in remove, and
 * an open file holds a reference to the module (fops.owner), so struct
 * hf_dev outlives every open file.
 */
#include <linux/build_bug.h>
#include <linux/capability.h>
#include <linux/compat.h>
#include <linux/err.h>
#include <linux/fs.h>
#include <linux/kernel.h>
#include <linux/module.h>
#include <linux/string.h>
#include <linux/uaccess.h>

#include <linux/hafnium.h>

#include "hafnium.h"

/* The uapi repeats the ABI's VM states; they must agree. */
static_assert(HF_IOCTL_VM_CREATED == HF_VM_STATE_CREATED);
static_assert(HF_IOCTL_VM_RUNNING == HF_VM_STATE_RUNNING);
static_assert(HF_IOCTL_VM_STOPPED == HF_VM_STATE_STOPPED);
static_assert(HF_IOCTL_VM_CRASHED == HF_VM_STATE_CRASHED);
static_assert(HF_IOCTL_VM_NAME_SIZE == HF_VM_NAME_MAX);

/* Explicit sizes, no padding: one layout for 32- and 64-bit callers. */
static_assert(sizeof(struct hf_ioctl_version) == 32);
static_assert(sizeof(struct hf_ioctl_hyp_info) == 64);
static_assert(sizeof(struct hf_ioctl_vm_list) == 32);
static_assert(sizeof(struct hf_ioctl_vm_info) == 88);
static_assert(sizeof(struct hf_ioctl_vm_create) == 96);
static_assert(sizeof(struct hf_ioctl_vm_load) == 48);
static_assert(sizeof(struct hf_ioctl_vm_start) == 32);
static_assert(sizeof(struct hf_ioctl_vm_id) == 24);
static_assert(sizeof(struct hf_ioctl_vm_status) == 152);
static_assert(sizeof(struct hf_ioctl_vm_console) == 64);
static_assert(sizeof(struct hf_ioctl_vm_irq) == 40);

/* The first sizes (the minimums) do not change as the structs grow. */
static_assert(HF_IOCTL_VERSION_SIZE_VER0 == 32);
static_assert(HF_IOCTL_HYP_INFO_SIZE_VER0 == 64);
static_assert(HF_IOCTL_VM_LIST_SIZE_VER0 == 32);
static_assert(HF_IOCTL_VM_INFO_SIZE_VER0 == 88);
static_assert(HF_IOCTL_VM_CREATE_SIZE_VER0 == 96);
static_assert(HF_IOCTL_VM_LOAD_SIZE_VER0 == 48);
static_assert(HF_IOCTL_VM_START_SIZE_VER0 == 32);
static_assert(HF_IOCTL_VM_ID_SIZE_VER0 == 24);
static_assert(HF_IOCTL_VM_STATUS_SIZE_VER0 == 152);
static_assert(HF_IOCTL_VM_CONSOLE_SIZE_VER0 == 64);
static_assert(HF_IOCTL_VM_IRQ_SIZE_VER0 == 40);

/* The uapi repeats the ABI's constants for userspace; they must agree. */
static_assert(HF_IOCTL_EXIT_NONE == HF_VM_EXIT_NONE);
static_assert(HF_IOCTL_EXIT_STOPPED == HF_VM_EXIT_STOPPED);
static_assert(HF_IOCTL_EXIT_POWEROFF == HF_VM_EXIT_POWEROFF);
static_assert(HF_IOCTL_EXIT_RESET == HF_VM_EXIT_RESET);
static_assert(HF_IOCTL_EXIT_CRASHED == HF_VM_EXIT_CRASHED);
static_assert(HF_IOCTL_VM_RAM_BASE == HF_VM_RAM_BASE);
static_assert(HF_IOCTL_VM_DT_SIZE == HF_VM_DT_SIZE);
static_assert(HF_IOCTL_VM_PAGE_SIZE == HF_PAGE_SIZE);
static_assert(HF_VM_MIN_PAGES * HF_PAGE_SIZE == HF_IOCTL_VM_MIN_MEM);
static_assert(HF_MAX_VMS == HF_IOCTL_VM_MAX_VMS);

static_assert(HF_IOCTL_CONSOLE_SIZE == HF_CONSOLE_SIZE);
static_assert(HF_IOCTL_IRQ_FIRST == HF_SOFTWARE_INTID_FIRST);
static_assert(HF_IOCTL_IRQ_LAST == HF_SOFTWARE_INTID_LAST);

/*
 * Reads an ioctl's argument struct, whose first field is its size, by
 * copy_struct_from_user()'s rules (uapi/linux/hafnium.h): a caller's struct
 * of min_size..HF_IOCTL_SIZE_MAX bytes, zero-extended to the driver's ksize
 * if shorter, and beyond ksize all zero (E2BIG otherwise). Also checks the
 * struct's reserved fields. The size field of *karg is then the size the
 * caller's struct has, which hf_arg_out() writes back to at most.
 */
static int hf_arg_in(void *karg, const void __user *uarg, size_t ksize,
		     size_t min_size, const void *reserved,
		     size_t reserved_size)
{
	u32 usize;
	int ret;

	if (get_user(usize, (const u32 __user *)uarg))
		return -EFAULT;
	if (usize < min_size)
		return -EINVAL;
	/* However new the caller: more is not read at all. */
	if (usize > HF_IOCTL_SIZE_MAX)
		return -E2BIG;
	ret = copy_struct_from_user(karg, ksize, uarg, usize);
	if (ret)
		return ret;
	/* The size checked, whatever the caller wrote there meanwhile. */
	*(u32 *)karg = usize;
	if (memchr_inv(reserved, 0, reserved_size))
		return -EINVAL;
	return 0;
}

/* min: the struct's first published size, HF_IOCTL_*_SIZE_VER0. */
#define HF_ARG_IN(karg, uarg, min) \
	hf_arg_in(&(karg), (uarg), sizeof(karg), (min), (karg).reserved, \
		  sizeof((karg).reserved))

/*
 * Writes an answer back: the fields the caller's struct has (the first
 * min(its size, the driver's) bytes, the size field unchanged). Bytes of a
 * larger struct beyond the driver's are left as they were (all zero).
 */
static int hf_arg_out(void __user *uarg, const void *karg, size_t ksize)
{
	size_t size = min_t(size_t, *(const u32 *)karg, ksize);

	return copy_to_user(uarg, karg, size) ? -EFAULT : 0;
}

static long hf_ioctl_version(struct hf_dev *hf, void __user *uarg)
{
	struct hf_ioctl_version arg;
	int ret;

	ret = HF_ARG_IN(arg, uarg, HF_IOCTL_VERSION_SIZE_VER0);
	if (ret)
		return ret;
	arg.driver_version = HF_DRIVER_VERSION;
	arg.abi_version = hf->ffa_version;
	arg.hf_abi_version = hf->hf_abi_version;
	return hf_arg_out(uarg, &arg, sizeof(arg));
}

static long hf_ioctl_hyp_info(void __user *uarg)
{
	struct hf_ioctl_hyp_info arg;
	struct hf_hyp_info info;
	int ret;

	ret = HF_ARG_IN(arg, uarg, HF_IOCTL_HYP_INFO_SIZE_VER0);
	if (ret)
		return ret;
	ret = hf_hyp_info(&info);
	if (ret)
		return ret;
	arg.abi_version = info.abi_version;
	arg.cpu_count = info.cpu_count;
	arg.vm_count = info.vm_count;
	arg.mem_available = info.mem_available;
	arg.max_vms = info.max_vms;
	arg.max_vcpus = info.max_vcpus;
	return hf_arg_out(uarg, &arg, sizeof(arg));
}

static long hf_ioctl_vm_list(struct hf_dev *hf, void __user *uarg)
{
	struct hf_ioctl_vm_list arg;
	u16 ids[HF_VM_LIST_MAX];
	unsigned int count, i;
	u32 __user *uids;
	int ret;

	ret = HF_ARG_IN(arg, uarg, HF_IOCTL_VM_LIST_SIZE_VER0);
	if (ret)
		return ret;
	ret = hf_vm_list(hf, ids);
	if (ret < 0)
		return ret;
	count = ret;

	if (arg.count < count) {
		/* Tell the caller how much room to make. */
		arg.count = count;
		ret = hf_arg_out(uarg, &arg, sizeof(arg));
		return ret ?: -E2BIG;
	}
	uids = u64_to_user_ptr(arg.ids);
	for (i = 0; i < count; i++) {
		if (put_user(ids[i], &uids[i]))
			return -EFAULT;
	}
	arg.count = count;
	return hf_arg_out(uarg, &arg, sizeof(arg));
}

static long hf_ioctl_vm_info(void __user *uarg)
{
	struct hf_ioctl_vm_info arg;
	struct hf_vm_info info;
	int ret;

	ret = HF_ARG_IN(arg, uarg, HF_IOCTL_VM_INFO_SIZE_VER0);
	if (ret)
		return ret;
	/* FF-A ids are 16 bits; 0 is the hypervisor, not a VM. */
	if (arg.vm_id == HF_HYPERVISOR_VM_ID || arg.vm_id > U16_MAX)
		return -ENOENT;
	ret = hf_vm_info(arg.vm_id, &info);
	if (ret)
		return ret;
	arg.state = info.state;
	arg.vcpu_count = info.vcpu_count;
	arg.mem_size = info.mem_size;
	memcpy(arg.name, info.name, sizeof(arg.name));
	return hf_arg_out(uarg, &arg, sizeof(arg));
}

/* A VM name: 1..31 bytes, NUL-terminated, no control characters. */
static int hf_check_name(const char name[HF_IOCTL_VM_NAME_SIZE])
{
	size_t len = strnlen(name, HF_IOCTL_VM_NAME_SIZE), i;

	if (len == HF_IOCTL_VM_NAME_SIZE)
		return -ENAMETOOLONG;
	if (!len)
		return -EINVAL;
	for (i = 0; i < len; i++) {
		if ((unsigned char)name[i] < 0x20 || name[i] == 0x7f)
			return -EINVAL;
	}
	return 0;
}

static long hf_ioctl_vm_create(struct hf_dev *hf, void __user *uarg)
{
	struct hf_ioctl_vm_create arg;
	struct hf_vm_create_args args;
	u16 id;
	int ret;

	ret = HF_ARG_IN(arg, uarg, HF_IOCTL_VM_CREATE_SIZE_VER0);
	if (ret)
		return ret;
	ret = hf_check_name(arg.name);
	if (ret)
		return ret;
	args.name = arg.name;
	args.vcpu_count = arg.vcpu_count;
	args.mem_size = arg.mem_size;
	args.entry = arg.entry;
	ret = hf_vm_create(hf, &args, &id);
	if (ret)
		return ret;
	arg.vm_id = id;
	/*
	 * The VM exists now, whatever happens to the answer: a caller that
	 * cannot read it finds the VM by its name.
	 */
	return hf_arg_out(uarg, &arg, sizeof(arg));
}

/* The VM an ioctl names, referenced; NULL (ENOENT) if there is none. */
static struct hf_vm *hf_ioctl_vm(struct hf_dev *hf, u32 vm_id)
{
	if (vm_id == HF_HYPERVISOR_VM_ID || vm_id > U16_MAX)
		return NULL;
	return hf_vm_get(hf, vm_id);
}

/* After HF_ARG_IN's ret: the VM *vm_id names, referenced (hf_vm_put()). */
static int hf_arg_vm(struct hf_dev *hf, int ret, const u32 *vm_id,
		     struct hf_vm **vm)
{
	if (ret)
		return ret;
	*vm = hf_ioctl_vm(hf, *vm_id);
	return *vm ? 0 : -ENOENT;
}

/* HF_ARG_IN of a struct with a vm_id, and that VM into *vmp. */
#define HF_ARG_IN_VM(hf, karg, uarg, min, vmp) \
	hf_arg_vm((hf), HF_ARG_IN(karg, uarg, min), &(karg).vm_id, (vmp))

static long hf_ioctl_vm_load(struct hf_dev *hf, void __user *uarg)
{
	struct hf_ioctl_vm_load arg;
	struct hf_vm *vm;
	int ret;

	ret = HF_ARG_IN_VM(hf, arg, uarg, HF_IOCTL_VM_LOAD_SIZE_VER0, &vm);
	if (ret)
		return ret;
	ret = hf_vm_load(vm, u64_to_user_ptr(arg.addr), arg.len, arg.offset);
	hf_vm_put(vm);
	return ret;
}

static long hf_ioctl_vm_start(struct hf_dev *hf, void __user *uarg)
{
	struct hf_ioctl_vm_start arg;
	struct hf_vm *vm;
	int ret;

	ret = HF_ARG_IN_VM(hf, arg, uarg, HF_IOCTL_VM_START_SIZE_VER0, &vm);
	if (ret)
		return ret;
	ret = hf_vm_start(vm, arg.entry);
	hf_vm_put(vm);
	return ret;
}

/* HF_IOCTL_VM_STOP and HF_IOCTL_VM_DESTROY. */
static long hf_ioctl_vm_end(struct hf_dev *hf, void __user *uarg,
			    bool destroy)
{
	struct hf_ioctl_vm_id arg;
	struct hf_vm *vm;
	int ret;

	ret = HF_ARG_IN_VM(hf, arg, uarg, HF_IOCTL_VM_ID_SIZE_VER0, &vm);
	if (ret)
		return ret;
	ret = destroy ? hf_vm_destroy(vm) : hf_vm_stop(vm);
	hf_vm_put(vm);
	return ret;
}

static long hf_ioctl_vm_status(struct hf_dev *hf, void __user *uarg)
{
	struct hf_ioctl_vm_status arg;
	struct hf_vm_status st;
	struct hf_vm *vm;
	int ret;

	ret = HF_ARG_IN_VM(hf, arg, uarg, HF_IOCTL_VM_STATUS_SIZE_VER0, &vm);
	if (ret)
		return ret;
	ret = hf_vm_status(vm, &st);
	if (!ret) {
		arg.state = st.info.state;
		arg.vcpu_count = st.info.vcpu_count;
		arg.mem_size = st.info.mem_size;
		memcpy(arg.name, st.info.name, sizeof(arg.name));
		arg.mem_donated = vm->owned ? vm->mem_size : 0;
		arg.uptime_ns = st.uptime_ns;
		arg.exit_reason = st.exit.reason;
		arg.exit_vcpu = st.exit.vcpu;
		arg.exit_esr = st.exit.esr;
		arg.exit_far = st.exit.far;
		arg.exit_elr = st.exit.elr;
		arg.console_total = READ_ONCE(vm->console.total);
		arg.flags = vm->owned ? HF_IOCTL_VM_OWNED : 0;
	}
	hf_vm_put(vm);
	return ret ?: hf_arg_out(uarg, &arg, sizeof(arg));
}

static long hf_ioctl_vm_console(struct hf_dev *hf, void __user *uarg)
{
	struct hf_ioctl_vm_console arg;
	struct hf_console_read rd;
	struct hf_vm *vm;
	int ret;

	ret = HF_ARG_IN_VM(hf, arg, uarg, HF_IOCTL_VM_CONSOLE_SIZE_VER0, &vm);
	if (ret)
		return ret;
	rd.offset = arg.offset;
	rd.len = arg.len;
	rd.timeout_ms = arg.timeout_ms;
	ret = hf_console_read(vm, u64_to_user_ptr(arg.buf), &rd);
	if (!ret) {
		arg.offset = rd.offset;
		arg.len = rd.len;
		arg.total = rd.total;
		/* The driver's view, which the console's end follows. */
		spin_lock(&vm->status_lock);
		if (vm->ended) {
			arg.flags = HF_IOCTL_CONSOLE_ENDED;
			arg.state = vm->exit_known &&
				    vm->exit.reason == HF_VM_EXIT_CRASHED ?
				    HF_IOCTL_VM_CRASHED : HF_IOCTL_VM_STOPPED;
		} else {
			arg.flags = 0;
			arg.state = READ_ONCE(vm->phase) == HF_PHASE_CREATED ?
				    HF_IOCTL_VM_CREATED : HF_IOCTL_VM_RUNNING;
		}
		spin_unlock(&vm->status_lock);
	}
	hf_vm_put(vm);
	return ret ?: hf_arg_out(uarg, &arg, sizeof(arg));
}

static long hf_ioctl_vm_irq(struct hf_dev *hf, void __user *uarg)
{
	struct hf_ioctl_vm_irq arg;
	struct hf_vm *vm;
	int ret;

	ret = HF_ARG_IN(arg, uarg, HF_IOCTL_VM_IRQ_SIZE_VER0);
	if (ret)
		return ret;
	if (arg.reserved0)
		return -EINVAL;
	vm = hf_ioctl_vm(hf, arg.vm_id);
	if (!vm)
		return -ENOENT;
	ret = hf_vm_irq(vm, arg.vcpu, arg.intid);
	hf_vm_put(vm);
	if (ret < 0)
		return ret;
	arg.result = ret ? HF_IOCTL_IRQ_PENDING : HF_IOCTL_IRQ_MERGED;
	return hf_arg_out(uarg, &arg, sizeof(arg));
}

/* A command without its size bits (_IOC_SIZE). */
#define HF_IOCTL_CMD(cmd) ((cmd) & ~IOCSIZE_MASK)

static long hf_ioctl(struct file *file, unsigned int cmd, unsigned long arg)
{
	struct hf_dev *hf = container_of(file->private_data, struct hf_dev,
					 misc);
	void __user *uarg = (void __user *)arg;

	/*
	 * A command is its type, number and direction: its size bits, which
	 * say sizeof the struct of the header the caller was built with, are
	 * ignored. The struct's own size field is what counts, so a caller
	 * with an older or newer struct sends a command that still matches.
	 */
	switch (HF_IOCTL_CMD(cmd)) {
	case HF_IOCTL_CMD(HF_IOCTL_VERSION):
		return hf_ioctl_version(hf, uarg);
	case HF_IOCTL_CMD(HF_IOCTL_HYP_INFO):
		return hf_ioctl_hyp_info(uarg);
	case HF_IOCTL_CMD(HF_IOCTL_VM_LIST):
		return hf_ioctl_vm_list(hf, uarg);
	case HF_IOCTL_CMD(HF_IOCTL_VM_INFO):
		return hf_ioctl_vm_info(uarg);
	case HF_IOCTL_CMD(HF_IOCTL_VM_CREATE):
		return hf_ioctl_vm_create(hf, uarg);
	case HF_IOCTL_CMD(HF_IOCTL_VM_LOAD):
		return hf_ioctl_vm_load(hf, uarg);
	case HF_IOCTL_CMD(HF_IOCTL_VM_START):
		return hf_ioctl_vm_start(hf, uarg);
	case HF_IOCTL_CMD(HF_IOCTL_VM_STOP):
		return hf_ioctl_vm_end(hf, uarg, false);
	case HF_IOCTL_CMD(HF_IOCTL_VM_DESTROY):
		return hf_ioctl_vm_end(hf, uarg, true);
	case HF_IOCTL_CMD(HF_IOCTL_VM_STATUS):
		return hf_ioctl_vm_status(hf, uarg);
	case HF_IOCTL_CMD(HF_IOCTL_VM_CONSOLE):
		return hf_ioctl_vm_console(hf, uarg);
	case HF_IOCTL_CMD(HF_IOCTL_VM_IRQ):
		return hf_ioctl_vm_irq(hf, uarg);
	default:
		return -ENOTTY;
	}
}

static int hf_open(struct inode *inode, struct file *file)
{
	/*
	 * Mode 0600 keeps other users out; this also keeps out root
	 * without CAP_SYS_ADMIN (in a user namespace, for one).
	 */
	if (!capable(CAP_SYS_ADMIN))
		return -EPERM;
	return 0;
}

static const struct file_operations hf_fops = {
	.owner = THIS_MODULE,
	.open = hf_open,
	.unlocked_ioctl = hf_ioctl,
	/* The structs are the same for 32-bit callers; only arg differs. */
	.compat_ioctl = compat_ptr_ioctl,
	.llseek = noop_llseek,
};

int hf_cdev_init(struct hf_dev *hf)
{
	hf->misc.minor = MISC_DYNAMIC_MINOR;
	hf->misc.name = "hafnium";
	hf->misc.fops = &hf_fops;
	hf->misc.parent = hf->dev;
	hf->misc.mode = 0600;
	return misc_register(&hf->misc);
}

void hf_cdev_exit(struct hf_dev *hf)
{
	misc_deregister(&hf->misc);
}
