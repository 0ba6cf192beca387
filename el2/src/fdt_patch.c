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

/* The first node under `parent` that the primary does not get, or a
 * negative libfdt error (-FDT_ERR_NOTFOUND when there is none). */
static int next_hidden(const void *fdt, int parent, uint32_t smmu_phandle)
{
	int node;

	fdt_for_each_subnode(node, fdt, parent)
	{
		enum device_verdict v = device_verdict(fdt, node, smmu_phandle);

		if (v == DEVICE_LEFT_OUT || v == DEVICE_SMMU ||
		    (parent != 0 && v != DEVICE_NOT_A_DEVICE)) {
			return node;
		}
	}
	return node; /* -FDT_ERR_NOTFOUND at the end, or an error */
}

/* Deletes every node the primary does not get (devices.h decides), then
 * the links to them from the nodes it keeps. Offsets move on every
 * deletion, so the search starts over each time. */
static int hide_devices(void *fdt, uint32_t smmu_phandle)
{
	int gic;
	int node;
	int ret;
	size_t i;

	while ((node = next_hidden(fdt, 0, smmu_phandle)) >= 0) {
		ret = fdt_del_node(fdt, node);
		if (ret != 0) {
			return ret;
		}
	}
	if (node != -FDT_ERR_NOTFOUND) {
		return node;
	}
	gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	while (gic >= 0 && (node = next_hidden(fdt, gic, smmu_phandle)) >= 0) {
		ret = fdt_del_node(fdt, node);
		if (ret != 0) {
			return ret;
		}
		gic = fdt_node_offset_by_compatible(fdt, -1, "arm,gic-v3");
	}
	if (node != -FDT_ERR_NOTFOUND && gic >= 0) {
		return node;
	}
	fdt_for_each_subnode(node, fdt, 0)
	{
		for (i = 0; i < ARRAY_SIZE(hidden_links); i++) {
			ret = fdt_delprop(fdt, node, hidden_links[i]);
			if (ret != 0 && ret != -FDT_ERR_NOTFOUND) {
				return ret;
			}
		}
	}
	return 0;
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
