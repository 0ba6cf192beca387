/* SPDX-License-Identifier: BSD-3-Clause */
/* The DMA page table: what the primary's devices may reach, in the
 * SMMU's stage-1 format (VMSAv8-64 stage-1 descriptors, 4 KiB granule,
 * 40-bit input walked from level 0, IOVA = PA).
 *
 * It is built at page granularity for every RAM page at boot, so that
 * a page changing hands is one level-3 descriptor flipping between valid
 * and invalid: no block is ever split, no break-before-make window can
 * fault a legal DMA, and no update can fail or allocate. Pages outside
 * the RAM given to dma_map_init() have no descriptor and are never
 * reachable.
 *
 * Concurrency: dma_map_set() writes independent 64-bit descriptors, each
 * with one store; callers serialise changes to the same pages (the
 * primary's memory changes hands under the primary's VM lock). */
#pragma once

#include "hf/addr.h"

/* The most RAM ranges the map covers (as many as the boot DTB may give). */
#define DMA_MAP_MAX_RAM 8
/* The input (and output) address size: T0SZ = 64 - 40. */
#define DMA_MAP_IA_BITS 40

/* Memory attributes: MAIR index 0 is Normal memory, inner and outer
 * write-back read/write-allocate (RAM). The context descriptor that points
 * at this table must hold DMA_MAP_MAIR. No device page is ever mapped: the
 * primary has no MSI controller (its ITS is hidden), so its devices have
 * no doorbell to write. */
#define DMA_MAP_ATTR_INDEX 0
#define DMA_MAP_MAIR 0xffull

struct dma_map {
	paddr_t root;             /* the level-0 table */
	struct pa_range tables;   /* where every table lives */
	size_t used_pages;        /* of tables, at the end of init */
	struct pa_range ram[DMA_MAP_MAX_RAM];
	size_t ram_count;
};

/* Bytes of table memory dma_map_init() needs for these RAM ranges (a page
 * multiple): the root, and one table per 512 GiB, 1 GiB and 2 MiB region
 * any range touches, each counted once. */
size_t dma_map_table_size(const struct pa_range *ram, size_t count);

/* Builds the table in `tables` (page aligned, zeroed here, at least
 * dma_map_table_size() bytes); every RAM page starts unreachable. False
 * if a range is empty, not page aligned or beyond the 40-bit input
 * range, there are more than DMA_MAP_MAX_RAM, or `tables` is too small. */
bool dma_map_init(struct dma_map *m, struct pa_range tables,
		  const struct pa_range *ram, size_t count);

/* Makes the pages of the page-aligned range r reachable (read and write)
 * or not; pages of r outside RAM are left alone. Cannot fail. The
 * descriptors are cleaned to the point of coherency before it returns;
 * a revoke needs the SMMU's TLBs invalidated too (hf/dma.h does it). */
void dma_map_set(struct dma_map *m, struct pa_range r, bool reachable);

/* The level-0 table, for the SMMU's context descriptor (TTB0). */
paddr_t dma_map_root(const struct dma_map *m);
