// SPDX-License-Identifier: GPL-2.0
/*
 * hf_vcpu_test - runs a secondary's vCPU with FFA_RUN, or injects its
 * interrupts, from test threads, beside hafnium.ko's own vCPU thread.
 *
 * Test-only module for tests/kselftest/vm_test.c, race_test.c and
 * `make bench`. Write a command to /proc/hf_vcpu_test, then read the
 * result:
 *
 *   race VM VCPU MS   two kernel threads, on different CPUs if there are
 *                     two, each make FFA_RUN calls of that vCPU for MS
 *                     milliseconds at once (hafnium.ko's thread runs it
 *                     too). Prints the answers counted by kind:
 *                     "busy B ran R aborted A denied D invalid I other O"
 *                     where "ran" counts the answers of a vCPU that ran
 *                     (yield, wait, interrupt, wake-up, console output).
 *   inject VM VCPUS MS
 *                     the same two threads make HF_INTERRUPT_INJECT calls
 *                     of ids 16..63 into vCPUs 0..VCPUS-1 of that VM for
 *                     MS milliseconds, straight to the hypervisor (not
 *                     through hafnium.ko, which holds the VM while it
 *                     injects), while the VM may come and go. Prints
 *                     "pending P merged M denied D invalid I other O".
 *   bench VM VCPU N   N FFA_RUN calls with interrupts off, timed with
 *                     CNTVCT_EL0: "runs N ticks T yields Y", T the ticks
 *                     of the Y calls answered FFA_YIELD; with a vCPU that
 *                     yields at once, one run/yield round trip each.
 *                     Interrupts are let in every 64 calls and after a
 *                     call they ended, outside the time measured: one left
 *                     pending would end every FFA_RUN at once.
 *   streaming VM VCPU N
 *                     on a CPU with SME (which Debian's kernel does not use
 *                     itself): enters streaming mode, fills every
 *                     streaming Z register with a byte pattern, makes N
 *                     FFA_RUN calls of a vCPU that writes an FP register
 *                     each time, then checks the registers and the mode.
 *                     Prints "runs N yields Y streaming S wrong W": S the
 *                     calls after which PSTATE.SM was still set, W the
 *                     register checks that failed; or "absent" without SME.
 *
 * It needs no RX/TX buffers, so it can be loaded with hafnium.ko.
 */
#include <linux/arm-smccc.h>
#include <linux/completion.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/irqflags.h>
#include <linux/kernel.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/proc_fs.h>
#include <linux/uaccess.h>

#include <asm/arch_timer.h>
#include <asm/neon.h>
#include <asm/sysreg.h>

#include "../../uapi/hf/abi.h"

#define TEST_NAME "hf_vcpu_test"

static DEFINE_MUTEX(test_lock);
static char result[256];

struct tally {
	unsigned long busy, ran, aborted, denied, invalid, other;
	unsigned long pending, merged;
};

struct racer {
	bool inject;		/* HF_INTERRUPT_INJECT instead of FFA_RUN */
	u32 target;		/* VM id << 16 | vCPU (inject: | vCPU count) */
	u64 end_ns;		/* ktime_get_ns() to stop at */
	struct tally t;
	struct completion *go;
	struct completion done;
};

static void run_once(u32 target, struct tally *t)
{
	struct arm_smccc_1_2_regs args = { .a0 = FFA_RUN_32, .a1 = target };
	struct arm_smccc_1_2_regs res;

	arm_smccc_1_2_hvc(&args, &res);
	switch ((u32)res.a0) {
	case FFA_YIELD_32:
	case FFA_INTERRUPT_32:
	case FFA_MSG_WAIT_32:
	case (u32)HF_RUN_WAIT_FOR_INTERRUPT:
	case (u32)HF_RUN_WAKE_UP:
	case (u32)HF_RUN_DEBUG_LOG:
		t->ran++;
		break;
	case FFA_ERROR_32:
		switch ((s32)res.a2) {
		case FFA_BUSY:
			t->busy++;
			break;
		case FFA_ABORTED:
			t->aborted++;
			break;
		case FFA_DENIED:
			t->denied++;
			break;
		case FFA_INVALID_PARAMETERS:
			t->invalid++;
			break;
		default:
			t->other++;
			break;
		}
		break;
	default:
		t->other++;
		break;
	}
}

static void inject_once(u32 target, unsigned long n, struct tally *t)
{
	u32 vcpus = target & 0xffff;
	struct arm_smccc_1_2_regs args = {
		.a0 = HF_INTERRUPT_INJECT,
		.a1 = (target & 0xffff0000) | n % vcpus,
		.a2 = HF_SOFTWARE_INTID_FIRST +
		      n % (HF_SOFTWARE_INTID_LAST - HF_SOFTWARE_INTID_FIRST + 1),
	};
	struct arm_smccc_1_2_regs res;

	arm_smccc_1_2_hvc(&args, &res);
	if (res.a0 == FFA_SUCCESS_32 && res.a2 == 1)
		t->pending++;
	else if (res.a0 == FFA_SUCCESS_32 && res.a2 == 0)
		t->merged++;
	else if (res.a0 == FFA_ERROR_32 && (s32)res.a2 == FFA_DENIED)
		t->denied++;	/* created, stopped */
	else if (res.a0 == FFA_ERROR_32 &&
		 (s32)res.a2 == FFA_INVALID_PARAMETERS)
		t->invalid++;	/* no such VM (now) */
	else
		t->other++;
}

static int racer_fn(void *data)
{
	struct racer *r = data;
	unsigned long n = 0;

	wait_for_completion(r->go);
	/* At least one call, however late a loaded machine runs us. */
	do {
		if (r->inject)
			inject_once(r->target, n++, &r->t);
		else
			run_once(r->target, &r->t);
		cond_resched();
	} while (ktime_get_ns() < r->end_ns);
	/* kthread_stop() before the thread ran would skip racer_fn. */
	complete(&r->done);
	return 0;
}

static int race(bool inject, u32 target, unsigned long ms)
{
	DECLARE_COMPLETION_ONSTACK(go);
	struct racer r[2] = {
		{ .inject = inject, .target = target, .go = &go },
		{ .inject = inject, .target = target, .go = &go },
	};
	struct task_struct *task[2];
	struct tally sum = { };
	int cpu[2] = { -1, -1 }, c, i;

	/* The last two online CPUs: both racers can be in FFA_RUN at once. */
	for_each_online_cpu(c) {
		cpu[0] = cpu[1];
		cpu[1] = c;
	}
	if (cpu[0] < 0)
		cpu[0] = cpu[1];

	for (i = 0; i < 2; i++) {
		init_completion(&r[i].done);
		task[i] = kthread_create(racer_fn, &r[i], "hf_race%d", i);
		if (IS_ERR(task[i])) {
			int ret = PTR_ERR(task[i]);

			complete_all(&go);
			while (i--) {
				wait_for_completion(&r[i].done);
				kthread_stop(task[i]);
				put_task_struct(task[i]);
			}
			return ret;
		}
		get_task_struct(task[i]);
		kthread_bind(task[i], cpu[i]);
		wake_up_process(task[i]);
	}
	/* The time starts once both threads exist. */
	r[0].end_ns = r[1].end_ns = ktime_get_ns() + ms * NSEC_PER_MSEC;
	complete_all(&go);
	for (i = 0; i < 2; i++) {
		wait_for_completion(&r[i].done);
		kthread_stop(task[i]);
		put_task_struct(task[i]);
		sum.busy += r[i].t.busy;
		sum.ran += r[i].t.ran;
		sum.aborted += r[i].t.aborted;
		sum.denied += r[i].t.denied;
		sum.invalid += r[i].t.invalid;
		sum.other += r[i].t.other;
		sum.pending += r[i].t.pending;
		sum.merged += r[i].t.merged;
	}
	if (inject)
		scnprintf(result, sizeof(result),
			  "pending %lu merged %lu denied %lu invalid %lu other %lu\n",
			  sum.pending, sum.merged, sum.denied, sum.invalid,
			  sum.other);
	else
		scnprintf(result, sizeof(result),
			  "busy %lu ran %lu aborted %lu denied %lu invalid %lu other %lu\n",
			  sum.busy, sum.ran, sum.aborted, sum.denied,
			  sum.invalid, sum.other);
	return 0;
}

#define BENCH_CHUNK 64

/*
 * Each call is timed from the end of the one before it (or the start of a
 * stretch with interrupts off); only calls answered FFA_YIELD count.
 */
static void bench(u32 target, unsigned long n)
{
	struct arm_smccc_1_2_regs args = { .a0 = FFA_RUN_32, .a1 = target };
	struct arm_smccc_1_2_regs res;
	unsigned long flags, i = 0, yields = 0, chunk;
	u64 t0, t1, ticks = 0;

	while (i < n) {
		local_irq_save(flags);
		t0 = arch_timer_read_counter();
		for (chunk = 0; chunk < BENCH_CHUNK && i < n; chunk++, i++) {
			arm_smccc_1_2_hvc(&args, &res);
			t1 = arch_timer_read_counter();
			if ((u32)res.a0 != FFA_YIELD_32)
				break;	/* an interrupt came: let it in */
			ticks += t1 - t0;
			yields++;
			t0 = t1;
		}
		if (chunk < BENCH_CHUNK && i < n)
			i++;
		local_irq_restore(flags);
		cond_resched();
	}
	scnprintf(result, sizeof(result), "runs %lu ticks %llu yields %lu\n",
		  n, ticks, yields);
}

/* Bytes of z<i> = i + 1 (the bits above 128 set too); z31 and p0, p1
 * are scratch. */
static void streaming_fill(void)
{
	asm volatile(".arch_extension sve\n"
		     ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
		     "mov w9, #(\\n + 1)\n"
		     "dup z\\n\\().b, w9\n"
		     ".endr\n"
		     ::: "x9", "memory");
}

/* The number of z0-z30 that differ from streaming_fill's pattern. */
static unsigned long streaming_check(void)
{
	unsigned long wrong = 0;

	asm volatile(".arch_extension sve\n"
		     "ptrue p0.b\n"
		     ".irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30\n"
		     "mov w9, #(\\n + 1)\n"
		     "dup z31.b, w9\n"
		     "cmpne p1.b, p0/z, z\\n\\().b, z31.b\n"
		     "b.none 1f\n"
		     "add %0, %0, #1\n"
		     "1:\n"
		     ".endr\n"
		     : "+r"(wrong) :: "x9", "cc", "memory");
	return wrong;
}

/*
 * The primary in streaming mode when it runs a secondary that uses FP:
 * hafnium must save the streaming registers, leave streaming mode for
 * the secondary and come back to it. One call at a time with interrupts
 * off: with the kernel's FP state put away (kernel_neon_begin), this CPU
 * runs nothing else while SME is enabled at EL1, and an interrupt that
 * ends a call is let in before the next.
 */
static void streaming(u32 target, unsigned long n)
{
	struct arm_smccc_1_2_regs args = { .a0 = FFA_RUN_32, .a1 = target };
	struct arm_smccc_1_2_regs res;
	unsigned long flags, i, yields = 0, still = 0, wrong = 0;
	u64 cpacr, smcr;

	if (!(read_sysreg_s(SYS_ID_AA64PFR1_EL1) >> ID_AA64PFR1_EL1_SME_SHIFT &
	      0xf)) {
		scnprintf(result, sizeof(result), "absent\n");
		return;
	}
	for (i = 0; i < n; i++) {
		kernel_neon_begin();
		local_irq_save(flags);
		cpacr = read_sysreg(cpacr_el1);
		write_sysreg(cpacr | CPACR_EL1_SMEN_EL1EN, cpacr_el1);
		isb();
		smcr = read_sysreg_s(SYS_SMCR_EL1);
		write_sysreg_s(SMCR_ELx_LEN_MASK, SYS_SMCR_EL1);
		asm volatile(".arch_extension sme\nsmstart sm" ::: "memory");
		streaming_fill();
		arm_smccc_1_2_hvc(&args, &res);
		yields += (u32)res.a0 == FFA_YIELD_32;
		still += read_sysreg_s(SYS_SVCR) & SVCR_SM;
		wrong += streaming_check();
		asm volatile(".arch_extension sme\nsmstop sm" ::: "memory");
		write_sysreg_s(smcr, SYS_SMCR_EL1);
		write_sysreg(cpacr, cpacr_el1);
		isb();
		local_irq_restore(flags);
		kernel_neon_end();
		cond_resched();
	}
	scnprintf(result, sizeof(result),
		  "runs %lu yields %lu streaming %lu wrong %lu\n", n, yields,
		  still, wrong);
}

static ssize_t test_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char cmd[64], verb[10];
	unsigned int vm, vcpu;
	unsigned long n;
	int ret = 0;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';
	if (sscanf(cmd, "%9s %u %u %lu", verb, &vm, &vcpu, &n) != 4 ||
	    vm > 0xffff || vcpu > 0xffff)
		return -EINVAL;

	mutex_lock(&test_lock);
	if (!strcmp(verb, "race"))
		ret = race(false, vm << 16 | vcpu, n);
	else if (!strcmp(verb, "inject") && vcpu > 0)
		ret = race(true, vm << 16 | vcpu, n);
	else if (!strcmp(verb, "bench"))
		bench(vm << 16 | vcpu, n);
	else if (!strcmp(verb, "streaming"))
		streaming(vm << 16 | vcpu, n);
	else
		ret = -EINVAL;
	mutex_unlock(&test_lock);
	return ret ?: count;
}

static ssize_t test_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&test_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, result,
				      strlen(result));
	mutex_unlock(&test_lock);
	return ret;
}

static const struct proc_ops test_ops = {
	.proc_read = test_read,
	.proc_write = test_write,
	.proc_lseek = default_llseek,
};

static int __init test_init(void)
{
	/* Root only: it runs VMs behind the driver's back. */
	if (!proc_create(TEST_NAME, 0600, NULL, &test_ops))
		return -ENOMEM;
	return 0;
}

static void __exit test_exit(void)
{
	remove_proc_entry(TEST_NAME, NULL);
}

module_init(test_init);
module_exit(test_exit);

MODULE_DESCRIPTION("Test: FFA_RUN or injections from two threads; run/yield bench");
MODULE_LICENSE("GPL");
