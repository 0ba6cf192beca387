/* SPDX-License-Identifier: BSD-3-Clause */
/* Kernel Image checks and placement of the primary's kernel and DTB. */
#include "hf/load.h"

#include "test.h"

static void image_header(uint8_t *h, uint64_t text_offset, uint64_t size)
{
	int i;

	memset(h, 0, 64);
	for (i = 0; i < 8; i++) {
		h[8 + i] = (uint8_t)(text_offset >> (8 * i));
		h[16 + i] = (uint8_t)(size >> (8 * i));
	}
	memcpy(h + 56, "ARM\x64", 4);
}

static struct boot_params one_gib(void)
{
	struct boot_params p = { 0 };

	p.mem[0].begin = pa_init(0x40000000);
	p.mem[0].end = pa_init(0x80000000);
	p.mem_count = 1;
	return p;
}

TEST(load, parses_image_header)
{
	uint8_t h[4096];
	struct kernel_image k;
	struct hf_error err;

	image_header(h, 0, 0x2000000);
	EXPECT_EQ(load_parse_image(h, sizeof(h), "vmlinuz", &k, &err), LOAD_OK);
	EXPECT_EQ(k.image_size, 0x2000000);
	EXPECT_EQ(k.text_offset, 0);
}

TEST(load, refuses_non_images)
{
	uint8_t h[4096] = "MZ not an Image";
	struct kernel_image k;
	struct hf_error err;

	EXPECT_EQ(load_parse_image(h, sizeof(h), "vmlinuz", &k, &err),
		  LOAD_NOT_AN_IMAGE);
	EXPECT_STR_CONTAINS(err.msg, "'vmlinuz' is not an arm64 Linux Image");
	image_header(h, 0, 0x2000000);
	EXPECT_EQ(load_parse_image(h, 63, "vmlinuz", &k, &err),
		  LOAD_NOT_AN_IMAGE);
	image_header(h, 0, 100); /* image_size smaller than the file */
	EXPECT_EQ(load_parse_image(h, sizeof(h), "vmlinuz", &k, &err),
		  LOAD_BAD_IMAGE);
}

/* A kernel whose bytes sit at an address the Image does not allow. */
static const struct kernel_file unaligned = { .at = { 0x48000040 } };

TEST(load, places_kernel_and_dtb_around_busy_ranges)
{
	struct boot_params p = one_gib();
	struct pa_range busy[3] = {
		{ pa_init(0x40000000), pa_init(0x40400000) }, /* hypervisor */
		{ pa_init(0x48000000), pa_init(0x4a200000) }, /* ramdisk */
		{ pa_init(0x4a400000), pa_init(0x4a410000) }, /* boot DTB */
	};
	struct kernel_image k = { .text_offset = 0x1000,
				  .image_size = 0x3000000 };
	struct primary_layout l;
	struct hf_error err;

	EXPECT_EQ(load_plan_primary(&p, busy, 3, &k, &unaligned, 0x20000, &l,
				    &err),
		  LOAD_OK);
	/* The first slot after the hypervisor fits (it ends below the
	 * ramdisk); the DTB follows the kernel. */
	EXPECT_EQ(pa_addr(l.kernel.begin), 0x40401000);
	EXPECT_EQ(pa_addr(l.fdt.begin), 0x43401000);
	k.image_size = 0x8000000; /* 128 MiB: must go past the ramdisk */
	EXPECT_EQ(load_plan_primary(&p, busy, 3, &k, &unaligned, 0x20000, &l,
				    &err),
		  LOAD_OK);
	EXPECT_EQ(pa_addr(l.kernel.begin), 0x4a601000);
	EXPECT(!pa_range_overlaps(l.kernel, busy[1]));
	EXPECT(!pa_range_overlaps(l.kernel, busy[2]));
	EXPECT(!pa_range_overlaps(l.fdt, l.kernel));
}

TEST(load, kernel_larger_than_memory)
{
	struct boot_params p = one_gib();
	struct pa_range busy[1] = {
		{ pa_init(0x40000000), pa_init(0x40400000) },
	};
	struct kernel_image k = { .text_offset = 0, .image_size = 1ull << 30 };
	struct primary_layout l;
	struct hf_error err;

	EXPECT_EQ(load_plan_primary(&p, busy, 1, &k, &unaligned, 0x20000, &l,
				    &err),
		  LOAD_NO_SPACE);
	EXPECT_STR_CONTAINS(err.msg, "does not fit in free memory");
}

TEST(load, no_room_left_for_the_dtb)
{
	struct boot_params p = one_gib();
	struct kernel_image k = { .text_offset = 0,
				  .image_size = 1ull << 30 };
	struct primary_layout l;
	struct hf_error err;

	EXPECT_EQ(load_plan_primary(&p, NULL, 0, &k, &unaligned, 0x1000, &l,
				    &err),
		  LOAD_NO_SPACE);
	EXPECT_STR_CONTAINS(err.msg, "DTB");
}

TEST(load, kernel_runs_where_the_ramdisk_holds_it_when_it_may)
{
	struct boot_params p = one_gib();
	struct pa_range busy[3] = {
		{ pa_init(0x40000000), pa_init(0x40400000) }, /* hypervisor */
		{ pa_init(0x48000000), pa_init(0x4ac00000) }, /* ramdisk */
		{ pa_init(0x4ac00000), pa_init(0x4ac10000) }, /* boot DTB */
	};
	struct pa_range keep[2] = {
		busy[0],
		{ pa_init(0x48000200), pa_init(0x48900000) }, /* initramfs */
	};
	struct kernel_file file = { .at = pa_init(0x48a00000),
				    .keep = keep,
				    .keep_count = 2 };
	struct kernel_image k = { .text_offset = 0,
				  .image_size = 0x2400000 };
	struct primary_layout l;
	struct hf_error err;

	/* Its bss runs over the rest of the ramdisk and the boot DTB, both
	 * read before the primary runs. */
	EXPECT_EQ(load_plan_primary(&p, busy, 3, &k, &file, 0x20000, &l,
				    &err),
		  LOAD_OK);
	EXPECT(l.kernel_in_place);
	EXPECT_EQ(pa_addr(l.kernel.begin), 0x48a00000);
	EXPECT_EQ(pa_addr(l.kernel.end), 0x4ae00000);
	EXPECT(!pa_range_overlaps(l.fdt, l.kernel));
	EXPECT(!pa_range_overlaps(l.fdt, busy[2]));

	/* Not at a 2 MiB boundary plus text_offset: copied. */
	k.text_offset = 0x80000;
	EXPECT_EQ(load_plan_primary(&p, busy, 3, &k, &file, 0x20000, &l,
				    &err),
		  LOAD_OK);
	EXPECT(!l.kernel_in_place);
	EXPECT_EQ(pa_addr(l.kernel.begin), 0x40480000);
	k.text_offset = 0;

	/* Its bss would overwrite the initramfs: copied. */
	keep[1].begin = pa_init(0x48a00000 + k.image_size - 1);
	keep[1].end = pa_init(0x48a00000 + k.image_size);
	EXPECT_EQ(load_plan_primary(&p, busy, 3, &k, &file, 0x20000, &l,
				    &err),
		  LOAD_OK);
	EXPECT(!l.kernel_in_place);
	EXPECT(!pa_range_overlaps(l.kernel, busy[1]));

	/* Its bss would run past the end of RAM: copied. */
	keep[1].begin = pa_init(0x48000200);
	keep[1].end = pa_init(0x48900000);
	file.at = pa_init(0x7fe00000);
	EXPECT_EQ(load_plan_primary(&p, busy, 3, &k, &file, 0x20000, &l,
				    &err),
		  LOAD_OK);
	EXPECT(!l.kernel_in_place);
}
