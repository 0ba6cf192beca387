/* SPDX-License-Identifier: BSD-3-Clause */
/* A pool of pages for the hypervisor's own page tables: a bitmap over one
 * contiguous region, first-fit, with alignment for stage-2 roots. */
#pragma once

#include "hf/addr.h"
#include "hf/spinlock.h"
#include "hf/std.h"

#define MPOOL_MAX_PAGES 1024

struct mpool {
	struct spinlock lock;
	uintptr_t base;
	size_t page_count;
	size_t used;
	uint8_t bitmap[MPOOL_MAX_PAGES / 8];
};

void mpool_init(struct mpool *p, void *base, size_t page_count);
/* Zeroed, naturally aligned to `count` pages; NULL when exhausted. */
void *mpool_alloc_pages(struct mpool *p, size_t count);
void mpool_free_pages(struct mpool *p, void *page, size_t count);
size_t mpool_used_pages(const struct mpool *p);
