/* SPDX-License-Identifier: BSD-3-Clause */
/* PSCI for the primary: what is forwarded, and how entry points are
 * rewritten so that CPUs come up through EL2. */
#include "hf/psci.h"

#include "fake.h"
#include "test.h"

static void setup(void)
{
	static const uint64_t ids[] = { 0x0, 0x1, 0x2, 0x3 };

	cpu_module_init(ids, 4);
	fake_smc_count = 0;
	fake_smc_answer = (struct smc_result){ { 0 } };
	fake_smc_answer_count = 0;
}

TEST(psci, cpu_on_enters_through_el2)
{
	uint64_t args[4] = { PSCI_CPU_ON_64, 0x2, 0x40a00000, 0x1234 };

	setup();
	psci_primary_call(cpu_by_index(0), args);
	EXPECT_EQ(fake_smc_count, 1);
	EXPECT_EQ(fake_smc_calls[0].x[0], PSCI_CPU_ON_64);
	EXPECT_EQ(fake_smc_calls[0].x[1], 0x2);
	EXPECT_EQ(fake_smc_calls[0].x[2], FAKE_CPU_ENTRY_PA);
	EXPECT_EQ(fake_smc_calls[0].x[3], 2); /* the CPU's index */
	EXPECT_EQ(cpu_by_index(2)->vcpu_entry, 0x40a00000);
	EXPECT_EQ(cpu_by_index(2)->vcpu_arg, 0x1234);
	EXPECT_EQ(args[0], PSCI_RET_SUCCESS);
}

TEST(psci, cpu_on_unknown_cpu)
{
	uint64_t args[4] = { PSCI_CPU_ON_64, 0x100, 0x40a00000, 0 };

	setup();
	psci_primary_call(cpu_by_index(0), args);
	EXPECT_EQ(fake_smc_count, 0);
	EXPECT_EQ((int64_t)args[0], PSCI_RET_INVALID_PARAMETERS);
}

TEST(psci, forwards_firmware_answers)
{
	uint64_t args[4] = { PSCI_AFFINITY_INFO_64, 0x1, 0, 0 };

	setup();
	fake_smc_answer.x[0] = 1; /* OFF */
	psci_primary_call(cpu_by_index(0), args);
	EXPECT_EQ(fake_smc_count, 1);
	EXPECT_EQ(args[0], 1);
}

TEST(psci, unknown_and_unsafe_calls_are_not_supported)
{
	static const uint64_t fids[] = {
		0x8400000e,          /* SYSTEM_SUSPEND: would resume at EL1 */
		0xc400000e,
		0x84000012,          /* SYSTEM_RESET2 */
		0x8400001f,
	};
	size_t i;

	for (i = 0; i < sizeof(fids) / sizeof(fids[0]); i++) {
		uint64_t args[4] = { fids[i], 0, 0, 0 };

		setup();
		psci_primary_call(cpu_by_index(0), args);
		EXPECT_EQ(fake_smc_count, 0);
		EXPECT_EQ((int64_t)args[0], PSCI_RET_NOT_SUPPORTED);
	}
}

TEST(psci, features_only_of_supported_calls)
{
	uint64_t args[4] = { PSCI_FEATURES, 0xc400000e, 0, 0 };

	setup();
	psci_primary_call(cpu_by_index(0), args);
	EXPECT_EQ(fake_smc_count, 0);
	EXPECT_EQ((int64_t)args[0], PSCI_RET_NOT_SUPPORTED);
	args[0] = PSCI_FEATURES;
	args[1] = PSCI_CPU_ON_64;
	psci_primary_call(cpu_by_index(0), args);
	EXPECT_EQ(fake_smc_count, 1);
	EXPECT_EQ(fake_smc_calls[0].x[1], PSCI_CPU_ON_64);
}

TEST(psci, range)
{
	EXPECT(psci_is_psci_call(PSCI_VERSION));
	EXPECT(psci_is_psci_call(PSCI_CPU_ON_64));
	EXPECT(!psci_is_psci_call(0x80000000)); /* SMCCC_VERSION */
	EXPECT(!psci_is_psci_call(0x84000020));
	/* Only w0 counts (SMCCC). */
	EXPECT(psci_is_psci_call(0x184000000ull));
	EXPECT(!psci_is_psci_call(0x80000000ull | 1ull << 40));
}

/* Firmware without SMCCC v1.1 (QEMU's): the primary's SMCCC architecture
 * calls are answered here, never forwarded (an SMC firmware lacks is
 * UNDEFINED at EL2), and no workaround runs on a VM switch. */
TEST(psci, smccc_arch_calls_without_firmware_support)
{
	uint64_t version[4] = { SMCCC_VERSION_FUNC, 0, 0, 0 };
	uint64_t features[4] = { PSCI_FEATURES, SMCCC_VERSION_FUNC, 0, 0 };
	uint64_t psci[4] = { PSCI_VERSION, 0, 0, 0 };

	setup();
	fake_smc_answer.x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
	psci_probe_firmware();
	EXPECT_EQ(fake_smc_count, 1); /* PSCI_FEATURES(SMCCC_VERSION) only */
	fake_smc_count = 0;
	EXPECT(smccc_arch_primary_call(version));
	EXPECT_EQ((int64_t)version[0], PSCI_RET_NOT_SUPPORTED);
	psci_primary_call(cpu_by_index(0), features);
	EXPECT_EQ((int64_t)features[0], PSCI_RET_NOT_SUPPORTED);
	smccc_harden_branch_predictor();
	EXPECT_EQ(fake_smc_count, 0);
	EXPECT(!smccc_arch_primary_call(psci));
}

/* Firmware with SMCCC v1.1 and WORKAROUND_1: discovery and the calls are
 * forwarded, and every VM switch invalidates the branch predictors. */
TEST(psci, smccc_arch_calls_forwarded_to_firmware_that_has_them)
{
	uint64_t features[4] = { PSCI_FEATURES, SMCCC_VERSION_FUNC, 0, 0 };
	uint64_t wa2[4] = { SMCCC_ARCH_WORKAROUND_2, 1, 0, 0 };

	setup();
	/* PSCI_FEATURES(SMCCC_VERSION), SMCCC_VERSION, ARCH_FEATURES(WA1) */
	fake_smc_answers[0].x[0] = 0;
	fake_smc_answers[1].x[0] = 0x10001;
	fake_smc_answers[2].x[0] = 0;
	fake_smc_answer_count = 3;
	psci_probe_firmware();
	EXPECT_EQ(fake_smc_count, 3);
	EXPECT_EQ(fake_smc_calls[2].x[0], SMCCC_ARCH_FEATURES);
	EXPECT_EQ(fake_smc_calls[2].x[1], SMCCC_ARCH_WORKAROUND_1);
	fake_smc_count = 0;
	fake_smc_answer_count = 0;
	psci_primary_call(cpu_by_index(0), features);
	EXPECT_EQ(fake_smc_count, 1);
	EXPECT_EQ(fake_smc_calls[0].x[1], SMCCC_VERSION_FUNC);
	EXPECT(smccc_arch_primary_call(wa2));
	EXPECT_EQ(fake_smc_count, 2);
	EXPECT_EQ(fake_smc_calls[1].x[0], SMCCC_ARCH_WORKAROUND_2);
	EXPECT_EQ(fake_smc_calls[1].x[1], 1);
	smccc_harden_branch_predictor();
	EXPECT_EQ(fake_smc_count, 3);
	EXPECT_EQ(fake_smc_calls[2].x[0], SMCCC_ARCH_WORKAROUND_1);
	fake_smc_answer.x[0] = (uint64_t)(int64_t)PSCI_RET_NOT_SUPPORTED;
	psci_probe_firmware(); /* back to none, for the other tests */
}
