/* SPDX-License-Identifier: BSD-3-Clause */
/* The architecture's page-table descriptor format and TLB/cache
 * maintenance, as used by the generic mm code. */
#pragma once

#include "hf/addr.h"
#include "hf/mm.h"

typedef uint64_t pte_t;

#define PTE_PER_TABLE 512u

/* Translation geometry of each stage on this architecture. */
uint8_t arch_mm_root_level(enum mm_stage stage);
uint8_t arch_mm_root_table_count(enum mm_stage stage);

pte_t arch_mm_absent_pte(void);
pte_t arch_mm_table_pte(paddr_t table);
/* A block (levels 1-2) or page (level 3) descriptor. */
pte_t arch_mm_block_pte(enum mm_stage stage, uint8_t level, paddr_t pa,
			uint32_t mode);
bool arch_mm_is_block_allowed(uint8_t level);

bool arch_mm_pte_is_present(pte_t pte);
bool arch_mm_pte_is_table(pte_t pte, uint8_t level);
paddr_t arch_mm_table_from_pte(pte_t pte);
paddr_t arch_mm_block_from_pte(pte_t pte, uint8_t level);
uint32_t arch_mm_pte_mode(enum mm_stage stage, pte_t pte);

/* Fills a table at `level` with the PTE_PER_TABLE entries that together
 * map what `block` (a block or absent entry one level up) maps: a split. */
void arch_mm_fill_table(pte_t *table, enum mm_stage stage, uint8_t level,
			pte_t block);
/* Whether a table at `level` maps its whole range uniformly (all absent,
 * or one aligned contiguous range with one mode, where a block one level
 * up is allowed); if so *merged is that entry one level up. */
bool arch_mm_table_merges(const pte_t *table, enum mm_stage stage,
			  uint8_t level, pte_t *merged);

/* Make a descriptor write visible to the table walker, and invalidate the
 * TLB entries of a range that was just made invalid (break-before-make). */
void arch_mm_sync_table_writes(void);
void arch_mm_invalidate_range(const struct mm_ptable *t, uintptr_t begin,
			      uintptr_t end);

/* Clean data cache lines to the point of coherency, so that a CPU or VM
 * that starts with its MMU off sees what EL2 wrote. */
void arch_mm_clean_dcache_range(paddr_t begin, size_t size);
/* Clean and invalidate to the point of coherency: memory changing owners
 * keeps no line of the old owner's in any cache. */
void arch_mm_clean_invalidate_dcache_range(paddr_t begin, size_t size);
/* Invalidate every CPU's instruction cache (inner shareable): a new owner
 * may run code from pages that held someone else's. */
void arch_mm_invalidate_icache(void);

/* Turns on the calling CPU's EL2 MMU and caches with the hypervisor's
 * stage-1 table; false if the CPU's physical address range is too small
 * for the translation geometry above. */
bool arch_mm_enable(const struct mm_ptable *hyp);
