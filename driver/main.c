// SPDX-License-Identifier: GPL-2.0
/*
 * hafnium.ko: the primary VM's driver for the hafnium hypervisor.
 *
 * A platform driver for the "hafnium,hafnium" node that the hypervisor adds
 * to the primary's device tree. Probe negotiates the FF-A version, checks
 * that this kernel is the primary VM, maps the RX/TX buffers and publishes
 * /dev/hafnium and /sys/kernel/hafnium; remove undoes it all, in reverse.
 * docs/driver.md describes the interface.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mod_devicetable.h>
#include <linux/of.h>
#include <linux/platform_device.h>

#include <linux/hafnium.h>

#include "hafnium.h"

#define HF_COMPATIBLE "hafnium,hafnium"

/* Oldest FF-A minor version of major FFA_VERSION_MAJOR the driver uses. */
#define HF_FFA_MINOR_MIN 1

/*
 * hf_probe()'s result, or 1 while it has not run. Module init returns it,
 * so that insmod fails with the reason instead of leaving a driver loaded
 * that is bound to nothing.
 */
static int hf_probe_result;

/* Maps zeroed RX/TX pages; the hypervisor writes RX, reads TX. */
static int hf_map_buffers(struct hf_dev *hf)
{
	int ret;

	BUILD_BUG_ON(PAGE_SIZE < HF_MAILBOX_SIZE);
	hf->tx = alloc_page(GFP_KERNEL | __GFP_ZERO);
	hf->rx = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!hf->tx || !hf->rx) {
		ret = -ENOMEM;
		goto err;
	}
	/* The primary's stage-2 is the identity: its PAs are IPAs. */
	ret = hf_ffa_rxtx_map(page_to_phys(hf->tx), page_to_phys(hf->rx));
	if (ret) {
		dev_err(hf->dev, "FFA_RXTX_MAP failed: %pe\n", ERR_PTR(ret));
		goto err;
	}
	return 0;

err:
	if (hf->tx)
		__free_page(hf->tx);
	if (hf->rx)
		__free_page(hf->rx);
	return ret;
}

static void hf_unmap_buffers(struct hf_dev *hf)
{
	int ret;

	ret = hf_ffa_rxtx_unmap();
	if (ret) {
		/*
		 * The hypervisor may still write RX: reusing the pages could
		 * corrupt whatever the kernel puts there next.
		 */
		dev_err(hf->dev, "FFA_RXTX_UNMAP failed: %pe; leaking the RX/TX pages\n",
			ERR_PTR(ret));
		return;
	}
	__free_page(hf->tx);
	__free_page(hf->rx);
}

/* Checks the FF-A version, the caller's VM id and the HF_* ABI version. */
static int hf_check_hypervisor(struct hf_dev *hf, struct hf_hyp_info *info)
{
	struct device *dev = hf->dev;
	u16 id;
	int ret;

	ret = hf_ffa_version(&hf->ffa_version);
	if (ret) {
		dev_err(dev, "FFA_VERSION failed: %pe; the hypervisor does not speak FF-A\n",
			ERR_PTR(ret));
		return -EPROTO;
	}
	if (HF_VERSION_MAJOR(hf->ffa_version) != FFA_VERSION_MAJOR ||
	    HF_VERSION_MINOR(hf->ffa_version) < HF_FFA_MINOR_MIN) {
		dev_err(dev, "hypervisor implements FF-A %u.%u, the driver needs %u.%u or a later %u.x\n",
			HF_VERSION_MAJOR(hf->ffa_version),
			HF_VERSION_MINOR(hf->ffa_version), FFA_VERSION_MAJOR,
			HF_FFA_MINOR_MIN, FFA_VERSION_MAJOR);
		return -EPROTO;
	}

	ret = hf_ffa_id_get(&id);
	if (ret) {
		dev_err(dev, "FFA_ID_GET failed: %pe\n", ERR_PTR(ret));
		return ret;
	}
	if (id != HF_PRIMARY_VM_ID) {
		dev_err(dev, "this kernel is VM %u: only the primary VM (%u) controls hafnium\n",
			id, HF_PRIMARY_VM_ID);
		return -ENODEV;
	}

	ret = hf_hyp_info(info);
	if (ret) {
		dev_err(dev, "HF_HYP_INFO failed: %pe\n", ERR_PTR(ret));
		return ret;
	}
	hf->hf_abi_version = info->abi_version;
	hf->max_vcpus = info->max_vcpus;
	if (HF_VERSION_MAJOR(info->abi_version) != HF_ABI_VERSION_MAJOR) {
		dev_err(dev, "hypervisor implements hafnium ABI %u.%u, the driver needs %u.x\n",
			HF_VERSION_MAJOR(info->abi_version),
			HF_VERSION_MINOR(info->abi_version),
			HF_ABI_VERSION_MAJOR);
		return -EPROTO;
	}
	return 0;
}

static int hf_probe(struct platform_device *pdev)
{
	struct hf_hyp_info info;
	struct hf_dev *hf;
	int ret;

	hf = devm_kzalloc(&pdev->dev, sizeof(*hf), GFP_KERNEL);
	if (!hf) {
		ret = -ENOMEM;
		goto out;
	}
	hf->dev = &pdev->dev;
	mutex_init(&hf->mailbox_lock);
	mutex_init(&hf->vms_lock);
	mutex_init(&hf->create_lock);
	INIT_LIST_HEAD(&hf->vms);
	atomic64_set(&hf->mem_donated, 0);

	ret = hf_check_hypervisor(hf, &info);
	if (ret)
		goto out;
	ret = hf_dma_fault_init(hf);
	if (ret)
		goto out;
	ret = hf_map_buffers(hf);
	if (ret)
		goto out;
	ret = hf_sysfs_init(hf);
	if (ret) {
		dev_err(hf->dev, "cannot create /sys/kernel/hafnium: %pe\n",
			ERR_PTR(ret));
		goto err_unmap;
	}
	/* Before any vCPU runs: the primary's tick must preempt it. */
	ret = hf_hyp_timer_init(hf);
	if (ret)
		goto err_sysfs;
	ret = hf_vms_init(hf);
	if (ret) {
		dev_err(hf->dev, "cannot list the VMs: %pe\n", ERR_PTR(ret));
		goto err_timer;
	}
	/* Last: userspace may use the device as soon as it appears. */
	ret = hf_cdev_init(hf);
	if (ret) {
		dev_err(hf->dev, "cannot register /dev/hafnium: %pe\n",
			ERR_PTR(ret));
		goto err_vms;
	}
	ret = hf_sock_init(hf);
	if (ret) {
		dev_err(hf->dev, "cannot register the AF_HF socket family: %pe\n",
			ERR_PTR(ret));
		goto err_cdev;
	}
	platform_set_drvdata(pdev, hf);
	dev_info(hf->dev, "FF-A %u.%u, hafnium ABI %u.%u, CPUs: %u, VMs: %u; /dev/hafnium ready\n",
		 HF_VERSION_MAJOR(hf->ffa_version),
		 HF_VERSION_MINOR(hf->ffa_version),
		 HF_VERSION_MAJOR(hf->hf_abi_version),
		 HF_VERSION_MINOR(hf->hf_abi_version), info.cpu_count,
		 info.vm_count);
	goto out;

err_cdev:
	hf_cdev_exit(hf);
err_vms:
	hf_vms_exit(hf);
err_timer:
	hf_hyp_timer_exit(hf);
err_sysfs:
	hf_sysfs_exit(hf);
err_unmap:
	hf_unmap_buffers(hf);
out:
	hf_probe_result = ret;
	return ret;
}

static void hf_remove(struct platform_device *pdev)
{
	struct hf_dev *hf = platform_get_drvdata(pdev);

	/* No socket is open: each holds the module. */
	hf_sock_exit(hf);
	hf_cdev_exit(hf);
	/*
	 * Only adopted VMs are left: each VM created here holds the module
	 * until it is destroyed.
	 */
	hf_vms_exit(hf);
	hf_hyp_timer_exit(hf);
	hf_sysfs_exit(hf);
	hf_unmap_buffers(hf);
}

static const struct of_device_id hf_of_match[] = {
	{ .compatible = HF_COMPATIBLE },
	{ }
};
MODULE_DEVICE_TABLE(of, hf_of_match);

static struct platform_driver hf_driver = {
	.probe = hf_probe,
	.remove_new = hf_remove,
	.driver = {
		.name = "hafnium",
		.of_match_table = hf_of_match,
		/* Module init needs probe's result before it returns. */
		.probe_type = PROBE_FORCE_SYNCHRONOUS,
		/* Unbinding would leave the module loaded without a device. */
		.suppress_bind_attrs = true,
	},
};

static int __init hf_init(void)
{
	struct device_node *np;
	int ret;

	/*
	 * Without hafnium nothing runs at EL2 to answer an HVC: it would be
	 * an undefined instruction. The node is the hypervisor's sign that
	 * it is there, so look for it before anything could make a call.
	 */
	np = of_find_compatible_node(NULL, NULL, HF_COMPATIBLE);
	if (!np) {
		pr_err("no \"hafnium,hafnium\" node in the device tree: not running under the hafnium hypervisor\n");
		return -ENODEV;
	}
	of_node_put(np);

	hf_probe_result = 1;
	ret = platform_driver_register(&hf_driver);
	if (ret)
		return ret;
	if (hf_probe_result == 1) {
		pr_err("the \"hafnium,hafnium\" node has no platform device\n");
		ret = -ENODEV;
	} else {
		ret = hf_probe_result;
	}
	if (ret)
		platform_driver_unregister(&hf_driver);
	return ret;
}

static void __exit hf_exit(void)
{
	platform_driver_unregister(&hf_driver);
}

module_init(hf_init);
module_exit(hf_exit);

MODULE_DESCRIPTION("hafnium hypervisor driver for the primary VM");
MODULE_LICENSE("GPL");
