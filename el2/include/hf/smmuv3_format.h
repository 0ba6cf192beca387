/* SPDX-License-Identifier: BSD-3-Clause */
/* The SMMUv3's in-memory structures (IHI 0070): stream table entries,
 * context descriptors, commands and event records, as plain encoders and
 * a decoder, so that the host tests check every field. */
#pragma once

#include "hf/addr.h"
#include "hf/dma.h"

#define SMMUV3_STE_DWORDS 8
#define SMMUV3_CD_DWORDS 8
#define SMMUV3_CMD_DWORDS 2
#define SMMUV3_EVT_DWORDS 4

/* The ASID of the one context descriptor. */
#define SMMUV3_ASID 0

/* Output address size encodings (IDR5.OAS, CD.IPS). */
#define SMMUV3_OAS_40_BITS 2

/* Stage-1 translation through the single context descriptor at cd. */
void smmuv3_ste(uint64_t ste[SMMUV3_STE_DWORDS], paddr_t cd);

/* Stage-1 walks of the DMA table at ttb0 (40-bit input, 4 KiB granule,
 * cacheable walks), faults recorded and aborted, ASID SMMUV3_ASID, with
 * IPS = ips (an OAS encoding). */
void smmuv3_cd(uint64_t cd[SMMUV3_CD_DWORDS], paddr_t ttb0, unsigned ips);

/* Commands. */
void smmuv3_cmd_cfgi_all(uint64_t cmd[SMMUV3_CMD_DWORDS]);
void smmuv3_cmd_tlbi_nsnh_all(uint64_t cmd[SMMUV3_CMD_DWORDS]);
void smmuv3_cmd_tlbi_nh_asid(uint64_t cmd[SMMUV3_CMD_DWORDS], uint16_t asid);
/* The last-level entries of one page of asid. */
void smmuv3_cmd_tlbi_nh_va(uint64_t cmd[SMMUV3_CMD_DWORDS], uint16_t asid,
			   uintptr_t va);
/* Completes when every earlier command has; signals nothing (polled). */
void smmuv3_cmd_sync(uint64_t cmd[SMMUV3_CMD_DWORDS]);

/* An event record as a fault (f->lost is left alone). */
void smmuv3_decode_event(const uint64_t evt[SMMUV3_EVT_DWORDS],
			 struct dma_fault *f);
