/* SPDX-License-Identifier: BSD-3-Clause */
/* A minimal unit-test harness for el2's generic code on the host: TEST()
 * registers a case, EXPECT*() record failures without stopping the case,
 * the runner (main.c) prints TAP. */
#pragma once

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

struct test_case {
	const char *name;
	void (*fn)(void);
};

void test_register(const char *name, void (*fn)(void));
void test_fail(const char *file, int line, const char *what);

#define TEST(suite, name)                                                  \
	static void test_##suite##_##name(void);                          \
	__attribute__((constructor)) static void reg_##suite##_##name(void) \
	{                                                                  \
		test_register(#suite "." #name, test_##suite##_##name);   \
	}                                                                  \
	static void test_##suite##_##name(void)

#define EXPECT(cond)                                           \
	do {                                                   \
		if (!(cond)) {                                 \
			test_fail(__FILE__, __LINE__, #cond);  \
		}                                              \
	} while (0)

#define EXPECT_EQ(a, b)                                                    \
	do {                                                               \
		unsigned long long a_ = (unsigned long long)(a);           \
		unsigned long long b_ = (unsigned long long)(b);           \
		if (a_ != b_) {                                            \
			char m_[256];                                      \
			snprintf(m_, sizeof(m_), "%s == %s (0x%llx != 0x%llx)", \
				 #a, #b, a_, b_);                          \
			test_fail(__FILE__, __LINE__, m_);                 \
		}                                                          \
	} while (0)

#define EXPECT_STR_CONTAINS(haystack, needle)                               \
	do {                                                                \
		if (strstr((haystack), (needle)) == NULL) {                 \
			char m_[512];                                       \
			snprintf(m_, sizeof(m_), "\"%s\" contains \"%s\"",  \
				 (haystack), (needle));                     \
			test_fail(__FILE__, __LINE__, m_);                  \
		}                                                           \
	} while (0)
