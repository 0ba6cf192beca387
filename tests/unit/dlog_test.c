/* SPDX-License-Identifier: BSD-3-Clause */
/* The console formatter. */
#include "hf/dlog.h"

#include "fake.h"
#include "test.h"

TEST(dlog, formats)
{
	char buf[64];

	snprint(buf, sizeof(buf), "%d %u %x %lx %zu", -12, 34u, 0xabu,
		0x123456789ul, (size_t)7);
	EXPECT(strcmp(buf, "-12 34 ab 123456789 7") == 0);
	snprint(buf, sizeof(buf), "[%5s|%-4d|%08x]", "ab", 3, 0x1f);
	EXPECT(strcmp(buf, "[   ab|3   |0000001f]") == 0);
	const char *volatile null_string = NULL;

	snprint(buf, sizeof(buf), "%s %c %%", null_string, 'z');
	EXPECT(strcmp(buf, "(null) z %") == 0);
}

TEST(dlog, truncates_safely)
{
	char buf[8];

	EXPECT_EQ(snprint(buf, sizeof(buf), "0123456789"), 10);
	EXPECT(strcmp(buf, "0123456") == 0);
}

TEST(dlog, console_gets_crlf)
{
	fake_console_clear();
	dlog("hafnium: %s\n", "hello");
	EXPECT(strcmp(fake_console_output(), "hafnium: hello\r\n") == 0);
}
