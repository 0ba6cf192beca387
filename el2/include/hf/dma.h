/* SPDX-License-Identifier: BSD-3-Clause */
/* DMA isolation: which memory the primary's devices may reach. Where an
 * SMMU sits in front of them (hf/smmuv3.h), every stream translates
 * through one page table (hf/dma_map.h) that reaches exactly the RAM the
 * primary owns at that moment; the code that moves the primary's memory
 * calls dma_grant()/dma_revoke() beside its stage-2 changes. Without an
 * SMMU (dma_init() never called) both do nothing. */
#pragma once

#include "hf/addr.h"
#include "hf/error.h"

#include "hf/abi.h"

/* hf_error codes of dma_init(). */
enum dma_error {
	DMA_BAD_TABLES = 1,   /* the table memory or the RAM ranges */
	DMA_SMMU_UNSUITABLE,  /* the SMMU lacks a feature hafnium needs */
	DMA_SMMU_TIMEOUT,     /* it did not answer */
	DMA_SMMU_ERROR,       /* it reported an error (GERROR) */
};

enum dma_fault_type {
	DMA_FAULT_TRANSLATION = HF_DMA_FAULT_TRANSLATION,
	DMA_FAULT_PERMISSION = HF_DMA_FAULT_PERMISSION,
	DMA_FAULT_BAD_STE = HF_DMA_FAULT_BAD_STE,
	DMA_FAULT_BAD_STREAM = HF_DMA_FAULT_BAD_STREAM,
	DMA_FAULT_OTHER = HF_DMA_FAULT_OTHER,
};

/* One access the SMMU refused. */
struct dma_fault {
	uint32_t stream;          /* PCI requester id: bus << 8 | devfn */
	uint64_t address;         /* valid if has_address */
	bool has_address;         /* and so is write */
	bool write;
	enum dma_fault_type type;
	uint8_t event_id;         /* the SMMU's event record id */
	/* Times events were lost to a full queue before this one (each
	 * time at least one event); the SMMU does not count them. */
	uint32_t lost;
};

/* Whether an SMMU guards the primary's DMA; false also before dma_init. */
bool dma_is_guarded(void);

/* Takes the SMMU whose registers are at smmu_regs (mapped as device
 * memory, hf/smmuv3.h) and builds the DMA table in `tables` (carved from
 * RAM, hidden from the primary, dma_map_table_size(ram, count) bytes)
 * for every page of the RAM ranges. Nothing is reachable until
 * dma_grant(). Boot only, once, before any other CPU runs. */
bool dma_init(paddr_t smmu_regs, struct pa_range tables,
	      const struct pa_range *ram, size_t count, struct hf_error *err);

/* The primary's devices may reach r. */
void dma_grant(struct pa_range r);
/* They cannot reach r, not even through the SMMU's TLBs, once this
 * returns. */
void dma_revoke(struct pa_range r);

/* Pops the oldest recorded fault: false if none (or no SMMU). */
bool dma_next_fault(struct dma_fault *f);
/* One line describing f, for the console:
 * "stream 0x0010 (00:02.0) write 0x45678000: translation fault". */
size_t dma_fault_format(char *buf, size_t size, const struct dma_fault *f);
