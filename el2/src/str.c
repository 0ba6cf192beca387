/* SPDX-License-Identifier: BSD-3-Clause */
/* String helpers el2 uses on top of the C library subset. */
#include "hf/std.h"

bool str_copy(char *dst, size_t size, const char *src)
{
	size_t len = strnlen(src, size);

	if (size == 0) {
		return false;
	}
	if (len == size) {
		memcpy(dst, src, size - 1);
		dst[size - 1] = '\0';
		return false;
	}
	memcpy(dst, src, len + 1);
	return true;
}
