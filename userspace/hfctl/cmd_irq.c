// SPDX-License-Identifier: BSD-3-Clause
/* hfctl irq NAME|ID [--vcpu N] INTID: HF_IOCTL_VM_IRQ. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hfctl.h"

int cmd_irq(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		{ "vcpu", required_argument, NULL, 'v' },
		{ 0 }
	};
	struct hf_ioctl_vm_status st;
	char name[HF_IOCTL_VM_NAME_SIZE];
	uint32_t vcpu = 0, intid;
	const char *arg;
	int fd, opt, err;

	while ((opt = cmd_getopt(cmd, argc, argv, options)) != -1) {
		if (opt != 'v')
			return HFCTL_USAGE;
		if (parse_uint(optarg, &vcpu))
			return usage_error(cmd, "invalid vCPU '%s'", optarg);
	}
	if (optind >= argc)
		return usage_error(cmd, "no VM given");
	if (optind + 1 >= argc)
		return usage_error(cmd, "no intid given");
	if (optind + 2 < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + 2]);
	/* The range is the ABI's: refused before asking anyone. */
	arg = argv[optind + 1];
	if (parse_uint(arg, &intid))
		return usage_error(cmd, "invalid intid '%s'", arg);
	if (intid < HF_IOCTL_IRQ_FIRST || intid > HF_IOCTL_IRQ_LAST)
		return usage_error(cmd, "intid %u is not a software interrupt (%u..%u)",
				   intid, HF_IOCTL_IRQ_FIRST, HF_IOCTL_IRQ_LAST);

	fd = vm_open(cmd, argv[optind], &st);
	if (fd < 0)
		return HFCTL_ERROR;
	/*
	 * A VM's vCPU count never changes: name the bad vCPU here. The
	 * primary is refused by the driver whatever the vCPU.
	 */
	if (st.vm_id != 1 && vcpu >= st.vcpu_count) {
		close(fd);
		format_name(name, sizeof(name), st.name);
		hfctl_error("%s: VM %u (%s) has no vCPU %u: %s (its vCPUs are 0..%u)",
			    cmd->name, st.vm_id, name, vcpu, strerror(EINVAL),
			    st.vcpu_count - 1);
		return HFCTL_ERROR;
	}
	err = dev_vm_irq(fd, st.vm_id, vcpu, intid);
	close(fd);
	if (err) {
		vm_error(cmd, &st, "HF_IOCTL_VM_IRQ", err);
		return HFCTL_ERROR;
	}
	return HFCTL_OK;
}
