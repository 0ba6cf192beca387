// SPDX-License-Identifier: GPL-2.0
/*
 * VM consoles: the bytes a secondary writes with HF_DEBUG_LOG, which reach
 * the driver as HF_RUN_DEBUG_LOG answers of FFA_RUN. They go into a ring of
 * HF_CONSOLE_SIZE bytes per VM, numbered from 0 since the VM was created,
 * which HF_IOCTL_VM_CONSOLE reads from any offset still in the ring (so a
 * reader can follow the output), until the VM is destroyed. Each line also
 * goes to the kernel log at debug level as "hafnium: [NAME] line",
 * rate-limited per VM: printed after con->lock is dropped, and at a level
 * that a console does not print by default, so a guest cannot make a vCPU
 * thread print to a slow console for long, nor with preemption off.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/jiffies.h>
#include <linux/mm.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "hafnium.h"

/* Kernel log lines per VM: a burst of 100, then 100 per 5 s. */
#define HF_LOG_INTERVAL (5 * HZ)
#define HF_LOG_BURST 100

int hf_console_init(struct hf_console *con)
{
	con->ring = kvmalloc(HF_CONSOLE_SIZE, GFP_KERNEL);
	if (!con->ring)
		return -ENOMEM;
	spin_lock_init(&con->lock);
	init_waitqueue_head(&con->wait);
	ratelimit_state_init(&con->ratelimit, HF_LOG_INTERVAL, HF_LOG_BURST);
	/* The count of lines left out is ours to report, not ratelimit's. */
	ratelimit_set_flags(&con->ratelimit, RATELIMIT_MSG_ON_RELEASE);
	return 0;
}

void hf_console_free(struct hf_console *con)
{
	kvfree(con->ring);
	con->ring = NULL;
}

/* A line for the kernel log, taken out of the console under its lock. */
struct hf_console_line {
	bool taken;		/* a line ended */
	bool print;		/* the rate limit lets it through */
	unsigned int suppressed; /* lines left out before it, to report */
	char text[sizeof_field(struct hf_console, line)];
};

/*
 * Ends the line being built and takes it, or the count of lines left out,
 * into *out, to be printed once con->lock is dropped (con->lock held).
 */
static void hf_console_take(struct hf_console *con, struct hf_console_line *out)
{
	con->line[con->line_len] = '\0';
	out->taken = true;
	out->print = __ratelimit(&con->ratelimit);
	if (out->print) {
		memcpy(out->text, con->line, con->line_len + 1);
		out->suppressed = con->suppressed;
		con->suppressed = 0;
	} else {
		con->suppressed++;
		out->suppressed = 0;
	}
	con->line_len = 0;
}

static void hf_console_print_suppressed(struct hf_vm *vm, unsigned int n)
{
	if (n)
		printk(KERN_DEBUG pr_fmt("[%s] (%u lines not logged here; hfctl console %u has them)\n"),
		       vm->name, n, vm->id);
}

/* Prints what hf_console_take() took (con->lock not held). */
static void hf_console_print(struct hf_vm *vm, const struct hf_console_line *out)
{
	if (!out->taken || !out->print)
		return;
	hf_console_print_suppressed(vm, out->suppressed);
	printk(KERN_DEBUG pr_fmt("[%s] %s\n"), vm->name, out->text);
}

void hf_console_write(struct hf_vm *vm, const char *bytes, size_t len)
{
	struct hf_console *con = &vm->console;
	struct hf_console_line out;
	size_t i = 0;

	if (!con->ring)
		return;
	/* Up to the end of a line at a time, which is printed unlocked. */
	while (i < len) {
		out.taken = false;
		spin_lock(&con->lock);
		while (i < len && !out.taken) {
			char c = bytes[i++];

			con->ring[con->total % HF_CONSOLE_SIZE] = c;
			con->total++;
			if (c == '\n') {
				hf_console_take(con, &out);
				continue;
			}
			if (c == '\r')
				continue;
			/* The kernel log gets printable ASCII only. */
			if (c < 0x20 || c > 0x7e)
				c = '?';
			con->line[con->line_len++] = c;
			if (con->line_len == sizeof(con->line) - 1)
				hf_console_take(con, &out);
		}
		spin_unlock(&con->lock);
		hf_console_print(vm, &out);
	}
	wake_up_all(&con->wait);
}

void hf_console_flush(struct hf_vm *vm)
{
	struct hf_console *con = &vm->console;
	struct hf_console_line out = { .taken = false };
	unsigned int suppressed;

	if (!con->ring)
		return;
	spin_lock(&con->lock);
	if (con->line_len)
		hf_console_take(con, &out);
	suppressed = con->suppressed;
	con->suppressed = 0;
	spin_unlock(&con->lock);
	hf_console_print(vm, &out);
	hf_console_print_suppressed(vm, suppressed);
	wake_up_all(&con->wait);
}

static bool hf_console_ready(struct hf_vm *vm, u64 offset)
{
	return READ_ONCE(vm->console.total) > offset || READ_ONCE(vm->ended) ||
	       READ_ONCE(vm->phase) == HF_PHASE_GONE;
}

int hf_console_read(struct hf_vm *vm, char __user *buf,
		    struct hf_console_read *rd)
{
	struct hf_console *con = &vm->console;
	u64 oldest, off, total;
	size_t n, first;
	char *bounce;
	long left;
	int ret;

	if (!con->ring) {
		/*
		 * The primary: no console here, and nothing ever comes, but
		 * a reader that asked to wait waits, as for a secondary with
		 * nothing new (it would spin otherwise).
		 */
		if (rd->timeout_ms && msleep_interruptible(rd->timeout_ms))
			return -EINTR;
		rd->len = 0;
		rd->total = 0;
		return 0;
	}
	if (rd->timeout_ms && !hf_console_ready(vm, rd->offset)) {
		left = wait_event_interruptible_timeout(con->wait,
				hf_console_ready(vm, rd->offset),
				msecs_to_jiffies(rd->timeout_ms));
		if (left < 0)
			return -EINTR;
	}
	if (READ_ONCE(vm->phase) == HF_PHASE_GONE)
		return -ENOENT;

	rd->len = min_t(size_t, rd->len, HF_CONSOLE_SIZE);
	bounce = kvmalloc(max_t(size_t, rd->len, 1), GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	spin_lock(&con->lock);
	total = con->total;
	oldest = total > HF_CONSOLE_SIZE ? total - HF_CONSOLE_SIZE : 0;
	off = clamp(rd->offset, oldest, total);
	n = min_t(u64, rd->len, total - off);
	/* The ring may wrap once within the bytes read. */
	first = min_t(size_t, n, HF_CONSOLE_SIZE - off % HF_CONSOLE_SIZE);
	memcpy(bounce, con->ring + off % HF_CONSOLE_SIZE, first);
	memcpy(bounce + first, con->ring, n - first);
	spin_unlock(&con->lock);

	rd->offset = off;
	rd->len = n;
	rd->total = total;
	ret = copy_to_user(buf, bounce, n) ? -EFAULT : 0;
	kvfree(bounce);
	return ret;
}
