/* SPDX-License-Identifier: BSD-3-Clause */
/* Manifest parsing: Hafnium's format, and each way it can be wrong. */
#include <stdlib.h>

#include "hf/manifest.h"

#include "dtb_builder.h"
#include "test.h"

static enum manifest_result parse(enum manifest_variant v, struct manifest *m,
				  struct hf_error *err)
{
	struct dtb_buf b;

	dtb_manifest(&b, v);
	return manifest_parse(b.data, b.size, m, err);
}

TEST(manifest, primary_and_secondary)
{
	struct manifest m;
	struct hf_error err;

	EXPECT_EQ(parse(MANIFEST_GOOD, &m, &err), MANIFEST_OK);
	EXPECT_EQ(m.vm_count, 2);
	EXPECT(strcmp(m.vm[0].debug_name, "primary") == 0);
	EXPECT(strcmp(m.vm[0].kernel_filename, "vmlinuz") == 0);
	EXPECT(strcmp(m.vm[0].ramdisk_filename, "initrd.img") == 0);
	EXPECT(strcmp(m.vm[1].debug_name, "echo") == 0);
	EXPECT_EQ(m.vm[1].vcpu_count, 2);
	EXPECT_EQ(m.vm[1].mem_size, 0x100000);
}

TEST(manifest, without_vm1)
{
	struct manifest m;
	struct hf_error err;

	EXPECT_EQ(parse(MANIFEST_WITHOUT_VM1, &m, &err), MANIFEST_NO_PRIMARY);
	EXPECT_STR_CONTAINS(err.msg, "no vm1");
}

TEST(manifest, errors_name_the_problem)
{
	static const struct {
		enum manifest_variant v;
		enum manifest_result r;
		const char *msg;
	} cases[] = {
		{ MANIFEST_WRONG_COMPATIBLE, MANIFEST_NOT_COMPATIBLE,
		  "hafnium,hafnium" },
		{ MANIFEST_NO_HYPERVISOR_NODE, MANIFEST_NO_HYPERVISOR,
		  "/hypervisor" },
		{ MANIFEST_VM1_NO_KERNEL, MANIFEST_MISSING_PROPERTY,
		  "vm1: missing property kernel_filename" },
		{ MANIFEST_VM1_NAME_NOT_STRING, MANIFEST_BAD_PROPERTY,
		  "vm1: debug_name" },
		{ MANIFEST_VM1_NAME_TOO_LONG, MANIFEST_BAD_PROPERTY,
		  "at most 31 characters" },
		{ MANIFEST_VM2_NO_VCPUS, MANIFEST_MISSING_PROPERTY,
		  "vm2: missing property vcpu_count" },
		{ MANIFEST_VM3_AFTER_VM1, MANIFEST_UNEXPECTED_NODE, "'vm3'" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct manifest m;
		struct hf_error err;

		EXPECT_EQ(parse(cases[i].v, &m, &err), cases[i].r);
		EXPECT_STR_CONTAINS(err.msg, cases[i].msg);
	}
}

TEST(manifest, not_a_dtb)
{
	struct manifest m;
	struct hf_error err;
	char junk[64] = "this is not a device tree";

	EXPECT_EQ(manifest_parse(junk, sizeof(junk), &m, &err),
		  MANIFEST_BAD_DTB);
	EXPECT_STR_CONTAINS(err.msg, "not a valid device tree");
}

TEST(manifest, every_truncation_is_refused)
{
	struct dtb_buf b;
	struct manifest m;
	struct hf_error err;
	size_t len;

	dtb_manifest(&b, MANIFEST_GOOD);
	for (len = 0; len < b.size; len++) {
		char *copy = malloc(len + 1);

		memcpy(copy, b.data, len);
		EXPECT_EQ(manifest_parse(copy, len, &m, &err),
			  MANIFEST_BAD_DTB);
		free(copy);
	}
}

TEST(manifest, too_large)
{
	struct manifest m;
	struct hf_error err;
	char *big = calloc(1, MANIFEST_MAX_SIZE + 1);

	EXPECT_EQ(manifest_parse(big, MANIFEST_MAX_SIZE + 1, &m, &err),
		  MANIFEST_TOO_LARGE);
	free(big);
}

TEST(manifest, random_corruption_gives_a_defined_answer)
{
	struct dtb_buf b;
	int i;

	srand(2);
	for (i = 0; i < 3000; i++) {
		struct manifest m;
		struct hf_error err;
		unsigned char *copy;
		enum manifest_result r;

		dtb_manifest(&b, MANIFEST_GOOD);
		copy = malloc(b.size);
		memcpy(copy, b.data, b.size);
		copy[rand() % b.size] ^= (unsigned char)(1u << (rand() % 8));
		r = manifest_parse(copy, b.size, &m, &err);
		EXPECT(r <= MANIFEST_UNEXPECTED_NODE);
		if (r == MANIFEST_OK) {
			EXPECT(m.vm_count >= 1);
			EXPECT(memchr(m.vm[0].kernel_filename, '\0',
				      MANIFEST_FILENAME_MAX) != NULL);
		} else {
			EXPECT(err.msg[0] != '\0');
		}
		free(copy);
	}
}
