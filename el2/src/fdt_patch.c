/* Builds the primary's DTB from the boot DTB with libfdt's read-write API. */
#include "hf/fdt_patch.h"

#include <libfdt.h>

#include "hf/fdt_check.h"

static enum fdt_patch_result fail(struct hf_error *err, int fdt_err,
				  const char *what)
{
	enum fdt_patch_result r = fdt_err == -FDT_ERR_NOSPACE
					  ? FDT_PATCH_NO_SPACE
					  : FDT_PATCH_FAILED;

	hf_error_set(err, r, "cannot patch the primary's DTB: %s: %s", what,
		     fdt_strerror(fdt_err));
	return r;
}

enum fdt_patch_result fdt_patch_primary(const void *src, size_t src_max,
					void *dst, size_t dst_size,
					const struct fdt_patch_params *p,
					struct hf_error *err)
{
	int chosen;
	int node;
	int ret;
	size_t i;

	if (!fdt_blob_valid(src, src_max)) {
		hf_error_set(err, FDT_PATCH_BAD_DTB,
			     "the boot DTB is missing or corrupt");
		return FDT_PATCH_BAD_DTB;
	}
	ret = fdt_open_into(src, dst, (int)dst_size);
	if (ret != 0) {
		return fail(err, ret, "copy");
	}
	for (i = 0; i < p->reserved_count; i++) {
		ret = fdt_add_mem_rsv(dst, pa_addr(p->reserved[i].begin),
				      pa_range_size(p->reserved[i]));
		if (ret != 0) {
			return fail(err, ret, "memreserve");
		}
	}
	chosen = fdt_path_offset(dst, "/chosen");
	if (chosen < 0) {
		chosen = fdt_add_subnode(dst, 0, "chosen");
		if (chosen < 0) {
			return fail(err, chosen, "/chosen");
		}
	}
	ret = fdt_setprop_u64(dst, chosen, "linux,initrd-start",
			      pa_addr(p->initrd.begin));
	if (ret == 0) {
		ret = fdt_setprop_u64(dst, chosen, "linux,initrd-end",
				      pa_addr(p->initrd.end));
	}
	if (ret != 0) {
		return fail(err, ret, "/chosen initrd");
	}
	node = fdt_add_subnode(dst, 0, "hypervisor");
	if (node < 0) {
		return fail(err, node, "/hypervisor");
	}
	ret = fdt_setprop_string(dst, node, "compatible", "hafnium,hafnium");
	if (ret != 0) {
		return fail(err, ret, "/hypervisor compatible");
	}
	ret = fdt_pack(dst);
	if (ret != 0) {
		return fail(err, ret, "pack");
	}
	return FDT_PATCH_OK;
}
