// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/hafnium: the hypervisor's status, one value per file
 * (docs/driver.md).
 *
 *   abi_version driver_version hf_abi_version          versions, "major.minor"
 *   cpu_count vm_count mem_available max_vms max_vcpus  HF_HYP_INFO
 *   vms/<id>/name state vcpus memory                    HF_VM_INFO
 *
 * Values that can change are asked of the hypervisor at each read, so the
 * files always agree with the ioctls. The vms/ directories are made from
 * the VM list at probe: no call adds or removes VMs yet.
 */
#include <linux/err.h>
#include <linux/kernel.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/slab.h>
#include <linux/sysfs.h>

#include <linux/hafnium.h>

#include "hafnium.h"

/* /sys/kernel/hafnium itself, or one vms/<id> directory in it. */
struct hf_dir {
	struct kobject kobj;
	struct hf_dev *hf;
	u32 vm_id;		/* of a vms/<id> directory */
	struct list_head node;	/* in hf_dev.vm_dirs */
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

static struct kobj_attribute abi_version_attr = __ATTR_RO(abi_version);
static struct kobj_attribute hf_abi_version_attr = __ATTR_RO(hf_abi_version);
static struct kobj_attribute driver_version_attr = __ATTR_RO(driver_version);
HF_HYP_INFO_ATTR(cpu_count, "%u");
HF_HYP_INFO_ATTR(vm_count, "%u");
HF_HYP_INFO_ATTR(mem_available, "%llu");
HF_HYP_INFO_ATTR(max_vms, "%u");
HF_HYP_INFO_ATTR(max_vcpus, "%u");

static struct attribute *hf_root_attrs[] = {
	&abi_version_attr.attr,
	&hf_abi_version_attr.attr,
	&driver_version_attr.attr,
	&cpu_count_attr.attr,
	&vm_count_attr.attr,
	&mem_available_attr.attr,
	&max_vms_attr.attr,
	&max_vcpus_attr.attr,
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
	ret = hf_vm_info(to_hf_dir(kobj)->vm_id, &info);		\
	if (ret)							\
		return ret;						\
	return hf_vm_##_name##_emit(buf, &info);			\
}									\
static struct kobj_attribute _name##_attr = __ATTR_RO(_name)

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

HF_VM_ATTR(name);
HF_VM_ATTR(state);
HF_VM_ATTR(vcpus);
HF_VM_ATTR(memory);

static struct attribute *hf_vm_attrs[] = {
	&name_attr.attr,
	&state_attr.attr,
	&vcpus_attr.attr,
	&memory_attr.attr,
	NULL,
};
ATTRIBUTE_GROUPS(hf_vm);

static const struct kobj_type hf_vm_ktype = {
	.release = hf_dir_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = hf_vm_groups,
};

static struct hf_dir *hf_dir_add(struct hf_dev *hf,
				 const struct kobj_type *ktype,
				 struct kobject *parent, const char *name,
				 u32 vm_id)
{
	struct hf_dir *dir;
	int ret;

	dir = kzalloc(sizeof(*dir), GFP_KERNEL);
	if (!dir)
		return ERR_PTR(-ENOMEM);
	dir->hf = hf;
	dir->vm_id = vm_id;
	ret = kobject_init_and_add(&dir->kobj, ktype, parent, "%s", name);
	if (ret) {
		/* Frees dir through the release function. */
		kobject_put(&dir->kobj);
		return ERR_PTR(ret);
	}
	return dir;
}

int hf_sysfs_init(struct hf_dev *hf)
{
	u16 ids[HF_VM_LIST_MAX];
	struct hf_dir *dir;
	char name[8];
	int ret, i;

	INIT_LIST_HEAD(&hf->vm_dirs);
	dir = hf_dir_add(hf, &hf_root_ktype, kernel_kobj, "hafnium", 0);
	if (IS_ERR(dir))
		return PTR_ERR(dir);
	hf->sysfs = &dir->kobj;

	hf->sysfs_vms = kobject_create_and_add("vms", hf->sysfs);
	if (!hf->sysfs_vms) {
		ret = -ENOMEM;
		goto err;
	}
	ret = hf_vm_list(hf, ids);
	if (ret < 0)
		goto err;
	for (i = 0; i < ret; i++) {
		snprintf(name, sizeof(name), "%u", ids[i]);
		dir = hf_dir_add(hf, &hf_vm_ktype, hf->sysfs_vms, name, ids[i]);
		if (IS_ERR(dir)) {
			ret = PTR_ERR(dir);
			goto err;
		}
		list_add_tail(&dir->node, &hf->vm_dirs);
	}
	return 0;

err:
	hf_sysfs_exit(hf);
	return ret;
}

/*
 * Removing a directory waits for reads of its files in progress, so no
 * show function runs after this returns.
 */
void hf_sysfs_exit(struct hf_dev *hf)
{
	struct hf_dir *dir, *next;

	list_for_each_entry_safe(dir, next, &hf->vm_dirs, node) {
		list_del(&dir->node);
		kobject_put(&dir->kobj);
	}
	kobject_put(hf->sysfs_vms);
	kobject_put(hf->sysfs);
}
