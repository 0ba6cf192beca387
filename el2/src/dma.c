/* SPDX-License-Identifier: BSD-3-Clause */
/* DMA isolation (hf/dma.h): the front the rest of el2 calls; the table
 * is hf/dma_map.h's, the SMMU hf/smmuv3.h's. */
#include "hf/dma.h"

#include "hf/dlog.h"
#include "hf/dma_map.h"
#include "hf/smmuv3.h"

static struct dma_map map;
/* Set once by dma_init() at boot, before any other CPU runs. */
static bool guarded;

bool dma_is_guarded(void)
{
	return __atomic_load_n(&guarded, __ATOMIC_ACQUIRE);
}

bool dma_init(paddr_t smmu_regs, struct pa_range tables,
	      const struct pa_range *ram, size_t count, struct hf_error *err)
{
	if (!dma_map_init(&map, tables, ram, count)) {
		hf_error_set(err, DMA_BAD_TABLES,
			     "DMA table: %zu bytes at 0x%lx cannot map %zu RAM "
			     "ranges (%zu bytes needed, 40-bit addresses)",
			     pa_range_size(tables),
			     (unsigned long)pa_addr(tables.begin), count,
			     dma_map_table_size(ram, count));
		return false;
	}
	if (!smmuv3_init(smmu_regs, &map, err)) {
		return false;
	}
	__atomic_store_n(&guarded, true, __ATOMIC_RELEASE);
	return true;
}

void dma_grant(struct pa_range r)
{
	/* An SMMU caches no invalid entry: the new descriptors, cleaned,
	 * are enough. */
	if (dma_is_guarded()) {
		dma_map_set(&map, r, true);
	}
}

void dma_revoke(struct pa_range r)
{
	if (dma_is_guarded()) {
		dma_map_set(&map, r, false);
		smmuv3_invalidate(r);
	}
}

bool dma_next_fault(struct dma_fault *f)
{
	return dma_is_guarded() && smmuv3_next_fault(f);
}

static const char *type_name(enum dma_fault_type t)
{
	switch (t) {
	case DMA_FAULT_TRANSLATION:
		return "translation fault";
	case DMA_FAULT_PERMISSION:
		return "permission fault";
	case DMA_FAULT_BAD_STE:
		return "bad STE";
	case DMA_FAULT_BAD_STREAM:
		return "bad stream id (only PCI bus 0 is translated)";
	case DMA_FAULT_OTHER:
		break;
	}
	return NULL;
}

size_t dma_fault_format(char *buf, size_t size, const struct dma_fault *f)
{
	const char *name = type_name(f->type);
	char other[24];

	if (name == NULL) {
		snprint(other, sizeof(other), "SMMU event 0x%02x",
			f->event_id);
		name = other;
	}
	/* Stream ids of PCI devices are requester ids: bus, device, fn. */
	return snprint(buf, size, "stream 0x%04x (%02x:%02x.%x) %s 0x%llx: %s",
		       f->stream, (f->stream >> 8) & 0xff,
		       (f->stream >> 3) & 0x1f, f->stream & 7,
		       f->write ? "write" : "read",
		       (unsigned long long)f->address, name);
}
