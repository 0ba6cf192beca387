/* SPDX-License-Identifier: BSD-3-Clause */
/* Validation of a flattened device tree before any node is read, and
 * reading its numbers. */
#pragma once

#include <libfdt.h>

#include "hf/std.h"

/* True when `fdt` is a complete, well-formed blob within max_size bytes. */
bool fdt_blob_valid(const void *fdt, size_t max_size);

/* A big-endian number of `count` (1 or 2) cells. */
uint64_t fdt_read_cells(const fdt32_t *cells, int count);

/* A one-cell property such as #address-cells, or dflt if absent. */
int fdt_cells_prop(const void *fdt, int node, const char *name, int dflt);
