/* SPDX-License-Identifier: BSD-3-Clause */
/* cpio newc reader: valid archives, and every way of being corrupt. */
#include <stdlib.h>

#include "hf/cpio.h"

#include "test.h"

struct archive {
	char data[4096];
	size_t size;
};

static void add_entry(struct archive *a, const char *name, const char *body)
{
	size_t namesize = strlen(name) + 1;
	size_t filesize = strlen(body);

	a->size += (size_t)sprintf(a->data + a->size,
				   "070701%08x%08x%08x%08x%08x%08x%08zx%08x%08x"
				   "%08x%08x%08zx%08x",
				   1, 0100644, 0, 0, 1, 0, filesize, 0, 0, 0,
				   0, namesize, 0);
	memcpy(a->data + a->size, name, namesize);
	a->size += namesize;
	while (a->size % 4 != 0) {
		a->data[a->size++] = '\0';
	}
	memcpy(a->data + a->size, body, filesize);
	a->size += filesize;
	while (a->size % 4 != 0) {
		a->data[a->size++] = '\0';
	}
}

static void make_archive(struct archive *a)
{
	memset(a, 0, sizeof(*a));
	add_entry(a, "manifest.dtb", "MANIFEST");
	add_entry(a, "./vmlinuz", "kernel bytes");
	add_entry(a, "empty", "");
	add_entry(a, "TRAILER!!!", "");
}

/* A copy of exactly `size` bytes on the heap, so ASan sees any overread. */
static enum cpio_result find_in_copy(const char *data, size_t size,
				     const char *name, struct cpio_file *f,
				     struct hf_error *err)
{
	char *copy = malloc(size == 0 ? 1 : size);
	enum cpio_result r;

	memcpy(copy, data, size);
	r = cpio_find(copy, size, name, f, err);
	if (r == CPIO_OK) {
		/* Point back into the caller's archive for content checks. */
		f->data = data + ((const char *)f->data - copy);
	}
	free(copy);
	return r;
}

TEST(cpio, finds_files)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;

	make_archive(&a);
	EXPECT_EQ(cpio_find(a.data, a.size, "manifest.dtb", &f, &err), CPIO_OK);
	EXPECT_EQ(f.size, 8);
	EXPECT(memcmp(f.data, "MANIFEST", 8) == 0);
	EXPECT_EQ(cpio_find(a.data, a.size, "vmlinuz", &f, &err), CPIO_OK);
	EXPECT_EQ(f.size, 12);
	EXPECT(memcmp(f.data, "kernel bytes", 12) == 0);
	EXPECT_EQ(cpio_find(a.data, a.size, "empty", &f, &err), CPIO_OK);
	EXPECT_EQ(f.size, 0);
}

TEST(cpio, missing_file_is_not_found)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;

	make_archive(&a);
	EXPECT_EQ(cpio_find(a.data, a.size, "initrd.img", &f, &err),
		  CPIO_NOT_FOUND);
	EXPECT_STR_CONTAINS(err.msg, "'initrd.img' not found");
}

TEST(cpio, every_truncation_is_refused)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;
	size_t len;

	make_archive(&a);
	for (len = 0; len < a.size; len++) {
		enum cpio_result r =
			find_in_copy(a.data, len, "no-such-file", &f, &err);

		if (r != CPIO_TRUNCATED) {
			EXPECT_EQ(r, CPIO_TRUNCATED);
			printf("# at length %zu\n", len);
			break;
		}
	}
}

TEST(cpio, truncated_file_data)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;

	make_archive(&a);
	/* Cut inside vmlinuz's data: looking for it must not return it. */
	EXPECT_EQ(find_in_copy(a.data, 250, "vmlinuz", &f, &err),
		  CPIO_TRUNCATED);
	EXPECT_STR_CONTAINS(err.msg, "runs past the end");
}

TEST(cpio, bad_magic)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;

	make_archive(&a);
	memcpy(a.data, "070707", 6); /* old binary-compatible format */
	EXPECT_EQ(cpio_find(a.data, a.size, "vmlinuz", &f, &err),
		  CPIO_BAD_MAGIC);
	EXPECT_STR_CONTAINS(err.msg, "not a cpio newc archive");
}

TEST(cpio, bad_hex_field)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;

	make_archive(&a);
	a.data[6 + 8 * 6 + 3] = 'g'; /* filesize */
	EXPECT_EQ(cpio_find(a.data, a.size, "vmlinuz", &f, &err),
		  CPIO_BAD_HEADER);
}

TEST(cpio, huge_sizes_do_not_wrap)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;

	make_archive(&a);
	memcpy(a.data + 6 + 8 * 6, "ffffffff", 8); /* filesize */
	EXPECT_EQ(find_in_copy(a.data, a.size, "vmlinuz", &f, &err),
		  CPIO_TRUNCATED);
	make_archive(&a);
	memcpy(a.data + 6 + 8 * 11, "ffffffff", 8); /* namesize */
	EXPECT_EQ(find_in_copy(a.data, a.size, "vmlinuz", &f, &err),
		  CPIO_TRUNCATED);
}

TEST(cpio, name_size_must_match_name)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;

	make_archive(&a);
	/* "manifest.dtb" is 13 bytes with its NUL; claim 5: no NUL there. */
	memcpy(a.data + 6 + 8 * 11, "00000005", 8);
	EXPECT_EQ(cpio_find(a.data, a.size, "vmlinuz", &f, &err),
		  CPIO_BAD_HEADER);
}

TEST(cpio, random_corruption_never_reads_out_of_bounds)
{
	struct archive a;
	struct cpio_file f;
	struct hf_error err;
	int i;

	srand(1);
	for (i = 0; i < 2000; i++) {
		make_archive(&a);
		a.data[rand() % a.size] = (char)rand();
		a.data[rand() % a.size] = "0123456789abcdef"[rand() % 16];
		/* Any defined answer will do; ASan checks the reads. */
		switch (find_in_copy(a.data, a.size, "vmlinuz", &f, &err)) {
		case CPIO_OK:
			EXPECT((const char *)f.data >= a.data &&
			       (const char *)f.data + f.size <=
				       a.data + a.size);
			break;
		case CPIO_NOT_FOUND:
		case CPIO_TRUNCATED:
		case CPIO_BAD_MAGIC:
		case CPIO_BAD_HEADER:
			EXPECT(err.msg[0] != '\0');
			break;
		default:
			EXPECT(!"undefined result");
		}
	}
}
