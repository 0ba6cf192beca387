/* Virtual machines. Only the primary exists so far: it owns every CPU (one
 * vCPU per physical CPU) and all memory the hypervisor does not keep. */
#pragma once

#include "hf/manifest.h"
#include "hf/mm.h"

/* FF-A partition ids: 0 is the hypervisor, 1 the primary. */
#define HF_HYPERVISOR_VM_ID 0
#define HF_PRIMARY_VM_ID 1

struct vm {
	uint16_t id;
	char name[MANIFEST_NAME_MAX];
	struct mm_ptable ptable; /* stage-2, VMID == id */
	size_t vcpu_count;
};

struct vm *vm_primary(void);
