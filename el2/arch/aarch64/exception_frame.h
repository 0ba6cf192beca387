/* SPDX-License-Identifier: BSD-3-Clause */
/* The C side of the vectors (exceptions.S). */
#pragma once

#include <stdint.h>

#include "hf/vcpu.h"

/* Registers at an unexpected exception, for the panic report. */
struct exception_frame {
	uint64_t x[31];
	uint64_t sp; /* EL2 stack pointer before the exception */
};

/* Kinds numbered as the vector entries, for the panic report. */
__attribute__((noreturn)) void panic_exception(struct exception_frame *f,
						uint64_t kind);

/* Each gets the vCPU that trapped (registers saved in it) and returns the
 * vCPU to enter next. handle_hvc's vCPU has x19-x29 unsaved: it must not
 * read or change them. */
struct vcpu *handle_hvc(struct vcpu *current);
struct vcpu *handle_lower_sync(struct vcpu *current);
struct vcpu *handle_lower_irq(struct vcpu *current);
struct vcpu *handle_lower_serror(struct vcpu *current);
