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
 *   fuzz COUNT SEED    COUNT calls with pseudo-random function ids (FF-A,
 *                      HF and anything) and arguments, reproducible from
 *                      SEED; prints how many
 *                      answers were defined (FFA_SUCCESS, FFA_ERROR with an
 *                      FF-A error code, a version, SMCCC NOT_SUPPORTED).
 *   bench COUNT        COUNT FFA_VERSION calls with interrupts off; prints
 *                      the CNTVCT_EL0 ticks they took.
 *
 * RXTX_MAP is only ever given this module's own two pages or addresses
 * that must be refused, so that no call can make the hypervisor write into
 * memory the kernel uses. The module must be used while hafnium.ko is not
 * loaded: the primary has one RX/TX pair, and fuzzing would unmap the
 * driver's.
 */
#include <linux/arm-smccc.h>
#include <linux/gfp.h>
#include <linux/io.h>
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

static void run_fuzz(unsigned long count, unsigned long seed)
{
	u64 tx = page_to_phys(tx_page);
	u64 rx = page_to_phys(rx_page);
	unsigned long defined = 0;
	unsigned long i;

	prng_state = seed | 1;
	say("seed %lu\n", seed);
	for (i = 0; i < count; i++) {
		u64 func = random_function();
		u64 a1 = random_argument(), a2 = random_argument();
		struct arm_smccc_1_2_regs r;

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
	/* Leave no mailbox mapped behind. */
	hvc(FFA_RXTX_UNMAP_32, 0, 0, 0, 0, 0);
	say("calls %lu defined %lu\n", count, defined);
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
	char cmd[64];
	unsigned long a;
	unsigned long b;

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
	} else if (sscanf(cmd, "fuzz %lu %lu", &a, &b) == 2 && a > 0) {
		run_fuzz(a, b);
	} else if (sscanf(cmd, "bench %lu", &a) == 1 && a > 0) {
		run_bench(a);
	} else {
		mutex_unlock(&test_lock);
		return -EINVAL;
	}
	mutex_unlock(&test_lock);
	return count;
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
