/* SPDX-License-Identifier: BSD-3-Clause */
/* Spinlocks; the waiting side sleeps in wfe (see arch implementation) because
 * under TCG a pure spin starves the CPU that holds the lock.
 *
 * Every lock has a rank, and a CPU takes locks in strictly increasing rank
 * only: that is the whole lock order of el2, and no cycle of waiters can
 * form. The host build (el2/arch/fake) asserts it on every sl_lock; the
 * aarch64 build keeps no rank at all.
 *
 *   the VM table lock   which VMs exist, their names (hf/vm.h)
 *   vm::lock            one VM (hf/vm.h); two VMs are taken in id order
 *   vcpu::lock          one vCPU (hf/vcpu.h), under its VM's if both
 *   cpu::lock           one physical CPU's entry point (hf/cpu.h)
 *   mpool::lock         the page-table page pool (leaf)
 *   smmu_lock           the SMMU's command and event queues (leaf; taken
 *                       under the primary's VM lock by dma_revoke())
 *   dma_log_lock        the last DMA fault printed (api_dma.c), under
 *                       which the console is taken
 *   console_lock        the hypervisor's console (leaf) */
#pragma once

#include "hf/arch/spinlock.h"

#define LOCK_RANK_VM_TABLE 1u
#define LOCK_RANK_VM(id) (0x100u + (id)) /* VM ids are 16 bits */
#define LOCK_RANK_VCPU 0x20000u
#define LOCK_RANK_CPU 0x30000u
#define LOCK_RANK_MPOOL 0x40000u
#define LOCK_RANK_SMMU 0x48000u
#define LOCK_RANK_DMA_LOG 0x49000u
#define LOCK_RANK_CONSOLE 0x50000u
