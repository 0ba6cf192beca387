/* SPDX-License-Identifier: BSD-3-Clause */
/* The DMA page table (hf/dma_map.h): every level built at boot, so that
 * later changes only flip level-3 descriptors. */
#include "hf/dma_map.h"

#include "hf/arch/mm.h"
#include "hf/std.h"

/* What one entry of a table at each level covers. */
#define L0_SHIFT 39
#define L1_SHIFT 30
#define L2_SHIFT 21
#define ENTRIES 512u

/* Stage-1 descriptor fields (VMSAv8-64, 4 KiB granule). */
#define DESC_VALID (1ull << 0)
#define DESC_TABLE_OR_PAGE (1ull << 1) /* table at levels 0-2, page at 3 */
#define DESC_ATTR_INDEX(i) ((uint64_t)(i) << 2)
/* AP[2:1] = 0b01: read/write at any privilege. PCIe requests are
 * unprivileged, and the SMMU checks them as EL0 accesses. */
#define DESC_AP_RW_ANY (1ull << 6)
#define DESC_SH_INNER (3ull << 8)
#define DESC_AF (1ull << 10)
/* Not global: entries are tagged with the CD's ASID, so that an
 * invalidation by ASID removes them. */
#define DESC_NG (1ull << 11)
#define DESC_PXN (1ull << 53)
#define DESC_UXN (1ull << 54) /* devices fetch no instructions */
#define DESC_ADDR_MASK 0x0000fffffffff000ull

#define L3_SPAN ((uintptr_t)1 << L2_SHIFT)

static uint64_t page_desc(uintptr_t pa, unsigned attr_index)
{
	return pa | DESC_VALID | DESC_TABLE_OR_PAGE |
	       DESC_ATTR_INDEX(attr_index) | DESC_AP_RW_ANY | DESC_SH_INNER |
	       DESC_AF | DESC_NG | DESC_PXN | DESC_UXN;
}

static uint64_t *table_at(paddr_t pa)
{
	return ptr_from_pa(pa);
}

static bool range_touches(struct pa_range r, uintptr_t idx, unsigned shift)
{
	return pa_addr(r.begin) < pa_addr(r.end) &&
	       pa_addr(r.begin) >> shift <= idx &&
	       idx <= (pa_addr(r.end) - 1) >> shift;
}

/* Regions of 1 << shift bytes that any range touches, each once (the
 * first range that touches it counts it). */
static size_t regions(const struct pa_range *ram, size_t count,
		      unsigned shift)
{
	size_t total = 0;
	size_t i;
	size_t j;
	uintptr_t idx;

	for (i = 0; i < count; i++) {
		if (pa_addr(ram[i].begin) >= pa_addr(ram[i].end)) {
			continue;
		}
		for (idx = pa_addr(ram[i].begin) >> shift;
		     idx <= (pa_addr(ram[i].end) - 1) >> shift; idx++) {
			for (j = 0; j < i && !range_touches(ram[j], idx, shift);
			     j++) {
			}
			if (j == i) {
				total++;
			}
		}
	}
	return total;
}

size_t dma_map_table_size(const struct pa_range *ram, size_t count)
{
	/* The root, then one level-1 table per level-0 entry used, and so
	 * on down to one level-3 table per 2 MiB. */
	return (1 + regions(ram, count, L0_SHIFT) +
		regions(ram, count, L1_SHIFT) +
		regions(ram, count, L2_SHIFT)) *
	       PAGE_SIZE;
}

static bool ram_range_ok(struct pa_range r)
{
	return pa_addr(r.begin) < pa_addr(r.end) &&
	       is_aligned(pa_addr(r.begin), PAGE_SIZE) &&
	       is_aligned(pa_addr(r.end), PAGE_SIZE) &&
	       pa_addr(r.end) <= (uintptr_t)1 << DMA_MAP_IA_BITS;
}

/* The next-level table of entry e, which is made from a fresh page of
 * m->tables if it is absent; NULL if no page is left. */
static uint64_t *next_table(struct dma_map *m, uint64_t *e)
{
	paddr_t page;

	if (*e == 0) {
		if ((m->used_pages + 1) * PAGE_SIZE >
		    pa_range_size(m->tables)) {
			return NULL;
		}
		page = pa_add(m->tables.begin, m->used_pages * PAGE_SIZE);
		m->used_pages++;
		*e = pa_addr(page) | DESC_VALID | DESC_TABLE_OR_PAGE;
	}
	return table_at(pa_init(*e & DESC_ADDR_MASK));
}

/* The level-3 table that holds a's descriptor; built if build is set,
 * else NULL if a has none (it is not RAM). */
static uint64_t *l3_table(struct dma_map *m, uintptr_t a, bool build)
{
	static const unsigned shifts[] = { L0_SHIFT, L1_SHIFT, L2_SHIFT };
	uint64_t *table = table_at(m->root);
	uint64_t *e;
	size_t i;

	for (i = 0; i < ARRAY_SIZE(shifts); i++) {
		e = &table[(a >> shifts[i]) % ENTRIES];
		if (!build && *e == 0) {
			return NULL;
		}
		table = next_table(m, e);
		if (table == NULL) {
			return NULL;
		}
	}
	return table;
}

bool dma_map_init(struct dma_map *m, struct pa_range tables,
		  const struct pa_range *ram, size_t count)
{
	uintptr_t a;
	size_t i;

	if (count > DMA_MAP_MAX_RAM || !is_aligned(pa_addr(tables.begin),
						   PAGE_SIZE) ||
	    pa_range_size(tables) < dma_map_table_size(ram, count)) {
		return false;
	}
	for (i = 0; i < count; i++) {
		if (!ram_range_ok(ram[i])) {
			return false;
		}
		m->ram[i] = ram[i];
	}
	m->ram_count = count;
	m->tables = tables;
	m->root = tables.begin;
	m->used_pages = 1;
	memset(ptr_from_pa(tables.begin), 0, pa_range_size(tables));

	/* Every level-3 table starts all invalid: nothing is reachable. */
	for (i = 0; i < count; i++) {
		for (a = align_down(pa_addr(ram[i].begin), L3_SPAN);
		     a < pa_addr(ram[i].end); a += L3_SPAN) {
			if (l3_table(m, a, true) == NULL) {
				return false;
			}
		}
	}
	/* The SMMU may not snoop the CPU's caches. */
	arch_mm_clean_dcache_range(tables.begin, pa_range_size(tables));
	return true;
}

/* [begin, end) lies in one RAM range. */
static void set_ram_pages(struct dma_map *m, uintptr_t begin, uintptr_t end,
			  bool reachable)
{
	/* A page's descriptor is the previous one's plus a page: the whole
	 * RAM at boot is 262,144 of them per GiB. */
	uint64_t step = reachable ? PAGE_SIZE : 0;
	uintptr_t a = begin;
	uintptr_t next;
	uint64_t *l3;
	uint64_t *first;
	uint64_t desc;
	size_t n;
	size_t i;

	while (a < end) {
		next = align_down(a, L3_SPAN) + L3_SPAN;
		if (next > end) {
			next = end;
		}
		l3 = l3_table(m, a, false);
		first = &l3[(a >> PAGE_BITS) % ENTRIES];
		n = (next - a) >> PAGE_BITS;
		desc = reachable ? page_desc(a, DMA_MAP_ATTR_INDEX) : 0;
		/* One store each: the SMMU may walk this table now. Two a
		 * turn: 3 instructions a page rather than 5. */
		for (i = 0; i + 1 < n; i += 2, desc += 2 * step) {
			__atomic_store_n(&first[i], desc, __ATOMIC_RELAXED);
			__atomic_store_n(&first[i + 1], desc + step,
					 __ATOMIC_RELAXED);
		}
		if (i < n) {
			__atomic_store_n(&first[i], desc, __ATOMIC_RELAXED);
		}
		arch_mm_clean_dcache_range(pa_from_ptr(first),
					   n * sizeof(*first));
		a = next;
	}
}

void dma_map_set(struct dma_map *m, struct pa_range r, bool reachable)
{
	/* A partial page is granted not at all, and revoked whole. */
	uintptr_t begin = reachable ? align_up(pa_addr(r.begin), PAGE_SIZE)
				    : align_down(pa_addr(r.begin), PAGE_SIZE);
	uintptr_t end = reachable ? align_down(pa_addr(r.end), PAGE_SIZE)
				  : align_up(pa_addr(r.end), PAGE_SIZE);
	uintptr_t b;
	uintptr_t e;
	size_t i;

	for (i = 0; i < m->ram_count; i++) {
		b = pa_addr(m->ram[i].begin);
		e = pa_addr(m->ram[i].end);
		if (begin > b) {
			b = begin;
		}
		if (end < e) {
			e = end;
		}
		if (b < e) {
			set_ram_pages(m, b, e, reachable);
		}
	}
}

paddr_t dma_map_root(const struct dma_map *m)
{
	return m->root;
}
