// SPDX-License-Identifier: GPL-2.0
/*
 * hafnium's hypercall ABI seen from the primary's kernel, through the
 * hf_abi_test module: the FF-A error paths, and a fuzzer of 100,000 calls
 * after which the hypervisor and the primary must still work.
 *
 * Runs before the driver's tests (run_all.sh goes in name order) and makes
 * sure hafnium.ko is not loaded: the primary has a single RX/TX pair.
 */
#define _GNU_SOURCE
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "kselftest_harness.h"
#include "hf_util.h"

#define ABI_MODULE "/lib/hafnium/tests/hf_abi_test.ko"
#define ABI_PROC "/proc/hf_abi_test"
#define FUZZ_CALLS 100000

static char result[4096];

/* Loads the module and runs one command; non-zero when the test was
 * skipped (no hafnium) and must stop. */
static int abi_command(struct __test_metadata *_metadata, const char *cmd)
{
	struct region rsv[16];
	int ret;

	if (fdt_memreserves(rsv, 16) <= 0)
		SKIP(return -1, "no /memreserve/ in the FDT: not under hafnium");
	syscall(SYS_delete_module, "hafnium", O_NONBLOCK);
	ret = load_module(ABI_MODULE);
	ASSERT_EQ(0, ret) TH_LOG("load %s: %s", ABI_MODULE, strerror(-ret));
	ret = proc_command(ABI_PROC, cmd, result, sizeof(result));
	ASSERT_EQ(0, ret) TH_LOG("%s: %s", cmd, strerror(-ret));
	return 0;
}

/* The hypervisor's first page, from its /memreserve/. */
static uint64_t hypervisor_page(void)
{
	struct region rsv[16];

	return fdt_memreserves(rsv, 16) > 0 ? rsv[0].base : 0;
}

static int run_errors(struct __test_metadata *_metadata)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "errors %" PRIx64, hypervisor_page());
	return abi_command(_metadata, cmd);
}

/* The line of the error-path run for one check must read "ok NAME". */
static void expect_check(struct __test_metadata *_metadata, const char *name)
{
	char ok[80];
	char *line;

	snprintf(ok, sizeof(ok), "ok %s\n", name);
	line = strstr(result, name);
	ASSERT_NE(NULL, line) TH_LOG("no result for %s in:\n%s", name, result);
	EXPECT_NE(NULL, strstr(result, ok)) TH_LOG("%s", result);
}

#define ERROR_PATH(name)                              \
	TEST(name)                                    \
	{                                             \
		if (run_errors(_metadata))            \
			return;                       \
		expect_check(_metadata, #name);       \
	}

ERROR_PATH(rxtx_map_unaligned)
ERROR_PATH(rxtx_map_device)
ERROR_PATH(rxtx_map_hypervisor)
ERROR_PATH(rxtx_map_same_page)
ERROR_PATH(rxtx_map_already_mapped)
ERROR_PATH(rx_release_without_message)
ERROR_PATH(partition_info_get_bad_uuid)
ERROR_PATH(partition_info_get_rx_busy)
ERROR_PATH(rxtx_unmap_other_vm)

TEST(error_paths_all_pass)
{
	if (run_errors(_metadata))
		return;
	EXPECT_EQ(NULL, strstr(result, "fail")) TH_LOG("%s", result);
	/* The run got to its last check. */
	EXPECT_NE(NULL, strstr(result, "ok rxtx_unmap_twice\n"));
}

TEST(fuzz_100000_calls)
{
	unsigned long seed = (unsigned long)time(NULL);
	unsigned long calls = 0, defined = 0;
	char cmd[64];
	char *line;

	snprintf(cmd, sizeof(cmd), "fuzz %d %lu", FUZZ_CALLS, seed);
	if (abi_command(_metadata, cmd))
		return;
	line = strstr(result, "calls ");
	ASSERT_NE(NULL, line) TH_LOG("%s", result);
	ASSERT_EQ(2, sscanf(line, "calls %lu defined %lu", &calls, &defined));
	EXPECT_EQ((unsigned long)FUZZ_CALLS, calls);
	EXPECT_EQ(calls, defined) TH_LOG("seed %lu:\n%s", seed, result);

	/* The hypervisor still answers, and the ABI still behaves. */
	run_errors(_metadata);
	EXPECT_EQ(NULL, strstr(result, "fail")) TH_LOG("%s", result);
}

TEST_HARNESS_MAIN
