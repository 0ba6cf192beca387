// SPDX-License-Identifier: BSD-3-Clause
/* hfctl console [-f] NAME|ID: HF_IOCTL_VM_CONSOLE, once or following. */
#include <errno.h>
#include <string.h>
#include <unistd.h>

#include "hfctl.h"

int cmd_console(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		{ "follow", no_argument, NULL, 'f' },
		{ 0 }
	};
	struct hf_ioctl_vm_status st;
	uint64_t offset = 0;
	int follow = 0;
	int fd, opt, ret;

	while ((opt = cmd_getopt(cmd, argc, argv, options)) != -1) {
		if (opt != 'f')
			return HFCTL_USAGE;
		follow = 1;
	}
	if (optind >= argc)
		return usage_error(cmd, "no VM given");
	if (optind + 1 < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind + 1]);
	fd = vm_open(cmd, argv[optind], &st);
	if (fd < 0)
		return HFCTL_ERROR;
	ret = vm_console(fd, cmd, &st, &offset, follow);
	close(fd);
	if (ret > 0) {
		hfctl_error("%s: VM %u: %s (it was destroyed)", cmd->name,
			    st.vm_id, strerror(ENOENT));
		return HFCTL_ERROR;
	}
	return ret ? HFCTL_ERROR : HFCTL_OK;
}
