// SPDX-License-Identifier: GPL-2.0
/*
 * hf_abi_test - exercises hafnium's hypercall ABI from the primary's kernel.
 *
 * Test-only module for tests/kselftest/abi_test.c and `make bench`. Write a
 * command to /proc/hf_abi_test, then read the result:
 *
 *   errors HYP_PA      the FF-A error paths: RXTX_MAP of unaligned, device,
 *                      hypervisor (HYP_PA), identical and already-mapped
 *                      pages, RX_RELEASE without a message,
 *                      PARTITION_INFO_GET with a UUID no VM has. One line
 *                      per check: "ok NAME" or "fail NAME: ...".
 *   fuzz COUNT SEED [live]
 *                      COUNT calls with pseudo-random function ids (FF-A,
 *                      HF and anything) and arguments, reproducible from
 *                      SEED; prints how many
 *                      answers were defined (FFA_SUCCESS, FFA_ERROR with an
 *                      FF-A error code, a version, SMCCC NOT_SUPPORTED).
 *                      With "live", beside hafnium.ko and its VMs: the ids
 *                      that use the primary's mailbox (RXTX_MAP/UNMAP,
 *                      RX_RELEASE, PARTITION_INFO_GET, MSG_SEND2,
 *                      HF_VM_CREATE, HF_VM_LOAD) or run or change VMs
 *                      (FFA_RUN, HF_VM_START/STOP/DESTROY) are drawn again.
 *   create_race MS     for MS milliseconds, rounds of HF_VM_CREATE of a
 *                      VM made of CREATE_PAGES one-page constituents
 *                      (every other page of one 2 MiB block, then P and
 *                      P2 in another), on one CPU, while a thread on a
 *                      second CPU unmaps this module's mailbox and one on
 *                      a third maps it on P and P2 (retried until it
 *                      works or the unmap and the create are over). A
 *                      round where
 *                      the create succeeded and the mailbox ended on P/P2,
 *                      the new VM's pages, is a violation; so is a page of
 *                      the new VM the kernel can read, or one that
 *                      HF_VM_INFO does not count. Prints "rounds R created
 *                      C refused F maps_on_p M violations V undefined U"
 *                      (M: rounds whose mailbox ended on P/P2).
 *   bench COUNT        COUNT FFA_VERSION calls with interrupts off; prints
 *                      the CNTVCT_EL0 ticks they took.
 *
 * RXTX_MAP is only ever given this module's own pages or addresses that
 * must be refused, so that no call can make the hypervisor write into
 * memory the kernel uses. The module must be used while hafnium.ko is not
 * loaded: the primary has one RX/TX pair, and fuzzing would unmap the
 * driver's; only "fuzz ... live" may run beside it.
 */
#include <linux/arm-smccc.h>
#include <linux/cpumask.h>
#include <linux/delay.h>
#include <linux/err.h>
#include <linux/gfp.h>
#include <linux/io.h>
#include <linux/kthread.h>
#include <linux/ktime.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/mutex.h>
#include <linux/of.h>
#include <linux/proc_fs.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include <asm/arch_timer.h>

#include "../../uapi/hf/abi.h"

#define TEST_NAME "hf_abi_test"
#define RESULT_SIZE 4096
/* QEMU virt's PL011: device memory in the primary's stage-2. */
#define DEVICE_PA 0x09000000UL

static DEFINE_MUTEX(test_lock);
static char *result;
static size_t result_len;
static struct page *tx_page;
static struct page *rx_page;

static __printf(1, 2) void say(const char *fmt, ...)
{
	va_list args;

	va_start(args, fmt);
	result_len += vscnprintf(result + result_len, RESULT_SIZE - result_len,
				 fmt, args);
	va_end(args);
}

static struct arm_smccc_1_2_regs hvc(u64 func, u64 a1, u64 a2, u64 a3,
				     u64 a4, u64 a5)
{
	struct arm_smccc_1_2_regs args = { .a0 = func, .a1 = a1, .a2 = a2,
					   .a3 = a3, .a4 = a4, .a5 = a5 };
	struct arm_smccc_1_2_regs res;

	arm_smccc_1_2_hvc(&args, &res);
	return res;
}

static void expect_error(const char *name, struct arm_smccc_1_2_regs r,
			 int code)
{
	if (r.a0 == FFA_ERROR_32 && (s32)r.a2 == code)
		say("ok %s\n", name);
	else
		say("fail %s: x0=0x%llx w2=%d, expected FFA_ERROR %d\n", name,
		    (u64)r.a0, (s32)r.a2, code);
}

static void expect_success(const char *name, struct arm_smccc_1_2_regs r)
{
	if (r.a0 == FFA_SUCCESS_32 || r.a0 == FFA_SUCCESS_64)
		say("ok %s\n", name);
	else
		say("fail %s: x0=0x%llx w2=%d, expected FFA_SUCCESS\n", name,
		    (u64)r.a0, (s32)r.a2);
}

static void run_errors(u64 hyp_pa)
{
	u64 tx = page_to_phys(tx_page);
	u64 rx = page_to_phys(rx_page);

	expect_error("rxtx_map_unaligned",
		     hvc(FFA_RXTX_MAP_64, tx + 8, rx, 1, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_error("rxtx_map_device",
		     hvc(FFA_RXTX_MAP_64, tx, DEVICE_PA, 1, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_error("rxtx_map_hypervisor",
		     hvc(FFA_RXTX_MAP_64, hyp_pa, rx, 1, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_error("rxtx_map_same_page",
		     hvc(FFA_RXTX_MAP_64, tx, tx, 1, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_error("rxtx_map_page_count",
		     hvc(FFA_RXTX_MAP_64, tx, rx, 0, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_error("rx_release_unmapped", hvc(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0),
		     FFA_DENIED);
	expect_success("rxtx_map", hvc(FFA_RXTX_MAP_64, tx, rx, 1, 0, 0));
	expect_error("rxtx_map_already_mapped",
		     hvc(FFA_RXTX_MAP_64, tx, rx, 1, 0, 0), FFA_DENIED);
	expect_error("rx_release_without_message",
		     hvc(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0), FFA_DENIED);
	expect_error("partition_info_get_bad_uuid",
		     hvc(FFA_PARTITION_INFO_GET_32, 0x12345678, 0x9abc, 0, 1, 0),
		     FFA_INVALID_PARAMETERS);
	expect_error("partition_info_get_bad_flags",
		     hvc(FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0x10),
		     FFA_INVALID_PARAMETERS);
	expect_success("partition_info_get",
		       hvc(FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0));
	expect_error("partition_info_get_rx_busy",
		     hvc(FFA_PARTITION_INFO_GET_32, 0, 0, 0, 0, 0), FFA_BUSY);
	expect_success("rx_release", hvc(FFA_RX_RELEASE_32, 0, 0, 0, 0, 0));
	expect_error("rxtx_unmap_other_vm",
		     hvc(FFA_RXTX_UNMAP_32, 7 << 16, 0, 0, 0, 0),
		     FFA_INVALID_PARAMETERS);
	expect_success("rxtx_unmap", hvc(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0));
	expect_error("rxtx_unmap_twice", hvc(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0),
		     FFA_INVALID_PARAMETERS);
}

/* xorshift64*: the same seed replays the same calls. */
static u64 prng_state;

static u64 prng_next(void)
{
	prng_state ^= prng_state >> 12;
	prng_state ^= prng_state << 25;
	prng_state ^= prng_state >> 27;
	return prng_state * 0x2545f4914f6cdd1dULL;
}

static u32 prng_u32(void)
{
	return prng_next() >> 32;
}

static u64 random_function(void)
{
	switch (prng_u32() % 4) {
	case 0: /* FF-A range, 32 and 64-bit */
		return (prng_u32() & 1 ? 0xc4000000 : 0x84000000) |
		       (0x60 + prng_u32() % 0x40);
	case 1: /* hafnium's vendor range */
		return HF_CALL_BASE + prng_u32() % 8;
	case 2: /* anywhere in the 32-bit space */
		return prng_u32();
	default:
		return prng_next();
	}
}

static u64 random_argument(void)
{
	switch (prng_u32() % 4) {
	case 0:
		return prng_u32() % 4;
	case 1:
		return prng_u32();
	default:
		return prng_next();
	}
}

/* An answer the ABI defines (docs/abi.md). */
static bool defined_answer(u64 func, struct arm_smccc_1_2_regs r)
{
	if (r.a0 == FFA_SUCCESS_32 || r.a0 == FFA_SUCCESS_64)
		return true;
	if (r.a0 == FFA_ERROR_32)
		return (s32)r.a2 <= FFA_NOT_SUPPORTED && (s32)r.a2 >= FFA_NO_DATA;
	if ((s64)r.a0 == SMCCC_NOT_SUPPORTED)
		return true;
	if ((u32)func == FFA_VERSION_32)
		return r.a0 == FFA_VERSION_COMPILED;
	if ((u32)func == SMCCC_VERSION_FUNC)
		return r.a0 == SMCCC_VERSION_1_2;
	return false;
}

/* Calls that "fuzz ... live" leaves out: they would take the mailbox or
 * the VMs of hafnium.ko from under it. */
static bool touches_live_state(u64 func)
{
	switch ((u32)func) {
	case FFA_RXTX_MAP_32:
	case FFA_RXTX_MAP_64:
	case FFA_RXTX_UNMAP_32:
	case FFA_RX_RELEASE_32:
	case FFA_PARTITION_INFO_GET_32:
	case FFA_MSG_SEND2_32:
	case FFA_RUN_32:
	case HF_VM_CREATE:
	case HF_VM_LOAD:
	case HF_VM_START:
	case HF_VM_STOP:
	case HF_VM_DESTROY:
		return true;
	default:
		return false;
	}
}

static void run_fuzz(unsigned long count, unsigned long seed, bool live)
{
	u64 tx = page_to_phys(tx_page);
	u64 rx = page_to_phys(rx_page);
	unsigned long defined = 0;
	unsigned long i;

	prng_state = seed | 1;
	say("seed %lu\n", seed);
	for (i = 0; i < count; i++) {
		u64 func = random_function();
		u64 a1, a2;
		struct arm_smccc_1_2_regs r;

		while (live && touches_live_state(func))
			func = random_function();
		a1 = random_argument();
		a2 = random_argument();

		/* The callee reads the function id from w0 only. */
		if ((u32)func == FFA_RXTX_MAP_32 ||
		    (u32)func == FFA_RXTX_MAP_64) {
			/* Our own pages, or ones the hypervisor must refuse. */
			a1 = prng_u32() & 1 ? tx : tx + 8;
			a2 = prng_u32() & 1 ? rx : DEVICE_PA;
		}
		r = hvc(func, a1, a2, random_argument(), random_argument(),
			random_argument());
		if (defined_answer(func, r)) {
			defined++;
		} else if (i - defined < 5) {
			say("undefined answer to 0x%llx: x0=0x%llx x2=0x%llx\n",
			    func, (u64)r.a0, (u64)r.a2);
		}
		if ((i & 1023) == 0)
			cond_resched();
	}
	/* Leave no mailbox mapped behind (live: it is the driver's). */
	if (!live)
		hvc(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
	say("calls %lu defined %lu\n", count, defined);
}

/* As many one-page constituents as a descriptor in TX can hold. */
#define CREATE_PAGES                                              \
	((HF_MAILBOX_SIZE - sizeof(struct hf_vm_create_desc)) /   \
	 sizeof(struct ffa_memory_region_constituent))
#define CREATE_DESC_SIZE                                          \
	(sizeof(struct hf_vm_create_desc) +                       \
	 CREATE_PAGES * sizeof(struct ffa_memory_region_constituent))
#define REPORT_MAX 4
/* Hyp pages for a VM of CREATE_PAGES (or fewer) pages. */
#define HYP_PAGES hf_vm_hyp_pages(CREATE_PAGES)

/*
 * The three threads of create_race. Each round: the creator maps the
 * mailbox on this module's pages, writes the descriptor, lets the others
 * go (round) and calls HF_VM_CREATE; the unmapper unmaps the mailbox
 * (unmapped); the mapper maps it on P, P2 until that works or the unmap
 * and the create (created) are over, then says how it ended (on_p,
 * remapped).
 */
struct create_race {
	u64 pa[CREATE_PAGES];	/* the constituents; the last two P, P2 */
	u64 hyp_pa;		/* the VM's hyp pages */
	u64 end_ns;
	atomic_t round;
	atomic_t running[2];	/* the unmapper's and the mapper's round */
	atomic_t created;
	atomic_t unmapped;
	atomic_t remapped;
	bool on_p;
	bool stop;
	unsigned long rounds, creates, refused, violations, undefined;
	unsigned long maps_on_p, remapper_undefined;
	struct completion done[3];
};

static bool is_success(struct arm_smccc_1_2_regs r)
{
	return r.a0 == FFA_SUCCESS_32;
}

static bool is_error(struct arm_smccc_1_2_regs r, int code)
{
	return r.a0 == FFA_ERROR_32 && (s32)r.a2 == code;
}

/* Waits for the creator's next round; false when the test is over. */
static bool next_round(struct create_race *cr, int round, int who)
{
	while (atomic_read_acquire(&cr->round) < round) {
		if (READ_ONCE(cr->stop))
			return false;
		cond_resched();
	}
	atomic_set_release(&cr->running[who], round);
	return true;
}

/* Unmaps the mailbox once a round, at a point spread over the create,
 * from before its copy of the descriptor to the end of its donation. */
static int unmapper_fn(void *data)
{
	struct create_race *cr = data;
	int round;

	for (round = 1; next_round(cr, round, 0); round++) {
		udelay(round % 32 * 20);
		if (!is_success(hvc(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0)))
			cr->remapper_undefined++;
		atomic_set_release(&cr->unmapped, round);
	}
	complete(&cr->done[1]);
	return 0;
}

/* The attack, on a CPU of its own (the unmap may keep its CPU in the
 * hypervisor until the create is over): maps the mailbox on P and P2,
 * retried until it works or both the unmap and the create are over. */
static int mapper_fn(void *data)
{
	struct create_race *cr = data;
	u64 p = cr->pa[CREATE_PAGES - 2], p2 = cr->pa[CREATE_PAGES - 1];
	struct arm_smccc_1_2_regs r;
	bool on_p, over;
	int round;

	for (round = 1; next_round(cr, round, 1); round++) {
		do {
			over = atomic_read_acquire(&cr->created) >= round &&
			       atomic_read_acquire(&cr->unmapped) >= round;
			r = hvc(FFA_RXTX_MAP_64, p, p2, 1, 0, 0);
			on_p = is_success(r);
			/* DENIED: not unmapped yet; INVALID: P is not the
			 * primary's (any more). */
			if (!on_p && !is_error(r, FFA_INVALID_PARAMETERS) &&
			    !is_error(r, FFA_DENIED))
				cr->remapper_undefined++;
		} while (!on_p && !over);
		cr->maps_on_p += on_p;
		WRITE_ONCE(cr->on_p, on_p);
		atomic_set_release(&cr->remapped, round);
	}
	complete(&cr->done[2]);
	return 0;
}

/* The checks of a VM that got the pages; false on a violation. */
static bool vm_pages_unreachable(struct create_race *cr, u64 id)
{
	u64 probe[] = { cr->pa[0], cr->pa[CREATE_PAGES - 2],
			cr->pa[CREATE_PAGES - 1] };
	struct arm_smccc_1_2_regs r;
	unsigned int i;
	u64 value;

	r = hvc(HF_VM_INFO, id, 0, 0, 0, 0);
	if (r.a0 != FFA_SUCCESS_64 || r.a3 != CREATE_PAGES * PAGE_SIZE) {
		if (cr->violations < REPORT_MAX)
			say("VM %llu: HF_VM_INFO x0=0x%llx memory 0x%llx\n",
			    id, (u64)r.a0, (u64)r.a3);
		return false;
	}
	for (i = 0; i < ARRAY_SIZE(probe); i++) {
		if (!copy_from_kernel_nofault(&value, phys_to_virt(probe[i]),
					      sizeof(value))) {
			if (cr->violations < REPORT_MAX)
				say("VM %llu: its page 0x%llx is readable\n",
				    id, probe[i]);
			return false;
		}
	}
	return true;
}

/*
 * A create descriptor in TX for one-page constituents, with its hyp pages
 * at hyp_pa (contiguous, HYP_PAGES of them); its length.
 */
static u64 write_create_desc(const char *name, const u64 *pa,
			     unsigned int count, u64 hyp_pa)
{
	struct hf_vm_create_desc *d = page_address(tx_page);
	unsigned int i;

	memset(d, 0, CREATE_DESC_SIZE);
	strscpy(d->name, name, sizeof(d->name));
	d->vcpu_count = 1;
	d->hyp_address = hyp_pa;
	d->hyp_page_count = HYP_PAGES;
	d->memory.page_count = count;
	d->memory.constituent_count = count;
	for (i = 0; i < count; i++) {
		d->memory.constituents[i].address = pa[i];
		d->memory.constituents[i].page_count = 1;
	}
	return sizeof(*d) + count * sizeof(d->memory.constituents[0]);
}

static void create_round(struct create_race *cr, int round)
{
	struct arm_smccc_1_2_regs r;
	bool violation = false;
	u64 len;
	u64 id;

	/* The round starts with the mailbox unmapped. */
	if (!is_success(hvc(FFA_RXTX_MAP_64, page_to_phys(tx_page),
			    page_to_phys(rx_page), 1, 0, 0))) {
		cr->undefined++;
		return;
	}
	len = write_create_desc("c1race", cr->pa, CREATE_PAGES, cr->hyp_pa);
	atomic_set_release(&cr->round, round);
	while (atomic_read_acquire(&cr->running[0]) < round ||
	       atomic_read_acquire(&cr->running[1]) < round)
		cpu_relax();
	r = hvc(HF_VM_CREATE, len, 0, 0, 0, 0);
	atomic_set_release(&cr->created, round);
	while (atomic_read_acquire(&cr->remapped) < round ||
	       atomic_read_acquire(&cr->unmapped) < round)
		cond_resched();

	cr->rounds++;
	id = r.a2;
	if (is_success(r)) {
		cr->creates++;
		if (READ_ONCE(cr->on_p)) {
			if (cr->violations < REPORT_MAX)
				say("round %d: VM %llu created and the mailbox mapped on its pages 0x%llx, 0x%llx\n",
				    round, id, cr->pa[CREATE_PAGES - 2],
				    cr->pa[CREATE_PAGES - 1]);
			violation = true;
		}
		if (!vm_pages_unreachable(cr, id))
			violation = true;
		if (!is_success(hvc(HF_VM_DESTROY, id, 0, 0, 0, 0)))
			cr->undefined++;
	} else if (is_error(r, FFA_INVALID_PARAMETERS) ||
		   is_error(r, FFA_DENIED) || is_error(r, FFA_NO_MEMORY)) {
		/* The mailbox was gone, or on P, when the create looked. */
		cr->refused++;
	} else {
		if (cr->undefined < REPORT_MAX)
			say("round %d: HF_VM_CREATE answered x0=0x%llx w2=%d\n",
			    round, (u64)r.a0, (s32)r.a2);
		cr->undefined++;
	}
	cr->violations += violation;
	if (READ_ONCE(cr->on_p) &&
	    !is_success(hvc(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0)))
		cr->undefined++;
}

static int creator_fn(void *data)
{
	struct create_race *cr = data;
	int round = 0;

	while (ktime_get_ns() < cr->end_ns)
		create_round(cr, ++round);
	WRITE_ONCE(cr->stop, true);
	complete(&cr->done[0]);
	return 0;
}

/*
 * The constituents are every other page of one 2 MiB block of this
 * module's, and a VM that lives through the whole test holds some of the
 * pages in between: the primary's stage-2 then stays split down to pages
 * there, and every donation changes it only there, away from the kernel's
 * code, stacks and data. Otherwise each round's first donation splits a
 * block that maps the whole kernel, and the mapper's CPU, faulting on it
 * during the change, waits in the hypervisor for the create to end (a CPU
 * of the primary that faults on a mapping being changed retries once the
 * change is over). The create still makes one change per page.
 */
#define CREATE_BLOCK_ORDER 9
#define HOLDER_PAGES HF_VM_MIN_PAGES

/* The VM that keeps the block split: the odd pages at its start. */
static int create_holder(u64 block_pa, u64 hyp_pa, u64 *id)
{
	struct arm_smccc_1_2_regs r;
	u64 pa[HOLDER_PAGES];
	unsigned int i;
	u64 len;

	for (i = 0; i < HOLDER_PAGES; i++)
		pa[i] = block_pa + (2 * i + 1) * PAGE_SIZE;
	r = hvc(FFA_RXTX_MAP_64, page_to_phys(tx_page), page_to_phys(rx_page),
		1, 0, 0);
	if (!is_success(r))
		return -EBUSY;
	len = write_create_desc("c1hold", pa, HOLDER_PAGES, hyp_pa);
	r = hvc(HF_VM_CREATE, len, 0, 0, 0, 0);
	*id = r.a2;
	if (!is_success(hvc(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0)) ||
	    !is_success(r))
		return -EIO;
	return 0;
}

static int run_create_race(unsigned long ms)
{
	int (*fn[3])(void *) = { creator_fn, unmapper_fn, mapper_fn };
	struct page *block, *block_p;
	struct task_struct *task[3];
	u64 holder;
	struct create_race *cr;
	int cpu[3] = { -1, -1, -1 }, c, i, ret = 0;

	BUILD_BUG_ON(2 * CREATE_PAGES > 1 << CREATE_BLOCK_ORDER);
	cr = kzalloc(sizeof(*cr), GFP_KERNEL);
	block = alloc_pages(GFP_KERNEL | __GFP_NOWARN, CREATE_BLOCK_ORDER);
	block_p = alloc_pages(GFP_KERNEL | __GFP_NOWARN, CREATE_BLOCK_ORDER);
	if (!cr || !block || !block_p) {
		ret = -ENOMEM;
		goto free;
	}
	for (i = 0; i < CREATE_PAGES - 2; i++)
		cr->pa[i] = page_to_phys(block + 2 * i);
	cr->pa[CREATE_PAGES - 2] = page_to_phys(block_p);
	cr->pa[CREATE_PAGES - 1] = page_to_phys(block_p + 2);
	/* Hyp pages after P and P2: the holder's, then the creator's. */
	cr->hyp_pa = page_to_phys(block_p + 4 + HYP_PAGES);
	ret = create_holder(page_to_phys(block), page_to_phys(block_p + 4),
			    &holder);
	if (ret) {
		say("cannot create the VM that keeps the block split: %d\n",
		    ret);
		goto free;
	}
	cr->end_ns = ktime_get_ns() + ms * NSEC_PER_MSEC;
	/* The last three online CPUs: all three calls in EL2 at once. */
	for_each_online_cpu(c) {
		cpu[0] = cpu[1];
		cpu[1] = cpu[2];
		cpu[2] = c;
	}
	for (i = 1; i >= 0; i--)
		if (cpu[i] < 0)
			cpu[i] = cpu[i + 1];
	for (i = 0; i < 3; i++) {
		init_completion(&cr->done[i]);
		task[i] = kthread_create(fn[i], cr, "hf_c1race%d", i);
		if (IS_ERR(task[i])) {
			ret = PTR_ERR(task[i]);
			/* Not woken yet: stopped before they run. */
			while (i--) {
				kthread_stop(task[i]);
				put_task_struct(task[i]);
			}
			goto free;
		}
		get_task_struct(task[i]);
		kthread_bind(task[i], cpu[i]);
	}
	for (i = 0; i < 3; i++)
		wake_up_process(task[i]);
	for (i = 0; i < 3; i++) {
		wait_for_completion(&cr->done[i]);
		kthread_stop(task[i]);
		put_task_struct(task[i]);
	}
	say("rounds %lu created %lu refused %lu maps_on_p %lu violations %lu undefined %lu\n",
	    cr->rounds, cr->creates, cr->refused, cr->maps_on_p,
	    cr->violations, cr->undefined + cr->remapper_undefined);
	if (!is_success(hvc(HF_VM_DESTROY, holder, 0, 0, 0, 0)))
		say("cannot destroy the VM that kept the block split\n");
free:
	if (block)
		__free_pages(block, CREATE_BLOCK_ORDER);
	if (block_p)
		__free_pages(block_p, CREATE_BLOCK_ORDER);
	kfree(cr);
	return ret;
}

/* The x0-x7 conduit: the cheapest a kernel caller can use. */
static void run_bench(unsigned long count)
{
	struct arm_smccc_res res;
	unsigned long flags;
	unsigned long i;
	u64 start;
	u64 end;

	local_irq_save(flags);
	isb();
	start = __arch_counter_get_cntvct();
	for (i = 0; i < count; i++)
		arm_smccc_1_1_hvc(FFA_VERSION_32, FFA_VERSION_COMPILED, &res);
	isb();
	end = __arch_counter_get_cntvct();
	local_irq_restore(flags);
	say("calls %lu ticks %llu\n", count, end - start);
}

static ssize_t test_write(struct file *file, const char __user *ubuf,
			  size_t count, loff_t *ppos)
{
	char cmd[64], mode[5];
	unsigned long a;
	unsigned long b;
	int ret = 0, n;

	if (count >= sizeof(cmd))
		return -EINVAL;
	if (copy_from_user(cmd, ubuf, count))
		return -EFAULT;
	cmd[count] = '\0';

	mutex_lock(&test_lock);
	result_len = 0;
	result[0] = '\0';
	if (sscanf(cmd, "errors %lx", &a) == 1 && PAGE_ALIGNED(a)) {
		run_errors(a);
	} else if ((n = sscanf(cmd, "fuzz %lu %lu %4s", &a, &b, mode)) >= 2 &&
		   a > 0 && (n == 2 || !strcmp(mode, "live"))) {
		run_fuzz(a, b, n == 3);
	} else if (sscanf(cmd, "create_race %lu", &a) == 1 && a > 0) {
		ret = run_create_race(a);
	} else if (sscanf(cmd, "bench %lu", &a) == 1 && a > 0) {
		run_bench(a);
	} else {
		mutex_unlock(&test_lock);
		return -EINVAL;
	}
	mutex_unlock(&test_lock);
	return ret ?: count;
}

static ssize_t test_read(struct file *file, char __user *ubuf, size_t count,
			 loff_t *ppos)
{
	ssize_t ret;

	mutex_lock(&test_lock);
	ret = simple_read_from_buffer(ubuf, count, ppos, result, result_len);
	mutex_unlock(&test_lock);
	return ret;
}

static const struct proc_ops test_ops = {
	.proc_write = test_write,
	.proc_read = test_read,
	.proc_lseek = default_llseek,
};

static int __init hf_abi_test_init(void)
{
	struct device_node *hyp;

	/* Without hafnium an HVC would be undefined: do not make one. */
	hyp = of_find_compatible_node(NULL, NULL, "hafnium,hafnium");
	if (!hyp) {
		pr_err(TEST_NAME ": not running under hafnium\n");
		return -ENODEV;
	}
	of_node_put(hyp);
	result = kzalloc(RESULT_SIZE, GFP_KERNEL);
	tx_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	rx_page = alloc_page(GFP_KERNEL | __GFP_ZERO);
	if (!result || !tx_page || !rx_page)
		goto nomem;
	if (!proc_create(TEST_NAME, 0600, NULL, &test_ops))
		goto nomem;
	return 0;
nomem:
	kfree(result);
	if (tx_page)
		__free_page(tx_page);
	if (rx_page)
		__free_page(rx_page);
	return -ENOMEM;
}

static void __exit hf_abi_test_exit(void)
{
	remove_proc_entry(TEST_NAME, NULL);
	__free_page(tx_page);
	__free_page(rx_page);
	kfree(result);
}

module_init(hf_abi_test_init);
module_exit(hf_abi_test_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("hafnium hypercall ABI tests (test only)");
