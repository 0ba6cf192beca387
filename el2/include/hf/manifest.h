/* SPDX-License-Identifier: BSD-3-Clause */
/* Hafnium's manifest (manifest.dtb in the ramdisk):
 *   / { hypervisor { compatible = "hafnium,hafnium";
 *         vm1 { debug_name; kernel_filename; ramdisk_filename; };
 *         vm2 { debug_name; kernel_filename; vcpu_count; mem_size; }; ... }; };
 * vm1 is the primary VM; vm2.. are static secondaries. */
#pragma once

#include "hf/error.h"

#define MANIFEST_MAX_VMS 16
#define MANIFEST_NAME_MAX 32
#define MANIFEST_FILENAME_MAX 64
/* libfdt needs an 8-byte aligned blob; cpio only aligns to 4, so the
 * manifest is copied into a buffer of this size first. */
#define MANIFEST_MAX_SIZE 65536

enum manifest_result {
	MANIFEST_OK = 0,
	MANIFEST_BAD_DTB,           /* not a valid flattened device tree */
	MANIFEST_TOO_LARGE,         /* more than MANIFEST_MAX_SIZE bytes */
	MANIFEST_NO_HYPERVISOR,     /* no /hypervisor node */
	MANIFEST_NOT_COMPATIBLE,    /* compatible is not "hafnium,hafnium" */
	MANIFEST_NO_PRIMARY,        /* no vm1 node */
	MANIFEST_MISSING_PROPERTY,  /* a required property is absent */
	MANIFEST_BAD_PROPERTY,      /* malformed value (not a string, size) */
	MANIFEST_TOO_MANY_VMS,
	MANIFEST_UNEXPECTED_NODE,   /* a child other than vm1..vmN in order */
};

struct manifest_vm {
	char debug_name[MANIFEST_NAME_MAX];
	char kernel_filename[MANIFEST_FILENAME_MAX];
	char ramdisk_filename[MANIFEST_FILENAME_MAX]; /* primary only */
	uint32_t vcpu_count;                          /* secondaries only */
	uint64_t mem_size;                            /* secondaries only */
};

struct manifest {
	struct manifest_vm vm[MANIFEST_MAX_VMS];
	size_t vm_count;
};

enum manifest_result manifest_parse(const void *dtb, size_t size,
				    struct manifest *m, struct hf_error *err);
