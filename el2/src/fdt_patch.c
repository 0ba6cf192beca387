/* SPDX-License-Identifier: BSD-3-Clause */
/* Builds the primary's DTB from the boot DTB with libfdt's read-write API. */
#include "hf/fdt_patch.h"

#include <libfdt.h>

#include "hf/devices.h"
#include "hf/fdt_check.h"

/* Properties that would point the primary at the SMMU or the ITS, which it
 * does not see: its PCIe host then uses dma-direct and INTx. */
static const char *const hidden_links[] = {
	"iommu-map", "iommu-map-mask", "msi-map", "msi-map-mask", "msi-parent",
};

static enum fdt_patch_result fail(struct hf_error *err, int fdt_err,
				  const char *what)
{
	enum fdt_patch_result r = fdt_err == -FDT_ERR_NOSPACE
					  ? FDT_PATCH_NO_SPACE
					  : FDT_PATCH_FAILED;

	hf_error_set(err, r, "cannot patch the primary's DTB: %s: %s", what,
		     fdt_strerror(fdt_err));
	return r;
}

/* Nodes overwritten with NOPs per walk of a parent's children. */
#define HIDE_BATCH 32

/* A node the primary keeps loses its links to what it does not see. */
static int unlink_hidden(void *fdt, int node)
{
	size_t i;
	int ret;

	for (i = 0; i < ARRAY_SIZE(hidden_links); i++) {
		ret = fdt_nop_property(fdt, node, hidden_links[i]);
		if (ret != 0 && ret != -FDT_ERR_NOTFOUND) {
			return ret;
		}
	}
	return 0;
}

/* Overwrites with NOPs every node under `parent` that the primary does not
 * get (devices.h decides; under the GIC, every device: its ITS), and
 * unlinks the devices it keeps; *gic gets the GIC's offset, if asked. A
 * NOP moves nothing, so offsets found in one walk stay valid while they
 * are overwritten; deleting instead would move the blob's tail and start
 * the walk over at every node. */
static int hide_children(void *fdt, int parent, uint32_t smmu_phandle,
			 int *gic)
{
	int hidden[HIDE_BATCH];
	enum device_verdict v;
	size_t count;
	size_t i;
	int node;
	int ret;

	do {
		count = 0;
		fdt_for_each_subnode(node, fdt, parent)
		{
			v = device_verdict(fdt, node, smmu_phandle);
			if (v == DEVICE_LEFT_OUT || v == DEVICE_SMMU ||
			    (parent != 0 && v != DEVICE_NOT_A_DEVICE)) {
				hidden[count++] = node;
				if (count == HIDE_BATCH) {
					break;
				}
				continue;
			}
			if (v == DEVICE_GIC && gic != NULL) {
				*gic = node;
			}
			ret = v == DEVICE_ALLOWED ? unlink_hidden(fdt, node) : 0;
			if (ret != 0) {
				return ret;
			}
		}
		if (count < HIDE_BATCH && node != -FDT_ERR_NOTFOUND) {
			return node;
		}
		for (i = 0; i < count; i++) {
			ret = fdt_nop_node(fdt, hidden[i]);
			if (ret != 0) {
				return ret;
			}
		}
	} while (count == HIDE_BATCH);
	return 0;
}

/* Hides every node the primary does not get, and the links to them. */
static int hide_devices(void *fdt, uint32_t smmu_phandle)
{
	int gic = -1;
	int ret = hide_children(fdt, 0, smmu_phandle, &gic);

	if (ret == 0 && gic >= 0) {
		ret = hide_children(fdt, gic, smmu_phandle, NULL);
	}
	return ret;
}

enum fdt_patch_result fdt_patch_primary(const void *src, size_t src_max,
					void *dst, size_t dst_size,
					const struct fdt_patch_params *p,
					struct hf_error *err)
{
	int chosen;
	int node;
	int ret;
	size_t i;

	if (!fdt_blob_valid(src, src_max)) {
		hf_error_set(err, FDT_PATCH_BAD_DTB,
			     "the boot DTB is missing or corrupt");
		return FDT_PATCH_BAD_DTB;
	}
	ret = fdt_open_into(src, dst, (int)dst_size);
	if (ret != 0) {
		return fail(err, ret, "copy");
	}
	ret = hide_devices(dst, devices_smmu_phandle(src));
	if (ret != 0) {
		return fail(err, ret, "hiding devices");
	}
	for (i = 0; i < p->reserved_count; i++) {
		ret = fdt_add_mem_rsv(dst, pa_addr(p->reserved[i].begin),
				      pa_range_size(p->reserved[i]));
		if (ret != 0) {
			return fail(err, ret, "memreserve");
		}
	}
	chosen = fdt_path_offset(dst, "/chosen");
	if (chosen < 0) {
		chosen = fdt_add_subnode(dst, 0, "chosen");
		if (chosen < 0) {
			return fail(err, chosen, "/chosen");
		}
	}
	ret = fdt_setprop_u64(dst, chosen, "linux,initrd-start",
			      pa_addr(p->initrd.begin));
	if (ret == 0) {
		ret = fdt_setprop_u64(dst, chosen, "linux,initrd-end",
				      pa_addr(p->initrd.end));
	}
	if (ret != 0) {
		return fail(err, ret, "/chosen initrd");
	}
	node = fdt_add_subnode(dst, 0, "hypervisor");
	if (node < 0) {
		return fail(err, node, "/hypervisor");
	}
	ret = fdt_setprop_string(dst, node, "compatible", "hafnium,hafnium");
	if (ret != 0) {
		return fail(err, ret, "/hypervisor compatible");
	}
	if (p->has_dma_fault_irq) {
		ret = fdt_setprop(dst, node, "interrupts", p->dma_fault_irq,
				  sizeof(p->dma_fault_irq));
		if (ret == 0) {
			ret = fdt_setprop_string(dst, node, "interrupt-names",
						 "dma-fault");
		}
		if (ret != 0) {
			return fail(err, ret, "/hypervisor interrupts");
		}
	}
	if (p->redistributor_stride != 0) {
		node = fdt_node_offset_by_compatible(dst, -1, "arm,gic-v3");
		ret = node < 0 ? node
			       : fdt_setprop_u64(dst, node,
						 "redistributor-stride",
						 p->redistributor_stride);
		if (ret != 0) {
			return fail(err, ret, "redistributor-stride");
		}
	}
	ret = fdt_pack(dst);
	if (ret != 0) {
		return fail(err, ret, "pack");
	}
	return FDT_PATCH_OK;
}
