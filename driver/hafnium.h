/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hafnium.ko internals: the state of the one hypervisor the driver serves
 * and the interfaces between its files (docs/driver.md).
 */
#ifndef HAFNIUM_DRIVER_H
#define HAFNIUM_DRIVER_H

#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <hf/abi.h>

struct device;
struct kobject;
struct page;

/* Most FF-A partition descriptors that fit in the RX buffer. */
#define HF_VM_LIST_MAX (HF_MAILBOX_SIZE / FFA_PARTITION_INFO_SIZE)

struct hf_dev {
	struct device *dev;		/* the hafnium,hafnium platform device */
	u32 ffa_version;		/* negotiated with FFA_VERSION */
	u32 hf_abi_version;		/* of the HF_* calls, from HF_HYP_INFO */
	struct page *tx, *rx;		/* FF-A buffers (FFA_RXTX_MAP) */
	/*
	 * The RX buffer belongs to the driver from a call that fills it
	 * until FFA_RX_RELEASE; one such exchange at a time.
	 */
	struct mutex rx_lock;
	struct miscdevice misc;		/* /dev/hafnium */
	struct kobject *sysfs;		/* /sys/kernel/hafnium */
	struct kobject *sysfs_vms;	/* /sys/kernel/hafnium/vms */
	struct list_head vm_dirs;	/* the per-VM directories in it */
};

/* What HF_HYP_INFO reports. */
struct hf_hyp_info {
	u32 abi_version;
	u32 cpu_count;
	u32 vm_count;
	u32 max_vms;
	u32 max_vcpus;
	u64 mem_available;
};

/* What HF_VM_INFO reports about one VM. */
struct hf_vm_info {
	u32 state;			/* HF_VM_STATE_* */
	u32 vcpu_count;
	u64 mem_size;
	char name[HF_VM_NAME_MAX];	/* NUL-terminated */
};

/* hvc.c: hypercalls; 0 or a negative errno unless said otherwise. */
int hf_ffa_version(u32 *version);
int hf_ffa_id_get(u16 *id);
int hf_ffa_rxtx_map(phys_addr_t tx, phys_addr_t rx);
int hf_ffa_rxtx_unmap(void);
int hf_hyp_info(struct hf_hyp_info *info);
/* -ENOENT if no VM has this id. */
int hf_vm_info(u32 vm_id, struct hf_vm_info *info);
/* Fills ids with the VMs' ids; returns how many, or a negative errno. */
int hf_vm_list(struct hf_dev *hf, u16 ids[HF_VM_LIST_MAX]);

/* cdev.c: /dev/hafnium. */
int hf_cdev_init(struct hf_dev *hf);
void hf_cdev_exit(struct hf_dev *hf);

/* sysfs.c: /sys/kernel/hafnium. */
int hf_sysfs_init(struct hf_dev *hf);
void hf_sysfs_exit(struct hf_dev *hf);

#endif /* HAFNIUM_DRIVER_H */
