/* SPDX-License-Identifier: BSD-3-Clause */
/* Compile-time limits shared by C and assembly. */
#pragma once

#define MAX_CPUS 8
#define CPU_STACK_SIZE 0x4000
