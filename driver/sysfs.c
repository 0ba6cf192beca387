// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/hafnium: the hypervisor's status, one value per file
 * (docs/driver.md).
 *
 *   abi_version driver_version hf_abi_version          versions, "major.minor"
 *   cpu_count vm_count mem_available max_vms max_vcpus  HF_HYP_INFO
 *   mem_donated                                         the driver's accounting
 *   vms/<id>/name state vcpus memory hyp_memory         HF_VM_INFO
 *   vms/<id>/uptime exit_reason crash mem_donated       the driver's VM object
 *     console_bytes runs memory_ranges
 *
 * Values that can change are asked of the hypervisor at each read, so the
 * files always agree with the ioctls. A vms/<id> directory is the kobject
 * of the VM's struct hf_vm (vm.c), there as long as the VM is.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/sysfs.h>
#include <linux/timekeeping.h>

#include <linux/hafnium.h>

#include "hafnium.h"

/* /sys/kernel/hafnium itself. */
struct hf_dir {
	struct kobject kobj;
	struct hf_dev *hf;
};

static struct hf_dir *to_hf_dir(struct kobject *kobj)
{
	return container_of(kobj, struct hf_dir, kobj);
}

static void hf_dir_release(struct kobject *kobj)
{
	kfree(to_hf_dir(kobj));
}

static ssize_t hf_emit_version(char *buf, u32 version)
{
	return sysfs_emit(buf, "%u.%u\n", HF_VERSION_MAJOR(version),
			  HF_VERSION_MINOR(version));
}

static ssize_t abi_version_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return hf_emit_version(buf, to_hf_dir(kobj)->hf->ffa_version);
}

static ssize_t hf_abi_version_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return hf_emit_version(buf, to_hf_dir(kobj)->hf->hf_abi_version);
}

static ssize_t driver_version_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	return hf_emit_version(buf, HF_DRIVER_VERSION);
}

/* A read-only attribute showing one field of HF_HYP_INFO. */
#define HF_HYP_INFO_ATTR(_name, _fmt)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct hf_hyp_info info;					\
	int ret;							\
									\
	ret = hf_hyp_info(&info);					\
	if (ret)							\
		return ret;						\
	return sysfs_emit(buf, _fmt "\n", info._name);			\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

static ssize_t mem_donated_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%lld\n",
			  atomic64_read(&to_hf_dir(kobj)->hf->mem_donated));
}

static struct kobj_attribute abi_version_attr = __ATTR_RO(abi_version);
static struct kobj_attribute hf_abi_version_attr = __ATTR_RO(hf_abi_version);
static struct kobj_attribute driver_version_attr = __ATTR_RO(driver_version);
HF_HYP_INFO_ATTR(cpu_count, "%u");
HF_HYP_INFO_ATTR(vm_count, "%u");
HF_HYP_INFO_ATTR(mem_available, "%llu");
HF_HYP_INFO_ATTR(max_vms, "%u");
HF_HYP_INFO_ATTR(max_vcpus, "%u");
static struct kobj_attribute mem_donated_attr = __ATTR_RO(mem_donated);

static struct attribute *hf_root_attrs[] = {
	&abi_version_attr.attr,
	&hf_abi_version_attr.attr,
	&driver_version_attr.attr,
	&cpu_count_attr.attr,
	&vm_count_attr.attr,
	&mem_available_attr.attr,
	&max_vms_attr.attr,
	&max_vcpus_attr.attr,
	&mem_donated_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hf_root);

static const struct kobj_type hf_root_ktype = {
	.release = hf_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hf_root_groups,
};

static const char *const hf_vm_state_names[] = {
	[HF_VM_STATE_CREATED] = "created",
	[HF_VM_STATE_RUNNING] = "running",
	[HF_VM_STATE_STOPPED] = "stopped",
	[HF_VM_STATE_CRASHED] = "crashed",
};

/* A read-only attribute of a vms/<id> directory, from HF_VM_INFO. */
#define HF_VM_ATTR(_name)						\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	struct hf_vm_info info;						\
	int ret;							\
									\
	ret = hf_vm_info(to_hf_vm(kobj)->id, &info);			\
	if (ret)							\
		return ret;						\
	return hf_vm_##_name##_emit(buf, &info);			\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

static struct hf_vm *to_hf_vm(struct kobject *kobj)
{
	return container_of(kobj, struct hf_vm, kobj);
}

static ssize_t hf_vm_name_emit(char *buf, const struct hf_vm_info *info)
{
	return sysfs_emit(buf, "%s\n", info->name);
}

static ssize_t hf_vm_state_emit(char *buf, const struct hf_vm_info *info)
{
	/* A state newer than this driver shows as its number. */
	if (info->state >= ARRAY_SIZE(hf_vm_state_names))
		return sysfs_emit(buf, "%u\n", info->state);
	return sysfs_emit(buf, "%s\n", hf_vm_state_names[info->state]);
}

static ssize_t hf_vm_vcpus_emit(char *buf, const struct hf_vm_info *info)
{
	return sysfs_emit(buf, "%u\n", info->vcpu_count);
}

static ssize_t hf_vm_memory_emit(char *buf, const struct hf_vm_info *info)
{
	return sysfs_emit(buf, "%llu\n", info->mem_size);
}

static ssize_t hf_vm_hyp_memory_emit(char *buf, const struct hf_vm_info *info)
{
	return sysfs_emit(buf, "%llu\n", (u64)info->hyp_pages * HF_PAGE_SIZE);
}

HF_VM_ATTR(name);
HF_VM_ATTR(state);
HF_VM_ATTR(vcpus);
HF_VM_ATTR(memory);
HF_VM_ATTR(hyp_memory);

/* Nanoseconds since it started, until it ended; 0 before it starts. */
static ssize_t uptime_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct hf_vm *vm = to_hf_vm(kobj);
	u64 ns = 0;

	spin_lock(&vm->status_lock);
	if (vm->start_ns)
		ns = (vm->end_ns ?: ktime_get_boottime_ns()) - vm->start_ns;
	spin_unlock(&vm->status_lock);
	return sysfs_emit(buf, "%llu\n", ns);
}

static ssize_t exit_reason_show(struct kobject *kobj,
				struct kobj_attribute *attr, char *buf)
{
	struct hf_vm_status st;
	int ret;

	ret = hf_vm_status(to_hf_vm(kobj), &st);
	if (ret)
		return ret;
	return sysfs_emit(buf, "%s\n", hf_exit_reason_name(st.exit.reason));
}

/* The crash report, one line; empty unless it crashed. */
static ssize_t crash_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	struct hf_vm_status st;
	int ret;

	ret = hf_vm_status(to_hf_vm(kobj), &st);
	if (ret)
		return ret;
	if (st.exit.reason != HF_VM_EXIT_CRASHED)
		return 0;
	ret = hf_crash_report(buf, PAGE_SIZE - 1, &st.exit);
	buf[ret++] = '\n';
	return ret;
}

static ssize_t mem_donated_vm_show(struct kobject *kobj,
				   struct kobj_attribute *attr, char *buf)
{
	struct hf_vm *vm = to_hf_vm(kobj);

	return sysfs_emit(buf, "%llu\n", vm->owned ? vm->mem_size : 0);
}

static ssize_t console_bytes_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return sysfs_emit(buf, "%llu\n", READ_ONCE(to_hf_vm(kobj)->console.total));
}

static ssize_t runs_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%llu\n", hf_vm_runs(to_hf_vm(kobj)));
}

#define HF_VM_COUNTER_ATTR(_name)					\
static ssize_t _name##_show(struct kobject *kobj,			\
			    struct kobj_attribute *attr, char *buf)	\
{									\
	return sysfs_emit(buf, "%lld\n",				\
			  atomic64_read(&to_hf_vm(kobj)->_name));	\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

/* AF_HF messages to and from the VM (socket.c). */
HF_VM_COUNTER_ATTR(msg_sent);
HF_VM_COUNTER_ATTR(msg_received);
HF_VM_COUNTER_ATTR(msg_refused);

/* Root only: where the VM's memory is, for tests of its isolation. */
static ssize_t memory_ranges_show(struct kobject *kobj,
				  struct kobj_attribute *attr, char *buf)
{
	return hf_vm_memory_ranges(to_hf_vm(kobj), buf, PAGE_SIZE);
}

static struct kobj_attribute uptime_attr = __ATTR_RO(uptime);
static struct kobj_attribute exit_reason_attr = __ATTR_RO(exit_reason);
static struct kobj_attribute crash_attr = __ATTR_RO(crash);
static struct kobj_attribute mem_donated_vm_attr =
	__ATTR(mem_donated, 0444, mem_donated_vm_show, NULL);
static struct kobj_attribute console_bytes_attr = __ATTR_RO(console_bytes);
static struct kobj_attribute runs_attr = __ATTR_RO(runs);
static struct kobj_attribute memory_ranges_attr = __ATTR_RO_MODE(memory_ranges,
								  0400);

static struct attribute *hf_vm_attrs[] = {
	&name_attr.attr,
	&state_attr.attr,
	&vcpus_attr.attr,
	&memory_attr.attr,
	&hyp_memory_attr.attr,
	NULL,
};

static const struct attribute_group hf_vm_group = {
	.attrs = hf_vm_attrs,
};

/* What the driver knows of a secondary's run; not for the primary. */
static struct attribute *hf_vm_run_attrs[] = {
	&uptime_attr.attr,
	&exit_reason_attr.attr,
	&crash_attr.attr,
	&mem_donated_vm_attr.attr,
	&console_bytes_attr.attr,
	&runs_attr.attr,
	&memory_ranges_attr.attr,
	&msg_sent_attr.attr,
	&msg_received_attr.attr,
	&msg_refused_attr.attr,
	NULL,
};

static umode_t hf_vm_run_visible(struct kobject *kobj, struct attribute *attr,
				 int n)
{
	return to_hf_vm(kobj)->id == HF_PRIMARY_VM_ID ? 0 : attr->mode;
}

static const struct attribute_group hf_vm_run_group = {
	.attrs = hf_vm_run_attrs,
	.is_visible = hf_vm_run_visible,
};

const struct attribute_group *hf_vm_groups[] = {
	&hf_vm_group,
	&hf_vm_run_group,
	NULL,
};

int hf_sysfs_init(struct hf_dev *hf)
{
	struct hf_dir *dir;
	int ret;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return -ENOMEM;
	dir->hf = hf;
	ret = kobject_init_and_add(&dir->kobj, &hf_root_ktype, kernel_kobj,
				   "hafnium");
	if (ret) {
		/* Frees dir through the release function. */
		kobject_put(&dir->kobj);
		return ret;
	}
	hf->sysfs = &dir->kobj;

	hf->sysfs_vms = kobject_create_and_add("vms", hf->sysfs);
	if (!hf->sysfs_vms) {
		kobject_put(hf->sysfs);
		return -ENOMEM;
	}
	return 0;
}

/* After hf_vms_exit(): the vms/<id> directories are gone. */
void hf_sysfs_exit(struct hf_dev *hf)
{
	kobject_put(hf->sysfs_vms);
	kobject_put(hf->sysfs);
}
