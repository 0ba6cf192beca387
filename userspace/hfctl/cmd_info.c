// SPDX-License-Identifier: GPL-2.0
/* hfctl info: HF_IOCTL_HYP_INFO. */
#include <unistd.h>

#include "hfctl.h"

int cmd_info(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = { { 0 } };
	struct hf_ioctl_hyp_info info;
	char abi[16], mem[16];
	int fd, ret;

	if (cmd_getopt(cmd, argc, argv, options) != -1)
		return HFCTL_USAGE;
	ret = cmd_no_operands(cmd, argc, argv);
	if (ret)
		return ret;

	fd = dev_open();
	if (fd < 0)
		return HFCTL_ERROR;
	ret = dev_hyp_info(fd, &info);
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
	return HFCTL_OK;
}
