/* The registers saved by the vectors (see exceptions.S). */
#pragma once

#include <stdint.h>

struct exception_frame {
	uint64_t x[31];
	uint64_t sp; /* EL2 stack pointer before the exception */
};

/* Kinds numbered as the vector entries, for the panic report. */
__attribute__((noreturn)) void panic_exception(struct exception_frame *f,
						uint64_t kind);
void handle_lower_sync(struct exception_frame *f);
/* Only x0-x18 and x30 of the frame are saved for it. */
void handle_hvc(struct exception_frame *f);
