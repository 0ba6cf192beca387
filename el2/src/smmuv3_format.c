/* SPDX-License-Identifier: BSD-3-Clause */
/* SMMUv3 structure encodings (hf/smmuv3_format.h); field positions from
 * IHI 0070 (STE 5.2, CD 5.4, commands 4, event records 7.3). */
#include "hf/smmuv3_format.h"

#include "hf/dma_map.h"
#include "hf/std.h"

#define ADDR_51_6 0x000fffffffffffc0ull
#define ADDR_51_4 0x000ffffffffffff0ull
#define ADDR_63_12 0xfffffffffffff000ull

/* STE dword 0. */
#define STE_V (1ull << 0)
#define STE_CONFIG_S1_TRANSLATE (5ull << 1)
#define STE_S1FMT_LINEAR (0ull << 4)
#define STE_S1CDMAX(n) ((uint64_t)(n) << 59)
/* STE dword 1. */
#define STE_S1DSS_SSID0 (2ull << 0) /* no substreams: as SSID 0 */
#define STE_S1CIR_WBRA (1ull << 2)  /* CD fetch attributes */
#define STE_S1COR_WBRA (1ull << 4)
#define STE_S1CSH_ISH (3ull << 6)
#define STE_STRW_NSEL1 (0ull << 30)
#define STE_SHCFG_INCOMING (1ull << 44)

/* CD dword 0. */
#define CD_T0SZ(n) ((uint64_t)(n) << 0)
#define CD_TG0_4K (0ull << 6)
#define CD_IRGN0_WBWA (1ull << 8)
#define CD_ORGN0_WBWA (1ull << 10)
#define CD_SH0_ISH (3ull << 12)
#define CD_EPD1 (1ull << 30) /* no TTB1 walks */
#define CD_V (1ull << 31)
#define CD_IPS(n) ((uint64_t)(n) << 32)
#define CD_AA64 (1ull << 41)
#define CD_R (1ull << 45) /* record faults */
#define CD_A (1ull << 46) /* abort the faulting access (no stall) */
#define CD_ASET (1ull << 47) /* not shared with a CPU's ASIDs */
#define CD_ASID(n) ((uint64_t)(n) << 48)

/* Command opcodes and fields. */
#define CMD_CFGI_ALL 0x04
#define CMD_CFGI_RANGE_ALL 31
#define CMD_TLBI_NH_ASID 0x11
#define CMD_TLBI_NH_VA 0x12
#define CMD_TLBI_NSNH_ALL 0x30
#define CMD_SYNC 0x46
#define CMD_ASID(n) ((uint64_t)(n) << 48)
#define CMD_TLBI_LEAF (1ull << 0)

/* Event records. */
#define EVT_F_UUT 0x01
#define EVT_C_BAD_STREAMID 0x02
#define EVT_C_BAD_STE 0x04
#define EVT_F_WALK_EABT 0x0b
/* 0x10-0x13: translation, address size, access flag, permission. */
#define EVT_F_TRANSLATION 0x10
#define EVT_F_PERMISSION 0x13
#define EVT_RNW (1ull << 35) /* dword 1: a read */

void smmuv3_ste(uint64_t ste[SMMUV3_STE_DWORDS], paddr_t cd)
{
	memset(ste, 0, SMMUV3_STE_DWORDS * sizeof(uint64_t));
	ste[0] = STE_V | STE_CONFIG_S1_TRANSLATE | STE_S1FMT_LINEAR |
		 (pa_addr(cd) & ADDR_51_6) | STE_S1CDMAX(0);
	ste[1] = STE_S1DSS_SSID0 | STE_S1CIR_WBRA | STE_S1COR_WBRA |
		 STE_S1CSH_ISH | STE_STRW_NSEL1 | STE_SHCFG_INCOMING;
}

void smmuv3_cd(uint64_t cd[SMMUV3_CD_DWORDS], paddr_t ttb0, unsigned ips)
{
	memset(cd, 0, SMMUV3_CD_DWORDS * sizeof(uint64_t));
	cd[0] = CD_T0SZ(64 - DMA_MAP_IA_BITS) | CD_TG0_4K | CD_IRGN0_WBWA |
		CD_ORGN0_WBWA | CD_SH0_ISH | CD_EPD1 | CD_V | CD_IPS(ips) |
		CD_AA64 | CD_R | CD_A | CD_ASET | CD_ASID(SMMUV3_ASID);
	cd[1] = pa_addr(ttb0) & ADDR_51_4;
	cd[3] = DMA_MAP_MAIR;
}

static void cmd(uint64_t c[SMMUV3_CMD_DWORDS], uint64_t d0, uint64_t d1)
{
	c[0] = d0;
	c[1] = d1;
}

void smmuv3_cmd_cfgi_all(uint64_t c[SMMUV3_CMD_DWORDS])
{
	cmd(c, CMD_CFGI_ALL, CMD_CFGI_RANGE_ALL);
}

void smmuv3_cmd_tlbi_nsnh_all(uint64_t c[SMMUV3_CMD_DWORDS])
{
	cmd(c, CMD_TLBI_NSNH_ALL, 0);
}

void smmuv3_cmd_tlbi_nh_asid(uint64_t c[SMMUV3_CMD_DWORDS], uint16_t asid)
{
	cmd(c, CMD_TLBI_NH_ASID | CMD_ASID(asid), 0);
}

void smmuv3_cmd_tlbi_nh_va(uint64_t c[SMMUV3_CMD_DWORDS], uint16_t asid,
			   uintptr_t va)
{
	/* Leaf: the tables above level 3 never change. */
	cmd(c, CMD_TLBI_NH_VA | CMD_ASID(asid),
	    ((uint64_t)va & ADDR_63_12) | CMD_TLBI_LEAF);
}

void smmuv3_cmd_sync(uint64_t c[SMMUV3_CMD_DWORDS])
{
	/* CS = 0: no interrupt, no event; completion is seen in CONS. */
	cmd(c, CMD_SYNC, 0);
}

void smmuv3_decode_event(const uint64_t evt[SMMUV3_EVT_DWORDS],
			 struct dma_fault *f)
{
	uint8_t id = evt[0] & 0xff;

	f->event_id = id;
	f->stream = evt[0] >> 32;
	switch (id) {
	case EVT_F_TRANSLATION:
		f->type = DMA_FAULT_TRANSLATION;
		break;
	case EVT_F_PERMISSION:
		f->type = DMA_FAULT_PERMISSION;
		break;
	case EVT_C_BAD_STE:
		f->type = DMA_FAULT_BAD_STE;
		break;
	case EVT_C_BAD_STREAMID:
		f->type = DMA_FAULT_BAD_STREAM;
		break;
	default:
		f->type = DMA_FAULT_OTHER;
		break;
	}
	/* These records carry the input address and the direction. */
	f->has_address = id == EVT_F_UUT || id == EVT_F_WALK_EABT ||
			 (id >= EVT_F_TRANSLATION && id <= EVT_F_PERMISSION);
	f->address = f->has_address ? evt[2] : 0;
	f->write = f->has_address && (evt[1] & EVT_RNW) == 0;
}
