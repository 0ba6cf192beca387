/* SPDX-License-Identifier: BSD-3-Clause */
/* Generic page-table walker: map, unmap (both with block split and merge),
 * lookup. Replacing a valid descriptor follows break-before-make: the old
 * entry is made invalid and its TLB entries invalidated before the new one
 * is written. */
#include "hf/mm.h"

#include "hf/arch/mm.h"

#define MM_ABSENT_MODE 0xffffffffu

static unsigned int level_shift(uint8_t level)
{
	return PAGE_BITS + 9 * (3 - level);
}

static uintptr_t entry_size(uint8_t level)
{
	return (uintptr_t)1 << level_shift(level);
}

static pte_t *table_ptr(paddr_t table)
{
	return ptr_from_pa(table);
}

bool mm_ptable_init(struct mm_ptable *t, enum mm_stage stage, uint16_t vmid,
		    struct mpool *pool)
{
	void *root;
	size_t i;

	t->stage = stage;
	t->vmid = vmid;
	t->root_level = arch_mm_root_level(stage);
	t->root_table_count = arch_mm_root_table_count(stage);
	root = mpool_alloc_pages(pool, t->root_table_count);
	if (root == NULL) {
		return false;
	}
	for (i = 0; i < t->root_table_count * PTE_PER_TABLE; i++) {
		((pte_t *)root)[i] = arch_mm_absent_pte();
	}
	t->root = (uintptr_t)root;
	return true;
}

uintptr_t mm_ptable_limit(const struct mm_ptable *t)
{
	return (uintptr_t)t->root_table_count * PTE_PER_TABLE *
	       entry_size(t->root_level);
}

static void free_table(pte_t *table, uint8_t level, struct mpool *pool)
{
	size_t i;

	for (i = 0; i < PTE_PER_TABLE; i++) {
		if (arch_mm_pte_is_table(table[i], level)) {
			free_table(table_ptr(arch_mm_table_from_pte(table[i])),
				   level + 1, pool);
		}
	}
	mpool_free_pages(pool, table, 1);
}

void mm_ptable_fini(struct mm_ptable *t, struct mpool *pool)
{
	pte_t *root = (pte_t *)t->root;
	size_t i;

	for (i = 0; i < t->root_table_count * PTE_PER_TABLE; i++) {
		if (arch_mm_pte_is_table(root[i], t->root_level)) {
			free_table(table_ptr(arch_mm_table_from_pte(root[i])),
				   t->root_level + 1, pool);
		}
	}
	mpool_free_pages(pool, root, t->root_table_count);
	t->root = 0;
}

/* Writes a descriptor; a valid one being replaced is broken first. */
static void replace_pte(const struct mm_ptable *t, pte_t *entry, pte_t value,
			uintptr_t begin, uint8_t level)
{
	if (arch_mm_pte_is_present(*entry)) {
		*entry = arch_mm_absent_pte();
		arch_mm_sync_table_writes();
		arch_mm_invalidate_range(t, begin, begin + entry_size(level));
	}
	*entry = value;
	arch_mm_sync_table_writes();
}

/* Replaces a block (or absent entry) by a table of entries equivalent to
 * it, so that part of it can change. */
static bool split_entry(const struct mm_ptable *t, pte_t *entry,
			uintptr_t begin, uint8_t level, struct mpool *pool)
{
	pte_t *table = mpool_alloc_pages(pool, 1);

	if (table == NULL) {
		return false;
	}
	arch_mm_fill_table(table, t->stage, level + 1, *entry);
	replace_pte(t, entry, arch_mm_table_pte(pa_from_ptr(table)), begin,
		    level);
	return true;
}

/* If the table under `entry` maps its whole range uniformly (all absent,
 * or one contiguous range with one mode), replaces it with a single entry
 * one level up and frees it: blocks merge again when ownership returns. */
static void try_merge(const struct mm_ptable *t, pte_t *entry,
		      uintptr_t begin, uint8_t level, struct mpool *pool)
{
	pte_t *table = table_ptr(arch_mm_table_from_pte(*entry));
	pte_t merged;

	if (!arch_mm_table_merges(table, t->stage, level + 1, &merged)) {
		return;
	}
	replace_pte(t, entry, merged, begin, level);
	mpool_free_pages(pool, table, 1);
}

/* Sets [begin, end) of one table at `level` to map pa with mode, or to
 * absent when mode is MM_ABSENT_MODE. */
static bool update_level(const struct mm_ptable *t, pte_t *table,
			 uintptr_t table_base, uint8_t level, uintptr_t begin,
			 uintptr_t end, paddr_t pa, uint32_t mode,
			 struct mpool *pool)
{
	uintptr_t size = entry_size(level);

	while (begin < end) {
		size_t index = (begin - table_base) >> level_shift(level);
		pte_t *entry = &table[index];
		uintptr_t entry_begin = align_down(begin, size);
		uintptr_t entry_end = entry_begin + size;
		uintptr_t chunk_end = end < entry_end ? end : entry_end;
		bool whole = begin == entry_begin && chunk_end == entry_end;

		if (whole && mode == MM_ABSENT_MODE) {
			pte_t old = *entry;

			replace_pte(t, entry, arch_mm_absent_pte(), entry_begin,
				    level);
			if (arch_mm_pte_is_table(old, level)) {
				free_table(table_ptr(arch_mm_table_from_pte(old)),
					   level + 1, pool);
			}
		} else if (whole && arch_mm_is_block_allowed(level) &&
			   is_aligned(pa_addr(pa), size)) {
			pte_t old = *entry;

			replace_pte(t, entry,
				    arch_mm_block_pte(t->stage, level, pa, mode),
				    entry_begin, level);
			if (arch_mm_pte_is_table(old, level)) {
				free_table(table_ptr(arch_mm_table_from_pte(old)),
					   level + 1, pool);
			}
		} else {
			if (level == 3) {
				/* Unaligned at page granularity: callers
				 * check alignment, so this cannot happen. */
				return false;
			}
			if (!arch_mm_pte_is_table(*entry, level)) {
				if (mode == MM_ABSENT_MODE &&
				    !arch_mm_pte_is_present(*entry)) {
					pa = pa_add(pa, chunk_end - begin);
					begin = chunk_end;
					continue;
				}
				if (!split_entry(t, entry, entry_begin, level,
						 pool)) {
					return false;
				}
			}
			if (!update_level(t,
					  table_ptr(arch_mm_table_from_pte(
						  *entry)),
					  entry_begin, level + 1, begin,
					  chunk_end, pa, mode, pool)) {
				return false;
			}
			try_merge(t, entry, entry_begin, level, pool);
		}
		pa = pa_add(pa, chunk_end - begin);
		begin = chunk_end;
	}
	return true;
}

static bool update(struct mm_ptable *t, uintptr_t begin, uintptr_t end,
		   paddr_t pa, uint32_t mode, struct mpool *pool)
{
	if (!is_aligned(begin, PAGE_SIZE) || !is_aligned(end, PAGE_SIZE) ||
	    !is_aligned(pa_addr(pa), PAGE_SIZE) || begin > end ||
	    end > mm_ptable_limit(t)) {
		return false;
	}
	return update_level(t, (pte_t *)t->root, 0, t->root_level, begin, end,
			    pa, mode, pool);
}

bool mm_map(struct mm_ptable *t, uintptr_t begin, uintptr_t end, paddr_t pa,
	    uint32_t mode, struct mpool *pool)
{
	if (mode == MM_ABSENT_MODE) {
		return false;
	}
	return update(t, begin, end, pa, mode, pool);
}

bool mm_identity_map(struct mm_ptable *t, paddr_t begin, paddr_t end,
		     uint32_t mode, struct mpool *pool)
{
	return mm_map(t, pa_addr(begin), pa_addr(end), begin, mode, pool);
}

bool mm_unmap(struct mm_ptable *t, uintptr_t begin, uintptr_t end,
	      struct mpool *pool)
{
	return update(t, begin, end, pa_init(0), MM_ABSENT_MODE, pool);
}

/* Finds the leaf descriptor for addr; returns its level, or -1. */
static int find_leaf(const struct mm_ptable *t, uintptr_t addr, pte_t *leaf)
{
	pte_t *table = (pte_t *)t->root;
	uintptr_t base = 0;
	uint8_t level = t->root_level;

	if (addr >= mm_ptable_limit(t)) {
		return -1;
	}
	for (;;) {
		size_t index = (addr - base) >> level_shift(level);
		pte_t pte = table[index];

		if (!arch_mm_pte_is_present(pte)) {
			return -1;
		}
		if (!arch_mm_pte_is_table(pte, level)) {
			*leaf = pte;
			return level;
		}
		base = align_down(addr, entry_size(level));
		table = table_ptr(arch_mm_table_from_pte(pte));
		level++;
	}
}

bool mm_lookup(const struct mm_ptable *t, uintptr_t addr, paddr_t *pa,
	       uint32_t *mode)
{
	pte_t leaf;
	int level = find_leaf(t, addr, &leaf);

	if (level < 0) {
		return false;
	}
	*pa = pa_add(arch_mm_block_from_pte(leaf, (uint8_t)level),
		     addr & (entry_size((uint8_t)level) - 1));
	*mode = arch_mm_pte_mode(t->stage, leaf);
	return true;
}

bool mm_range_has_mode(const struct mm_ptable *t, uintptr_t begin,
		       uintptr_t end, uint32_t mode)
{
	uintptr_t addr = begin;

	while (addr < end) {
		pte_t leaf;
		int level = find_leaf(t, addr, &leaf);

		if (level < 0 || arch_mm_pte_mode(t->stage, leaf) != mode) {
			return false;
		}
		addr = align_down(addr, entry_size((uint8_t)level)) +
		       entry_size((uint8_t)level);
	}
	return true;
}

static size_t count_tables(pte_t *table, uint8_t level, size_t entries)
{
	size_t count = 0;
	size_t i;

	for (i = 0; i < entries; i++) {
		if (arch_mm_pte_is_table(table[i], level)) {
			count += 1 + count_tables(
					     table_ptr(arch_mm_table_from_pte(
						     table[i])),
					     level + 1, PTE_PER_TABLE);
		}
	}
	return count;
}

size_t mm_ptable_table_count(const struct mm_ptable *t)
{
	return t->root_table_count +
	       count_tables((pte_t *)t->root, t->root_level,
			    t->root_table_count * PTE_PER_TABLE);
}
