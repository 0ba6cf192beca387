// SPDX-License-Identifier: BSD-3-Clause
/* hfctl info [NAME|ID]: HF_IOCTL_HYP_INFO, or HF_IOCTL_VM_STATUS of a VM. */
#include <stdlib.h>
#include <unistd.h>

#include "hfctl.h"

int cmd_vm_operand(const struct hfctl_cmd *cmd, int argc, char **argv,
		   int *fd, struct hf_ioctl_vm_status *st);

/* Bytes the driver took from the primary for VMs, over every VM. */
static int mem_donated(int fd, uint64_t *total, uint32_t *vms)
{
	struct hf_ioctl_vm_status st;
	uint32_t *ids, count, i;
	int ret = 0;

	*total = 0;
	*vms = 0;
	if (dev_vm_list(fd, &ids, &count))
		return -1;
	for (i = 0; i < count; i++) {
		ret = dev_vm_status(fd, ids[i], &st);
		if (ret < 0)
			break;
		ret = 0;
		if (st.mem_donated) {
			*total += st.mem_donated;
			++*vms;
		}
	}
	free(ids);
	return ret;
}

static int hyp_info(void)
{
	struct hf_ioctl_hyp_info info;
	char abi[16], mem[16];
	uint64_t donated;
	uint32_t vms;
	int fd, ret;

	fd = dev_open();
	if (fd < 0)
		return HFCTL_ERROR;
	ret = dev_hyp_info(fd, &info);
	if (!ret)
		ret = mem_donated(fd, &donated, &vms);
	close(fd);
	if (ret)
		return HFCTL_ERROR;

	format_version(abi, sizeof(abi), info.abi_version);
	format_size(mem, sizeof(mem), info.mem_available);
	printf("hafnium ABI:     %s\n", abi);
	printf("CPUs:            %u\n", info.cpu_count);
	printf("VMs:             %u (at most %u)\n", info.vm_count,
	       info.max_vms);
	printf("vCPUs per VM:    at most %u\n", info.max_vcpus);
	printf("memory for VMs:  %s (%llu bytes)\n", mem,
	       (unsigned long long)info.mem_available);
	format_size(mem, sizeof(mem), donated);
	printf("memory in VMs:   %s (%llu bytes, %u VM%s created here)\n", mem,
	       (unsigned long long)donated, vms, vms == 1 ? "" : "s");
	return HFCTL_OK;
}

static void vm_info(const struct hf_ioctl_vm_status *st)
{
	char name[HF_IOCTL_VM_NAME_SIZE], state[16], mem[16], up[32];
	char reason[16], report[256];

	format_name(name, sizeof(name), st->name);
	format_vm_state(state, sizeof(state), st->state);
	format_size(mem, sizeof(mem), st->mem_size);
	printf("id:           %u\n", st->vm_id);
	printf("name:         %s\n", name);
	printf("state:        %s\n", state);
	printf("vCPUs:        %u\n", st->vcpu_count);
	printf("memory:       %s (%llu bytes%s)\n", mem,
	       (unsigned long long)st->mem_size,
	       st->mem_donated ? ", from the primary" : "");
	if (st->state == HF_IOCTL_VM_CREATED) {
		printf("uptime:       -\n");
	} else {
		format_uptime(up, sizeof(up), st->uptime_ns);
		printf("uptime:       %s (%llu ns)\n", up,
		       (unsigned long long)st->uptime_ns);
	}
	if (st->vm_id != 1)
		printf("console:      %llu bytes\n",
		       (unsigned long long)st->console_total);
	if (st->state != HF_IOCTL_VM_STOPPED &&
	    st->state != HF_IOCTL_VM_CRASHED)
		return;
	format_exit_reason(reason, sizeof(reason), st->exit_reason);
	printf("exit:         %s\n", reason);
	if (st->exit_reason != HF_IOCTL_EXIT_CRASHED)
		return;
	format_crash(report, sizeof(report), st);
	printf("crash:        %s\n", report);
	printf("  vCPU:       %u\n", st->exit_vcpu);
	printf("  class:      %s (EC 0x%02llx)\n", hf_exception_class(st->exit_esr),
	       (unsigned long long)(st->exit_esr >> 26 & 0x3f));
	printf("  ESR:        0x%016llx\n", (unsigned long long)st->exit_esr);
	printf("  FAR:        0x%016llx\n", (unsigned long long)st->exit_far);
	printf("  ELR:        0x%016llx\n", (unsigned long long)st->exit_elr);
}

int cmd_info(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = { { 0 } };
	struct hf_ioctl_vm_status st;
	int fd, ret;

	if (cmd_getopt(cmd, argc, argv, options) != -1)
		return HFCTL_USAGE;
	if (optind >= argc)
		return hyp_info();
	optind = 1;
	ret = cmd_vm_operand(cmd, argc, argv, &fd, &st);
	if (ret)
		return ret;
	close(fd);
	vm_info(&st);
	return HFCTL_OK;
}
