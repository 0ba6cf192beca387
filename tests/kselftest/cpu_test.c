// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU a secondary gets (docs/architecture.md, "The secondary's CPU"):
 * the cpuprobe guest prints its ID registers and tries every feature that
 * hafnium hides. Each must be an undefined instruction in the guest, the
 * ID registers must say the feature is absent, and pointer authentication,
 * where the CPU has it, must work with the vCPU's own keys.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_vm.h"

#define CONSOLE_MAX 8192
#define START_MS 20000

HF_DEV_FIXTURE(cpu)

/* The value cpuprobe printed for register `name`; false if absent. */
static bool id_value(const char *console, const char *name, uint64_t *value)
{
	char key[64];
	const char *at;

	snprintf(key, sizeof(key), "cpuprobe: %s 0x", name);
	at = strstr(console, key);
	if (!at)
		return false;
	*value = strtoull(at + strlen(key), NULL, 16);
	return true;
}

static unsigned int field(uint64_t reg, unsigned int shift)
{
	return (reg >> shift) & 0xf;
}

TEST_F(cpu, secondary_cpu_is_sanitized)
{
	static const char *const hidden[] = {
		"sve (rdvl)", "sve (zcr_el1)", "sme (smstart)", "sme (svcr)",
		"sme (smcr_el1)", "mte (gcr_el1)", "mte (rgsr_el1)",
		"mte (tfsr_el1)", "pmu (pmcr_el0)", "pmu (pmccntr_el0)",
		"debug (mdscr_el1)", "debug (dbgbvr0_el1)", "ras (erridr_el1)",
		"lor (lorc_el1)", "scxtnum (scxtnum_el1)", "amu (amcr_el0)",
		"gic (icc_pmr_el1)", "actlr_el1",
		"id register write (id_aa64pfr0_el1)",
	};
	struct hf_ioctl_vm_status st;
	char con[CONSOLE_MAX], line[128];
	uint64_t pfr0, pfr1, zfr0, smfr0, dfr0;
	bool pauth = getauxval(AT_HWCAP) & HWCAP_PACA;
	uint32_t id;
	size_t i;

	NEED_HAFNIUM();
	ASSERT_EQ(0, vm_run_guest(self->fd, "cpuprobe", "cpuprobe", 1,
				  4 * MiB, &id));
	ASSERT_TRUE(vm_console_wait(self->fd, id, "cpuprobe: done", START_MS,
				    con, sizeof(con))) TH_LOG("console: %s", con);
	ASSERT_EQ(0, vm_wait_end(self->fd, id, START_MS));
	EXPECT_NE(NULL, strstr(con, "cpuprobe: done, 0 failed"))
		TH_LOG("console: %s", con);
	for (i = 0; i < sizeof(hidden) / sizeof(hidden[0]); i++) {
		snprintf(line, sizeof(line), "cpuprobe: %s: undefined\n",
			 hidden[i]);
		EXPECT_NE(NULL, strstr(con, line)) TH_LOG("no \"%s\"", line);
	}
	/* Whatever the CPU has: pointer authentication only as the primary
	 * has it, nothing of the hidden features in the ID registers. */
	EXPECT_NE(NULL, strstr(con, pauth ? "cpuprobe: pauth: own keys\n"
					  : "cpuprobe: pauth: absent\n"))
		TH_LOG("console: %s", con);
	ASSERT_TRUE(id_value(con, "ID_AA64PFR0_EL1", &pfr0));
	ASSERT_TRUE(id_value(con, "ID_AA64PFR1_EL1", &pfr1));
	ASSERT_TRUE(id_value(con, "ID_AA64ZFR0_EL1", &zfr0));
	ASSERT_TRUE(id_value(con, "ID_AA64SMFR0_EL1", &smfr0));
	ASSERT_TRUE(id_value(con, "ID_AA64DFR0_EL1", &dfr0));
	EXPECT_EQ(0U, field(pfr0, 8));	/* EL2 */
	EXPECT_EQ(0U, field(pfr0, 12));	/* EL3 */
	EXPECT_EQ(0U, field(pfr0, 24));	/* GIC system registers */
	EXPECT_EQ(0U, field(pfr0, 28));	/* RAS */
	EXPECT_EQ(0U, field(pfr0, 32));	/* SVE */
	EXPECT_EQ(0U, field(pfr0, 44));	/* AMU */
	EXPECT_EQ(0U, field(pfr1, 8));	/* MTE */
	EXPECT_EQ(0U, field(pfr1, 24));	/* SME */
	EXPECT_EQ((uint64_t)0, zfr0);
	EXPECT_EQ((uint64_t)0, smfr0);
	EXPECT_EQ(0U, field(dfr0, 8));	/* PMU */
	EXPECT_EQ(0U, field(dfr0, 32));	/* SPE */
	ASSERT_EQ(0, vm_status(self->fd, id, &st));
	EXPECT_EQ((uint64_t)HF_IOCTL_EXIT_POWEROFF, st.exit_reason);
	EXPECT_EQ(0, vm_destroy(self->fd, id));
}

TEST_HARNESS_MAIN
