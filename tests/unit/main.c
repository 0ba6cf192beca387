/* SPDX-License-Identifier: BSD-3-Clause */
/* Runs every registered unit test and prints TAP (kselftest style). */
#include <stdlib.h>

#include "test.h"

#define MAX_TESTS 512

static struct test_case tests[MAX_TESTS];
static size_t test_count;
static bool current_failed;

void test_register(const char *name, void (*fn)(void))
{
	if (test_count == MAX_TESTS) {
		fprintf(stderr, "too many tests\n");
		exit(2);
	}
	tests[test_count].name = name;
	tests[test_count].fn = fn;
	test_count++;
}

void test_fail(const char *file, int line, const char *what)
{
	printf("# %s:%d: expected %s\n", file, line, what);
	current_failed = true;
}

static int by_name(const void *a, const void *b)
{
	return strcmp(((const struct test_case *)a)->name,
		      ((const struct test_case *)b)->name);
}

int main(void)
{
	size_t failed = 0;
	size_t i;

	qsort(tests, test_count, sizeof(tests[0]), by_name);
	printf("TAP version 13\n1..%zu\n", test_count);
	for (i = 0; i < test_count; i++) {
		current_failed = false;
		tests[i].fn();
		printf("%s %zu - %s\n", current_failed ? "not ok" : "ok", i + 1,
		       tests[i].name);
		fflush(stdout);
		if (current_failed) {
			failed++;
		}
	}
	printf("# unit: %zu passed, %zu failed\n", test_count - failed, failed);
	return failed == 0 ? 0 : 1;
}
