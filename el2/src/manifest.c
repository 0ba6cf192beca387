/* SPDX-License-Identifier: BSD-3-Clause */
/* Parses manifest.dtb with libfdt. The blob's structure is checked before
 * any node is read, and every property is length-checked. */
#include "hf/manifest.h"

#include <libfdt.h>

#include "hf/dlog.h"
#include "hf/fdt_check.h"

static enum manifest_result read_string(const void *dtb, int node,
					const char *vm, const char *prop,
					char *out, size_t out_size,
					bool required, struct hf_error *err)
{
	int len;
	const char *value = fdt_getprop(dtb, node, prop, &len);

	if (value == NULL) {
		if (!required) {
			out[0] = '\0';
			return MANIFEST_OK;
		}
		hf_error_set(err, MANIFEST_MISSING_PROPERTY,
			     "manifest: %s: missing property %s", vm, prop);
		return MANIFEST_MISSING_PROPERTY;
	}
	if (len < 2 || value[len - 1] != '\0' ||
	    strnlen(value, (size_t)len) != (size_t)len - 1 ||
	    (size_t)len > out_size) {
		hf_error_set(err, MANIFEST_BAD_PROPERTY,
			     "manifest: %s: %s must be a non-empty string of "
			     "at most %zu characters",
			     vm, prop, out_size - 1);
		return MANIFEST_BAD_PROPERTY;
	}
	memcpy(out, value, (size_t)len);
	return MANIFEST_OK;
}

static enum manifest_result read_u64(const void *dtb, int node, const char *vm,
				     const char *prop, uint64_t *out,
				     struct hf_error *err)
{
	int len;
	const fdt32_t *value = fdt_getprop(dtb, node, prop, &len);

	if (value == NULL) {
		hf_error_set(err, MANIFEST_MISSING_PROPERTY,
			     "manifest: %s: missing property %s", vm, prop);
		return MANIFEST_MISSING_PROPERTY;
	}
	if (len == 4) {
		*out = fdt32_to_cpu(value[0]);
	} else if (len == 8) {
		*out = (uint64_t)fdt32_to_cpu(value[0]) << 32 |
		       fdt32_to_cpu(value[1]);
	} else {
		hf_error_set(err, MANIFEST_BAD_PROPERTY,
			     "manifest: %s: %s must be one or two cells", vm,
			     prop);
		return MANIFEST_BAD_PROPERTY;
	}
	return MANIFEST_OK;
}

static enum manifest_result parse_vm(const void *dtb, int node, size_t index,
				     struct manifest_vm *vm,
				     struct hf_error *err)
{
	char name[8];
	enum manifest_result r;
	uint64_t value;

	snprint(name, sizeof(name), "vm%zu", index + 1);
	r = read_string(dtb, node, name, "debug_name", vm->debug_name,
			sizeof(vm->debug_name), true, err);
	if (r == MANIFEST_OK) {
		r = read_string(dtb, node, name, "kernel_filename",
				vm->kernel_filename,
				sizeof(vm->kernel_filename), true, err);
	}
	if (r != MANIFEST_OK) {
		return r;
	}
	if (index == 0) {
		return read_string(dtb, node, name, "ramdisk_filename",
				   vm->ramdisk_filename,
				   sizeof(vm->ramdisk_filename), true, err);
	}
	r = read_u64(dtb, node, name, "vcpu_count", &value, err);
	if (r != MANIFEST_OK) {
		return r;
	}
	if (value == 0 || value > UINT32_MAX) {
		hf_error_set(err, MANIFEST_BAD_PROPERTY,
			     "manifest: %s: vcpu_count must be at least 1",
			     name);
		return MANIFEST_BAD_PROPERTY;
	}
	vm->vcpu_count = (uint32_t)value;
	r = read_u64(dtb, node, name, "mem_size", &vm->mem_size, err);
	if (r == MANIFEST_OK && vm->mem_size == 0) {
		hf_error_set(err, MANIFEST_BAD_PROPERTY,
			     "manifest: %s: mem_size must not be 0", name);
		return MANIFEST_BAD_PROPERTY;
	}
	return r;
}

enum manifest_result manifest_parse(const void *blob, size_t size,
				    struct manifest *m, struct hf_error *err)
{
	static uint64_t aligned[MANIFEST_MAX_SIZE / sizeof(uint64_t)];
	const void *dtb = aligned;
	int hyp;
	int child;
	size_t count = 0;

	memset(m, 0, sizeof(*m));
	if (size > sizeof(aligned)) {
		hf_error_set(err, MANIFEST_TOO_LARGE,
			     "manifest.dtb is larger than %d bytes",
			     MANIFEST_MAX_SIZE);
		return MANIFEST_TOO_LARGE;
	}
	memcpy(aligned, blob, size);
	if (!fdt_blob_valid(dtb, size)) {
		hf_error_set(err, MANIFEST_BAD_DTB,
			     "manifest.dtb is not a valid device tree blob");
		return MANIFEST_BAD_DTB;
	}
	hyp = fdt_path_offset(dtb, "/hypervisor");
	if (hyp < 0) {
		hf_error_set(err, MANIFEST_NO_HYPERVISOR,
			     "manifest: no /hypervisor node");
		return MANIFEST_NO_HYPERVISOR;
	}
	if (fdt_node_check_compatible(dtb, hyp, "hafnium,hafnium") != 0) {
		hf_error_set(err, MANIFEST_NOT_COMPATIBLE,
			     "manifest: /hypervisor is not compatible with "
			     "\"hafnium,hafnium\"");
		return MANIFEST_NOT_COMPATIBLE;
	}
	fdt_for_each_subnode(child, dtb, hyp)
	{
		char expected[8];
		const char *name = fdt_get_name(dtb, child, NULL);
		enum manifest_result r;

		if (count == MANIFEST_MAX_VMS) {
			hf_error_set(err, MANIFEST_TOO_MANY_VMS,
				     "manifest: more than %d VMs",
				     MANIFEST_MAX_VMS);
			return MANIFEST_TOO_MANY_VMS;
		}
		snprint(expected, sizeof(expected), "vm%zu", count + 1);
		if (name == NULL || strcmp(name, expected) != 0) {
			if (count == 0) {
				break;
			}
			hf_error_set(err, MANIFEST_UNEXPECTED_NODE,
				     "manifest: unexpected node '%s' (expected "
				     "%s)",
				     name == NULL ? "?" : name, expected);
			return MANIFEST_UNEXPECTED_NODE;
		}
		r = parse_vm(dtb, child, count, &m->vm[count], err);
		if (r != MANIFEST_OK) {
			return r;
		}
		count++;
	}
	if (count == 0) {
		hf_error_set(err, MANIFEST_NO_PRIMARY,
			     "manifest: no vm1 node (the primary VM)");
		return MANIFEST_NO_PRIMARY;
	}
	m->vm_count = count;
	return MANIFEST_OK;
}
