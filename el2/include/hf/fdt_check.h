/* Validation of a flattened device tree before any node is read. */
#pragma once

#include "hf/std.h"

/* True when `fdt` is a complete, well-formed blob within max_size bytes. */
bool fdt_blob_valid(const void *fdt, size_t max_size);
