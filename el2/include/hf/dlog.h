/* SPDX-License-Identifier: BSD-3-Clause */
/* Hypervisor console output: printf-style formatting onto the platform
 * console, one lock so that lines from different CPUs do not interleave. */
#pragma once

#include "hf/std.h"

void dlog(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void vdlog(const char *fmt, va_list args);

/* Formats into buf (always terminated); returns the length it wanted. */
size_t snprint(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
size_t vsnprint(char *buf, size_t size, const char *fmt, va_list args);
