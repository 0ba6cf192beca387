/* SPDX-License-Identifier: BSD-3-Clause */
/* SMMUv3 structures (STE, CD, commands, event records) against the field
 * positions of IHI 0070, and the DMA front without an SMMU. */
#include <stdlib.h>

#include "hf/dma.h"
#include "hf/dma_map.h"
#include "hf/smmuv3_format.h"

#include "fake.h"
#include "test.h"

static uint64_t bits(uint64_t v, unsigned hi, unsigned lo)
{
	return (v >> lo) & ((2ull << (hi - lo)) - 1);
}

TEST(smmuv3, ste_translates_through_the_one_cd)
{
	uint64_t ste[SMMUV3_STE_DWORDS];
	size_t i;

	memset(ste, 0xa5, sizeof(ste));
	smmuv3_ste(ste, pa_init(0x4123440));
	EXPECT_EQ(bits(ste[0], 0, 0), 1);          /* V */
	EXPECT_EQ(bits(ste[0], 3, 1), 5);          /* Config: S1 translate */
	EXPECT_EQ(bits(ste[0], 5, 4), 0);          /* S1Fmt linear */
	EXPECT_EQ(bits(ste[0], 51, 6) << 6, 0x4123440); /* S1ContextPtr */
	EXPECT_EQ(bits(ste[0], 63, 59), 0);        /* S1CDMax: one CD */
	EXPECT_EQ(bits(ste[1], 1, 0), 2);          /* S1DSS: SSID 0 */
	EXPECT_EQ(bits(ste[1], 3, 2), 1);          /* S1CIR WBRA */
	EXPECT_EQ(bits(ste[1], 5, 4), 1);          /* S1COR WBRA */
	EXPECT_EQ(bits(ste[1], 7, 6), 3);          /* S1CSH inner */
	EXPECT_EQ(bits(ste[1], 27, 27), 0);        /* S1STALLD */
	EXPECT_EQ(bits(ste[1], 29, 28), 0);        /* EATS: no ATS */
	EXPECT_EQ(bits(ste[1], 31, 30), 0);        /* STRW: EL1 */
	for (i = 2; i < SMMUV3_STE_DWORDS; i++) {
		EXPECT_EQ(ste[i], 0);              /* no stage 2 */
	}
}

TEST(smmuv3, cd_walks_the_dma_table)
{
	uint64_t cd[SMMUV3_CD_DWORDS];
	size_t i;

	memset(cd, 0xa5, sizeof(cd));
	smmuv3_cd(cd, pa_init(0x7654321000), SMMUV3_OAS_40_BITS);
	EXPECT_EQ(bits(cd[0], 5, 0), 24);     /* T0SZ: 40-bit input */
	EXPECT_EQ(bits(cd[0], 7, 6), 0);      /* TG0 4 KiB */
	EXPECT_EQ(bits(cd[0], 9, 8), 1);      /* IRGN0 WBWA */
	EXPECT_EQ(bits(cd[0], 11, 10), 1);    /* ORGN0 WBWA */
	EXPECT_EQ(bits(cd[0], 13, 12), 3);    /* SH0 inner */
	EXPECT_EQ(bits(cd[0], 14, 14), 0);    /* EPD0: TTB0 walks */
	EXPECT_EQ(bits(cd[0], 15, 15), 0);    /* ENDI little-endian */
	EXPECT_EQ(bits(cd[0], 30, 30), 1);    /* EPD1 */
	EXPECT_EQ(bits(cd[0], 31, 31), 1);    /* V */
	EXPECT_EQ(bits(cd[0], 34, 32), 2);    /* IPS 40 bits */
	EXPECT_EQ(bits(cd[0], 39, 38), 0);    /* TBI */
	EXPECT_EQ(bits(cd[0], 41, 41), 1);    /* AA64 */
	EXPECT_EQ(bits(cd[0], 43, 42), 0);    /* HA, HD */
	EXPECT_EQ(bits(cd[0], 44, 44), 0);    /* S: no stall */
	EXPECT_EQ(bits(cd[0], 45, 45), 1);    /* R: record faults */
	EXPECT_EQ(bits(cd[0], 46, 46), 1);    /* A: abort them */
	EXPECT_EQ(bits(cd[0], 63, 48), 0);    /* ASID */
	EXPECT_EQ(cd[1], 0x7654321000);       /* TTB0 */
	EXPECT_EQ(cd[2], 0);                  /* TTB1 */
	/* MAIR: RAM is Normal write-back. */
	EXPECT_EQ((cd[3] >> (8 * DMA_MAP_ATTR_INDEX)) & 0xff, 0xff);
	for (i = 4; i < SMMUV3_CD_DWORDS; i++) {
		EXPECT_EQ(cd[i], 0);
	}
}

TEST(smmuv3, commands)
{
	uint64_t c[SMMUV3_CMD_DWORDS];

	smmuv3_cmd_cfgi_all(c);
	EXPECT_EQ(bits(c[0], 7, 0), 0x04);
	EXPECT_EQ(bits(c[1], 4, 0), 31); /* Range 31: every stream */
	smmuv3_cmd_tlbi_nsnh_all(c);
	EXPECT_EQ(c[0], 0x30);
	EXPECT_EQ(c[1], 0);
	smmuv3_cmd_tlbi_nh_asid(c, 0x1234);
	EXPECT_EQ(bits(c[0], 7, 0), 0x11);
	EXPECT_EQ(bits(c[0], 63, 48), 0x1234);
	EXPECT_EQ(bits(c[0], 47, 32), 0); /* VMID */
	smmuv3_cmd_tlbi_nh_va(c, 7, 0xfedcba9000);
	EXPECT_EQ(bits(c[0], 7, 0), 0x12);
	EXPECT_EQ(bits(c[0], 63, 48), 7);
	EXPECT_EQ(bits(c[0], 24, 12), 0); /* NUM, SCALE: one page */
	EXPECT_EQ(bits(c[1], 0, 0), 1);   /* Leaf */
	EXPECT_EQ(bits(c[1], 11, 8), 0);  /* no TG/TTL hint */
	EXPECT_EQ(bits(c[1], 63, 12) << 12, 0xfedcba9000);
	smmuv3_cmd_sync(c);
	EXPECT_EQ(bits(c[0], 7, 0), 0x46);
	EXPECT_EQ(bits(c[0], 13, 12), 0); /* CS: signal nothing */
	EXPECT_EQ(c[1], 0);
}

static struct dma_fault decode(uint8_t id, uint32_t sid, bool read,
			       uint64_t addr)
{
	uint64_t evt[SMMUV3_EVT_DWORDS] = {
		(uint64_t)sid << 32 | id,
		read ? 1ull << 35 : 0,
		addr,
		0x1234000, /* IPA: not ours */
	};
	struct dma_fault f;

	memset(&f, 0xa5, sizeof(f));
	f.lost = 3;
	smmuv3_decode_event(evt, &f);
	EXPECT_EQ(f.lost, 3);
	EXPECT_EQ(f.event_id, id);
	EXPECT_EQ(f.stream, sid);
	return f;
}

TEST(smmuv3, event_records)
{
	struct dma_fault f;

	f = decode(0x10, 0x10, false, 0x45678000);
	EXPECT_EQ(f.type, DMA_FAULT_TRANSLATION);
	EXPECT(f.has_address && f.write);
	EXPECT_EQ(f.address, 0x45678000);
	f = decode(0x10, 0x18, true, 0x45678123);
	EXPECT(f.has_address && !f.write);
	EXPECT_EQ(f.address, 0x45678123);
	f = decode(0x13, 0xff, false, 0x1000);
	EXPECT_EQ(f.type, DMA_FAULT_PERMISSION);
	EXPECT(f.write);
	/* Configuration errors carry no address. */
	f = decode(0x02, 0x100, false, 0xdead000);
	EXPECT_EQ(f.type, DMA_FAULT_BAD_STREAM);
	EXPECT(!f.has_address && !f.write);
	EXPECT_EQ(f.address, 0);
	f = decode(0x04, 0x08, false, 0xdead000);
	EXPECT_EQ(f.type, DMA_FAULT_BAD_STE);
	EXPECT(!f.has_address);
	/* Other faults keep their id, and an address where they have one. */
	f = decode(0x0b, 0x08, true, 0x5000);
	EXPECT_EQ(f.type, DMA_FAULT_OTHER);
	EXPECT(f.has_address && !f.write);
	f = decode(0x0a, 0x08, false, 0x5000);
	EXPECT_EQ(f.type, DMA_FAULT_OTHER);
	EXPECT(!f.has_address);
}

TEST(dma, fault_lines)
{
	struct dma_fault f = { .stream = 0x10, .address = 0x45678000,
			       .has_address = true, .write = true,
			       .type = DMA_FAULT_TRANSLATION, .event_id = 0x10 };
	char line[96];

	dma_fault_format(line, sizeof(line), &f);
	EXPECT(strcmp(line, "stream 0x0010 (00:02.0) write 0x45678000: "
			    "translation fault") == 0);
	f = (struct dma_fault){ .stream = 0x2ab, .type = DMA_FAULT_OTHER,
				.event_id = 0x0a };
	dma_fault_format(line, sizeof(line), &f);
	EXPECT(strcmp(line, "stream 0x02ab (02:15.3) read 0x0: SMMU event "
			    "0x0a") == 0);
	f.type = DMA_FAULT_BAD_STREAM;
	dma_fault_format(line, sizeof(line), &f);
	EXPECT_STR_CONTAINS(line, ": bad stream id");
}

TEST(dma, without_an_smmu_nothing_happens)
{
	struct pa_range ram = { pa_init(0x40000000), pa_init(0x40200000) };
	struct pa_range tables = { pa_init(0x80000000), pa_init(0x80001000) };
	struct hf_error err = { 0 };
	struct dma_fault f;

	EXPECT(!dma_is_guarded());
	dma_grant(ram);
	dma_revoke(ram);
	EXPECT(!dma_next_fault(&f));
	/* Too little table memory: refused before the SMMU is touched. */
	EXPECT(!dma_init(pa_init(0x09050000), tables, &ram, 1, &err));
	EXPECT_EQ(err.code, DMA_BAD_TABLES);
	EXPECT_STR_CONTAINS(err.msg, "1 RAM ranges");
	EXPECT(!dma_is_guarded());
}
