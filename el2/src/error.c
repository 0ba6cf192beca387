/* SPDX-License-Identifier: BSD-3-Clause */
/* Boot-step error reporting. */
#include "hf/error.h"

#include "hf/dlog.h"

void hf_error_set(struct hf_error *err, int code, const char *fmt, ...)
{
	va_list args;

	err->code = code;
	va_start(args, fmt);
	vsnprint(err->msg, sizeof(err->msg), fmt, args);
	va_end(args);
}
