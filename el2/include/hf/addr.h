/* SPDX-License-Identifier: BSD-3-Clause */
/* Opaque address types, so that physical, intermediate-physical (stage-2
 * input) and virtual addresses cannot be mixed up by accident. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct { uintptr_t pa; } paddr_t;
typedef struct { uintptr_t ipa; } ipaddr_t;
typedef struct { uintptr_t va; } vaddr_t;

static inline paddr_t pa_init(uintptr_t a) { return (paddr_t){ a }; }
static inline uintptr_t pa_addr(paddr_t a) { return a.pa; }
static inline paddr_t pa_add(paddr_t a, size_t n) { return pa_init(a.pa + n); }
static inline size_t pa_difference(paddr_t begin, paddr_t end)
{
	return end.pa - begin.pa;
}

static inline ipaddr_t ipa_init(uintptr_t a) { return (ipaddr_t){ a }; }
static inline uintptr_t ipa_addr(ipaddr_t a) { return a.ipa; }
static inline ipaddr_t ipa_add(ipaddr_t a, size_t n)
{
	return ipa_init(a.ipa + n);
}
/* The primary's stage-2 is an identity map. */
static inline ipaddr_t ipa_from_pa(paddr_t a) { return ipa_init(a.pa); }

static inline vaddr_t va_init(uintptr_t a) { return (vaddr_t){ a }; }
static inline uintptr_t va_addr(vaddr_t a) { return a.va; }

/* EL2 runs with an identity stage-1 map, so a physical address is also the
 * hypervisor's virtual address for it. */
static inline void *ptr_from_pa(paddr_t a) { return (void *)a.pa; }
static inline paddr_t pa_from_ptr(const void *p) { return pa_init((uintptr_t)p); }

/** A half-open range of physical addresses [begin, end). */
struct pa_range {
	paddr_t begin;
	paddr_t end;
};

static inline bool pa_range_overlaps(struct pa_range a, struct pa_range b)
{
	return pa_addr(a.begin) < pa_addr(b.end) &&
	       pa_addr(b.begin) < pa_addr(a.end);
}

static inline size_t pa_range_size(struct pa_range r)
{
	return pa_difference(r.begin, r.end);
}

#define PAGE_BITS 12
#define PAGE_SIZE ((size_t)1 << PAGE_BITS)

static inline uintptr_t align_down(uintptr_t v, uintptr_t align)
{
	return v & ~(align - 1);
}

static inline uintptr_t align_up(uintptr_t v, uintptr_t align)
{
	return (v + align - 1) & ~(align - 1);
}

static inline bool is_aligned(uintptr_t v, uintptr_t align)
{
	return (v & (align - 1)) == 0;
}
