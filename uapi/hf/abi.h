/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
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
 *   w6 = maximum number of VMs, w7 = maximum vCPUs per VM. */
#define HF_HYP_INFO (HF_CALL_BASE + 1)
/* One VM's information; w1 = VM id. -> FFA_SUCCESS_64 with
 *   w2 = state << 16 | vCPU count, x3 = memory in bytes,
 *   x4..x7 = debug name, 32 bytes, NUL padded, little-endian. */
#define HF_VM_INFO (HF_CALL_BASE + 2)

/* hafnium ABI version (HF_HYP_INFO). */
#define HF_ABI_VERSION_MAJOR 1
#define HF_ABI_VERSION_MINOR 0

/* VM ids (FF-A partition ids): 0 is the hypervisor, 1 the primary VM. */
#define HF_HYPERVISOR_VM_ID 0
#define HF_PRIMARY_VM_ID 1
#define HF_VM_NAME_MAX 32

/* VM states (HF_VM_INFO). */
#define HF_VM_STATE_CREATED 0
#define HF_VM_STATE_RUNNING 1
#define HF_VM_STATE_STOPPED 2
#define HF_VM_STATE_CRASHED 3

/* FFA_PARTITION_INFO_GET: flag for "return the count only". */
#define FFA_PARTITION_COUNT_FLAG 0x1
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

/* RX/TX buffers: one 4 KiB page each (FFA_RXTX_MAP w3 = page count = 1). */
#define HF_MAILBOX_SIZE 4096

#endif /* HF_ABI_H */
