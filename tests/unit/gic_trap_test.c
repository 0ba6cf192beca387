/* SPDX-License-Identifier: BSD-3-Clause */
/* The primary's trapped GIC accesses (el2/src/gic_trap.c): where each
 * address falls, which registers are filtered and how, at every access
 * size, and what gic_trap_init learns from GICR_TYPER and maps. */
#include <stdlib.h>

#include "hf/gic_trap.h"

#include "fake.h"
#include "test.h"

#define DIST 0x08000000ull
#define REDIST 0x080a0000ull
#define FRAME 0x10000ull
#define POOL_PAGES 64
#define RWD (MM_MODE_R | MM_MODE_W | MM_MODE_D)

/* QEMU virt with 4 CPUs: GICv3 (2 frames each) and GICv4 (4). */
static const struct gic_layout v3 = {
	{ { DIST }, { DIST + FRAME } },
	{ { REDIST }, { REDIST + 0xf60000 } },
	4,
	2,
};
static const struct gic_layout v4 = {
	{ { DIST }, { DIST + FRAME } },
	{ { REDIST }, { REDIST + 0xf60000 } },
	4,
	4,
};

static struct gic_trap_decision read_at(const struct gic_layout *l,
					uint64_t pa, uint8_t size)
{
	struct mmio_access a = { false, size, 0 };

	return gic_trap_decide(l, pa, &a);
}

static struct gic_trap_decision write_at(const struct gic_layout *l,
					 uint64_t pa, uint8_t size)
{
	struct mmio_access a = { true, size, ~0ull };

	return gic_trap_decide(l, pa, &a);
}

static bool forwarded_unchanged(struct gic_trap_decision d)
{
	return d.action == GIC_TRAP_FORWARD && d.read_clear == 0 &&
	       d.write_clear == 0;
}

TEST(gic_trap, frames_by_address)
{
	EXPECT_EQ(read_at(&v3, DIST, 4).frame, GIC_FRAME_DIST);
	EXPECT_EQ(read_at(&v3, DIST + FRAME - 4, 4).frame, GIC_FRAME_DIST);
	EXPECT_EQ(read_at(&v3, REDIST, 4).frame, GIC_FRAME_RD);
	EXPECT_EQ(read_at(&v3, REDIST + FRAME, 4).frame, GIC_FRAME_SGI);
	EXPECT_EQ(read_at(&v3, REDIST + 2 * FRAME, 4).frame, GIC_FRAME_RD);
	EXPECT_EQ(read_at(&v3, REDIST + 7 * FRAME + 0x100, 4).frame,
		  GIC_FRAME_SGI);
	EXPECT_EQ(read_at(&v4, REDIST + 2 * FRAME, 4).frame, GIC_FRAME_VLPI);
	EXPECT_EQ(read_at(&v4, REDIST + 3 * FRAME, 4).frame, GIC_FRAME_VLPI);
	EXPECT_EQ(read_at(&v4, REDIST + 4 * FRAME, 4).frame, GIC_FRAME_RD);
	EXPECT_EQ(read_at(&v4, REDIST + 13 * FRAME, 4).frame, GIC_FRAME_SGI);
	/* Past the last redistributor, still inside the region. */
	EXPECT_EQ(read_at(&v3, REDIST + 8 * FRAME, 4).frame, GIC_FRAME_NONE);
	EXPECT_EQ(read_at(&v3, REDIST + 8 * FRAME, 4).action,
		  GIC_TRAP_IGNORE);
	EXPECT_EQ(read_at(&v4, REDIST + 16 * FRAME, 4).action,
		  GIC_TRAP_IGNORE);
	/* Not the GIC's: the ITS frame, the UART, the byte past each. */
	EXPECT_EQ(read_at(&v3, 0x08080000, 4).action, GIC_TRAP_NOT_GIC);
	EXPECT_EQ(read_at(&v3, 0x09000000, 4).action, GIC_TRAP_NOT_GIC);
	EXPECT_EQ(read_at(&v3, DIST + FRAME, 4).action, GIC_TRAP_NOT_GIC);
	EXPECT_EQ(read_at(&v3, REDIST + 0xf60000, 4).action,
		  GIC_TRAP_NOT_GIC);
	EXPECT_EQ(read_at(&v3, DIST - 4, 4).action, GIC_TRAP_NOT_GIC);
}

TEST(gic_trap, distributor_hides_lpis)
{
	struct gic_trap_decision d;

	/* num_LPIs [15:11], LPIS [17], DVIS [18]; MBIS [16] stays. */
	d = read_at(&v3, DIST + 0x4, 4);
	EXPECT_EQ(d.action, GIC_TRAP_FORWARD);
	EXPECT_EQ(d.read_clear, 0x6f800);
	/* A doubleword at GICD_CTLR carries GICD_TYPER in its upper half. */
	d = read_at(&v3, DIST, 8);
	EXPECT_EQ(d.read_clear, 0x6f800ull << 32);
	/* Bytes and halves of GICD_TYPER. */
	EXPECT_EQ(read_at(&v3, DIST + 0x5, 1).read_clear, 0xf8);
	EXPECT_EQ(read_at(&v3, DIST + 0x6, 1).read_clear, 0x06);
	EXPECT_EQ(read_at(&v3, DIST + 0x6, 2).read_clear, 0x06);
	EXPECT_EQ(read_at(&v3, DIST + 0x4, 2).read_clear, 0xf800);
	EXPECT(forwarded_unchanged(read_at(&v3, DIST + 0x7, 1)));
	/* Its neighbours, GICD_CTLR, GICD_IIDR, GICD_TYPER2, are not. */
	EXPECT(forwarded_unchanged(read_at(&v3, DIST, 4)));
	EXPECT(forwarded_unchanged(read_at(&v3, DIST + 0x8, 4)));
	EXPECT(forwarded_unchanged(read_at(&v3, DIST + 0xc, 4)));
	EXPECT(forwarded_unchanged(read_at(&v3, DIST + 0x8, 8)));
	/* A write to the read-only GICD_TYPER goes where it would. */
	EXPECT(forwarded_unchanged(write_at(&v3, DIST + 0x4, 4)));
}

TEST(gic_trap, distributor_forwards_the_rest)
{
	/* GICD_CTLR, ISENABLER, IPRIORITYR bytes, IROUTER (64-bit), the
	 * ID registers, at every size. */
	EXPECT(forwarded_unchanged(write_at(&v3, DIST, 4)));
	EXPECT(forwarded_unchanged(write_at(&v3, DIST + 0x104, 4)));
	EXPECT(forwarded_unchanged(write_at(&v3, DIST + 0x421, 1)));
	EXPECT(forwarded_unchanged(write_at(&v3, DIST + 0x422, 2)));
	EXPECT(forwarded_unchanged(write_at(&v3, DIST + 0x6100, 8)));
	EXPECT(forwarded_unchanged(read_at(&v3, DIST + 0x6100, 8)));
	EXPECT(forwarded_unchanged(read_at(&v3, DIST + 0x6104, 4)));
	EXPECT(forwarded_unchanged(read_at(&v3, DIST + 0xffe8, 4)));
}

TEST(gic_trap, redistributor_typer_hides_lpis)
{
	const uint64_t lpi_bits = 0x0700008f;
	struct gic_trap_decision d;
	uint64_t rd;

	for (rd = REDIST; rd < REDIST + 8 * FRAME; rd += 2 * FRAME) {
		d = read_at(&v3, rd + 0x8, 8);
		EXPECT_EQ(d.action, GIC_TRAP_FORWARD);
		EXPECT_EQ(d.read_clear, lpi_bits);
	}
	/* Low word, bytes; the high word (affinity) is not touched. */
	EXPECT_EQ(read_at(&v3, REDIST + 0x8, 4).read_clear, lpi_bits);
	EXPECT_EQ(read_at(&v3, REDIST + 0x8, 1).read_clear, 0x8f);
	EXPECT_EQ(read_at(&v3, REDIST + 0xb, 1).read_clear, 0x07);
	EXPECT_EQ(read_at(&v3, REDIST + 0x9, 1).read_clear, 0);
	EXPECT(forwarded_unchanged(read_at(&v3, REDIST + 0xc, 4)));
	/* Last [4] and Processor_Number stay. */
	EXPECT_EQ(read_at(&v3, REDIST + 0x8, 8).read_clear & 0xffff10, 0);
	/* The same in a GICv4's RD_base. */
	EXPECT_EQ(read_at(&v4, REDIST + 4 * FRAME + 0x8, 8).read_clear,
		  lpi_bits);
}

TEST(gic_trap, redistributor_ctlr_never_enables_lpis)
{
	struct gic_trap_decision d;

	d = write_at(&v3, REDIST, 4);
	EXPECT_EQ(d.action, GIC_TRAP_FORWARD);
	EXPECT_EQ(d.write_clear, 1);
	/* CES [1] and IR [2] read as clear; RWP [3], UWP [31] are real. */
	d = read_at(&v3, REDIST, 4);
	EXPECT_EQ(d.read_clear, 0x6);
	EXPECT_EQ(write_at(&v3, REDIST, 1).write_clear, 1);
	EXPECT_EQ(write_at(&v3, REDIST, 8).write_clear, 1);
	EXPECT_EQ(read_at(&v3, REDIST, 8).read_clear, 0x6);
	EXPECT(forwarded_unchanged(write_at(&v3, REDIST + 1, 1)));
	EXPECT(forwarded_unchanged(write_at(&v3, REDIST + 2, 2)));
	EXPECT_EQ(write_at(&v3, REDIST + 2 * FRAME, 4).write_clear, 1);
}

TEST(gic_trap, redistributor_lpi_tables_never_written)
{
	static const uint64_t bases[] = { 0x70, 0x74, 0x78, 0x7c };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(bases); i++) {
		EXPECT_EQ(write_at(&v3, REDIST + bases[i], 4).action,
			  GIC_TRAP_IGNORE);
		EXPECT_EQ(write_at(&v3, REDIST + bases[i] + 3, 1).action,
			  GIC_TRAP_IGNORE);
		/* Reads show the real (reset) value. */
		EXPECT(forwarded_unchanged(read_at(&v3, REDIST + bases[i],
						   4)));
	}
	EXPECT_EQ(write_at(&v3, REDIST + 0x70, 8).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(write_at(&v3, REDIST + 0x78, 8).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(write_at(&v3, REDIST + 6 * FRAME + 0x78, 8).action,
		  GIC_TRAP_IGNORE);
	/* GICR_WAKER, STATUSR, and the reserved words beside the tables. */
	EXPECT(forwarded_unchanged(write_at(&v3, REDIST + 0x14, 4)));
	EXPECT(forwarded_unchanged(write_at(&v3, REDIST + 0x10, 4)));
	EXPECT(forwarded_unchanged(write_at(&v3, REDIST + 0x68, 8)));
	EXPECT(forwarded_unchanged(write_at(&v3, REDIST + 0x80, 8)));
}

TEST(gic_trap, redistributor_lpi_commands_refused)
{
	/* SETLPIR, CLRLPIR, INVLPIR, INVALLR (64-bit), SYNCR (32-bit). */
	static const uint64_t regs[] = { 0x40, 0x48, 0xa0, 0xb0 };
	size_t i;

	for (i = 0; i < ARRAY_SIZE(regs); i++) {
		EXPECT_EQ(write_at(&v3, REDIST + regs[i], 8).action,
			  GIC_TRAP_IGNORE);
		EXPECT_EQ(read_at(&v3, REDIST + regs[i], 8).action,
			  GIC_TRAP_IGNORE);
		EXPECT_EQ(write_at(&v3, REDIST + regs[i] + 4, 4).action,
			  GIC_TRAP_IGNORE);
		EXPECT_EQ(write_at(&v3, REDIST + regs[i] + 7, 1).action,
			  GIC_TRAP_IGNORE);
	}
	EXPECT_EQ(read_at(&v3, REDIST + 0xc0, 4).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(read_at(&v3, REDIST + 0xc0, 8).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(write_at(&v3, REDIST + 0xc2, 2).action, GIC_TRAP_IGNORE);
	/* The word after SYNCR is not it. */
	EXPECT(forwarded_unchanged(read_at(&v3, REDIST + 0xc4, 4)));
	EXPECT(forwarded_unchanged(read_at(&v3, REDIST + 0x50, 8)));
}

TEST(gic_trap, vlpi_frames_read_as_zero)
{
	/* GICR_VPROPBASER 0x70, VPENDBASER 0x78 of VLPI_base; the reserved
	 * frame after it. */
	EXPECT_EQ(write_at(&v4, REDIST + 2 * FRAME + 0x70, 8).action,
		  GIC_TRAP_IGNORE);
	EXPECT_EQ(write_at(&v4, REDIST + 2 * FRAME + 0x78, 8).action,
		  GIC_TRAP_IGNORE);
	EXPECT_EQ(read_at(&v4, REDIST + 2 * FRAME + 0x78, 8).action,
		  GIC_TRAP_IGNORE);
	EXPECT_EQ(read_at(&v4, REDIST + 3 * FRAME + 0x8, 8).action,
		  GIC_TRAP_IGNORE);
	EXPECT_EQ(write_at(&v4, REDIST + 14 * FRAME, 4).action,
		  GIC_TRAP_IGNORE);
}

TEST(gic_trap, sgi_frame_forwarded_unchanged)
{
	EXPECT(forwarded_unchanged(write_at(&v3, REDIST + FRAME + 0x100, 4)));
	EXPECT(forwarded_unchanged(read_at(&v4, REDIST + 5 * FRAME + 0x70,
					   8)));
}

TEST(gic_trap, misaligned_or_odd_sizes_refused)
{
	/* Misaligned: never performed (EL2 would take an alignment fault
	 * on device memory). */
	EXPECT_EQ(read_at(&v3, DIST + 0x4, 8).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(read_at(&v3, DIST + 0x2, 4).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(write_at(&v3, DIST + 0x1, 2).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(read_at(&v3, REDIST + 0xc, 8).action, GIC_TRAP_IGNORE);
	/* Sizes no load or store has. */
	EXPECT_EQ(read_at(&v3, DIST, 0).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(read_at(&v3, DIST, 3).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(read_at(&v3, DIST, 16).action, GIC_TRAP_IGNORE);
	EXPECT_EQ(write_at(&v3, REDIST, 16).action, GIC_TRAP_IGNORE);
	/* ... but outside the GIC they are still not the GIC's. */
	EXPECT_EQ(read_at(&v3, 0x09000001, 4).action, GIC_TRAP_NOT_GIC);
}

TEST(gic_trap, empty_layout_owns_nothing)
{
	const struct gic_layout none = { 0 };

	EXPECT_EQ(read_at(&none, 0, 4).action, GIC_TRAP_NOT_GIC);
	EXPECT_EQ(read_at(&none, DIST, 4).action, GIC_TRAP_NOT_GIC);
	EXPECT_EQ(read_at(&none, REDIST, 4).action, GIC_TRAP_NOT_GIC);
}

/* A fake GIC for gic_trap_init and gic_trap_access: GICR_TYPER of
 * redistributor i (by the stride typer_frames gives) is typer[i] with
 * its number in Processor_Number; registers read their own address. */
static uint64_t typer[8];
static size_t typer_frames;

static uint64_t fake_gic_read(uintptr_t pa, uint8_t size)
{
	uint64_t rel = pa - REDIST;

	if (pa >= REDIST && rel % (typer_frames * FRAME) == 0x8 && size == 8 &&
	    rel / (typer_frames * FRAME) < ARRAY_SIZE(typer)) {
		size_t i = rel / (typer_frames * FRAME);

		return typer[i] | (uint64_t)i << 8 | (uint64_t)i << 32;
	}
	return pa == DIST + 0x4 ? 0x037a7fff : ~0ull;
}

static struct mpool pool;
static void *pool_mem;
static struct mm_ptable primary;

static void fake_gic_setup(size_t frames, size_t count, uint64_t bits)
{
	size_t i;

	if (pool_mem == NULL) {
		pool_mem = aligned_alloc(PAGE_SIZE * 2, POOL_PAGES * PAGE_SIZE);
	}
	mpool_init(&pool, pool_mem, POOL_PAGES);
	EXPECT(mm_ptable_init(&primary, MM_STAGE2, 0, &pool));
	memset(typer, 0, sizeof(typer));
	for (i = 0; i < count; i++) {
		typer[i] = bits | (frames == 4 ? 0x2 : 0);
	}
	if (count > 0) {
		typer[count - 1] |= 0x10;
	}
	typer_frames = frames;
	fake_mmio_reader = fake_gic_read;
	fake_mmio_count = 0;
}

static void fake_gic_teardown(void)
{
	mm_ptable_fini(&primary, &pool);
	fake_mmio_reader = NULL;
}

static bool init(uint64_t redist_size, struct hf_error *err)
{
	struct pa_range dist = { { DIST }, { DIST + FRAME } };
	struct pa_range redist = { { REDIST }, { REDIST + redist_size } };

	return gic_trap_init(dist, redist, &primary, &pool, err);
}

TEST(gic_trap, init_maps_only_sgi_frames)
{
	struct hf_error err;
	size_t i;

	fake_gic_setup(2, 4, 0x1);
	EXPECT(init(0xf60000, &err));
	/* One 64-bit GICR_TYPER read per redistributor, nothing else. */
	EXPECT_EQ(fake_mmio_count, 4);
	for (i = 0; i < 4; i++) {
		EXPECT_EQ(fake_mmio_log[i].pa, REDIST + i * 2 * FRAME + 0x8);
		EXPECT_EQ(fake_mmio_log[i].size, 8);
		EXPECT(!fake_mmio_log[i].write);
		EXPECT(!mm_range_has_mode(&primary, REDIST + i * 2 * FRAME,
					  REDIST + i * 2 * FRAME + PAGE_SIZE,
					  RWD));
		EXPECT(mm_range_has_mode(&primary, REDIST + (i * 2 + 1) * FRAME,
					 REDIST + (i * 2 + 2) * FRAME, RWD));
	}
	EXPECT(!mm_range_has_mode(&primary, REDIST + 8 * FRAME,
				  REDIST + 8 * FRAME + PAGE_SIZE, RWD));
	EXPECT(!mm_range_has_mode(&primary, DIST, DIST + PAGE_SIZE, RWD));
	EXPECT_EQ(gic_trap_redist_stride(), 2 * FRAME);
	fake_gic_teardown();
}

TEST(gic_trap, init_learns_gicv4_layout)
{
	struct hf_error err;

	fake_gic_setup(4, 3, 0x1);
	EXPECT(init(0xf60000, &err));
	EXPECT_EQ(gic_trap_redist_stride(), 4 * FRAME);
	EXPECT(mm_range_has_mode(&primary, REDIST + 9 * FRAME,
				 REDIST + 10 * FRAME, RWD));
	EXPECT(!mm_range_has_mode(&primary, REDIST + 10 * FRAME,
				  REDIST + 10 * FRAME + PAGE_SIZE, RWD));
	EXPECT(!mm_range_has_mode(&primary, REDIST + 3 * FRAME,
				  REDIST + 3 * FRAME + PAGE_SIZE, RWD));
	fake_gic_teardown();
}

TEST(gic_trap, init_refuses_malformed_gic)
{
	struct hf_error err;
	struct pa_range dist = { { DIST }, { DIST + FRAME } };
	struct pa_range redist = { { REDIST }, { REDIST + 8 * FRAME } };
	struct pa_range odd = { { DIST + 0x1000 }, { DIST + FRAME } };

	/* No Last bit within the region: 4 redistributors' room, none
	 * says Last. */
	fake_gic_setup(2, 0, 0);
	EXPECT(!init(8 * FRAME, &err));
	EXPECT_EQ(err.code, GIC_TRAP_NO_LAST);
	EXPECT_STR_CONTAINS(err.msg, "GICR_TYPER.Last in 0x80a0000-0x8120000");
	/* The region ends inside a GICv4 redistributor. */
	fake_gic_setup(4, 2, 0);
	EXPECT(!init(6 * FRAME, &err));
	EXPECT_EQ(err.code, GIC_TRAP_BAD_REGION);
	EXPECT_STR_CONTAINS(err.msg, "runs past the region's end");
	/* Mixed 2 and 4 frames. */
	fake_gic_setup(2, 3, 0);
	typer[1] |= 0x2;
	EXPECT(!init(0xf60000, &err));
	EXPECT_EQ(err.code, GIC_TRAP_BAD_REGION);
	/* Regions that are not 64 KiB frames, or overlap. */
	EXPECT(!gic_trap_init(odd, redist, &primary, &pool, &err));
	EXPECT_EQ(err.code, GIC_TRAP_BAD_REGION);
	EXPECT(!gic_trap_init(dist, dist, &primary, &pool, &err));
	EXPECT(!gic_trap_init(dist, (struct pa_range){ { REDIST }, { REDIST } },
			      &primary, &pool, &err));
	fake_gic_teardown();
}

TEST(gic_trap, access_performs_as_filtered)
{
	struct hf_error err;
	struct mmio_access a;

	fake_gic_setup(2, 4, 0x8d);
	EXPECT(init(0xf60000, &err));
	fake_mmio_count = 0;

	/* GICD_TYPER: LPIS, DVIS and num_LPIs gone, the rest real. */
	a = (struct mmio_access){ false, 4, 0 };
	EXPECT(gic_trap_access(DIST + 0x4, &a));
	EXPECT_EQ(a.value, 0x037a7fff & ~0x6f800u);
	EXPECT_EQ(fake_mmio_count, 1);

	/* GICR_TYPER of redistributor 2 (PLPIS, Dirty, DirectLPI, RVPEID
	 * set): its affinity and number, without the LPI bits. */
	a = (struct mmio_access){ false, 8, 0 };
	EXPECT(gic_trap_access(REDIST + 4 * FRAME + 0x8, &a));
	EXPECT_EQ(a.value, 0x200000200ull);

	/* GICR_CTLR with EnableLPIs: written without it. */
	a = (struct mmio_access){ true, 4, 0x80000001 };
	EXPECT(gic_trap_access(REDIST, &a));
	EXPECT_EQ(fake_mmio_log[2].pa, REDIST);
	EXPECT(fake_mmio_log[2].write);
	EXPECT_EQ(fake_mmio_log[2].value, 0x80000000);

	/* GICR_PROPBASER, PENDBASER, SETLPIR: nothing reaches the GIC; a
	 * refused read is zero. */
	a = (struct mmio_access){ true, 8, 0x40000000 };
	EXPECT(gic_trap_access(REDIST + 0x70, &a));
	EXPECT(gic_trap_access(REDIST + 0x78, &a));
	EXPECT(gic_trap_access(REDIST + 0x40, &a));
	a = (struct mmio_access){ false, 4, 0x1234 };
	EXPECT(gic_trap_access(REDIST + 0xc0, &a));
	EXPECT_EQ(a.value, 0);
	a = (struct mmio_access){ false, 8, 0x1234 };
	EXPECT(gic_trap_access(REDIST + 0x6, &a));
	EXPECT_EQ(a.value, 0);
	EXPECT_EQ(fake_mmio_count, 3);

	/* A byte of GICD_IPRIORITYR and a doubleword GICD_IROUTER: their
	 * own sizes, the stored value truncated to the access. */
	a = (struct mmio_access){ true, 1, 0x1a0 };
	EXPECT(gic_trap_access(DIST + 0x423, &a));
	EXPECT_EQ(fake_mmio_log[3].size, 1);
	EXPECT_EQ(fake_mmio_log[3].value, 0xa0);
	a = (struct mmio_access){ true, 8, 0x100000203ull };
	EXPECT(gic_trap_access(DIST + 0x6108, &a));
	EXPECT_EQ(fake_mmio_log[4].pa, DIST + 0x6108);
	EXPECT_EQ(fake_mmio_log[4].size, 8);
	EXPECT_EQ(fake_mmio_log[4].value, 0x100000203ull);

	/* The ITS and anything else are not the GIC's. */
	a = (struct mmio_access){ false, 4, 0 };
	EXPECT(!gic_trap_access(0x08080000, &a));
	EXPECT(!gic_trap_access(0x09000000, &a));
	EXPECT_EQ(fake_mmio_count, 5);
	fake_gic_teardown();
}
