/* SPDX-License-Identifier: BSD-3-Clause */
/* Reading files out of a cpio "newc" archive (the hafnium ramdisk), with
 * every header field and length checked against the archive's bounds. */
#pragma once

#include "hf/error.h"

enum cpio_result {
	CPIO_OK = 0,
	CPIO_NOT_FOUND,  /* the archive is valid but has no such file */
	CPIO_TRUNCATED,  /* a header, name or file runs past the end */
	CPIO_BAD_MAGIC,  /* not a newc header ("070701") */
	CPIO_BAD_HEADER, /* a field is not hexadecimal or a name is bad */
};

struct cpio_file {
	const void *data;
	size_t size;
};

enum cpio_result cpio_find(const void *archive, size_t archive_size,
			   const char *name, struct cpio_file *file,
			   struct hf_error *err);
