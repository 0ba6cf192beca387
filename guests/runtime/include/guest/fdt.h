/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal, bounds-checked reader of the VM's own flattened device tree
 * (the one hafnium writes: see guests/README.md). Paths are absolute,
 * "/cpus/cpu@1"; a component without a unit address matches a node with
 * one ("/memory" finds "memory@80000000").
 */
#ifndef GUEST_FDT_H
#define GUEST_FDT_H

#include <stdbool.h>
#include <stdint.h>

struct fdt {
	const uint8_t *blob;
	uint32_t size;         /* totalsize */
	uint32_t struct_off;   /* structure block */
	uint32_t struct_size;
	uint32_t strings_off;  /* strings block */
	uint32_t strings_size;
};

/* Checks the header (magic, version, blocks inside totalsize, totalsize
 * at most max_size) and fills *f. */
bool fdt_open(struct fdt *f, const void *blob, uint32_t max_size);
/* The value of property name of node path (NULL if either is missing or
 * the tree is malformed); *len = its length. */
const void *fdt_getprop(const struct fdt *f, const char *path,
			const char *name, uint32_t *len);
/* The (first) string of a string or string-list property, or NULL if it
 * is missing or not NUL-terminated. */
const char *fdt_string(const struct fdt *f, const char *path,
		       const char *name);
/* The first string of path's "compatible", or NULL. */
const char *fdt_compatible(const struct fdt *f, const char *path);
/* The first (base, size) of /memory's reg, with the root's #address-cells
 * and #size-cells (1 or 2 each). */
bool fdt_memory(const struct fdt *f, uint64_t *base, uint64_t *size);
/* The number of cpu or cpu@N nodes under /cpus; -1 if malformed. */
int fdt_cpu_count(const struct fdt *f);

#endif /* GUEST_FDT_H */
