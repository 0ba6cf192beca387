/* SPDX-License-Identifier: BSD-3-Clause */
/* The C library functions el2 and libfdt need; guests/build.mk builds it
 * again for the guests' runtime. The hypervisor links no C library;
 * memcpy is tuned because the primary's kernel (tens of MiB) is copied
 * with it at boot. Built with -mgeneral-regs-only: no SIMD here. */
#include "hf/std.h"

/* Loads from src may be unaligned: the kernel inside the cpio ramdisk is
 * only 4-byte aligned. This file alone is built without -mstrict-align and
 * is only used once the MMU is on (normal memory allows unaligned loads). */
typedef uint64_t __attribute__((aligned(1), may_alias)) unaligned_u64;

void *memcpy(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	while (n > 0 && ((uintptr_t)d & 7) != 0) {
		*d++ = *s++;
		n--;
	}
	for (; n >= 64; n -= 64, d += 64, s += 64) {
		const unaligned_u64 *s8 = (const unaligned_u64 *)s;
		uint64_t *d8 = (uint64_t *)d;
		uint64_t a = s8[0], b = s8[1], c = s8[2], e = s8[3];
		uint64_t f = s8[4], g = s8[5], h = s8[6], i = s8[7];

		d8[0] = a;
		d8[1] = b;
		d8[2] = c;
		d8[3] = e;
		d8[4] = f;
		d8[5] = g;
		d8[6] = h;
		d8[7] = i;
	}
	for (; n >= 8; n -= 8, d += 8, s += 8) {
		*(uint64_t *)d = *(const unaligned_u64 *)s;
	}
	while (n-- > 0) {
		*d++ = *s++;
	}
	return dst;
}

void *memmove(void *dst, const void *src, size_t n)
{
	uint8_t *d = dst;
	const uint8_t *s = src;

	if (d <= s || d >= s + n) {
		return memcpy(dst, src, n);
	}
	/* Backwards, 8 bytes a step once the end of d is aligned: libfdt moves
	 * the rest of a DTB up this way for each node and property it adds.
	 * Each step loads before it stores, and with d > s no store reaches a
	 * byte of s still to be read. */
	while (n > 0 && ((uintptr_t)(d + n) & 7) != 0) {
		n--;
		d[n] = s[n];
	}
	for (; n >= 8; n -= 8) {
		*(uint64_t *)(d + n - 8) = *(const unaligned_u64 *)(s + n - 8);
	}
	while (n-- > 0) {
		d[n] = s[n];
	}
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	uint8_t *d = dst;

	if (((uintptr_t)d & 7) == 0) {
		uint64_t v = (uint8_t)c * 0x0101010101010101ull;
		uint64_t *d8 = (uint64_t *)d;

		/* 64 bytes a turn: boot zeroes the SMMU's 2 MiB table. */
		for (; n >= 64; n -= 64, d8 += 8) {
			d8[0] = v;
			d8[1] = v;
			d8[2] = v;
			d8[3] = v;
			d8[4] = v;
			d8[5] = v;
			d8[6] = v;
			d8[7] = v;
		}
		for (; n >= 8; n -= 8) {
			*d8++ = v;
		}
		d = (uint8_t *)d8;
	}
	while (n-- > 0) {
		*d++ = (uint8_t)c;
	}
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const uint8_t *x = a;
	const uint8_t *y = b;

	for (; n > 0; n--, x++, y++) {
		if (*x != *y) {
			return *x - *y;
		}
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const uint8_t *p = s;

	for (; n > 0; n--, p++) {
		if (*p == (uint8_t)c) {
			return (void *)p;
		}
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p != '\0') {
		p++;
	}
	return (size_t)(p - s);
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n] != '\0') {
		n++;
	}
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a != '\0' && *a == *b) {
		a++;
		b++;
	}
	return (uint8_t)*a - (uint8_t)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n > 0; n--, a++, b++) {
		if (*a != *b || *a == '\0') {
			return (uint8_t)*a - (uint8_t)*b;
		}
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c) {
			return (char *)s;
		}
		if (*s == '\0') {
			return NULL;
		}
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c) {
			last = s;
		}
		if (*s == '\0') {
			return (char *)last;
		}
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9') {
		return c - '0';
	}
	if (c >= 'a' && c <= 'z') {
		return c - 'a' + 10;
	}
	if (c >= 'A' && c <= 'Z') {
		return c - 'A' + 10;
	}
	return 99;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	unsigned long v = 0;

	while (*s == ' ' || *s == '\t') {
		s++;
	}
	if ((base == 0 || base == 16) && s[0] == '0' &&
	    (s[1] == 'x' || s[1] == 'X')) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	while (digit_value(*s) < base) {
		v = v * (unsigned long)base + (unsigned long)digit_value(*s);
		s++;
	}
	if (end != NULL) {
		*end = (char *)s;
	}
	return v;
}
