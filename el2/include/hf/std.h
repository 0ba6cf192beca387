/* SPDX-License-Identifier: BSD-3-Clause */
/* The C library subset that el2 provides for itself and for libfdt. On the
 * host (unit tests) the C library supplies the same functions. */
#pragma once

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* Copies at most size - 1 characters and always terminates; returns false if
 * src did not fit. */
bool str_copy(char *dst, size_t size, const char *src);
