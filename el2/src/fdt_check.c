/* SPDX-License-Identifier: BSD-3-Clause */
/* libfdt's full structure check, so that later look-ups stay in bounds;
 * cell reading shared by the DTB readers. */
#include "hf/fdt_check.h"

#include <libfdt.h>

bool fdt_blob_valid(const void *fdt, size_t max_size)
{
	if (max_size < sizeof(struct fdt_header) || fdt_magic(fdt) != FDT_MAGIC ||
	    fdt_totalsize(fdt) > max_size ||
	    fdt_totalsize(fdt) < sizeof(struct fdt_header)) {
		return false;
	}
	return fdt_check_full(fdt, fdt_totalsize(fdt)) == 0;
}

uint64_t fdt_read_cells(const fdt32_t *cells, int count)
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < count; i++) {
		v = v << 32 | fdt32_to_cpu(cells[i]);
	}
	return v;
}

int fdt_cells_prop(const void *fdt, int node, const char *name, int dflt)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, name, &len);

	if (p == NULL || len != 4) {
		return dflt;
	}
	return (int)fdt32_to_cpu(*p);
}
