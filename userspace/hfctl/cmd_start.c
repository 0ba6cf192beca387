// SPDX-License-Identifier: BSD-3-Clause
/* hfctl start|stop|destroy NAME|ID: one ioctl on one VM. */
#include <unistd.h>

#include "hfctl.h"

/* The VM the only operand names; 0, HFCTL_USAGE or HFCTL_ERROR. */
int cmd_vm_operand(const struct hfctl_cmd *cmd, int argc, char **argv,
		   int *fd, struct hf_ioctl_vm_status *st)
{
	static const struct option options[] = { { 0 } };

	if (cmd_getopt(cmd, argc, argv, options) != -1)
		return HFCTL_USAGE;
	if (optind >= argc)
		return usage_error(cmd, "no VM given");
	if (optind + 1 < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + 1]);
	*fd = vm_open(cmd, argv[optind], st);
	return *fd < 0 ? HFCTL_ERROR : 0;
}

static int vm_call(const struct hfctl_cmd *cmd, int argc, char **argv,
		   int (*call)(int fd, uint32_t vm_id), const char *name)
{
	struct hf_ioctl_vm_status st;
	int fd, err;

	err = cmd_vm_operand(cmd, argc, argv, &fd, &st);
	if (err)
		return err;
	err = call(fd, st.vm_id);
	close(fd);
	if (err) {
		vm_error(cmd, &st, name, err);
		return HFCTL_ERROR;
	}
	return HFCTL_OK;
}

static int start(int fd, uint32_t vm_id)
{
	/* Entry 0: the one the image gave at create. */
	return dev_vm_start(fd, vm_id, 0);
}

int cmd_start(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	return vm_call(cmd, argc, argv, start, "HF_IOCTL_VM_START");
}

int cmd_stop(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	return vm_call(cmd, argc, argv, dev_vm_stop, "HF_IOCTL_VM_STOP");
}

int cmd_destroy(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	return vm_call(cmd, argc, argv, dev_vm_destroy, "HF_IOCTL_VM_DESTROY");
}
