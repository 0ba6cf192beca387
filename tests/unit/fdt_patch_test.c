/* SPDX-License-Identifier: BSD-3-Clause */
/* The primary's DTB: reserved hypervisor memory, initrd, hafnium node. */
#include <libfdt.h>

#include "hf/fdt_patch.h"

#include "dtb_builder.h"
#include "test.h"

static struct fdt_patch_params params(void)
{
	struct fdt_patch_params p = { 0 };

	p.initrd.begin = pa_init(0x48001000);
	p.initrd.end = pa_init(0x48200000);
	p.reserved[0].begin = pa_init(0x40000000);
	p.reserved[0].end = pa_init(0x40400000);
	p.reserved_count = 1;
	return p;
}

TEST(fdt_patch, reserves_points_and_adds_node)
{
	struct dtb_buf b;
	static uint64_t out[(DTB_BUF_SIZE + FDT_PATCH_EXTRA_SPACE) / 8];
	struct fdt_patch_params p = params();
	struct hf_error err;
	uint64_t addr;
	uint64_t size;
	int node;
	int len;
	const fdt64_t *v;

	dtb_board(&b, 4, 0x48000000, 0x4a000000);
	EXPECT_EQ(fdt_patch_primary(b.data, b.size, out, sizeof(out), &p, &err),
		  FDT_PATCH_OK);
	EXPECT_EQ(fdt_num_mem_rsv(out), 1);
	EXPECT_EQ(fdt_get_mem_rsv(out, 0, &addr, &size), 0);
	EXPECT_EQ(addr, 0x40000000);
	EXPECT_EQ(size, 0x400000);
	node = fdt_path_offset(out, "/chosen");
	v = fdt_getprop(out, node, "linux,initrd-start", &len);
	EXPECT(v != NULL && len == 8 && fdt64_ld(v) == 0x48001000);
	v = fdt_getprop(out, node, "linux,initrd-end", &len);
	EXPECT(v != NULL && len == 8 && fdt64_ld(v) == 0x48200000);
	EXPECT(fdt_getprop(out, node, "bootargs", &len) != NULL);
	node = fdt_node_offset_by_compatible(out, -1, "hafnium,hafnium");
	EXPECT(node >= 0);
	EXPECT(fdt_check_full(out, fdt_totalsize(out)) == 0);
}

TEST(fdt_patch, no_space)
{
	struct dtb_buf b;
	static uint64_t out[DTB_BUF_SIZE / 8];
	struct fdt_patch_params p = params();
	struct hf_error err;

	dtb_board(&b, 4, 0x48000000, 0x4a000000);
	EXPECT_EQ(fdt_patch_primary(b.data, b.size, out, b.size + 8, &p, &err),
		  FDT_PATCH_NO_SPACE);
	EXPECT_STR_CONTAINS(err.msg, "cannot patch the primary's DTB");
}

TEST(fdt_patch, corrupt_source)
{
	struct dtb_buf b;
	static uint64_t out[DTB_BUF_SIZE / 8];
	struct fdt_patch_params p = params();
	struct hf_error err;

	dtb_board(&b, 4, 0x48000000, 0x4a000000);
	EXPECT_EQ(fdt_patch_primary(b.data, b.size / 2, out, sizeof(out), &p,
				    &err),
		  FDT_PATCH_BAD_DTB);
}
