/* SPDX-License-Identifier: (GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause */
/*
 * The ioctl interface of /dev/hafnium, the hafnium hypervisor's control
 * device in the primary VM (driver/, docs/driver.md).
 *
 * Every argument struct begins with its own size, __u32 size, which the
 * caller sets to sizeof(struct) as its copy of this header has it. Structs
 * can grow at their end (copy_struct_from_user()'s rules, as for openat2
 * and clone3):
 *  - a size below the struct's first version, HF_IOCTL_*_SIZE_VER0, fails
 *    with EINVAL; one above 4096 with E2BIG;
 *  - a struct shorter than the driver's (an older caller) is read as if
 *    the fields it lacks were zero, and is answered with the fields it has;
 *  - a struct longer than the driver's (a newer caller) is accepted if its
 *    bytes beyond the driver's struct are all zero (E2BIG otherwise: a
 *    field the driver does not know is in use); they stay as they were.
 * The driver never changes size. Fields the driver knows as reserved must
 * be zero (EINVAL otherwise); new fields take their place or come after.
 * The size field is read first, so every ioctl is at least _IOW; those
 * that answer are _IOWR. A command is matched by its type, number and
 * direction, not by the struct size in its _IOC_SIZE bits (the size field
 * says it). Structs have explicit sizes and no implicit padding, so 32-bit
 * and 64-bit callers share one layout; user pointers are passed as __u64.
 *
 * Errors: ENOTTY for an unknown command, EFAULT for an unreadable or
 * unwritable argument, EINVAL for a size below the first version or a
 * reserved field that is not zero, E2BIG for a size above 4096 or a
 * non-zero byte beyond the driver's struct.
 */
#ifndef _UAPI_LINUX_HAFNIUM_H
#define _UAPI_LINUX_HAFNIUM_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* Version of this interface (struct hf_ioctl_version.driver_version). */
/*
 * 2.0: HF_IOCTL_VERSION and HF_IOCTL_HYP_INFO became _IOWR (their numbers
 * changed), and sizes follow copy_struct_from_user()'s rules.
 */
#define HF_DRIVER_VERSION_MAJOR 2
#define HF_DRIVER_VERSION_MINOR 0
#define HF_DRIVER_VERSION \
	((HF_DRIVER_VERSION_MAJOR << 16) | HF_DRIVER_VERSION_MINOR)

/* Versions are encoded major << 16 | minor. */
#define HF_VERSION_MAJOR(v) ((v) >> 16)
#define HF_VERSION_MINOR(v) ((v) & 0xffff)

#define HF_IOCTL_MAGIC 'H'

/* VM states (struct hf_ioctl_vm_info.state), as the hypervisor reports them. */
#define HF_IOCTL_VM_CREATED 0
#define HF_IOCTL_VM_RUNNING 1
#define HF_IOCTL_VM_STOPPED 2
#define HF_IOCTL_VM_CRASHED 3

/* VM names: at most 31 bytes and a terminating NUL. */
#define HF_IOCTL_VM_NAME_SIZE 32

/*
 * Why a VM ended (struct hf_ioctl_vm_status.exit_reason), as the hypervisor
 * reports it.
 */
#define HF_IOCTL_EXIT_NONE 0		/* created or running */
#define HF_IOCTL_EXIT_STOPPED 1		/* HF_IOCTL_VM_STOP or DESTROY */
#define HF_IOCTL_EXIT_POWEROFF 2	/* the VM powered itself off */
#define HF_IOCTL_EXIT_RESET 3		/* the VM asked for a reset */
#define HF_IOCTL_EXIT_CRASHED 4		/* a fault: see exit_esr/far/elr */

/*
 * A secondary VM's memory: where it starts in the VM's address space (its
 * IPA), the smallest amount, and the room at its end that the hypervisor
 * takes for the VM's device tree at start (images must end before it).
 */
#define HF_IOCTL_VM_RAM_BASE 0x80000000ULL
#define HF_IOCTL_VM_PAGE_SIZE 4096
#define HF_IOCTL_VM_MIN_MEM (16 * HF_IOCTL_VM_PAGE_SIZE)
#define HF_IOCTL_VM_DT_SIZE 0x2000
/*
 * VM ids are 1..HF_IOCTL_VM_MAX_VMS, the primary's 1: at most 255
 * secondaries (hf_ioctl_hyp_info.max_vms says so too). A create beyond
 * that fails with ENOSPC.
 */
#define HF_IOCTL_VM_MAX_VMS 256

/* HF_IOCTL_VERSION: the versions of the driver and of the hypervisor's ABI. */
struct hf_ioctl_version {
	__u32 size;
	__u32 driver_version;	/* out: HF_DRIVER_VERSION of the driver */
	__u32 abi_version;	/* out: FF-A version negotiated */
	__u32 hf_abi_version;	/* out: hafnium's own (HF_*) call version */
	__u32 reserved[4];
};

/* HF_IOCTL_HYP_INFO: the hypervisor and its resources, now. */
struct hf_ioctl_hyp_info {
	__u32 size;
	__u32 abi_version;	/* out: hafnium's own (HF_*) call version */
	__u32 cpu_count;	/* out: physical CPUs */
	__u32 vm_count;		/* out: VMs that exist, the primary included */
	__u64 mem_available;	/* out: bytes of RAM available for VMs */
	__u32 max_vms;		/* out: most VMs that can exist at once */
	__u32 max_vcpus;	/* out: most vCPUs of one VM */
	__u64 reserved[4];
};

/*
 * HF_IOCTL_VM_LIST: the ids of all VMs. In: count is the capacity of the
 * __u32 array at ids. Out: count is the number of VMs. If they do not fit,
 * the call fails with E2BIG and count says how many there are.
 */
struct hf_ioctl_vm_list {
	__u32 size;
	__u32 count;
	__u64 ids;
	__u64 reserved[2];
};

/* HF_IOCTL_VM_INFO: one VM. An id that names no VM fails with ENOENT. */
struct hf_ioctl_vm_info {
	__u32 size;
	__u32 vm_id;		/* in */
	__u32 state;		/* out: HF_IOCTL_VM_* */
	__u32 vcpu_count;	/* out */
	__u64 mem_size;		/* out: bytes of RAM the VM has */
	char name[HF_IOCTL_VM_NAME_SIZE]; /* out: NUL-terminated */
	__u64 reserved[4];
};

/*
 * HF_IOCTL_VM_CREATE: a secondary VM with mem_size bytes of the primary's
 * RAM, donated to it (the primary can no longer reach them). The VM is
 * global: it outlives the file and the process. Errors: EINVAL for an
 * empty name, a vcpu_count of 0 or above hf_ioctl_hyp_info.max_vcpus, a
 * mem_size that is 0, not a multiple of the page size or below
 * HF_IOCTL_VM_MIN_MEM, or an entry outside it; ENAMETOOLONG for a name
 * without a NUL in its 32 bytes; EEXIST if a VM has this name; ENOMEM if
 * the memory is not available.
 */
struct hf_ioctl_vm_create {
	__u32 size;
	__u32 vcpu_count;	/* in: 1..max_vcpus */
	__u64 mem_size;		/* in: bytes */
	__u64 entry;		/* in: IPA HF_IOCTL_VM_START uses by default;
				 * 0: HF_IOCTL_VM_RAM_BASE */
	char name[HF_IOCTL_VM_NAME_SIZE]; /* in: 1..31 bytes and a NUL */
	__u32 vm_id;		/* out: the new VM's id */
	__u32 reserved[9];
};

/*
 * HF_IOCTL_VM_LOAD: copies len bytes from addr into the VM's memory at
 * offset, before it starts. Errors: EBUSY once it has started; EFBIG if
 * the bytes would reach into the last HF_IOCTL_VM_DT_SIZE bytes of its
 * memory or beyond.
 */
struct hf_ioctl_vm_load {
	__u32 size;
	__u32 vm_id;
	__u64 addr;		/* in: user pointer to the bytes */
	__u64 len;		/* in: bytes */
	__u64 offset;		/* in: where, from the start of its memory */
	__u64 reserved[2];
};

/*
 * HF_IOCTL_VM_START: runs vCPU 0 of a created VM at entry (0: the entry
 * given at create). Errors: EALREADY if it runs; EINVAL if it has ended
 * (a VM runs once) or entry is outside its memory.
 */
struct hf_ioctl_vm_start {
	__u32 size;
	__u32 vm_id;
	__u64 entry;		/* in: IPA, or 0 */
	__u64 reserved[2];
};

/*
 * HF_IOCTL_VM_STOP: stops a VM; it no longer runs, its console and exit
 * information stay. EALREADY if it has already ended.
 * HF_IOCTL_VM_DESTROY: stops it if it runs, then removes it and gives its
 * memory, zeroed, back to the primary.
 */
struct hf_ioctl_vm_id {
	__u32 size;
	__u32 vm_id;
	__u64 reserved[2];
};

/* Flags of struct hf_ioctl_vm_status. */
#define HF_IOCTL_VM_OWNED	(1 << 0) /* created through this driver */

/*
 * HF_IOCTL_VM_STATUS: what HF_IOCTL_VM_INFO says about a VM, and its run:
 * uptime, why it ended, the crash report. ENOENT for an unknown id.
 */
struct hf_ioctl_vm_status {
	__u32 size;
	__u32 vm_id;		/* in */
	__u32 state;		/* out: HF_IOCTL_VM_* */
	__u32 vcpu_count;	/* out */
	__u64 mem_size;		/* out: bytes of RAM the VM has */
	char name[HF_IOCTL_VM_NAME_SIZE]; /* out: NUL-terminated */
	__u64 mem_donated;	/* out: bytes this driver took from the
				 * primary's RAM for it */
	__u64 uptime_ns;	/* out: since it started (until it ended);
				 * 0 if it never started */
	__u32 exit_reason;	/* out: HF_IOCTL_EXIT_* */
	__u32 exit_vcpu;	/* out: the vCPU that crashed */
	__u64 exit_esr;		/* out: for HF_IOCTL_EXIT_CRASHED: ESR_EL2, */
	__u64 exit_far;		/* FAR_EL2 */
	__u64 exit_elr;		/* and ELR_EL2 of the fault */
	__u64 console_total;	/* out: bytes ever written to its console */
	__u64 flags;		/* out: HF_IOCTL_VM_OWNED */
	__u64 reserved[4];
};

/* Flags of struct hf_ioctl_vm_console. */
#define HF_IOCTL_CONSOLE_ENDED	(1 << 0) /* the VM has ended: no more */

/*
 * HF_IOCTL_VM_CONSOLE: reads a VM's console output, which the driver keeps
 * in a ring of HF_IOCTL_CONSOLE_SIZE bytes until the VM is destroyed.
 * Bytes are numbered from 0 since the VM was created; in: offset = the
 * first wanted. Out: offset = the first byte returned (later than asked if
 * the ring has dropped older bytes), len = how many, total = bytes ever
 * written. With timeout_ms > 0 and nothing at offset yet, waits that long
 * for output or the VM's end (EINTR on a signal).
 */
#define HF_IOCTL_CONSOLE_SIZE 65536
struct hf_ioctl_vm_console {
	__u32 size;
	__u32 vm_id;		/* in */
	__u64 offset;		/* in/out */
	__u64 buf;		/* in: user pointer */
	__u32 len;		/* in: room at buf; out: bytes read */
	__u32 timeout_ms;	/* in */
	__u64 total;		/* out */
	__u32 state;		/* out: HF_IOCTL_VM_* */
	__u32 flags;		/* out: HF_IOCTL_CONSOLE_ENDED */
	__u64 reserved[2];
};

/* Values of struct hf_ioctl_vm_irq.result. */
#define HF_IOCTL_IRQ_PENDING	1	/* the interrupt is now pending */
#define HF_IOCTL_IRQ_MERGED	2	/* it was pending already: merged */

/*
 * HF_IOCTL_VM_IRQ: injects software interrupt intid (HF_IOCTL_IRQ_FIRST ..
 * HF_IOCTL_IRQ_LAST) into vCPU vcpu of a running secondary VM, and wakes
 * or kicks that vCPU so that it takes it at once. A guest sees it only
 * once it has enabled that id (HF_INTERRUPT_ENABLE, uapi/hf/abi.h).
 * Errors: ENOENT for no such VM; EINVAL for the primary, a vCPU the VM
 * does not have, or an intid outside the software range; ESRCH if the VM
 * is not running.
 */
#define HF_IOCTL_IRQ_FIRST	16
#define HF_IOCTL_IRQ_LAST	63
struct hf_ioctl_vm_irq {
	__u32 size;
	__u32 vm_id;
	__u32 vcpu;		/* in: vCPU index */
	__u32 intid;		/* in: HF_IOCTL_IRQ_FIRST..HF_IOCTL_IRQ_LAST */
	__u32 result;		/* out: HF_IOCTL_IRQ_PENDING or _MERGED */
	__u32 reserved0;
	__u64 reserved[2];
};

/*
 * The first sizes of the structs, the least a caller may give (a struct
 * grows; these stay).
 */
#define HF_IOCTL_VERSION_SIZE_VER0	32
#define HF_IOCTL_HYP_INFO_SIZE_VER0	64
#define HF_IOCTL_VM_LIST_SIZE_VER0	32
#define HF_IOCTL_VM_INFO_SIZE_VER0	88
#define HF_IOCTL_VM_CREATE_SIZE_VER0	96
#define HF_IOCTL_VM_LOAD_SIZE_VER0	48
#define HF_IOCTL_VM_START_SIZE_VER0	32
#define HF_IOCTL_VM_ID_SIZE_VER0	24
#define HF_IOCTL_VM_STATUS_SIZE_VER0	152
#define HF_IOCTL_VM_CONSOLE_SIZE_VER0	64
#define HF_IOCTL_VM_IRQ_SIZE_VER0	40

/* The most a struct's size field may say: larger is E2BIG. */
#define HF_IOCTL_SIZE_MAX		4096

#define HF_IOCTL_VERSION	_IOWR(HF_IOCTL_MAGIC, 0, struct hf_ioctl_version)
#define HF_IOCTL_HYP_INFO	_IOWR(HF_IOCTL_MAGIC, 1, struct hf_ioctl_hyp_info)
#define HF_IOCTL_VM_LIST	_IOWR(HF_IOCTL_MAGIC, 2, struct hf_ioctl_vm_list)
#define HF_IOCTL_VM_INFO	_IOWR(HF_IOCTL_MAGIC, 3, struct hf_ioctl_vm_info)
#define HF_IOCTL_VM_CREATE	_IOWR(HF_IOCTL_MAGIC, 4, struct hf_ioctl_vm_create)
#define HF_IOCTL_VM_LOAD	_IOW(HF_IOCTL_MAGIC, 5, struct hf_ioctl_vm_load)
#define HF_IOCTL_VM_START	_IOW(HF_IOCTL_MAGIC, 6, struct hf_ioctl_vm_start)
#define HF_IOCTL_VM_STOP	_IOW(HF_IOCTL_MAGIC, 7, struct hf_ioctl_vm_id)
#define HF_IOCTL_VM_DESTROY	_IOW(HF_IOCTL_MAGIC, 8, struct hf_ioctl_vm_id)
#define HF_IOCTL_VM_STATUS	_IOWR(HF_IOCTL_MAGIC, 9, struct hf_ioctl_vm_status)
#define HF_IOCTL_VM_CONSOLE	_IOWR(HF_IOCTL_MAGIC, 10, struct hf_ioctl_vm_console)
#define HF_IOCTL_VM_IRQ		_IOWR(HF_IOCTL_MAGIC, 11, struct hf_ioctl_vm_irq)

/*
 * AF_HF sockets: datagrams between processes of the primary VM and
 * secondary VMs, carried by FF-A indirect messages (FFA_MSG_SEND2).
 * socket(AF_HF, SOCK_DGRAM, 0); root only (CAP_NET_ADMIN or CAP_SYS_ADMIN).
 * The family number is AF_ECONET's (19), unused since Econet left Linux,
 * as in the original Hafnium driver. docs/driver.md, "Sockets".
 */
#define AF_HF 19
#define PF_HF AF_HF

/*
 * A socket address: a VM and a port in it. For bind, vm_id is 0 (or the
 * primary's id, 1) and port the local port (0: one is chosen); for
 * connect and sendto, the VM and its port. 8 bytes, no padding.
 */
struct sockaddr_hf {
	__u16 family;		/* AF_HF */
	__u16 vm_id;
	__u32 port;
};

/*
 * What every message of an AF_HF socket carries first, after the FF-A
 * partition message header (struct ffa_partition_msg_header, 20 bytes) at
 * HF_MSG_PORT_HEADER_OFFSET of the mailbox page: the ports of the sending
 * and receiving sockets, little-endian. The FF-A header's offset field
 * points at this header, its size counts this header and the payload.
 * Guests use the same layout.
 */
struct hf_msg_port_header {
	__u32 src_port;
	__u32 dst_port;
};
#define HF_MSG_PORT_HEADER_OFFSET 32
/* The largest payload of one message: a 4 KiB page less both headers. */
#define HF_MSG_PAYLOAD_MAX \
	(4096 - HF_MSG_PORT_HEADER_OFFSET - sizeof(struct hf_msg_port_header))
/* Ports that bind and connect choose when none is given. */
#define HF_PORT_EPHEMERAL_MIN 0x8000
#define HF_PORT_EPHEMERAL_MAX 0xffff

#endif /* _UAPI_LINUX_HAFNIUM_H */
