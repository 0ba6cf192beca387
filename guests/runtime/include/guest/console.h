/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Console output through HF_DEBUG_LOG. printf() collects a line per vCPU
 * and sends it whole, under a lock, when it ends ('\n') or fills
 * CONSOLE_LINE_MAX bytes: lines of different vCPUs never interleave.
 * Formats: %c %s %d %i %u %x %X %p %%, with flags '-' '0', a width (or
 * '*'), a precision for %s, and the sizes l, ll, z.
 */
#ifndef GUEST_CONSOLE_H
#define GUEST_CONSOLE_H

#include <stdarg.h>
#include <stddef.h>

#define CONSOLE_LINE_MAX 256

__attribute__((format(printf, 1, 2))) int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
__attribute__((format(printf, 3, 4))) int snprintf(char *buf, size_t size,
						   const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* Sends this vCPU's unfinished line, if any. */
void console_flush(void);
/* For the exception handler: drops the console lock if this vCPU holds it
 * and ends this vCPU's unfinished line. */
void console_panic(void);

#endif /* GUEST_CONSOLE_H */
