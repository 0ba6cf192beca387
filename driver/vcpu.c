// SPDX-License-Identifier: GPL-2.0
/*
 * The vCPU threads: the hypervisor has no scheduler, so each vCPU of a
 * running secondary is a kernel thread of the primary, hf_vm<id>_vcpu<n>,
 * that runs it with FFA_RUN whenever Linux schedules the thread, and acts
 * on each answer (uapi/hf/abi.h):
 *
 *   FFA_YIELD, FFA_INTERRUPT    run it again after letting others run
 *   HF_RUN_WAIT_FOR_INTERRUPT,  sleep until woken, or for the x2 ns until
 *   FFA_MSG_WAIT                its timer fires
 *   HF_RUN_WAKE_UP              wake the thread of the vCPU it started,
 *                               sent a message or injected an interrupt
 *                               into, and kick it if it is in FFA_RUN
 *   HF_RUN_DEBUG_LOG            append the bytes to the VM's console
 *   FFA_MSG_SEND2               a message for the primary: to its socket
 *   FFA_RX_RELEASE              let the senders in x2..x5 retry: the primary's
 *                               sockets, vCPU 0 of the others (socket.c)
 *   FFA_ERROR DENIED            this vCPU is off: sleep until woken
 *   FFA_ERROR ABORTED           the VM has ended: record how, end
 *   FFA_ERROR BUSY              another CPU runs this vCPU: retry soon
 *
 * A sleeping thread is woken by another vCPU's HF_RUN_WAKE_UP, an interrupt
 * or a message from the primary, its hrtimer, or the VM's end; hf_vcpu.wake
 * makes wake-ups that come before the thread sleeps count (as in Hafnium's
 * original driver). A new interrupt also kicks the thread: a reschedule IPI
 * to a CPU in FFA_RUN ends the vCPU's turn (FFA_INTERRUPT), and its next
 * entry sees the interrupt.
 *
 * A sender of a message to a vCPU whose thread sleeps runs the vCPU itself
 * instead of waking the thread (hf_vcpu_run_here()): the thread gives up
 * hf_vcpu.run_lock while it sleeps, and the sender runs the vCPU while it
 * holds the lock, until the vCPU waits again. That spares the thread's
 * wake-up and two context switches per message; the thread takes over
 * whatever else the vCPU does.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/err.h>
#include <linux/kthread.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/sched/task.h>

#include <asm/unaligned.h>

#include "hafnium.h"

/* Waits shorter than this are not worth a timer: run the vCPU again. */
#define HF_MIN_SLEEP_NS 10000

/* Most FFA_RUN calls a sender makes before it leaves the rest to the thread. */
#define HF_RUN_HERE_MAX 8

static enum hrtimer_restart hf_vcpu_timer_fn(struct hrtimer *timer)
{
	hf_vcpu_wake(container_of(timer, struct hf_vcpu, timer));
	return HRTIMER_NORESTART;
}

void hf_vcpu_init(struct hf_vcpu *vcpu, struct hf_vm *vm, u32 index)
{
	vcpu->vm = vm;
	vcpu->index = index;
	atomic_set(&vcpu->wake, 0);
	mutex_init(&vcpu->run_lock);
	hrtimer_init(&vcpu->timer, CLOCK_MONOTONIC, HRTIMER_MODE_REL);
	vcpu->timer.function = hf_vcpu_timer_fn;
}

/*
 * Wakers may hold only a VM reference (another VM's thread, a socket, an
 * ioctl): the tasks are put only a grace period after vm->threads is
 * cleared (hf_vcpus_stop_threads()).
 */
static void hf_vcpu_notify(struct hf_vcpu *vcpu, bool kick)
{
	struct task_struct *task = NULL, *runner;

	atomic_set(&vcpu->wake, 1);
	rcu_read_lock();
	/* Pairs with hf_vcpus_create_threads(): the tasks are set. */
	if (smp_load_acquire(&vcpu->vm->threads))
		task = vcpu->task;
	if (task) {
		/* Orders the flag before the thread's state is read. */
		wake_up_process(task);
		/* One in FFA_RUN on another CPU leaves the vCPU at the IPI. */
		if (kick)
			kick_process(task);
	}
	/* A task is freed a grace period after it exits, at the earliest. */
	runner = READ_ONCE(vcpu->runner);
	if (kick && runner)
		kick_process(runner);
	rcu_read_unlock();
}

void hf_vcpu_wake(struct hf_vcpu *vcpu)
{
	hf_vcpu_notify(vcpu, false);
}

void hf_vcpu_kick(struct hf_vcpu *vcpu)
{
	hf_vcpu_notify(vcpu, true);
}

static bool hf_vcpu_should_run_vm(struct hf_vm *vm)
{
	return READ_ONCE(vm->phase) == HF_PHASE_RUNNING;
}

static bool hf_vcpu_should_run(struct hf_vcpu *vcpu)
{
	return !kthread_should_stop() && hf_vcpu_should_run_vm(vcpu->vm);
}

/*
 * Sleeps until woken, or ns from now (HF_SLEEP_INDEFINITE: no timeout);
 * senders may run the vCPU meanwhile.
 */
static void hf_vcpu_sleep(struct hf_vcpu *vcpu, u64 ns)
{
	bool timed = ns != HF_SLEEP_INDEFINITE;
	bool sleep;

	if (timed) {
		if (ns < HF_MIN_SLEEP_NS) {
			cond_resched();
			return;
		}
		hrtimer_start(&vcpu->timer, ns_to_ktime(ns), HRTIMER_MODE_REL);
	}
	set_current_state(TASK_INTERRUPTIBLE);
	/* After the state change: a wake-up from now on wakes us. */
	sleep = !atomic_read(&vcpu->wake) && hf_vcpu_should_run(vcpu);
	if (sleep) {
		mutex_unlock(&vcpu->run_lock);
		schedule();
	}
	__set_current_state(TASK_RUNNING);
	if (timed)
		hrtimer_cancel(&vcpu->timer);
	/* After a sender that runs the vCPU, which may have woken us. */
	if (sleep)
		mutex_lock(&vcpu->run_lock);
}

/*
 * HF_RUN_WAKE_UP: target = VM id << 16 | vCPU index: a vCPU of the same VM
 * (PSCI CPU_ON, or an interrupt this one injected), or of another VM that
 * was sent a message, which is looked up and held while it is kicked. It
 * may wait, or run on another CPU with a new interrupt to see.
 */
static void hf_vcpu_wake_target(struct hf_vm *vm, u64 target)
{
	u32 vm_id = (target >> 16) & 0xffff, index = target & 0xffff;
	struct hf_vm *other;

	if (vm_id == vm->id) {
		if (index < vm->vcpu_count)
			hf_vcpu_kick(&vm->vcpus[index]);
		return;
	}
	other = hf_vm_get(vm->hf, vm_id);
	if (!other)
		return;
	/* The primary has no vCPU threads (vcpus is NULL). */
	if (other->vcpus && index < other->vcpu_count)
		hf_vcpu_kick(&other->vcpus[index]);
	hf_vm_put(other);
}

static void hf_vcpu_debug_log(struct hf_vm *vm,
			      const struct arm_smccc_1_2_regs *res)
{
	const u64 words[] = { res->a2, res->a3, res->a4, res->a5, res->a6,
			      res->a7 };
	char bytes[HF_DEBUG_LOG_MAX];
	size_t len = (res->a1 >> 32) & 0xff;
	unsigned int i;

	static_assert(sizeof(bytes) == sizeof(words));
	for (i = 0; i < ARRAY_SIZE(words); i++)
		put_unaligned_le64(words[i], bytes + 8 * i);
	hf_console_write(vm, bytes, min(len, sizeof(bytes)));
}

/*
 * The FFA_RUN answers that tell the primary something and then want the
 * vCPU run again at once; false for any other answer.
 */
static bool hf_vcpu_notice(struct hf_vm *vm,
			   const struct arm_smccc_1_2_regs *res)
{
	switch ((u32)res->a0) {
	case (u32)HF_RUN_WAKE_UP:
		hf_vcpu_wake_target(vm, res->a2);
		return true;
	case (u32)HF_RUN_DEBUG_LOG:
		hf_vcpu_debug_log(vm, res);
		return true;
	case FFA_MSG_SEND2_32:
		/* A message for the primary is in its RX buffer. */
		hf_sock_msg_received(vm, res->a2);
		return true;
	case FFA_RX_RELEASE_32: {
		u64 waiters[HF_WAITERS_WORDS];

		/* Senders in x2..x5 found the VM's RX full: retry. */
		hf_waiters_from(waiters, res);
		hf_sock_rx_released(vm->hf, waiters);
		return true;
	}
	default:
		return false;
	}
}

/* FFA_ERROR from FFA_RUN; false if the thread ends. */
static bool hf_vcpu_error(struct hf_vcpu *vcpu, s32 code)
{
	struct hf_vm *vm = vcpu->vm;

	switch (code) {
	case FFA_DENIED:
		/* Off until another vCPU starts it, or the VM ends. */
		hf_vcpu_sleep(vcpu, HF_SLEEP_INDEFINITE);
		return true;
	case FFA_BUSY:
		/* Someone else runs it (a test does that on purpose). */
		usleep_range(1000, 2000);
		return true;
	case FFA_ABORTED:
		hf_vm_ended(vm);
		return false;
	default:
		pr_warn("VM %u (%s) vCPU %u: FFA_RUN failed with FF-A error %d; its thread ends\n",
			vm->id, vm->name, vcpu->index, code);
		return false;
	}
}

static int hf_vcpu_thread(void *data)
{
	struct hf_vcpu *vcpu = data;
	struct hf_vm *vm = vcpu->vm;
	struct arm_smccc_1_2_regs res;

	mutex_lock(&vcpu->run_lock);
	while (hf_vcpu_should_run(vcpu)) {
		atomic_set(&vcpu->wake, 0);
		hf_call_run(&vcpu->run_args, &res);
		WRITE_ONCE(vcpu->runs, vcpu->runs + 1);

		switch ((u32)res.a0) {
		case FFA_YIELD_32:
		case FFA_INTERRUPT_32:
			/* The interrupt, if any, was taken on return. */
			cond_resched();
			break;
		case (u32)HF_RUN_WAIT_FOR_INTERRUPT:
		case FFA_MSG_WAIT_32:
			hf_vcpu_sleep(vcpu, res.a2);
			break;
		case FFA_ERROR_32:
			if (!hf_vcpu_error(vcpu, (s32)res.a2))
				goto out;
			break;
		default:
			if (hf_vcpu_notice(vm, &res))
				break;
			pr_warn("VM %u (%s) vCPU %u: unexpected FFA_RUN answer 0x%lx; its thread ends\n",
				vm->id, vm->name, vcpu->index, res.a0);
			goto out;
		}
	}
out:
	mutex_unlock(&vcpu->run_lock);
	return 0;
}

bool hf_vcpu_run_here(struct hf_vcpu *vcpu)
{
	struct hf_vm *vm = vcpu->vm;
	struct arm_smccc_1_2_regs res;
	bool waits = false, ok;
	unsigned int n;

	if (!mutex_trylock(&vcpu->run_lock))
		return false;
	/*
	 * Not once the thread is gone or going, nor on a CPU the thread may
	 * not use: whoever pinned it meant the vCPU to run there. The task
	 * is put a grace period after vm->threads is cleared; one whose
	 * creation failed is NULL until then.
	 */
	rcu_read_lock();
	ok = smp_load_acquire(&vm->threads) && vcpu->task &&
	     hf_vcpu_should_run_vm(vm) &&
	     cpumask_test_cpu(raw_smp_processor_id(), vcpu->task->cpus_ptr);
	rcu_read_unlock();
	if (!ok) {
		mutex_unlock(&vcpu->run_lock);
		return false;
	}
	/* Before the vCPU runs: a kick from then on finds this task. */
	smp_store_mb(vcpu->runner, current);
	for (n = 0; n < HF_RUN_HERE_MAX && !need_resched(); n++) {
		hf_call_run(&vcpu->run_args, &res);
		WRITE_ONCE(vcpu->runs, vcpu->runs + 1);
		/* The thread's timer stays right only for a wait without one. */
		if (((u32)res.a0 == FFA_MSG_WAIT_32 ||
		     (u32)res.a0 == (u32)HF_RUN_WAIT_FOR_INTERRUPT) &&
		    res.a2 == HF_SLEEP_INDEFINITE) {
			waits = true;
			break;
		}
		if (!hf_vcpu_notice(vm, &res))
			break;
	}
	WRITE_ONCE(vcpu->runner, NULL);
	mutex_unlock(&vcpu->run_lock);
	/* It yielded, was interrupted, waits with a timeout, or failed. */
	if (!waits)
		hf_vcpu_wake(vcpu);
	return true;
}

int hf_vcpus_create_threads(struct hf_vm *vm)
{
	struct task_struct *task;
	u32 i;

	for (i = 0; i < vm->vcpu_count; i++) {
		/* The VM has its id by now (not yet at hf_vcpu_init()). */
		hf_call_run_args(vm->id, i, &vm->vcpus[i].run_args);
		task = kthread_create(hf_vcpu_thread, &vm->vcpus[i],
				      "hf_vm%u_vcpu%u", vm->id, i);
		if (IS_ERR(task)) {
			pr_warn("VM %u (%s): cannot create the thread of vCPU %u: %pe\n",
				vm->id, vm->name, i, task);
			/* Stop the ones made (they never ran); the rest are NULL. */
			smp_store_release(&vm->threads, true);
			hf_vcpus_stop_threads(vm);
			return PTR_ERR(task);
		}
		/* Kept until the thread is stopped, even if it ends first. */
		get_task_struct(task);
		vm->vcpus[i].task = task;
	}
	/* Wakers see the tasks from now on. */
	smp_store_release(&vm->threads, true);
	return 0;
}

void hf_vcpus_start_threads(struct hf_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->vcpu_count; i++)
		wake_up_process(vm->vcpus[i].task);
}

void hf_vcpus_kick(struct hf_vm *vm)
{
	u32 i;

	for (i = 0; i < vm->vcpu_count; i++)
		hf_vcpu_kick(&vm->vcpus[i]);
}

void hf_vcpus_stop_threads(struct hf_vm *vm)
{
	u32 i;

	if (!vm->threads)
		return;
	hf_vcpus_kick(vm);
	for (i = 0; i < vm->vcpu_count; i++) {
		if (vm->vcpus[i].task)
			kthread_stop(vm->vcpus[i].task);
	}
	/*
	 * Only now: a thread may wake another until it ends. Then wakers
	 * that still saw the tasks (hf_vcpu_notify()) finish first.
	 */
	WRITE_ONCE(vm->threads, false);
	synchronize_rcu();
	for (i = 0; i < vm->vcpu_count; i++) {
		struct task_struct *task = vm->vcpus[i].task;

		if (task) {
			vm->vcpus[i].task = NULL;
			put_task_struct(task);
		}
	}
}

u64 hf_vm_runs(struct hf_vm *vm)
{
	u64 runs = 0;
	u32 i;

	for (i = 0; vm->vcpus && i < vm->vcpu_count; i++)
		runs += READ_ONCE(vm->vcpus[i].runs);
	return runs;
}
