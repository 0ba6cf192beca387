// SPDX-License-Identifier: BSD-3-Clause
/* hfctl list [--json]: HF_IOCTL_VM_LIST, then HF_IOCTL_VM_STATUS per VM. */
#include <stdbool.h>
#include <stdlib.h>
#include <unistd.h>

#include "hfctl.h"

#define LIST_COLUMNS 6

static void print_json(const struct hf_ioctl_vm_status *vms, uint32_t count)
{
	char state[16];
	uint32_t i;

	printf("[");
	for (i = 0; i < count; i++) {
		format_vm_state(state, sizeof(state), vms[i].state);
		printf("%s\n  {\"id\": %u, \"name\": ", i ? "," : "",
		       vms[i].vm_id);
		json_string(stdout, vms[i].name);
		printf(", \"state\": ");
		json_string(stdout, state);
		printf(", \"vcpus\": %u, \"memory\": %llu, \"uptime_ns\": %llu}",
		       vms[i].vcpu_count, (unsigned long long)vms[i].mem_size,
		       (unsigned long long)vms[i].uptime_ns);
	}
	printf("%s]\n", count ? "\n" : "");
}

static int print_table(const struct hf_ioctl_vm_status *vms, uint32_t count)
{
	static const char *const header[LIST_COLUMNS] = {
		"ID", "NAME", "STATE", "VCPUS", "MEMORY", "UPTIME"
	};
	char id[16], name[HF_IOCTL_VM_NAME_SIZE], state[16], vcpus[16];
	char mem[16], up[32];
	const char *const row[LIST_COLUMNS] = { id, name, state, vcpus, mem,
						 up };
	struct table t;
	uint32_t i;

	if (table_init(&t, LIST_COLUMNS, header))
		return -1;
	for (i = 0; i < count; i++) {
		snprintf(id, sizeof(id), "%u", vms[i].vm_id);
		format_name(name, sizeof(name), vms[i].name);
		format_vm_state(state, sizeof(state), vms[i].state);
		snprintf(vcpus, sizeof(vcpus), "%u", vms[i].vcpu_count);
		format_size(mem, sizeof(mem), vms[i].mem_size);
		if (vms[i].state == HF_IOCTL_VM_CREATED)
			snprintf(up, sizeof(up), "-");
		else
			format_uptime(up, sizeof(up), vms[i].uptime_ns);
		if (table_add_row(&t, row)) {
			table_free(&t);
			return -1;
		}
	}
	table_print(&t, stdout);
	table_free(&t);
	return 0;
}

int cmd_list(const struct hfctl_cmd *cmd, int argc, char **argv)
{
	static const struct option options[] = {
		{ "json", no_argument, NULL, 'j' },
		{ 0 }
	};
	struct hf_ioctl_vm_status *vms = NULL;
	uint32_t *ids = NULL, count, found = 0, i;
	int status = HFCTL_ERROR;
	bool json = false;
	int fd, opt;

	while ((opt = cmd_getopt(cmd, argc, argv, options)) != -1) {
		if (opt != 'j')
			return HFCTL_USAGE;
		json = true;
	}
	opt = cmd_no_operands(cmd, argc, argv);
	if (opt)
		return opt;

	fd = dev_open();
	if (fd < 0)
		return HFCTL_ERROR;
	if (dev_vm_list(fd, &ids, &count))
		goto out;
	vms = calloc(count ? count : 1, sizeof(*vms));
	if (!vms) {
		hfctl_error("out of memory");
		goto out;
	}
	for (i = 0; i < count; i++) {
		int ret = dev_vm_status(fd, ids[i], &vms[found]);

		if (ret < 0)
			goto out;
		/* ret == 1: destroyed since the list was made; not listed. */
		if (ret == 0)
			found++;
	}

	if (json)
		print_json(vms, found);
	else if (print_table(vms, found))
		goto out;
	status = HFCTL_OK;
out:
	free(vms);
	free(ids);
	close(fd);
	return status;
}
