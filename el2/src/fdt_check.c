/* libfdt's full structure check, so that later look-ups stay in bounds. */
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
