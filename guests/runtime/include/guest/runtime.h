/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Everything a guest (guests/<name>.c) gets from the runtime. A guest
 * defines main(): the runtime calls it on vCPU 0 with the IPA of the VM's
 * device tree; when main returns, the VM is powered off (PSCI SYSTEM_OFF).
 */
#ifndef GUEST_RUNTIME_H
#define GUEST_RUNTIME_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "hf/abi.h"
#include "guest/console.h"
#include "guest/cpu.h"
#include "guest/fdt.h"
#include "guest/hf.h"
#include "guest/irq.h"
#include "guest/layout.h"
#include "guest/msg.h"
#include "guest/timer.h"

/* The guest's entry on vCPU 0; a non-zero result is printed. */
int main(const void *fdt);

/* The C library subset the runtime provides. */
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);

/* Linker symbols: the image and what follows it (bss, stacks). */
extern char __image_start[], __bss_start[], __bss_end[], __image_end[];

#endif /* GUEST_RUNTIME_H */
