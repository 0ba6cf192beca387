// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercalls to hafnium: SMCCC 1.2 "hvc #0" with FF-A semantics. A call
 * succeeds with FFA_SUCCESS_32/64 in x0 and fails with FFA_ERROR_32 and an
 * FF-A error code in w2; both are turned into 0 or a negative errno here,
 * so the rest of the driver speaks errno only. uapi/hf/abi.h and
 * docs/abi.md define the calls.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/arm-smccc.h>
#include <linux/delay.h>
#include <linux/errno.h>
#include <linux/limits.h>
#include <linux/mm.h>
#include <linux/printk.h>
#include <linux/sizes.h>

#include <asm/unaligned.h>

#include "hafnium.h"

/* FFA_RXTX_MAP counts buffer sizes in 4 KiB pages, whatever PAGE_SIZE is. */
#define HF_MAILBOX_FFA_PAGES (HF_MAILBOX_SIZE / SZ_4K)

static int hf_ffa_errno(s32 code)
{
	switch (code) {
	case FFA_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	case FFA_INVALID_PARAMETERS:
		return -EINVAL;
	case FFA_NO_MEMORY:
		return -ENOMEM;
	case FFA_BUSY:
		return -EBUSY;
	case FFA_INTERRUPTED:
		return -EINTR;
	case FFA_DENIED:
		return -EPERM;
	case FFA_RETRY:
		return -EAGAIN;
	case FFA_ABORTED:
		return -ECANCELED;
	case FFA_NO_DATA:
		return -ENODATA;
	default:
		return -EPROTO;
	}
}

/* Makes the call in args; res holds the answer when 0 is returned. */
static int hf_call(const struct arm_smccc_1_2_regs *args,
		   struct arm_smccc_1_2_regs *res)
{
	arm_smccc_1_2_hvc(args, res);

	switch ((u32)res->a0) {
	case FFA_SUCCESS_32:
	case FFA_SUCCESS_64:
		return 0;
	case FFA_ERROR_32:
		return hf_ffa_errno((s32)res->a2);
	case (u32)SMCCC_NOT_SUPPORTED:
		return -EOPNOTSUPP;
	default:
		/* Not an answer the ABI defines: a hypervisor bug. */
		pr_warn_ratelimited("call 0x%lx: unexpected answer 0x%lx\n",
				    args->a0, res->a0);
		return -EPROTO;
	}
}

/* FFA_VERSION answers with the version itself in w0, not FFA_SUCCESS. */
int hf_ffa_version(u32 *version)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = FFA_VERSION_32,
		.a1 = FFA_VERSION_COMPILED,
	};
	struct arm_smccc_1_2_regs res;

	arm_smccc_1_2_hvc(&args, &res);
	if ((s32)res.a0 == FFA_NOT_SUPPORTED)
		return -EOPNOTSUPP;
	/* A version has bit 31 clear. */
	if (res.a0 > S32_MAX)
		return -EPROTO;
	*version = res.a0;
	return 0;
}

int hf_ffa_id_get(u16 *id)
{
	const struct arm_smccc_1_2_regs args = { .a0 = FFA_ID_GET_32 };
	struct arm_smccc_1_2_regs res;
	int ret;

	ret = hf_call(&args, &res);
	if (ret)
		return ret;
	*id = res.a2 & 0xffff;
	return 0;
}

int hf_ffa_rxtx_map(phys_addr_t tx, phys_addr_t rx)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = FFA_RXTX_MAP_64,
		.a1 = tx,
		.a2 = rx,
		.a3 = HF_MAILBOX_FFA_PAGES,
	};
	struct arm_smccc_1_2_regs res;

	return hf_call(&args, &res);
}

int hf_ffa_rxtx_unmap(void)
{
	/* w1 = 0: the caller's own buffers. */
	const struct arm_smccc_1_2_regs args = { .a0 = FFA_RXTX_UNMAP_32 };
	struct arm_smccc_1_2_regs res;

	return hf_call(&args, &res);
}

int hf_hyp_info(struct hf_hyp_info *info)
{
	const struct arm_smccc_1_2_regs args = { .a0 = HF_HYP_INFO };
	struct arm_smccc_1_2_regs res;
	int ret;

	ret = hf_call(&args, &res);
	if (ret)
		return ret;
	info->abi_version = res.a2;
	info->cpu_count = res.a3;
	info->vm_count = res.a4;
	info->mem_available = res.a5;
	info->max_vms = res.a6;
	info->max_vcpus = res.a7;
	return 0;
}

int hf_vm_info(u32 vm_id, struct hf_vm_info *info)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = HF_VM_INFO,
		.a1 = vm_id,
	};
	struct arm_smccc_1_2_regs res;
	int ret;

	ret = hf_call(&args, &res);
	/* The hypervisor's answer to an id that names no VM. */
	if (ret == -EINVAL)
		return -ENOENT;
	if (ret)
		return ret;
	info->state = res.a2 >> 16 & 0xffff;
	info->vcpu_count = res.a2 & 0xffff;
	info->hyp_pages = res.a2 >> 32;
	info->mem_size = res.a3;
	/* x4..x7 hold the name's 32 bytes, the first in x4's low byte. */
	put_unaligned_le64(res.a4, info->name);
	put_unaligned_le64(res.a5, info->name + 8);
	put_unaligned_le64(res.a6, info->name + 16);
	put_unaligned_le64(res.a7, info->name + 24);
	/* The ABI pads with NULs; do not trust it to terminate. */
	info->name[sizeof(info->name) - 1] = '\0';
	return 0;
}

void hf_waiters_from(u64 *waiters, const struct arm_smccc_1_2_regs *res)
{
	waiters[0] = res->a2;
	waiters[1] = res->a3;
	waiters[2] = res->a4;
	waiters[3] = res->a5;
}

/*
 * One FFA_PARTITION_INFO_GET from the start-th VM (w6, hafnium's
 * extension), its ids copied out and RX released; the mailbox lock is
 * held. Returns how many it read, and the total in *total.
 */
static int hf_vm_list_part(struct hf_dev *hf, u16 *ids, unsigned int start,
			   unsigned long *total, u64 *waiters)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = FFA_PARTITION_INFO_GET_32,
		.a6 = start,
	};
	const struct arm_smccc_1_2_regs release = { .a0 = FFA_RX_RELEASE_32 };
	const u8 *rx = page_address(hf->rx);
	struct arm_smccc_1_2_regs res;
	unsigned long count, size, i;
	u64 released[HF_WAITERS_WORDS];
	int ret, release_ret;

	ret = hf_call(&args, &res);
	if (ret)
		return ret;
	count = res.a2;
	size = res.a3;
	*total = res.a4;
	if (size < FFA_PARTITION_INFO_SIZE ||
	    count > HF_MAILBOX_SIZE / size || *total > HF_VM_LIST_MAX ||
	    count > *total - start) {
		pr_warn_ratelimited("FFA_PARTITION_INFO_GET: %lu descriptors of %lu bytes from %u of %lu do not fit\n",
				    count, size, start, *total);
		ret = -EPROTO;
	} else {
		/* Descriptors start with the 16-bit partition (VM) id. */
		for (i = 0; i < count; i++)
			ids[start + i] = get_unaligned_le16(rx + i * size);
		ret = count;
	}

	/* The RX buffer is ours until released, even if unreadable. */
	release_ret = hf_call(&release, &res);
	if (release_ret)
		return release_ret;
	hf_waiters_from(released, &res);
	for (i = 0; i < HF_WAITERS_WORDS; i++)
		waiters[i] |= released[i];
	return ret;
}

int hf_vm_list(struct hf_dev *hf, u16 ids[HF_VM_LIST_MAX])
{
	u64 waiters[HF_WAITERS_WORDS] = { };
	unsigned long total = HF_VM_LIST_MAX;
	unsigned int start = 0, tries = 0;
	int ret = 0;

	/* More VMs than one RX buffer holds take several calls. */
	while (start < total) {
		mutex_lock(&hf->mailbox_lock);
		ret = hf_vm_list_part(hf, ids, start, &total, waiters);
		mutex_unlock(&hf->mailbox_lock);
		/*
		 * BUSY: RX holds a message from a VM that its vCPU thread has
		 * not yet taken out (it waits for this lock; socket.c). Let
		 * it.
		 */
		if (ret == -EBUSY && ++tries < 1000) {
			usleep_range(500, 1000);
			continue;
		}
		if (ret <= 0)
			break;
		start += ret;
	}
	/* VMs whose messages to the primary found RX full meanwhile. */
	hf_sock_rx_released(hf, waiters);
	/* A VM created or destroyed between calls may shift the list. */
	return ret < 0 ? ret : min_t(unsigned long, start, total);
}

int hf_call_vm_create(u32 desc_len, u16 *vm_id)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = HF_VM_CREATE,
		.a1 = desc_len,
	};
	struct arm_smccc_1_2_regs res;
	int ret;

	ret = hf_call(&args, &res);
	if (ret)
		return ret;
	if (res.a2 <= HF_PRIMARY_VM_ID || res.a2 > U16_MAX) {
		pr_warn_ratelimited("HF_VM_CREATE: unexpected VM id %lu\n",
				    res.a2);
		return -EPROTO;
	}
	*vm_id = res.a2;
	return 0;
}

int hf_call_vm_load(u16 vm_id, u64 offset, u32 len)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = HF_VM_LOAD,
		.a1 = vm_id,
		.a2 = offset,
		.a3 = len,
	};
	struct arm_smccc_1_2_regs res;

	return hf_call(&args, &res);
}

int hf_call_vm_start(u16 vm_id, u64 entry)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = HF_VM_START,
		.a1 = vm_id,
		.a2 = entry,
	};
	struct arm_smccc_1_2_regs res;

	return hf_call(&args, &res);
}

int hf_call_vm_stop(u16 vm_id)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = HF_VM_STOP,
		.a1 = vm_id,
	};
	struct arm_smccc_1_2_regs res;

	return hf_call(&args, &res);
}

int hf_call_vm_destroy(u16 vm_id, u64 *waiters)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = HF_VM_DESTROY,
		.a1 = vm_id,
	};
	struct arm_smccc_1_2_regs res;
	int ret;

	ret = hf_call(&args, &res);
	/* x2..x5: the VMs that found its RX full, told it is gone. */
	if (ret)
		memset(waiters, 0, HF_WAITERS_WORDS * sizeof(*waiters));
	else
		hf_waiters_from(waiters, &res);
	return ret;
}

int hf_call_vm_exit_info(u16 vm_id, struct hf_vm_exit *exit)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = HF_VM_EXIT_INFO,
		.a1 = vm_id,
	};
	struct arm_smccc_1_2_regs res;
	int ret;

	ret = hf_call(&args, &res);
	if (ret)
		return ret;
	exit->reason = res.a2;
	exit->vcpu = res.a3;
	exit->esr = res.a4;
	exit->far = res.a5;
	exit->elr = res.a6;
	return 0;
}

void hf_call_run_args(u16 vm_id, u16 vcpu, struct arm_smccc_1_2_regs *args)
{
	*args = (struct arm_smccc_1_2_regs){
		.a0 = FFA_RUN_32,
		.a1 = (u32)vm_id << 16 | vcpu,
	};
}

int hf_call_interrupt_inject(u16 vm_id, u16 vcpu, u32 intid)
{
	const struct arm_smccc_1_2_regs args = {
		.a0 = HF_INTERRUPT_INJECT,
		.a1 = (u32)vm_id << 16 | vcpu,
		.a2 = intid,
	};
	struct arm_smccc_1_2_regs res;
	int ret;

	ret = hf_call(&args, &res);
	/* DENIED: the VM is not running (callers refuse the primary). */
	if (ret == -EPERM)
		return -ESRCH;
	if (ret)
		return ret;
	/* w2: 1 if the id became pending, 0 if it was pending already. */
	if ((u32)res.a2 > 1) {
		pr_warn_ratelimited("HF_INTERRUPT_INJECT: unexpected answer %lu\n",
				    res.a2);
		return -EPROTO;
	}
	return (u32)res.a2;
}

int hf_call_dma_fault_get(struct hf_dma_fault *f)
{
	const struct arm_smccc_1_2_regs args = { .a0 = HF_DMA_FAULT_GET };
	struct arm_smccc_1_2_regs res;
	int ret;

	ret = hf_call(&args, &res);
	if (ret)
		return ret;
	f->stream = res.a2;
	f->address = res.a3;
	f->kind = res.a4;
	f->event_id = res.a5;
	f->write = res.a6 & HF_DMA_FAULT_WRITE;
	f->lost = res.a7;
	return 0;
}
