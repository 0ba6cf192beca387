// SPDX-License-Identifier: GPL-2.0
/*
 * DMA faults. Where an SMMU guards the primary's DMA, hafnium owns it and
 * records every access of this kernel's devices that it refused (memory
 * that is not the primary's, a device beyond PCI bus 0). Hafnium puts the
 * SMMU's event interrupt in the /hypervisor node as "dma-fault"; its
 * thread drains the faults with HF_DMA_FAULT_GET and logs each one. There
 * is nothing to do without that interrupt.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/interrupt.h>
#include <linux/platform_device.h>
#include <linux/sched.h>

#include <linux/hafnium.h>

#include "hafnium.h"

static const char *hf_dma_fault_kind(const struct hf_dma_fault *f,
				     char *buf, size_t size)
{
	switch (f->kind) {
	case HF_DMA_FAULT_TRANSLATION:
		return "translation fault";
	case HF_DMA_FAULT_PERMISSION:
		return "permission fault";
	case HF_DMA_FAULT_BAD_STE:
		return "bad STE";
	case HF_DMA_FAULT_BAD_STREAM:
		return "bad stream id (only PCI bus 0 is translated)";
	default:
		snprintf(buf, size, "SMMU event 0x%02x", f->event_id);
		return buf;
	}
}

/* Logs every fault the hypervisor holds; faults can keep coming (a
 * device retrying), so it yields between them. */
static void hf_dma_fault_drain(struct hf_dev *hf)
{
	struct hf_dma_fault f;
	char kind[24];
	int ret;

	while ((ret = hf_call_dma_fault_get(&f)) == 0) {
		if (f.lost)
			dev_warn_ratelimited(hf->dev, "DMA faults lost: the SMMU's event queue was full %u times\n",
					     f.lost);
		/* A stream id is a PCI requester id: bus, device, function. */
		dev_warn_ratelimited(hf->dev, "DMA fault: stream 0x%04x (%02x:%02x.%x) %s 0x%llx: %s\n",
				     f.stream, (f.stream >> 8) & 0xff,
				     (f.stream >> 3) & 0x1f, f.stream & 7,
				     f.write ? "write" : "read", f.address,
				     hf_dma_fault_kind(&f, kind, sizeof(kind)));
		cond_resched();
	}
	if (ret != -ENODATA)
		dev_warn_ratelimited(hf->dev, "HF_DMA_FAULT_GET failed: %pe\n",
				     ERR_PTR(ret));
}

static irqreturn_t hf_dma_fault_thread(int irq, void *data)
{
	hf_dma_fault_drain(data);
	return IRQ_HANDLED;
}

int hf_dma_fault_init(struct hf_dev *hf)
{
	struct platform_device *pdev = to_platform_device(hf->dev);
	int irq, ret;

	/* HF_DMA_FAULT_GET came with ABI 2.1. */
	if (HF_VERSION_MINOR(hf->hf_abi_version) < 1)
		return 0;
	irq = platform_get_irq_byname_optional(pdev, "dma-fault");
	if (irq == -ENXIO)
		return 0;
	if (irq < 0)
		return dev_err_probe(hf->dev, irq,
				     "cannot get the dma-fault interrupt\n");
	ret = devm_request_threaded_irq(hf->dev, irq, NULL,
					hf_dma_fault_thread, IRQF_ONESHOT,
					"hafnium-dma-fault", hf);
	if (ret)
		return dev_err_probe(hf->dev, ret,
				     "cannot request the dma-fault interrupt %d\n",
				     irq);
	/* Faults recorded before the driver was loaded. */
	hf_dma_fault_drain(hf);
	return 0;
}
