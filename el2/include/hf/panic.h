/* SPDX-License-Identifier: BSD-3-Clause */
/* Fatal errors: report on the console and power the machine off. */
#pragma once

__attribute__((noreturn, format(printf, 1, 2))) void panic(const char *fmt,
							    ...);
