// SPDX-License-Identifier: GPL-2.0
/*
 * The CPU a secondary gets (docs/architecture.md, "The secondary's CPU"):
 * the cpuprobe guest prints its ID registers and tries every feature that
 * hafnium hides. Each must be an undefined instruction in the guest, the
 * ID registers must say the feature is absent, and pointer authentication,
 * where the CPU has it, must work with the vCPU's own keys. And the
 * primary's SVE registers, which are wider than what a secondary's FP/SIMD
 * switch would save, must come through the secondaries' runs whole, and
 * so must its streaming mode and streaming registers on a CPU with SME.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "hf_vm.h"

#define VCPU_MODULE "/lib/hafnium/tests/hf_vcpu_test.ko"
#define VCPU_PROC "/proc/hf_vcpu_test"
#define STREAMING_RUNS 1000
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
	ASSERT_EQ(0, vm_console_read(self->fd, id, con, sizeof(con), 0, NULL));
	EXPECT_NE(NULL, strstr(con, "cpuprobe: done, 0 failed"))
		TH_LOG("console: %s", con);
	/* Its last, unguarded access: the runtime's report, then poweroff. */
	EXPECT_NE(NULL, strstr(con, "unknown reason (undefined instruction)"))
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

#define SVE_CHECK_ROUNDS 200000
#define SVE_SECONDS 4

/*
 * Fills z0-z30 (every byte of z<i> = i + seed, so the bits above 128 are
 * not zero) and checks them `rounds` times against z31, rebuilt for each;
 * the number of register checks that failed. The kernel saves and
 * restores this thread's SVE state across its own context switches; what
 * it cannot see is EL2 zeroing the upper bits while this thread is
 * switched out and a secondary's vCPU thread runs an FP-using guest on the
 * same CPU.
 */
static unsigned long sve_fill_and_check(unsigned long rounds, uint8_t seed)
{
	unsigned long bad = 0;

	__asm__ volatile(
		".arch_extension sve\n"
		"ptrue p0.b\n"
		".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
		"add w9, %w[seed], #\\n\n"
		"dup z\\n\\().b, w9\n"
		".endr\n"
		"1:\n"
		".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
		"add w9, %w[seed], #\\n\n"
		"dup z31.b, w9\n"
		"cmpne p1.b, p0/z, z\\n\\().b, z31.b\n"
		"b.none 2f\n"
		"add %[bad], %[bad], #1\n"
		"2:\n"
		".endr\n"
		"subs %[rounds], %[rounds], #1\n"
		"b.ne 1b\n"
		: [bad] "+r"(bad), [rounds] "+r"(rounds)
		: [seed] "r"((uint32_t)seed)
		: "x9", "cc", "memory", "v0", "v1", "v2", "v3", "v4", "v5",
		  "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13", "v14",
		  "v15", "v16", "v17", "v18", "v19", "v20", "v21", "v22",
		  "v23", "v24", "v25", "v26", "v27", "v28", "v29", "v30",
		  "v31");
	return bad;
}

struct sve_checker {
	int cpu;
	volatile bool *stop;
	unsigned long bad, blocks;
};

static void *sve_check_pinned(void *arg)
{
	struct sve_checker *c = arg;
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(c->cpu, &set);
	sched_setaffinity(0, sizeof(set), &set);
	while (!*c->stop) {
		c->bad += sve_fill_and_check(SVE_CHECK_ROUNDS,
					     (uint8_t)(c->blocks * 37 + c->cpu));
		c->blocks++;
	}
	return NULL;
}

TEST_F_TIMEOUT(cpu, primary_sve_registers_survive_secondary_fp, 120)
{
	long ncpus = sysconf(_SC_NPROCESSORS_ONLN);
	struct sve_checker checkers[16];
	pthread_t threads[16];
	volatile bool stop = false;
	uint32_t ids[16];
	uint64_t runs = 0;
	char name[HF_IOCTL_VM_NAME_SIZE];
	long i;

	NEED_HAFNIUM();
	if (!(getauxval(AT_HWCAP) & HWCAP_SVE))
		SKIP(return, "the CPU has no SVE");
	ASSERT_LE(ncpus, 16);
	/* One FP-using guest per CPU, and one checker pinned to each. */
	for (i = 0; i < ncpus; i++) {
		snprintf(name, sizeof(name), "yieldfp%ld", i);
		ASSERT_EQ(0, vm_run_guest(self->fd, name, "yieldfp", 1, 1 * MiB,
					  &ids[i]));
	}
	for (i = 0; i < ncpus; i++) {
		checkers[i] = (struct sve_checker){ .cpu = i, .stop = &stop };
		ASSERT_EQ(0, pthread_create(&threads[i], NULL,
					    sve_check_pinned, &checkers[i]));
	}
	sleep(SVE_SECONDS);
	stop = true;
	for (i = 0; i < ncpus; i++) {
		pthread_join(threads[i], NULL);
		EXPECT_EQ(0UL, checkers[i].bad)
			TH_LOG("CPU %ld: %lu register checks failed in %lu blocks", i,
			       checkers[i].bad, checkers[i].blocks);
		EXPECT_LT(0UL, checkers[i].blocks);
		runs += vm_runs(ids[i]);
		EXPECT_EQ(0, vm_destroy(self->fd, ids[i]));
	}
	/* The guests ran beside the checkers, many times over. */
	EXPECT_LT((uint64_t)1000, runs);
}

/*
 * Debian's kernel does not use SME, so hf_vcpu_test.ko puts the primary
 * in streaming mode itself (interrupts off) around FFA_RUN calls of a
 * guest that writes an FP register on each run.
 */
TEST_F(cpu, primary_streaming_mode_survives_secondary_fp)
{
	unsigned long runs, yields, streaming, wrong;
	char cmd[64], out[128];
	pid_t vcpu;
	uint32_t id;

	NEED_HAFNIUM();
	ASSERT_EQ(0, load_module(VCPU_MODULE));
	ASSERT_EQ(0, vm_run_guest(self->fd, "streaming", "yieldfp", 1, 1 * MiB,
				  &id));
	/* The driver's thread for the vCPU shares this CPU, where the
	 * module keeps interrupts off: its FFA_RUN calls find the vCPU
	 * free. */
	vcpu = vcpu_thread_pid(id, 0);
	ASSERT_NE(0, vcpu);
	ASSERT_EQ(0, pin_to_cpu(vcpu, 0));
	ASSERT_EQ(0, pin_to_cpu(0, 0));
	snprintf(cmd, sizeof(cmd), "streaming %u 0 %d", id, STREAMING_RUNS);
	ASSERT_EQ(0, proc_command(VCPU_PROC, cmd, out, sizeof(out)));
	EXPECT_EQ(0, vm_destroy(self->fd, id));
	if (!strncmp(out, "absent", 6))
		SKIP(return, "the CPU has no SME");
	ASSERT_EQ(4, sscanf(out, "runs %lu yields %lu streaming %lu wrong %lu",
			    &runs, &yields, &streaming, &wrong))
		TH_LOG("%s", out);
	EXPECT_EQ((unsigned long)STREAMING_RUNS, runs);
	/* Nearly every run reached the guest (a pending interrupt ends one
	 * at once), every call came back in streaming mode, and no
	 * streaming register changed. */
	EXPECT_LT(STREAMING_RUNS * 9UL / 10, yields) TH_LOG("%s", out);
	EXPECT_EQ((unsigned long)STREAMING_RUNS, streaming) TH_LOG("%s", out);
	EXPECT_EQ(0UL, wrong) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
