/* SPDX-License-Identifier: BSD-3-Clause */
/* Where the primary VM's kernel and DTB go in memory, and checks of the
 * kernel image (the arm64 Linux Image format). */
#pragma once

#include "hf/boot_params.h"
#include "hf/error.h"

#define KERNEL_ALIGN (2u << 20) /* Image base alignment (booting.rst) */

enum load_result {
	LOAD_OK = 0,
	LOAD_NOT_AN_IMAGE, /* no arm64 Image header */
	LOAD_BAD_IMAGE,    /* header fields inconsistent with the file */
	LOAD_NO_SPACE,     /* does not fit in free memory */
};

struct kernel_image {
	uint64_t text_offset;
	uint64_t image_size; /* bytes from the load address, bss included */
	size_t file_size;
};

/* The kernel's bytes where the ramdisk holds them, and what its bss may
 * not overwrite there if it runs in place: whatever must survive until the
 * primary runs (the hypervisor, the primary's initramfs). */
struct kernel_file {
	paddr_t at;
	const struct pa_range *keep;
	size_t keep_count;
};

struct primary_layout {
	struct pa_range kernel; /* [load address, + image_size) */
	bool kernel_in_place;   /* else it must be copied there */
	struct pa_range fdt;
};

enum load_result load_parse_image(const void *data, size_t size,
				  const char *name, struct kernel_image *k,
				  struct hf_error *err);

/* Lowest address a with a % align == offset such that [a, a + size) lies
 * in one RAM range and overlaps no busy range. */
bool load_find_free(const struct boot_params *p, const struct pa_range *busy,
		    size_t busy_count, size_t size, uintptr_t align,
		    uintptr_t offset, paddr_t *out);

/* Places the kernel, then the DTB (fdt_size bytes) around the busy ranges
 * (hypervisor, ramdisk, boot DTB) and the kernel. The kernel runs where
 * the ramdisk holds it when the Image allows that address and its whole
 * image_size is RAM that overwrites nothing in file->keep: no copy of tens
 * of MiB, no cleaning to the point of coherency (the hypervisor never
 * wrote those bytes). Otherwise it goes to the lowest free place. */
enum load_result load_plan_primary(const struct boot_params *p,
				   const struct pa_range *busy,
				   size_t busy_count,
				   const struct kernel_image *k,
				   const struct kernel_file *file,
				   size_t fdt_size, struct primary_layout *out,
				   struct hf_error *err);
