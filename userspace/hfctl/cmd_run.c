// SPDX-License-Identifier: BSD-3-Clause
/*
 * hfctl run NAME --image FILE [--mem SIZE] [--vcpus N] [--rm]: create,
 * start, follow the console until the VM ends; the exit status says how.
 */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hfctl.h"

int create_parse(const struct hfctl_cmd *cmd, int argc, char **argv,
		 struct vm_spec *spec, int *rm);

/* How it ended: HFCTL_OK for a poweroff, else a reported HFCTL_ERROR. */
static int run_result(const struct hfctl_cmd *cmd,
		      const struct hf_ioctl_vm_status *st)
{
	char name[HF_IOCTL_VM_NAME_SIZE], report[256];

	format_name(name, sizeof(name), st->name);
	switch (st->exit_reason) {
	case HF_IOCTL_EXIT_POWEROFF:
		return HFCTL_OK;
	case HF_IOCTL_EXIT_CRASHED:
		format_crash(report, sizeof(report), st);
		hfctl_error("%s: VM %u (%s) crashed: %s", cmd->name, st->vm_id,
			    name, report);
		break;
	case HF_IOCTL_EXIT_STOPPED:
		hfctl_error("%s: VM %u (%s) was stopped", cmd->name, st->vm_id,
			    name);
		break;
	case HF_IOCTL_EXIT_RESET:
		hfctl_error("%s: VM %u (%s) asked for a reset", cmd->name,
			    st->vm_id, name);
		break;
	default:
		hfctl_error("%s: VM %u (%s) ended, exit reason %u", cmd->name,
			    st->vm_id, name, st->exit_reason);
		break;
	}
	return HFCTL_ERROR;
}

int cmd_run(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	struct hf_ioctl_vm_status st;
	struct vm_spec spec;
	uint64_t offset = 0;
	int status = HFCTL_ERROR;
	int fd, ret, err, rm = 0;

	ret = create_parse(cmd, argc, argv, &spec, &rm);
	if (ret)
		return ret;
	fd = dev_open();
	if (fd < 0)
		return HFCTL_ERROR;
	if (vm_create(fd, cmd, &spec, &st))
		goto out;
	err = dev_vm_start(fd, st.vm_id, 0);
	if (err) {
		vm_error(cmd, &st, "HF_IOCTL_VM_START", err);
		goto end;
	}
	ret = vm_console(fd, cmd, &st, &offset, 1);
	if (ret > 0)
		hfctl_error("%s: VM %u (%s): %s (it was destroyed)", cmd->name,
			    st.vm_id, spec.name, strerror(ENOENT));
	if (ret)
		goto end;
	ret = dev_vm_status(fd, st.vm_id, &st);
	if (ret > 0)
		hfctl_error("%s: VM %u (%s): %s (it was destroyed)", cmd->name,
			    st.vm_id, spec.name, strerror(ENOENT));
	if (ret)
		goto end;
	status = run_result(cmd, &st);
end:
	if (rm) {
		err = dev_vm_destroy(fd, st.vm_id);
		if (err && err != ENOENT && status == HFCTL_OK) {
			vm_error(cmd, &st, "HF_IOCTL_VM_DESTROY", err);
			status = HFCTL_ERROR;
		}
	}
out:
	close(fd);
	return status;
}
