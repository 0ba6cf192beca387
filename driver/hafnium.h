/* SPDX-License-Identifier: GPL-2.0 */
/*
 * hafnium.ko internals: the state of the one hypervisor the driver serves,
 * its VMs, and the interfaces between the driver's files (docs/driver.md).
 *
 * Lock order: hf_vm.lock (one VM's lifecycle), then hf_dev.create_lock,
 * then hf_dev.vms_lock (the VM list), then hf_dev.mailbox_lock (RX/TX);
 * hf_vm.status_lock and hf_console.lock are leaves. Whoever runs a vCPU
 * (its thread, or a sender in hf_vcpu_run_here()) holds hf_vcpu.run_lock
 * and takes none of the mutexes but vms_lock (briefly, for a wake-up of
 * another VM's vCPU) and mailbox_lock (briefly, to read a message to the
 * primary out of RX; nobody holds it while waiting for a thread), so the
 * lifecycle calls may wait for the threads while holding hf_vm.lock.
 */
#ifndef HAFNIUM_DRIVER_H
#define HAFNIUM_DRIVER_H

#include <linux/arm-smccc.h>
#include <linux/atomic.h>
#include <linux/cpuhotplug.h>
#include <linux/hrtimer.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/miscdevice.h>
#include <linux/mutex.h>
#include <linux/ratelimit.h>
#include <linux/spinlock.h>
#include <linux/types.h>
#include <linux/wait.h>

#include <hf/abi.h>
#include <hf/exception_class.h>

struct device;
struct page;
struct task_struct;

/* Every VM id: the hypervisor lists at most this many. */
#define HF_VM_LIST_MAX HF_MAX_VMS

/* Most memory constituents an HF_VM_CREATE descriptor can carry. */
#define HF_VM_MAX_CONSTITUENTS						\
	((HF_MAILBOX_SIZE - sizeof(struct hf_vm_create_desc)) /		\
	 sizeof(struct ffa_memory_region_constituent))

/* The hypervisor's pages are 4 KiB, whatever the kernel's are. */
#define HF_PAGE_SIZE 4096

struct hf_dev {
	struct device *dev;		/* the hafnium,hafnium platform device */
	u32 ffa_version;		/* negotiated with FFA_VERSION */
	u32 hf_abi_version;		/* of the HF_* calls, from HF_HYP_INFO */
	u32 max_vcpus;			/* per VM, from HF_HYP_INFO */
	struct page *tx, *rx;		/* FF-A buffers (FFA_RXTX_MAP) */
	/*
	 * The RX buffer belongs to the driver from a call that fills it
	 * until FFA_RX_RELEASE, the TX buffer from writing a descriptor
	 * into it until the call that reads it returns; one such exchange
	 * at a time.
	 */
	struct mutex mailbox_lock;
	struct miscdevice misc;		/* /dev/hafnium */
	struct kobject *sysfs;		/* /sys/kernel/hafnium */
	struct kobject *sysfs_vms;	/* /sys/kernel/hafnium/vms */

	struct mutex vms_lock;		/* vms */
	struct list_head vms;		/* every struct hf_vm, by hf_vm.node */
	/* Creates take turns: a name is checked and taken atomically. */
	struct mutex create_lock;
	atomic64_t mem_donated;		/* bytes given to VMs, in total */

	/* The hypervisor timer's PPI (timer.c); 0 if there is none. */
	int hyp_timer_irq;
	int hyp_timer_cpuhp;		/* cpuhp state, or < 0 */
	bool __percpu *hyp_timer_cookie;
};

/* What HF_HYP_INFO reports. */
struct hf_hyp_info {
	u32 abi_version;
	u32 cpu_count;
	u32 vm_count;
	u32 max_vms;
	u32 max_vcpus;
	u64 mem_available;
};

/* What HF_VM_INFO reports about one VM. */
struct hf_vm_info {
	u32 state;			/* HF_VM_STATE_* */
	u32 vcpu_count;
	u32 hyp_pages;			/* the hypervisor's pages for it */
	u64 mem_size;
	char name[HF_VM_NAME_MAX];	/* NUL-terminated */
};

/* What HF_DMA_FAULT_GET reports: one DMA the SMMU refused. */
struct hf_dma_fault {
	u32 stream;			/* PCI requester id */
	u64 address;
	u32 kind;			/* HF_DMA_FAULT_* */
	u32 event_id;			/* the SMMU's event record id */
	bool write;
	u32 lost;			/* times events were dropped before */
};

/* What HF_VM_EXIT_INFO reports: why a VM ended. */
struct hf_vm_exit {
	u32 reason;			/* HF_VM_EXIT_* */
	u32 vcpu;
	u64 esr, far, elr;
};

/*
 * The driver's view of a VM's life. Only start moves CREATED to RUNNING
 * (under hf_vm.lock); RUNNING becomes ENDED once, by cmpxchg, in whichever
 * of a vCPU thread (the hypervisor answered ABORTED) or stop sees it first;
 * destroy makes it GONE.
 */
enum hf_vm_phase {
	HF_PHASE_CREATED,
	HF_PHASE_RUNNING,
	HF_PHASE_ENDED,
	HF_PHASE_GONE,
};

/* A console: the ring of a VM's output and the line going to the log. */
struct hf_console {
	spinlock_t lock;
	char *ring;			/* HF_CONSOLE_SIZE bytes */
	u64 total;			/* bytes ever written */
	wait_queue_head_t wait;		/* readers waiting for output */
	char line[128];			/* the kernel log line being built */
	unsigned int line_len;
	struct ratelimit_state ratelimit;
	unsigned int suppressed;	/* lines left out of the log */
};

#define HF_CONSOLE_SIZE 65536

struct hf_vcpu {
	struct hf_vm *vm;
	u32 index;
	struct task_struct *task;	/* hf_vm<id>_vcpu<n>, referenced */
	/*
	 * Set by a wake-up (another vCPU started this one, a message or an
	 * interrupt for it, its timer fired, the VM ends); cleared before
	 * each FFA_RUN. A thread does not go to sleep while it is set, so
	 * no wake-up is lost.
	 */
	atomic_t wake;
	struct hrtimer timer;		/* end of a timed wait */
	u64 runs;			/* FFA_RUN calls made */
	struct arm_smccc_1_2_regs run_args;	/* hf_call_run_args() */
	/*
	 * Held by whoever may call FFA_RUN on the vCPU: its thread, except
	 * while it sleeps, when a sender may take it to run the vCPU itself
	 * (hf_vcpu_run_here()).
	 */
	struct mutex run_lock;
	struct task_struct *runner;	/* such a sender, kicked with the thread */
};

/* Memory taken from Linux for a VM, for freeing it again. */
struct hf_vm_chunk {
	struct page *page;
	unsigned int order;
};

/* Physically contiguous memory of a VM: one constituent of its creation. */
struct hf_range {
	u64 base, size;
};

struct hf_vm {
	struct kobject kobj;		/* vms/<id>: owns the struct */
	struct hf_dev *hf;
	struct list_head node;		/* in hf_dev.vms */
	u16 id;
	char name[HF_VM_NAME_MAX];
	u32 vcpu_count;
	u64 mem_size;
	/* Created through this driver: it owns the memory and the module. */
	bool owned;
	u64 entry;			/* default entry IPA (create) */

	struct mutex lock;		/* lifecycle calls take turns */
	int phase;			/* enum hf_vm_phase (cmpxchg) */
	struct hf_vcpu *vcpus;		/* vcpu_count; threads after start */
	/*
	 * vcpus[].task exist. Wakers, who may hold only a VM reference,
	 * read the tasks under RCU while it is set.
	 */
	bool threads;
	struct hf_vm_chunk *chunks;	/* owned VMs: the donated memory */
	unsigned int nr_chunks;
	struct hf_range *ranges;	/* the same, merged, in IPA order */
	unsigned int nr_ranges;
	void *hyp;			/* owned VMs: the hypervisor's pages */
	size_t hyp_size;

	spinlock_t status_lock;		/* the fields below */
	u64 start_ns, end_ns;		/* ktime_get_boottime_ns() */
	struct hf_vm_exit exit;		/* valid if exit_known */
	bool exit_known;
	bool ended;			/* its end is recorded */

	struct hf_console console;

	/* AF_HF messages (socket.c), for sysfs. */
	atomic64_t msg_sent;		/* to it, accepted by the hypervisor */
	atomic64_t msg_received;	/* from it, queued to a socket */
	atomic64_t msg_refused;		/* from it, no socket took them */
};

/* hvc.c: hypercalls; 0 or a negative errno unless said otherwise. */
int hf_ffa_version(u32 *version);
int hf_ffa_id_get(u16 *id);
int hf_ffa_rxtx_map(phys_addr_t tx, phys_addr_t rx);
int hf_ffa_rxtx_unmap(void);
int hf_hyp_info(struct hf_hyp_info *info);
/* -ENOENT if no VM has this id. */
int hf_vm_info(u32 vm_id, struct hf_vm_info *info);
/* Fills ids with the VMs' ids; returns how many, or a negative errno. */
int hf_vm_list(struct hf_dev *hf, u16 ids[HF_VM_LIST_MAX]);
/* The VM calls; hf_dev.mailbox_lock held for those that use TX. */
int hf_call_vm_create(u32 desc_len, u16 *vm_id);
int hf_call_vm_load(u16 vm_id, u64 offset, u32 len);
int hf_call_vm_start(u16 vm_id, u64 entry);
int hf_call_vm_stop(u16 vm_id);
/* waiters[HF_WAITERS_WORDS]: the VMs that found its RX buffer full. */
int hf_call_vm_destroy(u16 vm_id, u64 *waiters);
int hf_call_vm_exit_info(u16 vm_id, struct hf_vm_exit *exit);
/*
 * FFA_RUN of one vCPU: its arguments, made once (not zeroed again at every
 * run); the raw answer, for the vCPU loop.
 */
void hf_call_run_args(u16 vm_id, u16 vcpu, struct arm_smccc_1_2_regs *args);
static inline void hf_call_run(const struct arm_smccc_1_2_regs *args,
			       struct arm_smccc_1_2_regs *res)
{
	arm_smccc_1_2_hvc(args, res);
}
/*
 * HF_INTERRUPT_INJECT: 1 if intid became pending, 0 if it was pending
 * already, -ESRCH if the VM is not running, or another negative errno.
 */
int hf_call_interrupt_inject(u16 vm_id, u16 vcpu, u32 intid);

/* -ENODATA when the hypervisor holds no fault. */
int hf_call_dma_fault_get(struct hf_dma_fault *f);

/* vm.c: VM objects and their lifecycle. */
int hf_vms_init(struct hf_dev *hf);
void hf_vms_exit(struct hf_dev *hf);
/* The VM with this id, referenced (hf_vm_put()), or NULL. */
struct hf_vm *hf_vm_get(struct hf_dev *hf, u32 vm_id);
void hf_vm_put(struct hf_vm *vm);
/* Another reference to a VM one is held to. */
static inline struct hf_vm *hf_vm_hold(struct hf_vm *vm)
{
	kobject_get(&vm->kobj);
	return vm;
}
struct hf_vm_create_args {
	const char *name;		/* checked: 1..31 bytes */
	u32 vcpu_count;
	u64 mem_size;
	u64 entry;			/* 0: HF_VM_RAM_BASE */
};
int hf_vm_create(struct hf_dev *hf, const struct hf_vm_create_args *args,
		 u16 *vm_id);
int hf_vm_load(struct hf_vm *vm, const void __user *src, u64 len,
	       u64 offset);
int hf_vm_start(struct hf_vm *vm, u64 entry);
int hf_vm_stop(struct hf_vm *vm);
int hf_vm_destroy(struct hf_vm *vm);
/*
 * Injects software interrupt intid into a vCPU of a running secondary and
 * makes the vCPU see it: 1 if it became pending, 0 if it was pending
 * already, or a negative errno (EINVAL, ESRCH, ENOENT: see HF_IOCTL_VM_IRQ).
 */
int hf_vm_irq(struct hf_vm *vm, u32 vcpu, u32 intid);
/* The VM's state, as the hypervisor reports it, and how it ended. */
struct hf_vm_status {
	struct hf_vm_info info;
	u64 uptime_ns;
	struct hf_vm_exit exit;
};
int hf_vm_status(struct hf_vm *vm, struct hf_vm_status *st);
/* Called by a vCPU thread when the hypervisor answers ABORTED. */
void hf_vm_ended(struct hf_vm *vm);
const char *hf_exit_reason_name(u32 reason);
/* One line: "vCPU 0, data abort ... (ESR 0x...), FAR 0x..., ELR 0x...". */
int hf_crash_report(char *buf, size_t size, const struct hf_vm_exit *exit);
/* Physical ranges of an owned VM's memory, "0xBASE 0xSIZE" lines. */
ssize_t hf_vm_memory_ranges(struct hf_vm *vm, char *buf, size_t size);

/* vcpu.c: the vCPU threads. */
void hf_vcpu_init(struct hf_vcpu *vcpu, struct hf_vm *vm, u32 index);
/* Creates the threads (not yet running); 0 or a negative errno. */
int hf_vcpus_create_threads(struct hf_vm *vm);
void hf_vcpus_start_threads(struct hf_vm *vm);
/* Makes every thread leave the VM soon: wakes and kicks them. */
void hf_vcpus_kick(struct hf_vm *vm);
/* Stops the threads and waits for them to end. */
void hf_vcpus_stop_threads(struct hf_vm *vm);
/*
 * Wake a vCPU's thread if it sleeps; kick also makes it leave the vCPU if
 * it is in FFA_RUN on another CPU, so that the vCPU's next entry sees a new
 * interrupt. A VM reference is enough to call them.
 */
void hf_vcpu_wake(struct hf_vcpu *vcpu);
void hf_vcpu_kick(struct hf_vcpu *vcpu);
/*
 * Runs a vCPU whose thread sleeps in the caller's context until it waits
 * again, sparing the thread's wake-up; false if it was not free for that,
 * and the caller should kick it instead. A VM reference is enough.
 */
bool hf_vcpu_run_here(struct hf_vcpu *vcpu);
u64 hf_vm_runs(struct hf_vm *vm);

/* console.c */
int hf_console_init(struct hf_console *con);
void hf_console_free(struct hf_console *con);
void hf_console_write(struct hf_vm *vm, const char *bytes, size_t len);
/* Ends the line being built, if any, and wakes every reader. */
void hf_console_flush(struct hf_vm *vm);
struct hf_console_read {
	u64 offset;		/* in: the first wanted; out: the first read */
	size_t len;		/* in: room; out: bytes read */
	u64 total;		/* out */
	unsigned int timeout_ms; /* in */
};
/* Copies to user memory; 0 or a negative errno. */
int hf_console_read(struct hf_vm *vm, char __user *buf,
		    struct hf_console_read *rd);

/* timer.c: the hypervisor timer's PPI, enabled on every CPU. */
int hf_hyp_timer_init(struct hf_dev *hf);
void hf_hyp_timer_exit(struct hf_dev *hf);

/*
 * dma_fault.c: logs the DMA faults the hypervisor's SMMU records, from the
 * optional "dma-fault" interrupt (device-managed: nothing to undo).
 */
int hf_dma_fault_init(struct hf_dev *hf);

/* socket.c: AF_HF sockets. */
int hf_sock_init(struct hf_dev *hf);
void hf_sock_exit(struct hf_dev *hf);
/* A vCPU thread of vm got FFA_MSG_SEND2_32: a message is in RX. */
void hf_sock_msg_received(struct hf_vm *vm, u64 sender);
/*
 * An RX buffer was released (FFA_RUN answered FFA_RX_RELEASE_32, or the
 * primary released its own): waiters = the VMs that found it full, from
 * x2..x5 (id N is bit N - 1).
 */
void hf_sock_rx_released(struct hf_dev *hf, const u64 *waiters);
/* Copies the waiters in x2..x5 of an answer. */
void hf_waiters_from(u64 *waiters, const struct arm_smccc_1_2_regs *res);

/* cdev.c: /dev/hafnium. */
int hf_cdev_init(struct hf_dev *hf);
void hf_cdev_exit(struct hf_dev *hf);

/* sysfs.c: /sys/kernel/hafnium. */
int hf_sysfs_init(struct hf_dev *hf);
void hf_sysfs_exit(struct hf_dev *hf);
extern const struct attribute_group *hf_vm_groups[];

#endif /* HAFNIUM_DRIVER_H */
