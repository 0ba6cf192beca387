// SPDX-License-Identifier: BSD-3-Clause
/*
 * hfctl create NAME --image FILE [--mem SIZE] [--vcpus N]:
 * HF_IOCTL_VM_CREATE, then HF_IOCTL_VM_LOAD of the image.
 */
#include <unistd.h>

#include "hfctl.h"

#define DEFAULT_MEM (16ULL << 20)

int create_parse(const struct hfctl_cmd *cmd, int argc, char **argv,
		 struct vm_spec *spec, int *rm)
{
	static const struct option create_options[] = {
		{ "image", required_argument, NULL, 'i' },
		{ "mem", required_argument, NULL, 'm' },
		{ "vcpus", required_argument, NULL, 'v' },
		{ 0 }
	};
	static const struct option run_options[] = {
		{ "image", required_argument, NULL, 'i' },
		{ "mem", required_argument, NULL, 'm' },
		{ "vcpus", required_argument, NULL, 'v' },
		{ "rm", no_argument, NULL, 'r' },
		{ 0 }
	};
	int opt;

	spec->name = NULL;
	spec->image = NULL;
	spec->mem = DEFAULT_MEM;
	spec->mem_arg = "16M";
	spec->vcpus = 1;
	while ((opt = cmd_getopt(cmd, argc, argv,
				 rm ? run_options : create_options)) != -1) {
		switch (opt) {
		case 'i':
			spec->image = optarg;
			break;
		case 'm':
			if (parse_size(optarg, &spec->mem))
				return usage_error(cmd, "invalid size '%s'",
						   optarg);
			spec->mem_arg = optarg;
			break;
		case 'v':
			if (parse_uint(optarg, &spec->vcpus))
				return usage_error(cmd, "invalid vCPU count '%s'",
						   optarg);
			break;
		case 'r':
			*rm = 1;
			break;
		default:
			return HFCTL_USAGE;
		}
	}
	if (optind >= argc)
		return usage_error(cmd, "no VM name given");
	spec->name = argv[optind++];
	if (optind < argc)
		return usage_error(cmd, "unexpected argument '%s'",
				   argv[optind]);
	if (!spec->image)
		return usage_error(cmd, "no --image given");
	return 0;
}

int cmd_create(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	struct hf_ioctl_vm_status st;
	struct vm_spec spec;
	char mem[16];
	int fd, ret;

	ret = create_parse(cmd, argc, argv, &spec, NULL);
	if (ret)
		return ret;
	fd = dev_open();
	if (fd < 0)
		return HFCTL_ERROR;
	ret = vm_create(fd, cmd, &spec, &st);
	close(fd);
	if (ret)
		return HFCTL_ERROR;
	format_size(mem, sizeof(mem), st.mem_size);
	printf("VM %u (%s) created: %u vCPU%s, %s\n", st.vm_id, spec.name,
	       st.vcpu_count, st.vcpu_count == 1 ? "" : "s", mem);
	return HFCTL_OK;
}
