/* The hypercall ABI as VMs see it (uapi/hf/abi.h, docs/abi.md): FF-A v1.1
 * calls and hafnium's HF_* vendor calls. Generic code: the arch's trap
 * handler passes the VM's x0..x7. */
#pragma once

#include "hf/vm.h"

struct ffa_value {
	uint64_t func; /* x0 */
	uint64_t arg1, arg2, arg3, arg4, arg5, arg6, arg7;
};

/* What HF_HYP_INFO reports, fixed at boot. */
struct api_hyp_info {
	size_t cpu_count;
	uint64_t mem_available; /* RAM the primary owns and may donate */
};

void api_init(const struct api_hyp_info *info);

/* Handles one call from `caller` in place: regs holds x0..x7 on entry and
 * the results on return. Every argument is validated. */
void api_handle_call(struct vm *caller, struct ffa_value *regs);
