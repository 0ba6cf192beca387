/* SPDX-License-Identifier: BSD-3-Clause */
/* Page pool for page tables: a bitmap, first fit, natural alignment. */
#include "hf/mpool.h"

static bool page_used(const struct mpool *p, size_t i)
{
	return (p->bitmap[i / 8] >> (i % 8)) & 1;
}

static void page_set(struct mpool *p, size_t i, bool used)
{
	if (used) {
		p->bitmap[i / 8] |= (uint8_t)(1u << (i % 8));
	} else {
		p->bitmap[i / 8] &= (uint8_t)~(1u << (i % 8));
	}
}

void mpool_init(struct mpool *p, void *base, size_t page_count)
{
	sl_init(&p->lock, LOCK_RANK_MPOOL);
	p->base = (uintptr_t)base;
	p->page_count = page_count < MPOOL_MAX_PAGES ? page_count
						     : MPOOL_MAX_PAGES;
	p->used = 0;
	memset(p->bitmap, 0, sizeof(p->bitmap));
}

void *mpool_alloc_pages(struct mpool *p, size_t count)
{
	void *result = NULL;
	size_t first;

	if (count == 0) {
		return NULL;
	}
	sl_lock(&p->lock);
	for (first = 0; first + count <= p->page_count; first++) {
		uintptr_t addr = p->base + first * PAGE_SIZE;
		size_t i;

		if (!is_aligned(addr, count * PAGE_SIZE)) {
			continue;
		}
		for (i = 0; i < count && !page_used(p, first + i); i++) {
		}
		if (i == count) {
			for (i = 0; i < count; i++) {
				page_set(p, first + i, true);
			}
			p->used += count;
			result = (void *)addr;
			break;
		}
	}
	sl_unlock(&p->lock);
	if (result != NULL) {
		memset(result, 0, count * PAGE_SIZE);
	}
	return result;
}

void mpool_free_pages(struct mpool *p, void *page, size_t count)
{
	size_t first = ((uintptr_t)page - p->base) / PAGE_SIZE;
	size_t i;

	sl_lock(&p->lock);
	for (i = 0; i < count; i++) {
		page_set(p, first + i, false);
	}
	p->used -= count;
	sl_unlock(&p->lock);
}

size_t mpool_used_pages(const struct mpool *p)
{
	return p->used;
}
