/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The hypercall ABI of hafnium, shared by el2, hafnium.ko and guests.
 *
 * Conduit: SMCCC, "hvc #0", function id in w0, arguments in x1..x7,
 * results in x0..x7. Where Arm FF-A v1.1 (DEN0077A) defines an operation,
 * its function id and semantics are used; what FF-A lacks is in the SMCCC
 * vendor-specific hypervisor service range (owning entity 6) as HF_* calls,
 * which answer in FF-A style too (FFA_SUCCESS or FFA_ERROR).
 * docs/abi.md is the reference for every call.
 */
#ifndef HF_ABI_H
#define HF_ABI_H

/* FF-A version implemented: 1.1. */
#define FFA_VERSION_MAJOR 1
#define FFA_VERSION_MINOR 1
#define FFA_VERSION_COMPILED ((FFA_VERSION_MAJOR << 16) | FFA_VERSION_MINOR)

/* FF-A function ids (32-bit fast calls unless _64). */
#define FFA_ERROR_32 0x84000060
#define FFA_SUCCESS_32 0x84000061
#define FFA_SUCCESS_64 0xc4000061
#define FFA_INTERRUPT_32 0x84000062
#define FFA_VERSION_32 0x84000063
#define FFA_FEATURES_32 0x84000064
#define FFA_RX_RELEASE_32 0x84000065
#define FFA_RXTX_MAP_32 0x84000066
#define FFA_RXTX_MAP_64 0xc4000066
#define FFA_RXTX_UNMAP_32 0x84000067
#define FFA_PARTITION_INFO_GET_32 0x84000068
#define FFA_ID_GET_32 0x84000069
#define FFA_MSG_WAIT_32 0x8400006b
#define FFA_YIELD_32 0x8400006c
#define FFA_RUN_32 0x8400006d
#define FFA_MSG_SEND2_32 0x84000086

/* FF-A error codes, in w2 of FFA_ERROR. */
#define FFA_NOT_SUPPORTED (-1)
#define FFA_INVALID_PARAMETERS (-2)
#define FFA_NO_MEMORY (-3)
#define FFA_BUSY (-4)
#define FFA_INTERRUPTED (-5)
#define FFA_DENIED (-6)
#define FFA_RETRY (-7)
#define FFA_ABORTED (-8)
#define FFA_NO_DATA (-9)

/* SMCCC: an unknown function id outside the FF-A range returns this in
 * w0 (the same value as FFA_NOT_SUPPORTED). */
#define SMCCC_NOT_SUPPORTED (-1)
#define SMCCC_VERSION_FUNC 0x80000000
#define SMCCC_VERSION_1_2 0x10002

/* hafnium vendor calls: SMCCC fast, 64-bit, owning entity 6 (vendor
 * specific hypervisor service). */
#define HF_CALL_BASE 0xc6000000
/* Hypervisor information; any VM. -> FFA_SUCCESS_64 with
 *   w2 = ABI version (major << 16 | minor), w3 = CPU count,
 *   w4 = number of VMs, x5 = bytes of RAM the primary may donate to VMs,
 *   w6 = maximum number of VMs (HF_MAX_VMS), w7 = maximum vCPUs per VM. */
#define HF_HYP_INFO (HF_CALL_BASE + 1)
/* One VM's information; w1 = VM id. -> FFA_SUCCESS_64 with
 *   w2 = state << 16 | vCPU count, x2[63:32] = pages the hypervisor holds
 *   for the VM (hf_vm_create_desc.hyp_page_count; 0 for the primary),
 *   x3 = memory in bytes,
 *   x4..x7 = debug name, 32 bytes, NUL padded, little-endian. */
#define HF_VM_INFO (HF_CALL_BASE + 2)

/*
 * Secondary VM lifecycle; primary only. Descriptors and image bytes are
 * passed in the primary's TX buffer (FFA_RXTX_MAP first).
 *
 * HF_VM_CREATE: w1 = length of a struct hf_vm_create_desc in TX. The
 *   memory it lists is donated: removed from the primary's stage-2 and
 *   mapped at consecutive IPAs from HF_VM_RAM_BASE in the new VM, in
 *   order. Its hyp pages are donated too, to the hypervisor, which keeps
 *   the VM's own state and stage-2 tables there (mapped nowhere else).
 *   -> FFA_SUCCESS_32, w2 = new VM id (state CREATED). NO_MEMORY: every
 *   VM id is in use (HF_MAX_VMS).
 * HF_VM_LOAD: w1 = VM id, x2 = offset in the VM's memory, w3 = length
 *   (1..HF_MAILBOX_SIZE): copies that many bytes from TX. CREATED only.
 * HF_VM_START: w1 = VM id, x2 = entry IPA. Writes the VM's device tree
 *   into its last HF_VM_DT_SIZE bytes of memory; vCPU 0 becomes runnable
 *   at the entry, EL1h, MMU off, x0 = IPA of that device tree.
 *   -> state RUNNING.
 * HF_VM_STOP: w1 = VM id. No vCPU of it runs again; one running now on
 *   another CPU stops when that CPU next leaves it (the primary kicks that
 *   CPU with an interrupt). -> state STOPPED, exit reason STOPPED.
 * HF_VM_DESTROY: w1 = VM id. BUSY while any vCPU is running on a CPU, or
 *   while another call still refers to the VM (the VM is gone for every
 *   other call then, and a retry completes the destroy). The VM's memory
 *   and its hyp pages are zeroed and returned to the primary. -> x2..x5 =
 *   the VMs that found its RX buffer full (an HF_WAITERS set):
 *   secondaries among them get HF_MAILBOX_WRITABLE_INTID (their retry
 *   fails) and must be kicked.
 * HF_VM_EXIT_INFO: w1 = VM id. -> FFA_SUCCESS_64, w2 = exit reason
 *   (HF_VM_EXIT_*), w3 = vCPU, x4 = ESR_EL2, x5 = FAR_EL2, x6 = ELR_EL2
 *   (the last three for HF_VM_EXIT_CRASHED).
 */
#define HF_VM_CREATE (HF_CALL_BASE + 3)
#define HF_VM_LOAD (HF_CALL_BASE + 4)
#define HF_VM_START (HF_CALL_BASE + 5)
#define HF_VM_STOP (HF_CALL_BASE + 6)
#define HF_VM_DESTROY (HF_CALL_BASE + 7)
#define HF_VM_EXIT_INFO (HF_CALL_BASE + 8)
/* Secondaries: w1 = length (1..48), x2..x7 = the bytes, little-endian.
 * The primary receives them as an HF_RUN_DEBUG_LOG result of FFA_RUN. */
#define HF_DEBUG_LOG (HF_CALL_BASE + 9)
#define HF_DEBUG_LOG_MAX 48

/*
 * Virtual interrupts of secondary VMs: a paravirtual controller per vCPU
 * with HF_NUM_INTIDS interrupt ids, each enabled or not, pending or not,
 * active or not. The vCPU's virtual IRQ (HCR_EL2.VI) is asserted while an
 * id is enabled, pending and not active; a vCPU in WFI or FFA_MSG_WAIT is
 * woken by it. There are no priorities: the lowest such id is taken first.
 * Injecting an id that is already pending merges with it, as a GIC does.
 *
 * HF_INTERRUPT_ENABLE (secondaries): w1 = intid, w2 = 1 enable, 0 disable.
 *   -> FFA_SUCCESS. INVALID_PARAMETERS for a reserved id or w2 > 1.
 * HF_INTERRUPT_GET (secondaries): acknowledges the lowest enabled pending
 *   id that is not active: it becomes active and no longer pending.
 *   -> FFA_SUCCESS, w2 = that id, or HF_INVALID_INTID if there is none.
 * HF_INTERRUPT_DEACTIVATE (secondaries): w1 = an active intid; it may be
 *   delivered again. -> FFA_SUCCESS; DENIED if it is not active.
 * HF_INTERRUPT_INJECT: w1 = VM id << 16 | vCPU index, w2 = a software intid.
 *   The primary may inject into any running secondary, a secondary only
 *   into its own vCPUs. -> FFA_SUCCESS, w2 = 1 if the id became pending,
 *   0 if it was pending already (merged). INVALID_PARAMETERS for a bad
 *   vCPU or an id that is not a software one; DENIED for another VM
 *   (from a secondary), the primary, or a VM that is not running.
 *   A secondary that injects into another of its vCPUs that waits or runs
 *   on another CPU leaves its CPU: FFA_RUN answers HF_RUN_WAKE_UP with
 *   that vCPU, so that the primary wakes its thread or kicks its CPU.
 * All four answer DENIED to the primary, except HF_INTERRUPT_INJECT.
 */
#define HF_INTERRUPT_ENABLE (HF_CALL_BASE + 10)
#define HF_INTERRUPT_GET (HF_CALL_BASE + 11)
#define HF_INTERRUPT_DEACTIVATE (HF_CALL_BASE + 12)
#define HF_INTERRUPT_INJECT (HF_CALL_BASE + 13)

/*
 * DMA faults (primary only). Where an SMMU guards the primary's DMA, it
 * records each access of the primary's devices it refused; hafnium's boot
 * puts its interrupt in the primary's /hypervisor node ("dma-fault").
 * HF_DMA_FAULT_GET pops the oldest (and prints it on hafnium's console):
 *   -> FFA_SUCCESS_64, w2 = stream id (the PCI requester id, bus << 8 |
 *   devfn), x3 = the address, w4 = HF_DMA_FAULT_* kind, w5 = the SMMU's
 *   own event id, w6 = flags (HF_DMA_FAULT_WRITE, HF_DMA_FAULT_ADDRESS),
 *   w7 = how many times events were lost to a full queue before this one
 *   (each time at least one). NO_DATA: there is none (also without an
 *   SMMU).
 */
#define HF_DMA_FAULT_GET (HF_CALL_BASE + 14)
#define HF_DMA_FAULT_TRANSLATION 1 /* the page is not the primary's now */
#define HF_DMA_FAULT_PERMISSION 2
#define HF_DMA_FAULT_BAD_STE 3
#define HF_DMA_FAULT_BAD_STREAM 4  /* no STE: a device beyond PCI bus 0 */
#define HF_DMA_FAULT_OTHER 5       /* see the event id */
#define HF_DMA_FAULT_WRITE (1u << 0)   /* else a read */
#define HF_DMA_FAULT_ADDRESS (1u << 1) /* x3 and the direction are known */

/* Interrupt ids. 0 and 4..15 are reserved (refused). */
#define HF_NUM_INTIDS 64
#define HF_INVALID_INTID 0xffffffffU
/* Raised by hafnium, never injected: */
#define HF_MAILBOX_READABLE_INTID 1 /* a message is in RX and this vCPU is
				     * not in FFA_MSG_WAIT (vCPU 0, or the
				     * one FFA_MSG_SEND2 picked) */
#define HF_MAILBOX_WRITABLE_INTID 2 /* a VM that answered BUSY to this VM's
				     * FFA_MSG_SEND2 released its RX, unmapped
				     * it or was destroyed (vCPU 0) */
#define HF_VIRTUAL_TIMER_INTID 3    /* the vCPU's EL1 virtual timer fired:
				     * hafnium sets CNTV_CTL_EL0.IMASK, the
				     * guest rearms the timer to clear it */
/* Software interrupts: injected by the primary or the VM itself. */
#define HF_SOFTWARE_INTID_FIRST 16
#define HF_SOFTWARE_INTID_LAST (HF_NUM_INTIDS - 1)

/*
 * FFA_RUN (primary only): w1 = VM id << 16 | vCPU index. Runs that vCPU on
 * the calling CPU until it needs the primary. x0 of the answer:
 *   FFA_YIELD_32         the vCPU yielded; run it again when convenient.
 *   FFA_MSG_WAIT_32      it waits for a message; x2 = ns until its
 *                        virtual timer fires, or HF_SLEEP_INDEFINITE.
 *   HF_RUN_WAIT_FOR_INTERRUPT  it executed WFI; x2 as for FFA_MSG_WAIT.
 *   FFA_INTERRUPT_32     a physical interrupt for the primary arrived;
 *                        the vCPU stays runnable.
 *   HF_RUN_WAKE_UP       it started another vCPU (PSCI CPU_ON): w2 = that
 *                        VM id << 16 | vCPU index; both are runnable.
 *   HF_RUN_DEBUG_LOG     console output: x1[39:32] = length, x2..x7 the
 *                        bytes; the vCPU stays runnable.
 *   FFA_ERROR_32, w2 =
 *     ABORTED            the VM no longer runs (crashed, powered off,
 *                        reset, stopped): see HF_VM_EXIT_INFO;
 *     DENIED             this vCPU is off (not started, or PSCI CPU_OFF)
 *                        or the VM not started;
 *     BUSY               this vCPU is running on another CPU;
 *     INVALID_PARAMETERS no such VM or vCPU, or the primary itself.
 * w1 of every non-error answer = the VM id << 16 | vCPU index that ran.
 */
#define HF_RUN_WAIT_FOR_INTERRUPT (HF_CALL_BASE + 0x100)
#define HF_RUN_WAKE_UP (HF_CALL_BASE + 0x101)
#define HF_RUN_DEBUG_LOG (HF_CALL_BASE + 0x102)
#define HF_SLEEP_INDEFINITE 0xffffffffffffffffULL

/* Exit reasons (HF_VM_EXIT_INFO). */
#define HF_VM_EXIT_NONE 0     /* still created or running */
#define HF_VM_EXIT_STOPPED 1  /* HF_VM_STOP */
#define HF_VM_EXIT_POWEROFF 2 /* PSCI SYSTEM_OFF from the VM */
#define HF_VM_EXIT_RESET 3    /* PSCI SYSTEM_RESET from the VM */
#define HF_VM_EXIT_CRASHED 4  /* a fault or an untrapped instruction */

/* Where a secondary's RAM starts in its IPA space, and the room its
 * device tree takes at the end of that RAM. */
#define HF_VM_RAM_BASE 0x80000000ULL
#define HF_VM_DT_SIZE 0x2000
/* A VM's memory: at least this, in pages. */
#define HF_VM_MIN_PAGES 16

/*
 * VM ids 1..HF_MAX_VMS (1 is the primary). A VM's stage-2 VMID is its id
 * less one: Cortex-A57 and other Armv8.0 CPUs have 8-bit VMIDs, so no
 * VMID is ever shared or recycled and no TLB flush on reuse is needed.
 * More VMs would need VMID recycling (FF-A ids have 15 bits).
 */
#define HF_MAX_VMS 256

/*
 * Sets of VMs (the senders that found an RX buffer full, "waiters") are
 * answered as 256 bits in x2..x5: VM id N is bit (N - 1) % 64 of register
 * x(2 + (N - 1) / 64). So the primary is bit 0 of x2.
 */
#define HF_WAITERS_WORDS (HF_MAX_VMS / 64)

/*
 * The hypervisor's pages for one secondary VM (hf_vm_create_desc hyp_*):
 * HF_VM_HYP_HEADER_PAGES for its state (vCPUs, mailbox, memory list),
 * then a page cache for its stage-2 tables: the root (two concatenated
 * level-1 tables, 8 KiB aligned, so one page more for the alignment),
 * one level-2 table per GiB and one level-3 table per 2 MiB of its memory
 * (its IPA range starts 1 GiB aligned). That is the worst case, whatever
 * the constituents: every level-3 table may be needed when no block fits.
 * One VM's hyp pages are contiguous and at most HF_VM_HYP_MAX_PAGES, which
 * bounds a VM's memory at about 2 GiB.
 */
#define HF_VM_HYP_HEADER_PAGES 5
#define HF_VM_HYP_MAX_PAGES 1024
static inline unsigned long long hf_vm_hyp_pages(unsigned long long mem_pages)
{
	return HF_VM_HYP_HEADER_PAGES + 3 + (mem_pages + 262143) / 262144 +
	       (mem_pages + 511) / 512;
}

/* FF-A v1.1 memory region constituent and composite descriptor. */
struct ffa_memory_region_constituent {
	unsigned long long address; /* page aligned */
	unsigned int page_count;
	unsigned int reserved;      /* MBZ */
};

struct ffa_composite_memory_region {
	unsigned int page_count;        /* sum over the constituents */
	unsigned int constituent_count;
	unsigned long long reserved;    /* MBZ */
	struct ffa_memory_region_constituent constituents[];
};

/* HF_VM_CREATE's descriptor, in the primary's TX buffer. */
struct hf_vm_create_desc {
	char name[32];             /* NUL-terminated, unique, non-empty */
	unsigned int vcpu_count;   /* 1..maximum vCPUs (HF_HYP_INFO w7) */
	unsigned int flags;        /* MBZ */
	/* The primary's pages given to the hypervisor for this VM: one
	 * range, page aligned, hf_vm_hyp_pages(memory.page_count) pages or
	 * more (at most HF_VM_HYP_MAX_PAGES), apart from the memory. */
	unsigned long long hyp_address;
	unsigned int hyp_page_count;
	unsigned int reserved;     /* MBZ */
	struct ffa_composite_memory_region memory;
};

/* hafnium ABI version (HF_HYP_INFO). */
#define HF_ABI_VERSION_MAJOR 2
#define HF_ABI_VERSION_MINOR 1

/* VM ids (FF-A partition ids): 0 is the hypervisor, 1 the primary VM. */
#define HF_HYPERVISOR_VM_ID 0
#define HF_PRIMARY_VM_ID 1
#define HF_VM_NAME_MAX 32

/* VM states (HF_VM_INFO). */
#define HF_VM_STATE_CREATED 0
#define HF_VM_STATE_RUNNING 1
#define HF_VM_STATE_STOPPED 2
#define HF_VM_STATE_CRASHED 3

/* FFA_PARTITION_INFO_GET: flag for "return the count only". hafnium's
 * extension: w6 = index of the first VM to describe (FF-A has it SBZ), so
 * that more VMs than fit one RX buffer are listed in several calls. */
#define FFA_PARTITION_COUNT_FLAG 0x1
#define FFA_PARTITION_INFO_PER_RX (HF_MAILBOX_SIZE / FFA_PARTITION_INFO_SIZE)
/* FF-A v1.1 partition information descriptor, written to the caller's RX
 * buffer: 24 bytes. */
struct ffa_partition_info {
	unsigned short vm_id;
	unsigned short vcpu_count;
	unsigned int properties;
	unsigned int uuid[4];
};
#define FFA_PARTITION_INFO_SIZE 24
/* properties: supports direct requests receipt/send, indirect messages. */
#define FFA_PARTITION_DIRECT_REQ_RECV (1u << 0)
#define FFA_PARTITION_DIRECT_REQ_SEND (1u << 1)
#define FFA_PARTITION_INDIRECT_MSG (1u << 2)

/*
 * Indirect messages (FF-A v1.1 FFA_MSG_SEND2): the sender writes this
 * header at the start of its TX buffer and the payload at `offset`; the
 * hypervisor copies both to the receiver's RX buffer, with the sender id
 * set by itself. sender_receiver = sender id << 16 | receiver id.
 */
struct ffa_partition_msg_header {
	unsigned int flags;    /* MBZ */
	unsigned int reserved; /* MBZ */
	unsigned int offset;   /* of the payload, >= sizeof(this header) */
	unsigned int sender_receiver;
	unsigned int size;     /* of the payload */
};
#define FFA_MSG_HEADER_SIZE 20

/* RX/TX buffers: one 4 KiB page each (FFA_RXTX_MAP w3 = page count = 1). */
#define HF_MAILBOX_SIZE 4096

#endif /* HF_ABI_H */
