/* SPDX-License-Identifier: BSD-3-Clause */
/* The hypervisor image's own extent, from the linker script. */
#pragma once

#include "hf/addr.h"

struct hyp_layout {
	paddr_t image_begin;
	paddr_t text_end;   /* [image_begin, text_end): code */
	paddr_t rodata_end; /* [text_end, rodata_end): read-only data */
	paddr_t image_end;  /* [rodata_end, image_end): data, bss */
	/* What the primary VM must never reach: the image rounded out to
	 * 2 MiB, so that its stage-2 keeps block mappings. */
	struct pa_range reserved;
};

struct hyp_layout plat_hyp_layout(void);
