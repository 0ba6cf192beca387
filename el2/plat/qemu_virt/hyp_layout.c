/* SPDX-License-Identifier: BSD-3-Clause */
/* Where the linker put the hypervisor. The reserved range starts at the
 * RAM base because QEMU's boot stub page below the image is of no use to
 * the primary. */
#include "hf/layout.h"

#include "layout.h"

extern char __image_start[], __text_end[], __rodata_end[], __image_end[];

#define HYP_RESERVE_ALIGN (2u << 20)

struct hyp_layout plat_hyp_layout(void)
{
	struct hyp_layout l = {
		.image_begin = pa_from_ptr(__image_start),
		.text_end = pa_from_ptr(__text_end),
		.rodata_end = pa_from_ptr(__rodata_end),
		.image_end = pa_from_ptr(__image_end),
	};

	l.reserved.begin = pa_init(HYP_RAM_BASE);
	l.reserved.end =
		pa_init(align_up((uintptr_t)__image_end, HYP_RESERVE_ALIGN));
	return l;
}
