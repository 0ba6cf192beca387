// SPDX-License-Identifier: GPL-2.0
/*
 * Registers survive the world switch, both ways. Two `regs` VMs
 * (guests/regs.c) with a vCPU per CPU, so that two VMs alternate on every
 * CPU, fill and check every register they can while the primary is busy
 * on every CPU with threads that check their own FP/SIMD registers, FPCR,
 * FPSR and TPIDR_EL0 around spins and a system call, and another thread
 * moves the vCPU threads from CPU to CPU. No VM may crash or print a
 * changed register, no primary thread may see one, and every vCPU must
 * have made progress and taken interrupts from its sibling.
 */
#define _GNU_SOURCE
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/auxv.h>
#include <sys/syscall.h>

#include "kselftest_harness.h"
#include "hf_driver.h"
#include "hf_vm.h"

#define RUN_MS 8000
#define START_MS 20000
#define MOVE_MS 10
#define MAX_CPUS 8
#define VMS 2

static char console[HF_IOCTL_CONSOLE_SIZE + 1];

HF_DEV_FIXTURE(regs);

/* What a primary thread read back: v0-v31, FPCR, FPSR, TPIDR_EL0. */
#define PRIMARY_REGS 35

struct primary_checker {
	int cpu;
	uint64_t end_ms;
	unsigned long rounds, wrong[PRIMARY_REGS];
};

/*
 * One round of a primary thread, in one asm block so that the compiler
 * uses none of these registers meanwhile: v<n> = ror(b, n + 32) low,
 * ~ror(b, n + 1) high, FPCR's AHP, DN, FZ and RMode and FPSR's cumulative
 * flags and QC from b, TPIDR_EL0 = b (glibc's thread pointer given back
 * after); then spins, makes a system call (getppid), spins again, and
 * stores what the registers hold into got.
 */
static void primary_round(uint64_t b, uint64_t fpcr, uint64_t fpsr,
			  uint64_t *got)
{
	asm volatile(
		"mrs	x9, tpidr_el0\n"
		"mrs	x10, fpcr\n"
		"msr	tpidr_el0, %[b]\n"
		"msr	fpcr, %[fpcr]\n"
		"msr	fpsr, %[fpsr]\n"
		".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31\n"
		"ror	x11, %[b], #(\\n + 32)\n"
		"fmov	d\\n, x11\n"
		"ror	x11, %[b], #(\\n + 1)\n"
		"mvn	x11, x11\n"
		"mov	v\\n\\().d[1], x11\n"
		".endr\n"
		"mov	x12, #20000\n"
		"1:	sub	x12, x12, #1\n"
		"cbnz	x12, 1b\n"
		"mov	x8, %[nr]\n"
		"svc	#0\n"
		"mov	x12, #20000\n"
		"2:	sub	x12, x12, #1\n"
		"cbnz	x12, 2b\n"
		"mov	x13, %[got]\n"
		"st1	{v0.2d-v3.2d}, [x13], #64\n"
		"st1	{v4.2d-v7.2d}, [x13], #64\n"
		"st1	{v8.2d-v11.2d}, [x13], #64\n"
		"st1	{v12.2d-v15.2d}, [x13], #64\n"
		"st1	{v16.2d-v19.2d}, [x13], #64\n"
		"st1	{v20.2d-v23.2d}, [x13], #64\n"
		"st1	{v24.2d-v27.2d}, [x13], #64\n"
		"st1	{v28.2d-v31.2d}, [x13], #64\n"
		"mrs	x11, fpcr\n"
		"str	x11, [x13], #8\n"
		"mrs	x11, fpsr\n"
		"str	x11, [x13], #8\n"
		"mrs	x11, tpidr_el0\n"
		"str	x11, [x13]\n"
		"msr	tpidr_el0, x9\n"
		"msr	fpcr, x10\n"
		:
		: [b] "r"(b), [fpcr] "r"(fpcr), [fpsr] "r"(fpsr),
		  [got] "r"(got), [nr] "i"(SYS_getppid)
		: "x0", "x8", "x9", "x10", "x11", "x12", "x13", "v0", "v1",
		  "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11",
		  "v12", "v13", "v14", "v15", "v16", "v17", "v18", "v19",
		  "v20", "v21", "v22", "v23", "v24", "v25", "v26", "v27",
		  "v28", "v29", "v30", "v31", "memory", "cc");
}

static uint64_t ror64(uint64_t v, unsigned int k)
{
	return k % 64 ? v >> k % 64 | v << (64 - k % 64) : v;
}

static const char *primary_reg_name(int r, char *buf, size_t size)
{
	static const char *const sys[] = { "fpcr", "fpsr", "tpidr_el0" };

	if (r < 32)
		snprintf(buf, size, "v%d", r);
	else
		snprintf(buf, size, "%s", sys[r - 32]);
	return buf;
}

static void *check_primary(void *arg)
{
	struct primary_checker *c = arg;

	pin_to_cpu(0, c->cpu);
	while (now_ms() < c->end_ms) {
		uint64_t b = (uint64_t)c->cpu << 56 ^
			     (c->rounds + 1) * 0x9e3779b97f4a7c15ULL;
		uint64_t fpcr = (b >> 8 & 0x1f) << 22;
		uint64_t fpsr = (b & 0x1f) | (b >> 5 & 1) << 27;
		uint64_t got[PRIMARY_REGS + 32];
		int n;

		primary_round(b, fpcr, fpsr, got);
		for (n = 0; n < 32; n++)
			c->wrong[n] += got[2 * n] != ror64(b, n + 32) ||
				       got[2 * n + 1] != ~ror64(b, n + 1);
		c->wrong[32] += got[64] != fpcr;
		c->wrong[33] += got[65] != fpsr;
		c->wrong[34] += got[66] != b;
		c->rounds++;
	}
	return NULL;
}

struct mover {
	pid_t pid[VMS * MAX_CPUS];
	int threads, cpus;
	uint64_t end_ms;
	unsigned long moves;
};

/* Pins the vCPU threads in turn, each to the CPU after the one it was
 * last pinned to: a vCPU's next run is on another physical CPU. */
static void *move_vcpus(void *arg)
{
	struct mover *m = arg;
	int cpu[VMS * MAX_CPUS], i;

	for (i = 0; i < m->threads; i++)
		cpu[i] = i % m->cpus;
	i = 0;
	while (now_ms() < m->end_ms) {
		cpu[i] = (cpu[i] + 1) % m->cpus;
		m->moves += !pin_to_cpu(m->pid[i], cpu[i]);
		i = (i + 1) % m->threads;
		usleep(MOVE_MS * 1000);
	}
	return NULL;
}

struct progress {
	unsigned long rounds[MAX_CPUS], irqs[MAX_CPUS], in_loop[MAX_CPUS];
};

/* Each vCPU's last "regs: vCPU <i> rounds <n> irqs <k> in the loop <l>"
 * line. */
static void read_progress(const char *text, struct progress *p)
{
	const char *line = text;
	unsigned long rounds, irqs, in_loop;
	unsigned int i;

	memset(p, 0, sizeof(*p));
	while ((line = strstr(line, "regs: vCPU "))) {
		if (sscanf(line, "regs: vCPU %u rounds %lu irqs %lu in the loop %lu",
			   &i, &rounds, &irqs, &in_loop) == 4 && i < MAX_CPUS) {
			p->rounds[i] = rounds;
			p->irqs[i] = irqs;
			p->in_loop[i] = in_loop;
		}
		line++;
	}
}

static int whole_console(int fd, uint32_t id)
{
	return vm_console_read(fd, id, console, sizeof(console), 0, NULL);
}

TEST_F_TIMEOUT(regs, kept_by_two_vms_per_cpu_beside_busy_primary, 120)
{
	static const char *const names[VMS] = { "regs-a", "regs-b" };
	int ncpus = (int)sysconf(_SC_NPROCESSORS_ONLN);
	struct primary_checker pc[MAX_CPUS];
	pthread_t pt[MAX_CPUS], mt;
	struct progress before[VMS], after[VMS];
	struct mover m = { .cpus = ncpus };
	struct hf_ioctl_vm_status st;
	uint64_t runs[VMS];
	unsigned long in_loop;
	uint32_t id[VMS];
	char text[256];
	int v, i, r;

	NEED_HAFNIUM();
	ASSERT_LE(2, ncpus);
	ASSERT_GE(MAX_CPUS, ncpus);
	for (v = 0; v < VMS; v++) {
		ASSERT_EQ(0, vm_run_guest(self->fd, names[v], "regs", ncpus,
					  1 * MiB, &id[v]));
		for (i = 0; i < ncpus; i++) {
			snprintf(text, sizeof(text), "regs: vCPU %d rounds", i);
			if (!vm_console_wait(self->fd, id[v], text, START_MS,
					     console, sizeof(console))) {
				vm_status(self->fd, id[v], &st);
				ASSERT_TRUE(false)
					TH_LOG("%s: state %u FAR 0x%llx: %s",
					       names[v], st.state,
					       (unsigned long long)st.exit_far,
					       console);
			}
			m.pid[m.threads] = vcpu_thread_pid(id[v], i);
			ASSERT_NE(0, m.pid[m.threads])
				TH_LOG("no thread for VM %u vCPU %d", id[v], i);
			m.threads++;
		}
	}
	/* regs-b's console: its first line says what it found. */
	TH_LOG("%.*s", (int)strcspn(console, "\n"), console);
	TH_LOG("the primary: PAuth %s, SVE %s",
	       getauxval(AT_HWCAP) & HWCAP_PACA ? "yes" : "no",
	       getauxval(AT_HWCAP) & HWCAP_SVE ? "yes" : "no");
	for (v = 0; v < VMS; v++) {
		ASSERT_EQ(0, whole_console(self->fd, id[v]));
		read_progress(console, &before[v]);
		runs[v] = vm_runs(id[v]);
	}

	m.end_ms = now_ms() + RUN_MS;
	for (i = 0; i < ncpus; i++) {
		pc[i] = (struct primary_checker){ .cpu = i, .end_ms = m.end_ms };
		ASSERT_EQ(0, pthread_create(&pt[i], NULL, check_primary,
					    &pc[i]));
	}
	ASSERT_EQ(0, pthread_create(&mt, NULL, move_vcpus, &m));
	pthread_join(mt, NULL);
	for (i = 0; i < ncpus; i++) {
		pthread_join(pt[i], NULL);
		TH_LOG("CPU %d: %lu primary rounds", i, pc[i].rounds);
		EXPECT_LT(0UL, pc[i].rounds);
		for (r = 0; r < PRIMARY_REGS; r++) {
			EXPECT_EQ(0UL, pc[i].wrong[r])
				TH_LOG("CPU %d: %s wrong %lu times", i,
				       primary_reg_name(r, text, sizeof(text)),
				       pc[i].wrong[r]);
		}
	}
	TH_LOG("%lu moves of %d vCPU threads", m.moves, m.threads);
	EXPECT_LT((unsigned long)m.threads, m.moves);

	for (v = 0; v < VMS; v++) {
		ASSERT_EQ(0, vm_status(self->fd, id[v], &st));
		ASSERT_EQ(0, whole_console(self->fd, id[v]));
		EXPECT_EQ((__u32)HF_IOCTL_VM_RUNNING, st.state)
			TH_LOG("%s ended (reason %u) with FAR 0x%llx",
			       names[v], st.exit_reason,
			       (unsigned long long)st.exit_far);
		/* A changed register; a call's odd answer. */
		EXPECT_EQ(NULL, strstr(console, "expected"));
		EXPECT_EQ(NULL, strstr(console, "answered"));
		if (st.state != HF_IOCTL_VM_RUNNING ||
		    strstr(console, "expected") || strstr(console, "answered"))
			TH_LOG("%s's console: %s", names[v], console);
		read_progress(console, &after[v]);
		TH_LOG("%s: %llu runs", names[v],
		       (unsigned long long)(vm_runs(id[v]) - runs[v]));
		in_loop = 0;
		for (i = 0; i < ncpus; i++) {
			unsigned long rounds = after[v].rounds[i] -
					       before[v].rounds[i];
			unsigned long irqs = after[v].irqs[i] -
					     before[v].irqs[i];
			unsigned long loop = after[v].in_loop[i] -
					     before[v].in_loop[i];

			TH_LOG("%s vCPU %d: %lu rounds, %lu interrupts, %lu in the loop",
			       names[v], i, rounds, irqs, loop);
			EXPECT_LT(100UL, rounds);
			EXPECT_LT(0UL, irqs);
			in_loop += loop;
		}
		/* Most come on the way back from a call (the vCPU was out);
		 * 7-31 per vCPU came inside the loop in 8 s. */
		EXPECT_LT(0UL, in_loop);
	}
}

TEST_HARNESS_MAIN
