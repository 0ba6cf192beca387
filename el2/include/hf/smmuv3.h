/* SPDX-License-Identifier: BSD-3-Clause */
/* The Arm SMMUv3 that guards the primary's DMA (IHI 0070): every stream
 * of PCI bus 0 translates at stage 1 through the DMA table (hf/dma_map.h);
 * any other stream id (a device behind a PCI bridge) is refused as a bad
 * stream and recorded. Commands and events go through queues in
 * hafnium's own image, out of the primary's and its devices' reach.
 *
 * Before smmuv3_init(), boot maps SMMUV3_REGS_SIZE bytes at the register
 * base (page 0 and page 1: the event queue's PROD/CONS are in page 1) as
 * device memory in EL2's identity stage-1, and hides the SMMU from the
 * primary (its device tree and its stage-2).
 *
 * One lock (smmu_lock, hf/spinlock.h rank LOCK_RANK_SMMU) serialises the
 * command and the event queue; it is a leaf, taken while the caller may
 * hold the primary's VM lock. */
#pragma once

#include "hf/dma.h"
#include "hf/dma_map.h"
#include "hf/error.h"

#define SMMUV3_REGS_SIZE 0x20000

/* Takes the SMMU at regs; every stream translates through m. Fills err
 * with one line naming the problem on failure (enum dma_error codes). */
bool smmuv3_init(paddr_t regs, const struct dma_map *m, struct hf_error *err);

/* Returns once the SMMU's TLBs hold nothing of r. Panics if the SMMU
 * does not complete the invalidation: DMA isolation would be lost. */
void smmuv3_invalidate(struct pa_range r);

/* Pops one recorded fault from the event queue: false if none. */
bool smmuv3_next_fault(struct dma_fault *f);
