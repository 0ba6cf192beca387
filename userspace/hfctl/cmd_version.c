// SPDX-License-Identifier: BSD-3-Clause
/* hfctl version: HF_IOCTL_VERSION. */
#include <unistd.h>

#include "hfctl.h"

int cmd_version(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = { { 0 } };
	struct hf_ioctl_version v;
	char driver[16], ffa[16], hf_abi[16];
	int fd, ret;

	if (cmd_getopt(cmd, argc, argv, options) != -1)
		return HFCTL_USAGE;
	ret = cmd_no_operands(cmd, argc, argv);
	if (ret)
		return ret;

	/* hfctl's own version, even if the driver cannot be asked. */
	printf("hfctl:        %s\n", HFCTL_VERSION);
	fflush(stdout);
	fd = dev_open();
	if (fd < 0)
		return HFCTL_ERROR;
	ret = dev_version(fd, &v);
	close(fd);
	if (ret)
		return HFCTL_ERROR;

	format_version(driver, sizeof(driver), v.driver_version);
	format_version(ffa, sizeof(ffa), v.abi_version);
	format_version(hf_abi, sizeof(hf_abi), v.hf_abi_version);
	printf("driver:       %s\n", driver);
	printf("FF-A:         %s\n", ffa);
	printf("hafnium ABI:  %s\n", hf_abi);
	return HFCTL_OK;
}
