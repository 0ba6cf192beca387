/* SPDX-License-Identifier: BSD-3-Clause */
/* The primary's devices: the allow-list and the boot DTB's regions; see
 * hf/devices.h. */
#include "hf/devices.h"

#include <libfdt.h>

#include "hf/fdt_check.h"

/* Devices that cannot write memory: registers only. */
static const char *const no_dma_devices[] = {
	"arm,pl011",  /* UART (hafnium prints on it too) */
	"arm,pl031",  /* RTC */
	"arm,pl061",  /* GPIO (the power button) */
	"cfi-flash",  /* NOR flash: commands and reads, no bus master */
};

/* DMA masters, allowed only behind the SMMU hafnium owns. */
static const char *const dma_masters[] = {
	"pci-host-ecam-generic", /* every PCIe function below it */
};

/* PCIe requester ids of bus 0, the ones the SMMU's stream table holds. */
#define PCIE_BUS0_RIDS 0x100

/* What device_verdict() needs of a node, from one walk of its
 * properties: libfdt's look-up by name walks them again for every name,
 * and checking each node against every list that way cost 2 M
 * instructions at boot on QEMU virt. */
struct node_facts {
	const char *compatible;
	int compatible_len;
	bool memory; /* device_type = "memory" */
	bool has_addresses; /* a non-empty reg or ranges */
};

static void read_facts(const void *fdt, int node, struct node_facts *f)
{
	const char *name;
	const void *value;
	int offset;
	int len;

	memset(f, 0, sizeof(*f));
	fdt_for_each_property_offset(offset, fdt, node)
	{
		value = fdt_getprop_by_offset(fdt, offset, &name, &len);
		if (value == NULL || name == NULL) {
			continue;
		}
		if (strcmp(name, "compatible") == 0) {
			f->compatible = value;
			f->compatible_len = len;
		} else if (strcmp(name, "device_type") == 0) {
			f->memory = len == sizeof("memory") &&
				    memcmp(value, "memory", len) == 0;
		} else if (strcmp(name, "reg") == 0 ||
			   strcmp(name, "ranges") == 0) {
			f->has_addresses |= len > 0;
		}
	}
}

static bool is_compatible(const struct node_facts *f, const char *name)
{
	return f->compatible != NULL &&
	       fdt_stringlist_contains(f->compatible, f->compatible_len,
				       name);
}

static bool compatible_with_any(const struct node_facts *f,
				const char *const *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		if (is_compatible(f, list[i])) {
			return true;
		}
	}
	return false;
}

/* All of bus 0's requester ids map one to one onto the SMMU's streams:
 * `iommu-map = <rid-base smmu sid-base length>` with both bases 0. */
static bool behind_smmu(const void *fdt, int node, uint32_t smmu_phandle)
{
	int len;
	const fdt32_t *map = fdt_getprop(fdt, node, "iommu-map", &len);

	if (smmu_phandle == 0 || map == NULL || len != 4 * 4) {
		return false;
	}
	return fdt32_to_cpu(map[0]) == 0 &&
	       fdt32_to_cpu(map[1]) == smmu_phandle &&
	       fdt32_to_cpu(map[2]) == 0 &&
	       fdt32_to_cpu(map[3]) >= PCIE_BUS0_RIDS &&
	       fdt_getprop(fdt, node, "iommu-map-mask", NULL) == NULL;
}

uint32_t devices_smmu_phandle(const void *fdt)
{
	struct node_facts f;
	int node;

	fdt_for_each_subnode(node, fdt, 0)
	{
		read_facts(fdt, node, &f);
		if (is_compatible(&f, "arm,smmu-v3")) {
			return fdt_get_phandle(fdt, node);
		}
	}
	return 0;
}

enum device_verdict device_verdict(const void *fdt, int node,
				   uint32_t smmu_phandle)
{
	struct node_facts f;

	read_facts(fdt, node, &f);
	if (f.memory) {
		return DEVICE_NOT_A_DEVICE;
	}
	if (is_compatible(&f, "arm,gic-v3")) {
		return DEVICE_GIC;
	}
	if (is_compatible(&f, "arm,smmu-v3")) {
		return smmu_phandle != 0 &&
				       fdt_get_phandle(fdt, node) == smmu_phandle
			       ? DEVICE_SMMU
			       : DEVICE_LEFT_OUT;
	}
	if (compatible_with_any(&f, no_dma_devices,
				ARRAY_SIZE(no_dma_devices))) {
		return DEVICE_ALLOWED;
	}
	if (compatible_with_any(&f, dma_masters, ARRAY_SIZE(dma_masters))) {
		return behind_smmu(fdt, node, smmu_phandle) ? DEVICE_ALLOWED
							    : DEVICE_LEFT_OUT;
	}
	return f.has_addresses ? DEVICE_LEFT_OUT : DEVICE_NOT_A_DEVICE;
}

static enum devices_result fail(struct hf_error *err, enum devices_result r,
				const void *fdt, int node, const char *what)
{
	hf_error_set(err, r, "boot DTB: %s: %s", fdt_get_name(fdt, node, NULL),
		     what);
	return r;
}

/* The `index`th (address, size) pair of `prop` in the parent's cells. */
struct cells {
	int address;
	int size;
};

static bool read_pair(const fdt32_t *p, int len, int index, int skip,
		      struct cells c, struct pa_range *r)
{
	int stride = skip + c.address + c.size;
	const fdt32_t *e = p + index * stride + skip;
	uint64_t base;
	uint64_t size;

	if ((index + 1) * stride * 4 > len) {
		return false;
	}
	base = fdt_read_cells(e, c.address);
	size = fdt_read_cells(e + c.address, c.size);
	if (size == 0 || base + size < base) {
		return false;
	}
	/* Stage-2 maps pages: a device owns the pages its registers touch. */
	r->begin = pa_init(align_down(base, PAGE_SIZE));
	r->end = pa_init(align_up(base + size, PAGE_SIZE));
	return pa_addr(r->end) > pa_addr(r->begin);
}

static enum devices_result add_mapped(struct devices *d, struct pa_range r,
				      const void *fdt, int node,
				      struct hf_error *err)
{
	if (d->mapped_count == DEVICES_MAX_MAPPED) {
		return fail(err, DEVICES_TOO_MANY, fdt, node,
			    "more device regions than hafnium maps");
	}
	d->mapped[d->mapped_count++] = r;
	return DEVICES_OK;
}

/* Every `reg` entry, and for a bus every CPU-side window of `ranges`. */
static enum devices_result read_allowed(const void *fdt, int node,
					struct cells parent,
					struct devices *d,
					struct hf_error *err)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	const fdt32_t *ranges;
	struct cells child;
	struct pa_range r;
	enum devices_result ret;
	int i;

	if (reg == NULL || len <= 0 ||
	    len % (4 * (parent.address + parent.size)) != 0) {
		return fail(err, DEVICES_BAD_DTB, fdt, node, "malformed reg");
	}
	for (i = 0; read_pair(reg, len, i, 0, parent, &r); i++) {
		ret = add_mapped(d, r, fdt, node, err);
		if (ret != DEVICES_OK) {
			return ret;
		}
	}
	if (i * 4 * (parent.address + parent.size) != len) {
		return fail(err, DEVICES_BAD_DTB, fdt, node, "malformed reg");
	}
	ranges = fdt_getprop(fdt, node, "ranges", &len);
	if (ranges == NULL || len <= 0) {
		return DEVICES_OK;
	}
	child.address = fdt_cells_prop(fdt, node, "#address-cells", 2);
	child.size = fdt_cells_prop(fdt, node, "#size-cells", 1);
	/* Each entry: child address, parent (CPU) address, child size. */
	if (child.address < 1 || child.address > 3 || child.size < 1 ||
	    child.size > 2 ||
	    len % (4 * (child.address + parent.address + child.size)) != 0) {
		return fail(err, DEVICES_BAD_PCIE, fdt, node,
			    "malformed ranges");
	}
	for (i = 0; read_pair(ranges, len, i, child.address,
			      (struct cells){ parent.address, child.size },
			      &r);
	     i++) {
		ret = add_mapped(d, r, fdt, node, err);
		if (ret != DEVICES_OK) {
			return ret;
		}
	}
	if (i * 4 * (child.address + parent.address + child.size) != len) {
		return fail(err, DEVICES_BAD_PCIE, fdt, node,
			    "malformed ranges");
	}
	return DEVICES_OK;
}

static enum devices_result read_gic(const void *fdt, int node,
				   struct cells parent, struct devices *d,
				   struct hf_error *err)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	int child;

	if (pa_range_size(d->gicd) != 0) {
		return fail(err, DEVICES_BAD_GIC, fdt, node,
			    "a second GICv3");
	}
	if (fdt_cells_prop(fdt, node, "#redistributor-regions", 1) != 1) {
		return fail(err, DEVICES_BAD_GIC, fdt, node,
			    "more than one redistributor region");
	}
	if (reg == NULL || !read_pair(reg, len, 0, 0, parent, &d->gicd) ||
	    !read_pair(reg, len, 1, 0, parent, &d->gicr)) {
		return fail(err, DEVICES_BAD_GIC, fdt, node,
			    "reg lacks the distributor or redistributors");
	}
	/* The ITS (its child): its tables are DMA, so it stays hidden. */
	fdt_for_each_subnode(child, fdt, node)
	{
		if (device_verdict(fdt, child, 0) != DEVICE_NOT_A_DEVICE) {
			d->left_out_count++;
		}
	}
	return DEVICES_OK;
}

/* The interrupt named "eventq": the driver reports faults from it. */
static enum devices_result read_smmu(const void *fdt, int node,
				    struct cells parent, struct devices *d,
				    struct hf_error *err)
{
	int len;
	const fdt32_t *reg = fdt_getprop(fdt, node, "reg", &len);
	const fdt32_t *irqs;
	int irqs_len;
	int index;

	if (reg == NULL || len != 4 * (parent.address + parent.size) ||
	    !read_pair(reg, len, 0, 0, parent, &d->smmu)) {
		return fail(err, DEVICES_BAD_SMMU, fdt, node,
			    "reg is not one register region");
	}
	if (pa_range_size(d->smmu) < 0x20000) {
		return fail(err, DEVICES_BAD_SMMU, fdt, node,
			    "reg is smaller than the SMMUv3's two 64 KiB pages");
	}
	index = fdt_stringlist_search(fdt, node, "interrupt-names", "eventq");
	irqs = fdt_getprop(fdt, node, "interrupts", &irqs_len);
	if (index < 0 || irqs == NULL ||
	    irqs_len < (index + 1) * DEVICES_IRQ_CELLS * 4) {
		return fail(err, DEVICES_BAD_SMMU, fdt, node,
			    "no \"eventq\" interrupt of 3 cells");
	}
	memcpy(d->smmu_irq, irqs + index * DEVICES_IRQ_CELLS,
	       sizeof(d->smmu_irq));
	d->has_smmu = true;
	return DEVICES_OK;
}

enum devices_result devices_read(const void *fdt, struct devices *d,
				 struct hf_error *err)
{
	struct cells root = {
		fdt_cells_prop(fdt, 0, "#address-cells", 2),
		fdt_cells_prop(fdt, 0, "#size-cells", 1),
	};
	uint32_t smmu = devices_smmu_phandle(fdt);
	enum devices_result ret = DEVICES_OK;
	int node;

	memset(d, 0, sizeof(*d));
	if (root.address < 1 || root.address > 2 || root.size < 1 ||
	    root.size > 2) {
		hf_error_set(err, DEVICES_BAD_DTB, "boot DTB: unsupported "
			     "#address-cells/#size-cells");
		return DEVICES_BAD_DTB;
	}
	fdt_for_each_subnode(node, fdt, 0)
	{
		switch (device_verdict(fdt, node, smmu)) {
		case DEVICE_ALLOWED:
			ret = read_allowed(fdt, node, root, d, err);
			break;
		case DEVICE_GIC:
			ret = read_gic(fdt, node, root, d, err);
			break;
		case DEVICE_SMMU:
			ret = read_smmu(fdt, node, root, d, err);
			break;
		case DEVICE_LEFT_OUT:
			d->left_out_count++;
			break;
		case DEVICE_NOT_A_DEVICE:
			break;
		}
		if (ret != DEVICES_OK) {
			return ret;
		}
	}
	if (pa_range_size(d->gicd) == 0) {
		hf_error_set(err, DEVICES_BAD_GIC,
			     "boot DTB: no \"arm,gic-v3\" interrupt controller");
		return DEVICES_BAD_GIC;
	}
	return DEVICES_OK;
}
