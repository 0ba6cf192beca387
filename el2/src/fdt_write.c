/* SPDX-License-Identifier: BSD-3-Clause */
/* Device tree blob format (devicetree specification, chapter 5): header,
 * memory reservation block, structure block, strings block; big-endian. */
#include "hf/fdt_write.h"

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_END 9u
#define FDT_HEADER_SIZE 40
#define FDT_VERSION 17
#define FDT_LAST_COMP_VERSION 16

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void put_be64(uint8_t *p, uint64_t v)
{
	put_be32(p, (uint32_t)(v >> 32));
	put_be32(p + 4, (uint32_t)v);
}

static void emit(struct fdt_writer *w, const void *data, size_t len)
{
	if (w->overflow || len > FDT_WRITE_STRUCT_MAX - w->structure_len) {
		w->overflow = true;
		return;
	}
	memcpy(w->structure + w->structure_len, data, len);
	w->structure_len += len;
	/* Tokens and names are padded to 4 bytes. */
	while (w->structure_len % 4 != 0) {
		w->structure[w->structure_len++] = 0;
	}
}

static void emit_u32(struct fdt_writer *w, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	emit(w, b, sizeof(b));
}

/* Offset of name in the strings block, adding it if new. */
static uint32_t string_offset(struct fdt_writer *w, const char *name)
{
	size_t len = strlen(name) + 1;
	size_t off = 0;

	while (off < w->strings_len) {
		if (strcmp(w->strings + off, name) == 0) {
			return (uint32_t)off;
		}
		off += strlen(w->strings + off) + 1;
	}
	if (len > FDT_WRITE_STRINGS_MAX - w->strings_len) {
		w->overflow = true;
		return 0;
	}
	memcpy(w->strings + w->strings_len, name, len);
	w->strings_len += len;
	return (uint32_t)off;
}

void fdtw_init(struct fdt_writer *w)
{
	w->structure_len = 0;
	w->strings_len = 0;
	w->overflow = false;
}

void fdtw_begin_node(struct fdt_writer *w, const char *name)
{
	emit_u32(w, FDT_BEGIN_NODE);
	emit(w, name, strlen(name) + 1);
}

void fdtw_end_node(struct fdt_writer *w)
{
	emit_u32(w, FDT_END_NODE);
}

void fdtw_prop(struct fdt_writer *w, const char *name, const void *data,
	       size_t len)
{
	uint32_t off = string_offset(w, name);

	emit_u32(w, FDT_PROP);
	emit_u32(w, (uint32_t)len);
	emit_u32(w, off);
	if (len > 0) {
		emit(w, data, len);
	}
}

void fdtw_prop_u32(struct fdt_writer *w, const char *name, uint32_t v)
{
	uint8_t b[4];

	put_be32(b, v);
	fdtw_prop(w, name, b, sizeof(b));
}

void fdtw_prop_reg64(struct fdt_writer *w, const char *name, uint64_t base,
		     uint64_t size)
{
	uint8_t b[16];

	put_be64(b, base);
	put_be64(b + 8, size);
	fdtw_prop(w, name, b, sizeof(b));
}

void fdtw_prop_string(struct fdt_writer *w, const char *name,
		      const char *value)
{
	fdtw_prop(w, name, value, strlen(value) + 1);
}

size_t fdtw_finish(struct fdt_writer *w, uint64_t rsv_base, uint64_t rsv_size,
		   void *out, size_t out_size)
{
	uint8_t *o = out;
	size_t rsv_len = rsv_size != 0 ? 32 : 16;
	size_t off_struct = FDT_HEADER_SIZE + rsv_len;
	size_t off_strings;
	size_t total;

	emit_u32(w, FDT_END);
	off_strings = off_struct + w->structure_len;
	total = off_strings + w->strings_len;
	if (w->overflow || total > out_size) {
		return 0;
	}
	memset(o, 0, off_struct);
	put_be32(o + 0, FDT_MAGIC);
	put_be32(o + 4, (uint32_t)total);
	put_be32(o + 8, (uint32_t)off_struct);
	put_be32(o + 12, (uint32_t)off_strings);
	put_be32(o + 16, FDT_HEADER_SIZE);
	put_be32(o + 20, FDT_VERSION);
	put_be32(o + 24, FDT_LAST_COMP_VERSION);
	put_be32(o + 32, (uint32_t)w->strings_len);
	put_be32(o + 36, (uint32_t)w->structure_len);
	if (rsv_size != 0) {
		put_be64(o + FDT_HEADER_SIZE, rsv_base);
		put_be64(o + FDT_HEADER_SIZE + 8, rsv_size);
	}
	memcpy(o + off_struct, w->structure, w->structure_len);
	memcpy(o + off_strings, w->strings, w->strings_len);
	return total;
}
