/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The guest runtime's memory layout. Included by C, assembly and the
 * linker script, so only plain numbers here (uapi/hf/abi.h is C only:
 * cpu.c checks that GUEST_LOAD_ADDR is HF_VM_RAM_BASE).
 */
#ifndef GUEST_LAYOUT_H
#define GUEST_LAYOUT_H

/* Where the image is linked and loaded: HF_VM_RAM_BASE, the VM's memory
 * offset 0. The entry point is the image's first byte. */
#define GUEST_LOAD_ADDR 0x80000000

/* vCPUs the runtime supports (hafnium's maximum per VM); index = Aff0. */
#define GUEST_MAX_CPUS 8
/* One stack per vCPU, 4 KiB each, in a NOLOAD section after bss. */
#define GUEST_STACK_SHIFT 12
#define GUEST_STACK_SIZE (1 << GUEST_STACK_SHIFT)

#endif /* GUEST_LAYOUT_H */
