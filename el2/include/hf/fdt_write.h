/* SPDX-License-Identifier: BSD-3-Clause */
/* A small flattened-device-tree writer, for the device trees hafnium gives
 * secondary VMs at run time. It uses no FP/SIMD (libfdt does, and the
 * primary's FP state is live then) and never writes past its buffers. */
#pragma once

#include "hf/std.h"

#define FDT_WRITE_STRUCT_MAX 4096
#define FDT_WRITE_STRINGS_MAX 512

struct fdt_writer {
	uint8_t structure[FDT_WRITE_STRUCT_MAX];
	size_t structure_len;
	char strings[FDT_WRITE_STRINGS_MAX];
	size_t strings_len;
	bool overflow;
};

void fdtw_init(struct fdt_writer *w);
void fdtw_begin_node(struct fdt_writer *w, const char *name);
void fdtw_end_node(struct fdt_writer *w);
void fdtw_prop(struct fdt_writer *w, const char *name, const void *data,
	       size_t len);
void fdtw_prop_u32(struct fdt_writer *w, const char *name, uint32_t v);
/* A reg of one (base, size) pair, #address-cells = #size-cells = 2. */
void fdtw_prop_reg64(struct fdt_writer *w, const char *name, uint64_t base,
		     uint64_t size);
void fdtw_prop_string(struct fdt_writer *w, const char *name,
		      const char *value);
/* Writes the blob (with one memory reservation, skipped if size is 0)
 * into out; returns its size, or 0 if anything did not fit. */
size_t fdtw_finish(struct fdt_writer *w, uint64_t rsv_base, uint64_t rsv_size,
		   void *out, size_t out_size);
