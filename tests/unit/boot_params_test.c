/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading RAM, CPUs and the initrd from a board DTB. */
#include <libfdt.h>
#include <stdlib.h>

#include "hf/boot_params.h"

#include "dtb_builder.h"
#include "test.h"

TEST(boot_params, qemu_like_board)
{
	struct dtb_buf b;
	struct boot_params p;
	struct hf_error err;

	dtb_board(&b, 4, 0x48000000, 0x48100000);
	EXPECT_EQ(boot_params_read(b.data, b.size, &p, &err), BOOT_PARAMS_OK);
	EXPECT_EQ(p.mem_count, 1);
	EXPECT_EQ(pa_addr(p.mem[0].begin), 0x40000000);
	EXPECT_EQ(pa_addr(p.mem[0].end), 0x80000000);
	EXPECT_EQ(p.cpu_count, 4);
	EXPECT_EQ(p.cpu_ids[3], 3);
	EXPECT_EQ(pa_addr(p.initrd.begin), 0x48000000);
	EXPECT_EQ(pa_addr(p.initrd.end), 0x48100000);
}

TEST(boot_params, no_initrd)
{
	struct dtb_buf b;
	struct boot_params p;
	struct hf_error err;

	dtb_board(&b, 1, 0, 0);
	EXPECT_EQ(boot_params_read(b.data, b.size, &p, &err),
		  BOOT_PARAMS_NO_INITRD);
	EXPECT_STR_CONTAINS(err.msg, "no initrd");
}

TEST(boot_params, initrd_outside_memory)
{
	struct dtb_buf b;
	struct boot_params p;
	struct hf_error err;

	dtb_board(&b, 1, 0x7ff00000, 0x80100000);
	EXPECT_EQ(boot_params_read(b.data, b.size, &p, &err),
		  BOOT_PARAMS_BAD_INITRD);
}

TEST(boot_params, too_many_cpus)
{
	struct dtb_buf b;
	struct boot_params p;
	struct hf_error err;

	dtb_board(&b, MAX_CPUS + 1, 0x48000000, 0x48100000);
	EXPECT_EQ(boot_params_read(b.data, b.size, &p, &err),
		  BOOT_PARAMS_TOO_MANY_CPUS);
}

TEST(boot_params, corrupt_dtb)
{
	struct dtb_buf b;
	struct boot_params p;
	struct hf_error err;

	dtb_board(&b, 4, 0x48000000, 0x48100000);
	EXPECT_EQ(boot_params_read(b.data, b.size - 1, &p, &err),
		  BOOT_PARAMS_BAD_DTB);
	((unsigned char *)b.data)[0] ^= 0xff; /* magic */
	EXPECT_EQ(boot_params_read(b.data, b.size, &p, &err),
		  BOOT_PARAMS_BAD_DTB);
	EXPECT_STR_CONTAINS(err.msg, "boot DTB is missing or corrupt");
}

TEST(boot_params, random_corruption_gives_a_defined_answer)
{
	struct dtb_buf b;
	int i;

	srand(3);
	for (i = 0; i < 3000; i++) {
		struct boot_params p;
		struct hf_error err;
		unsigned char *copy;
		enum boot_params_result r;

		dtb_board(&b, 4, 0x48000000, 0x48100000);
		copy = malloc(b.size);
		memcpy(copy, b.data, b.size);
		copy[rand() % b.size] ^= (unsigned char)(1u << (rand() % 8));
		r = boot_params_read(copy, b.size, &p, &err);
		EXPECT(r <= BOOT_PARAMS_BAD_INITRD);
		if (r == BOOT_PARAMS_OK) {
			EXPECT(p.mem_count >= 1 && p.cpu_count >= 1 &&
			       p.cpu_count <= MAX_CPUS);
		}
		free(copy);
	}
}
