/* SPDX-License-Identifier: BSD-3-Clause */
/* Why a boot step was refused: a code a test can check and one line of text
 * naming the problem for the console. */
#pragma once

#include "hf/std.h"

struct hf_error {
	int code;
	char msg[160];
};

void hf_error_set(struct hf_error *err, int code, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
