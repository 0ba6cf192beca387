/* SPDX-License-Identifier: BSD-3-Clause */
/* Generic page tables over the real aarch64 descriptor format. */
#include <stdlib.h>

#include "hf/arch/mm.h"
#include "hf/mm.h"

#include "fake.h"
#include "test.h"

#define POOL_PAGES 256
#define GIB (1ull << 30)
#define MIB (1ull << 20)
#define RWX (MM_MODE_R | MM_MODE_W | MM_MODE_X)

static struct mpool pool;
static void *pool_mem;

static void pool_setup(void)
{
	if (pool_mem == NULL) {
		pool_mem = aligned_alloc(PAGE_SIZE * 2, POOL_PAGES * PAGE_SIZE);
	}
	mpool_init(&pool, pool_mem, POOL_PAGES);
}

TEST(mm, stage2_geometry)
{
	struct mm_ptable t;

	pool_setup();
	EXPECT(mm_ptable_init(&t, MM_STAGE2, 1, &pool));
	EXPECT_EQ(mm_ptable_limit(&t), 1ull << 40);
	EXPECT_EQ(t.root % (2 * PAGE_SIZE), 0); /* concatenated root */
	EXPECT_EQ(mm_ptable_table_count(&t), 2);
	mm_ptable_fini(&t, &pool);
	EXPECT_EQ(mpool_used_pages(&pool), 0);
}

TEST(mm, large_aligned_ranges_use_blocks)
{
	struct mm_ptable t;
	paddr_t pa;
	uint32_t mode;

	pool_setup();
	EXPECT(mm_ptable_init(&t, MM_STAGE2, 1, &pool));
	EXPECT(mm_map(&t, 0, 1ull << 40, pa_init(0), MM_MODE_R | MM_MODE_W |
			      MM_MODE_D, &pool));
	/* 1 TiB of 1 GiB blocks needs no table beyond the root. */
	EXPECT_EQ(mm_ptable_table_count(&t), 2);
	EXPECT(mm_identity_map(&t, pa_init(GIB), pa_init(2 * GIB), RWX, &pool));
	EXPECT_EQ(mm_ptable_table_count(&t), 2);
	EXPECT(mm_lookup(&t, GIB + 0x1234, &pa, &mode));
	EXPECT_EQ(pa_addr(pa), GIB + 0x1234);
	EXPECT_EQ(mode, RWX);
	EXPECT(mm_lookup(&t, 0x09000000, &pa, &mode));
	EXPECT_EQ(mode, MM_MODE_R | MM_MODE_W | MM_MODE_D);
	mm_ptable_fini(&t, &pool);
}

TEST(mm, unmap_splits_and_remap_merges)
{
	struct mm_ptable t;
	paddr_t pa;
	uint32_t mode;

	pool_setup();
	EXPECT(mm_ptable_init(&t, MM_STAGE2, 1, &pool));
	EXPECT(mm_identity_map(&t, pa_init(GIB), pa_init(2 * GIB), RWX, &pool));
	fake_tlb_invalidations = 0;
	/* One page out of a 1 GiB block: level-2 and level-3 tables. */
	EXPECT(mm_unmap(&t, GIB + 3 * MIB, GIB + 3 * MIB + PAGE_SIZE, &pool));
	EXPECT_EQ(mm_ptable_table_count(&t), 4);
	/* The block was valid: it had to be broken before being replaced. */
	EXPECT(fake_tlb_invalidations >= 1);
	EXPECT(!mm_lookup(&t, GIB + 3 * MIB, &pa, &mode));
	EXPECT(mm_lookup(&t, GIB + 3 * MIB + PAGE_SIZE, &pa, &mode));
	EXPECT_EQ(pa_addr(pa), GIB + 3 * MIB + PAGE_SIZE);
	EXPECT(mm_lookup(&t, GIB + 3 * MIB - 8, &pa, &mode));
	EXPECT(mm_range_has_mode(&t, GIB, GIB + 3 * MIB, RWX));
	EXPECT(!mm_range_has_mode(&t, GIB, 2 * GIB, RWX));
	/* Mapping the whole block again frees the split tables. */
	EXPECT(mm_identity_map(&t, pa_init(GIB), pa_init(2 * GIB), RWX, &pool));
	EXPECT_EQ(mm_ptable_table_count(&t), 2);
	EXPECT_EQ(mpool_used_pages(&pool), 2);
	mm_ptable_fini(&t, &pool);
}

TEST(mm, modes_round_trip_on_both_stages)
{
	static const uint32_t modes[] = {
		MM_MODE_R,
		MM_MODE_R | MM_MODE_W,
		MM_MODE_R | MM_MODE_X,
		RWX,
		MM_MODE_R | MM_MODE_W | MM_MODE_D,
	};
	size_t i;
	int stage;

	for (stage = MM_STAGE1; stage <= MM_STAGE2; stage++) {
		for (i = 0; i < sizeof(modes) / sizeof(modes[0]); i++) {
			pte_t pte = arch_mm_block_pte(stage, 3, pa_init(0x5000),
						      modes[i]);

			EXPECT_EQ(arch_mm_pte_mode(stage, pte), modes[i]);
			EXPECT_EQ(pa_addr(arch_mm_block_from_pte(pte, 3)),
				  0x5000);
		}
	}
	/* A stage-2 entry without R or W gives no access at all. */
	EXPECT_EQ(arch_mm_pte_mode(MM_STAGE2,
				   arch_mm_block_pte(MM_STAGE2, 2, pa_init(0),
						     MM_MODE_X)),
		  MM_MODE_X);
}

TEST(mm, non_identity_mapping)
{
	struct mm_ptable t;
	paddr_t pa;
	uint32_t mode;

	pool_setup();
	EXPECT(mm_ptable_init(&t, MM_STAGE2, 2, &pool));
	EXPECT(mm_map(&t, 0x80000000, 0x80000000 + 3 * PAGE_SIZE,
		      pa_init(0x45678000), RWX, &pool));
	EXPECT(mm_lookup(&t, 0x80002010, &pa, &mode));
	EXPECT_EQ(pa_addr(pa), 0x4567a010);
	mm_ptable_fini(&t, &pool);
}

TEST(mm, refuses_bad_ranges)
{
	struct mm_ptable t;

	pool_setup();
	EXPECT(mm_ptable_init(&t, MM_STAGE1, 0, &pool));
	EXPECT(!mm_map(&t, 0x1001, 0x3000, pa_init(0x1000), RWX, &pool));
	EXPECT(!mm_map(&t, 0x1000, 0x3000, pa_init(0x1800), RWX, &pool));
	EXPECT(!mm_map(&t, 0x3000, 0x1000, pa_init(0x1000), RWX, &pool));
	EXPECT(!mm_map(&t, 0, (1ull << 39) + PAGE_SIZE, pa_init(0), RWX,
		       &pool));
	EXPECT_EQ(mm_ptable_table_count(&t), 1);
	mm_ptable_fini(&t, &pool);
}

TEST(mm, pool_exhaustion_is_reported)
{
	struct mm_ptable t;
	struct mpool tiny;
	uint64_t addr;
	bool ok = true;

	pool_setup();
	mpool_init(&tiny, pool_mem, 3);
	EXPECT(mm_ptable_init(&t, MM_STAGE1, 0, &tiny));
	/* Scattered pages in different 2 MiB regions need a table each. */
	for (addr = 0; ok && addr < 64 * MIB; addr += 2 * MIB) {
		ok = mm_identity_map(&t, pa_init(addr),
				     pa_init(addr + PAGE_SIZE), RWX, &tiny);
	}
	EXPECT(!ok);
}

TEST(mpool, aligned_allocation_and_reuse)
{
	void *a;
	void *b;
	void *c;

	pool_setup();
	a = mpool_alloc_pages(&pool, 1);
	b = mpool_alloc_pages(&pool, 2);
	EXPECT(a != NULL && b != NULL);
	EXPECT_EQ((uintptr_t)b % (2 * PAGE_SIZE), 0);
	EXPECT_EQ(mpool_used_pages(&pool), 3);
	mpool_free_pages(&pool, a, 1);
	c = mpool_alloc_pages(&pool, 1);
	EXPECT(c == a);
	EXPECT(mpool_alloc_pages(&pool, 0) == NULL);
	EXPECT(mpool_alloc_pages(&pool, POOL_PAGES) == NULL);
}

TEST(mm, returning_pages_one_by_one_merges_blocks)
{
	struct mm_ptable t;
	uint64_t addr;
	paddr_t pa;
	uint32_t mode;

	pool_setup();
	EXPECT(mm_ptable_init(&t, MM_STAGE2, 1, &pool));
	EXPECT(mm_identity_map(&t, pa_init(GIB), pa_init(2 * GIB), RWX, &pool));
	/* Donate 8 scattered pages, then give them back one at a time. */
	for (addr = GIB + 4 * MIB; addr < GIB + 4 * MIB + 8 * PAGE_SIZE;
	     addr += PAGE_SIZE) {
		EXPECT(mm_unmap(&t, addr, addr + PAGE_SIZE, &pool));
	}
	EXPECT_EQ(mm_ptable_table_count(&t), 4);
	for (addr = GIB + 4 * MIB; addr < GIB + 4 * MIB + 8 * PAGE_SIZE;
	     addr += PAGE_SIZE) {
		EXPECT(mm_identity_map(&t, pa_init(addr),
				       pa_init(addr + PAGE_SIZE), RWX, &pool));
	}
	/* Back to one 1 GiB block. */
	EXPECT_EQ(mm_ptable_table_count(&t), 2);
	EXPECT_EQ(mpool_used_pages(&pool), 2);
	EXPECT(mm_lookup(&t, GIB + 4 * MIB + 5, &pa, &mode));
	EXPECT_EQ(pa_addr(pa), GIB + 4 * MIB + 5);
	/* Unmapping all of a split range merges into one absent entry. */
	EXPECT(mm_unmap(&t, GIB + 2 * MIB, GIB + 2 * MIB + PAGE_SIZE, &pool));
	EXPECT(mm_unmap(&t, GIB + 2 * MIB + PAGE_SIZE, GIB + 4 * MIB, &pool));
	EXPECT_EQ(mm_ptable_table_count(&t), 3);
	EXPECT(!mm_lookup(&t, GIB + 3 * MIB, &pa, &mode));
	mm_ptable_fini(&t, &pool);
}
