/* SPDX-License-Identifier: BSD-3-Clause */
/* Generic page tables (4 KiB granule, levels 0..3), used for the
 * hypervisor's stage-1 and for every VM's stage-2. The descriptor format is
 * behind the arch_mm_* interface. Block mappings are used wherever a range
 * allows; they are split when part of them changes and a fully covered
 * entry is replaced by one block again (merge). */
#pragma once

#include "hf/addr.h"
#include "hf/mpool.h"
#include "hf/std.h"

/* Access modes, generic across stages. */
#define MM_MODE_R 0x1u
#define MM_MODE_W 0x2u
#define MM_MODE_X 0x4u
#define MM_MODE_D 0x8u /* device memory */

enum mm_stage { MM_STAGE1, MM_STAGE2 };

struct mm_ptable {
	enum mm_stage stage;
	uint16_t vmid; /* stage-2 only, for TLB maintenance */
	uint8_t root_level;
	uint8_t root_table_count; /* concatenated root tables */
	uintptr_t root;           /* physical address of the root table(s) */
};

bool mm_ptable_init(struct mm_ptable *t, enum mm_stage stage, uint16_t vmid,
		    struct mpool *pool);
void mm_ptable_fini(struct mm_ptable *t, struct mpool *pool);
/* First address the table cannot translate. */
uintptr_t mm_ptable_limit(const struct mm_ptable *t);

/* Maps [begin, end) (page aligned) to [pa, ...) with `mode`. */
bool mm_map(struct mm_ptable *t, uintptr_t begin, uintptr_t end, paddr_t pa,
	    uint32_t mode, struct mpool *pool);
bool mm_identity_map(struct mm_ptable *t, paddr_t begin, paddr_t end,
		     uint32_t mode, struct mpool *pool);
bool mm_unmap(struct mm_ptable *t, uintptr_t begin, uintptr_t end,
	      struct mpool *pool);

/* Translates one address; false when unmapped. */
bool mm_lookup(const struct mm_ptable *t, uintptr_t addr, paddr_t *pa,
	       uint32_t *mode);
/* True when every page of [begin, end) is mapped with exactly `mode`
 * (identity or not); used by tests and ownership checks. */
bool mm_range_has_mode(const struct mm_ptable *t, uintptr_t begin,
		       uintptr_t end, uint32_t mode);
/* Number of table pages in use (root included): shows splits and merges. */
size_t mm_ptable_table_count(const struct mm_ptable *t);
