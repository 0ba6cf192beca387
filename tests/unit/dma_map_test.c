/* SPDX-License-Identifier: BSD-3-Clause */
/* The DMA page table, checked by a walk of its own written here from the
 * VMSAv8-64 stage-1 format, as the SMMU would walk it. */
#include <stdlib.h>

#include "hf/dma_map.h"

#include "fake.h"
#include "test.h"

#define GIB (1ull << 30)
#define MIB (1ull << 20)
#define TABLE_PAGES 64

/* What every reachable page must be: valid page, AttrIndx 0, AP[2:1] =
 * 0b01, inner shareable, AF, nG, PXN, UXN. */
#define PAGE_ATTRS (0x3ull | 0ull << 2 | 1ull << 6 | 3ull << 8 | 1ull << 10 | \
		    1ull << 11 | 1ull << 53 | 1ull << 54)

static void *table_mem;

static struct pa_range tables(size_t pages)
{
	if (table_mem == NULL) {
		table_mem = aligned_alloc(PAGE_SIZE, TABLE_PAGES * PAGE_SIZE);
	}
	memset(table_mem, 0xa5, TABLE_PAGES * PAGE_SIZE);
	return (struct pa_range){ pa_from_ptr(table_mem),
				  pa_add(pa_from_ptr(table_mem),
					 pages * PAGE_SIZE) };
}

static struct pa_range range(uint64_t begin, uint64_t end)
{
	return (struct pa_range){ pa_init(begin), pa_init(end) };
}

/* The level-3 descriptor a walk of a from the root ends at; 0 if a table
 * level is missing. Table descriptors must point inside the tables. */
static uint64_t walk(const struct dma_map *m, uint64_t a)
{
	static const unsigned shifts[] = { 39, 30, 21, 12 };
	uint64_t *table = ptr_from_pa(dma_map_root(m));
	uint64_t desc = 0;
	size_t i;

	EXPECT(a < 1ull << 40);
	for (i = 0; i < 4; i++) {
		desc = table[(a >> shifts[i]) & 511];
		if (i == 0) {
			/* 40-bit input: only two level-0 entries exist. */
			EXPECT((a >> 39) < 2);
		}
		if (i == 3 || desc == 0) {
			break;
		}
		EXPECT_EQ(desc & ~0x0000fffffffff000ull, 0x3);
		EXPECT((desc & 0x0000fffffffff000ull) >=
		       pa_addr(m->tables.begin));
		EXPECT((desc & 0x0000fffffffff000ull) <
		       pa_addr(m->tables.end));
		table = (uint64_t *)(uintptr_t)(desc & 0x0000fffffffff000ull);
	}
	return i == 3 ? desc : 0;
}

static bool reachable(const struct dma_map *m, uint64_t a)
{
	uint64_t desc = walk(m, a);

	if (desc == 0) {
		return false;
	}
	EXPECT_EQ(desc, a | PAGE_ATTRS);
	return true;
}

/* Every page of [begin, end) is reachable or not, as expected. */
static void expect_pages(const struct dma_map *m, uint64_t begin,
			 uint64_t end, bool expected)
{
	uint64_t a;
	size_t wrong = 0;

	for (a = begin; a < end; a += PAGE_SIZE) {
		if (reachable(m, a) != expected) {
			wrong++;
		}
	}
	EXPECT_EQ(wrong, 0);
}

TEST(dma_map, table_size)
{
	struct pa_range one[] = { range(0x40000000, 0x80000000) };
	struct pa_range shared[] = { range(0x40000000, 0x40001000),
				     range(0x40100000, 0x40101000) };
	struct pa_range across[] = { range(0x7fffe00000, 0x8000200000) };
	struct pa_range two[] = { range(0x40000000, 0x40400000),
				  range(0x100000000, 0x100001000) };

	/* root + level 1 + level 2 + 512 level-3 tables. */
	EXPECT_EQ(dma_map_table_size(one, 1), (515) * PAGE_SIZE);
	EXPECT_EQ(dma_map_table_size(shared, 2), (4) * PAGE_SIZE);
	/* Crossing 512 GiB: two of everything below the root. */
	EXPECT_EQ(dma_map_table_size(across, 1), (7) * PAGE_SIZE);
	/* Same level-1 table, two level-2 tables, 2 + 1 level-3 tables. */
	EXPECT_EQ(dma_map_table_size(two, 2), (7) * PAGE_SIZE);
	EXPECT_EQ(dma_map_table_size(two, 0), (1) * PAGE_SIZE);
}

TEST(dma_map, init_over_two_ranges_reaches_nothing)
{
	struct pa_range ram[] = { range(0x40000000, 0x40400000),
				  range(0x100000000, 0x100003000) };
	size_t size = dma_map_table_size(ram, 2);
	struct dma_map m;

	EXPECT_EQ(size, (7) * PAGE_SIZE);
	fake_dcache_cvac_count = 0;
	EXPECT(dma_map_init(&m, tables(size / PAGE_SIZE), ram, 2));
	EXPECT_EQ(m.used_pages, 7);
	EXPECT_EQ(pa_addr(dma_map_root(&m)), pa_addr(m.tables.begin));
	expect_pages(&m, 0x40000000, 0x40400000, false);
	expect_pages(&m, 0x100000000, 0x100003000, false);
	/* Every level-3 table is there, all invalid. */
	EXPECT(walk(&m, 0x40000000) == 0);
	/* The tables were cleaned for the SMMU. */
	EXPECT_EQ(fake_dcache_cvac_count, 1);
	EXPECT_EQ(fake_dcache_cvac[0].begin, pa_addr(m.tables.begin));
	/* All of it: a table added later must read as zeros. */
	EXPECT_EQ(fake_dcache_cvac[0].size, size);
}

TEST(dma_map, set_and_clear)
{
	struct pa_range ram[] = { range(0x40000000, 0x40400000),
				  range(0x100000000, 0x100003000) };
	struct dma_map m;

	EXPECT(dma_map_init(&m, tables(7), ram, 2));
	fake_dcache_cvac_count = 0;
	/* Across the 2 MiB boundary: two runs, each cleaned. */
	dma_map_set(&m, range(0x401fe000, 0x40203000), true);
	EXPECT_EQ(fake_dcache_cvac_count, 2);
	EXPECT_EQ(fake_dcache_cvac[0].size, 2 * 8);
	EXPECT_EQ(fake_dcache_cvac[1].size, 3 * 8);
	EXPECT_EQ(fake_dcache_cvac[1].begin % PAGE_SIZE, 0);
	expect_pages(&m, 0x40000000, 0x401fe000, false);
	expect_pages(&m, 0x401fe000, 0x40203000, true);
	expect_pages(&m, 0x40203000, 0x40400000, false);
	expect_pages(&m, 0x100000000, 0x100003000, false);

	dma_map_set(&m, range(0x100000000, 0x100003000), true);
	expect_pages(&m, 0x100000000, 0x100003000, true);

	/* Clearing one page in the middle leaves its neighbours. */
	dma_map_set(&m, range(0x40200000, 0x40201000), false);
	expect_pages(&m, 0x401fe000, 0x40200000, true);
	expect_pages(&m, 0x40200000, 0x40201000, false);
	expect_pages(&m, 0x40201000, 0x40203000, true);

	/* Setting twice is the same as once; clearing everything too. */
	dma_map_set(&m, range(0x401fe000, 0x40203000), true);
	expect_pages(&m, 0x401fe000, 0x40203000, true);
	dma_map_set(&m, range(0x40000000, 0x40400000), false);
	dma_map_set(&m, range(0x100000000, 0x100003000), false);
	expect_pages(&m, 0x40000000, 0x40400000, false);
	expect_pages(&m, 0x100000000, 0x100003000, false);
	/* No table was added or lost. */
	EXPECT_EQ(m.used_pages, 7);
}

TEST(dma_map, ends_of_ram)
{
	/* Neither end on a 2 MiB boundary: the level-3 tables hold
	 * descriptors for pages that are not RAM. */
	struct pa_range ram[] = { range(0x40001000, 0x40201000) };
	struct dma_map m;

	EXPECT_EQ(dma_map_table_size(ram, 1), (5) * PAGE_SIZE);
	EXPECT(dma_map_init(&m, tables(5), ram, 1));
	/* A range over both ends reaches RAM only. */
	dma_map_set(&m, range(0x40000000, 0x40202000), true);
	EXPECT(!reachable(&m, 0x40000000));
	expect_pages(&m, 0x40001000, 0x40201000, true);
	EXPECT(!reachable(&m, 0x40201000));
	EXPECT(!reachable(&m, 0x3ffff000));
	/* The first and last pages alone. */
	dma_map_set(&m, range(0x40001000, 0x40002000), false);
	dma_map_set(&m, range(0x40200000, 0x40201000), false);
	EXPECT(!reachable(&m, 0x40001000));
	EXPECT(reachable(&m, 0x40002000));
	EXPECT(reachable(&m, 0x401ff000));
	EXPECT(!reachable(&m, 0x40200000));
	/* Outside RAM altogether: nothing happens. */
	dma_map_set(&m, range(0x80000000, 0x80001000), true);
	EXPECT(!reachable(&m, 0x80000000));
}

TEST(dma_map, top_of_input_range)
{
	struct pa_range ram[] = { range((1ull << 40) - 2 * MIB, 1ull << 40) };
	struct dma_map m;

	EXPECT(dma_map_init(&m, tables(4), ram, 1));
	dma_map_set(&m, range((1ull << 40) - PAGE_SIZE, 1ull << 40), true);
	EXPECT(reachable(&m, (1ull << 40) - PAGE_SIZE));
	EXPECT(!reachable(&m, (1ull << 40) - 2 * PAGE_SIZE));
}

TEST(dma_map, partial_pages)
{
	struct pa_range ram[] = { range(0x40000000, 0x40010000) };
	struct dma_map m;

	EXPECT(dma_map_init(&m, tables(4), ram, 1));
	/* A grant covers whole pages only; a revoke every page it touches. */
	dma_map_set(&m, range(0x40000800, 0x40003800), true);
	expect_pages(&m, 0x40000000, 0x40001000, false);
	expect_pages(&m, 0x40001000, 0x40003000, true);
	expect_pages(&m, 0x40003000, 0x40004000, false);
	dma_map_set(&m, range(0x40001fff, 0x40002001), false);
	expect_pages(&m, 0x40001000, 0x40003000, false);
}

TEST(dma_map, init_refuses_bad_input)
{
	struct pa_range ok[] = { range(0x40000000, 0x40200000) };
	struct pa_range unaligned[] = { range(0x40000800, 0x40200000) };
	struct pa_range empty[] = { range(0x40000000, 0x40000000) };
	struct pa_range too_high[] = { range((1ull << 40) - PAGE_SIZE,
					     (1ull << 40) + PAGE_SIZE) };
	struct pa_range many[DMA_MAP_MAX_RAM + 1];
	struct pa_range t = tables(4);
	struct dma_map m;
	size_t i;

	EXPECT(!dma_map_init(&m, tables(3), ok, 1));
	EXPECT(!dma_map_init(&m, tables(4), unaligned, 1));
	EXPECT(!dma_map_init(&m, tables(4), empty, 1));
	EXPECT(!dma_map_init(&m, tables(8), too_high, 1));
	t.begin = pa_add(t.begin, 8);
	EXPECT(!dma_map_init(&m, t, ok, 1));
	for (i = 0; i < ARRAY_SIZE(many); i++) {
		many[i] = range(0x40000000 + i * PAGE_SIZE,
				0x40001000 + i * PAGE_SIZE);
	}
	EXPECT(!dma_map_init(&m, tables(4), many, ARRAY_SIZE(many)));
	EXPECT(dma_map_init(&m, tables(4), many, DMA_MAP_MAX_RAM));
	EXPECT(dma_map_init(&m, tables(TABLE_PAGES), ok, 1));
	/* More table memory than needed: the rest is zeroed, unused. */
	EXPECT_EQ(m.used_pages, 4);
}
