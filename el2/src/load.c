/* SPDX-License-Identifier: BSD-3-Clause */
/* Placement of the primary VM's kernel and DTB. */
#include "hf/load.h"

/* arm64 Image header (Documentation/arm64/booting.rst). */
#define IMAGE_HEADER_SIZE 64
#define IMAGE_TEXT_OFFSET 8
#define IMAGE_SIZE 16
#define IMAGE_MAGIC_OFFSET 56
#define IMAGE_MAGIC "ARM\x64"

static uint64_t read_le64(const uint8_t *p)
{
	uint64_t v = 0;
	int i;

	for (i = 7; i >= 0; i--) {
		v = v << 8 | p[i];
	}
	return v;
}

enum load_result load_parse_image(const void *data, size_t size,
				  const char *name, struct kernel_image *k,
				  struct hf_error *err)
{
	const uint8_t *h = data;

	if (size < IMAGE_HEADER_SIZE ||
	    memcmp(h + IMAGE_MAGIC_OFFSET, IMAGE_MAGIC, 4) != 0) {
		hf_error_set(err, LOAD_NOT_AN_IMAGE,
			     "kernel '%s' is not an arm64 Linux Image", name);
		return LOAD_NOT_AN_IMAGE;
	}
	k->text_offset = read_le64(h + IMAGE_TEXT_OFFSET);
	k->image_size = read_le64(h + IMAGE_SIZE);
	k->file_size = size;
	if (k->image_size < size || k->text_offset >= KERNEL_ALIGN ||
	    !is_aligned(k->text_offset, PAGE_SIZE)) {
		hf_error_set(err, LOAD_BAD_IMAGE,
			     "kernel '%s': inconsistent Image header "
			     "(image_size %llu, file %zu bytes, text_offset "
			     "0x%llx)",
			     name, (unsigned long long)k->image_size, size,
			     (unsigned long long)k->text_offset);
		return LOAD_BAD_IMAGE;
	}
	return LOAD_OK;
}

static bool is_free(const struct pa_range *busy, size_t busy_count,
		    struct pa_range r)
{
	size_t i;

	for (i = 0; i < busy_count; i++) {
		if (pa_range_overlaps(busy[i], r)) {
			return false;
		}
	}
	return true;
}

/* First address >= from that is offset past a multiple of align. */
static uintptr_t next_slot(uintptr_t from, uintptr_t align, uintptr_t offset)
{
	if (from <= offset) {
		return offset;
	}
	return align_up(from - offset, align) + offset;
}

static bool try_slot(const struct pa_range *mem, const struct pa_range *busy,
		     size_t busy_count, uintptr_t candidate, size_t size,
		     paddr_t *best)
{
	struct pa_range r = { pa_init(candidate), pa_init(candidate + size) };

	if (candidate < pa_addr(mem->begin) || candidate + size < candidate ||
	    candidate + size > pa_addr(mem->end) ||
	    !is_free(busy, busy_count, r)) {
		return false;
	}
	if (pa_addr(*best) == 0 || candidate < pa_addr(*best)) {
		*best = pa_init(candidate);
	}
	return true;
}

bool load_find_free(const struct boot_params *p, const struct pa_range *busy,
		    size_t busy_count, size_t size, uintptr_t align,
		    uintptr_t offset, paddr_t *out)
{
	paddr_t best = pa_init(0);
	size_t m;
	size_t b;

	for (m = 0; m < p->mem_count; m++) {
		const struct pa_range *mem = &p->mem[m];

		try_slot(mem, busy, busy_count,
			 next_slot(pa_addr(mem->begin), align, offset), size,
			 &best);
		for (b = 0; b < busy_count; b++) {
			try_slot(mem, busy, busy_count,
				 next_slot(pa_addr(busy[b].end), align, offset),
				 size, &best);
		}
	}
	*out = best;
	return pa_addr(best) != 0;
}

static bool in_ram(const struct boot_params *p, struct pa_range r)
{
	size_t m;

	for (m = 0; m < p->mem_count; m++) {
		if (pa_addr(r.begin) >= pa_addr(p->mem[m].begin) &&
		    pa_addr(r.end) <= pa_addr(p->mem[m].end)) {
			return true;
		}
	}
	return false;
}

static bool runs_in_place(const struct boot_params *p,
			  const struct kernel_image *k,
			  const struct kernel_file *file)
{
	uintptr_t at = pa_addr(file->at);
	struct pa_range r = { file->at, pa_init(at + k->image_size) };

	return at % KERNEL_ALIGN == k->text_offset &&
	       at + k->image_size > at && in_ram(p, r) &&
	       is_free(file->keep, file->keep_count, r);
}

enum load_result load_plan_primary(const struct boot_params *p,
				   const struct pa_range *busy,
				   size_t busy_count,
				   const struct kernel_image *k,
				   const struct kernel_file *file,
				   size_t fdt_size, struct primary_layout *out,
				   struct hf_error *err)
{
	struct pa_range all[8];
	paddr_t at;

	out->kernel_in_place = runs_in_place(p, k, file);
	if (out->kernel_in_place) {
		at = file->at;
	} else if (!load_find_free(p, busy, busy_count, k->image_size,
				   KERNEL_ALIGN, k->text_offset, &at)) {
		hf_error_set(err, LOAD_NO_SPACE,
			     "the primary kernel (%llu KiB with bss) does not "
			     "fit in free memory",
			     (unsigned long long)(k->image_size >> 10));
		return LOAD_NO_SPACE;
	}
	out->kernel.begin = at;
	out->kernel.end = pa_add(at, k->image_size);
	if (busy_count + 1 > ARRAY_SIZE(all)) {
		hf_error_set(err, LOAD_NO_SPACE,
			     "%zu busy ranges: more than the DTB's placement "
			     "takes", busy_count);
		return LOAD_NO_SPACE;
	}
	if (busy_count > 0) {
		memcpy(all, busy, busy_count * sizeof(*busy));
	}
	all[busy_count] = out->kernel;
	if (!load_find_free(p, all, busy_count + 1, fdt_size, PAGE_SIZE, 0,
			    &at)) {
		hf_error_set(err, LOAD_NO_SPACE,
			     "no free memory for the primary's DTB (%zu bytes)",
			     fdt_size);
		return LOAD_NO_SPACE;
	}
	out->fdt.begin = at;
	out->fdt.end = pa_add(at, fdt_size);
	return LOAD_OK;
}
