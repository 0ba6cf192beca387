/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * A minimal flattened device tree reader (guest/fdt.h). Every read is
 * checked against the blob's blocks: a malformed tree gives "not found",
 * never a fault. Big-endian fields are read byte by byte.
 */
#include "guest/runtime.h"

#define FDT_MAGIC 0xd00dfeed
#define FDT_BEGIN_NODE 1
#define FDT_END_NODE 2
#define FDT_PROP 3
#define FDT_NOP 4
#define FDT_END 9
#define FDT_HEADER_SIZE 40
/* Nodes deeper than this are walked but never matched. */
#define FDT_MAX_DEPTH 16

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Does [off, off + len) fit in size? */
static bool fits(uint32_t off, uint32_t len, uint32_t size)
{
	return off <= size && len <= size - off;
}

bool fdt_open(struct fdt *f, const void *blob, uint32_t max_size)
{
	const uint8_t *h = blob;
	uint32_t size;

	if (h == NULL || max_size < FDT_HEADER_SIZE ||
	    be32(h) != FDT_MAGIC) {
		return false;
	}
	size = be32(h + 4);
	if (size < FDT_HEADER_SIZE || size > max_size ||
	    be32(h + 20) < 16 || be32(h + 24) > 17) {
		return false;
	}
	f->blob = h;
	f->size = size;
	f->struct_off = be32(h + 8);
	f->strings_off = be32(h + 12);
	f->strings_size = be32(h + 32);
	f->struct_size = be32(h + 36);
	return f->struct_off % 4 == 0 &&
	       fits(f->struct_off, f->struct_size, size) &&
	       fits(f->strings_off, f->strings_size, size);
}

struct token {
	uint32_t type;
	const char *name; /* node or property name */
	const uint8_t *value;
	uint32_t len;
};

/* Length of the NUL-terminated string at p, at most max - 1; max if there
 * is no NUL in the max bytes. */
static uint32_t bounded_strlen(const uint8_t *p, uint32_t max)
{
	uint32_t n = 0;

	while (n < max && p[n] != '\0') {
		n++;
	}
	return n;
}

/* Reads the token at *off (in the structure block) and moves *off past
 * it. False at a malformed token. */
static bool next_token(const struct fdt *f, uint32_t *off, struct token *t)
{
	const uint8_t *s = f->blob + f->struct_off;
	uint32_t size = f->struct_size;
	uint32_t o = *off;
	uint32_t n;

	if (!fits(o, 4, size)) {
		return false;
	}
	t->type = be32(s + o);
	o += 4;
	switch (t->type) {
	case FDT_BEGIN_NODE:
		n = bounded_strlen(s + o, size - o);
		if (n == size - o) {
			return false;
		}
		t->name = (const char *)(s + o);
		o += (n + 1 + 3) & ~3u;
		break;
	case FDT_PROP: {
		uint32_t nameoff;

		if (!fits(o, 8, size)) {
			return false;
		}
		t->len = be32(s + o);
		nameoff = be32(s + o + 4);
		o += 8;
		if (!fits(o, t->len, size) || nameoff >= f->strings_size) {
			return false;
		}
		n = bounded_strlen(f->blob + f->strings_off + nameoff,
				   f->strings_size - nameoff);
		if (n == f->strings_size - nameoff) {
			return false;
		}
		t->name = (const char *)(f->blob + f->strings_off + nameoff);
		t->value = s + o;
		o += (t->len + 3) & ~3u;
		break;
	}
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return false;
	}
	if (o > size) {
		return false;
	}
	*off = o;
	return true;
}

/* Does node name match path component [c, c + len)? Exactly, or with a
 * unit address the component lacks. */
static bool name_matches(const char *name, const char *c, size_t len)
{
	bool has_unit = false;

	for (size_t i = 0; i < len; i++) {
		has_unit |= c[i] == '@';
	}
	if (strncmp(name, c, len) != 0) {
		return false;
	}
	return name[len] == '\0' || (!has_unit && name[len] == '@');
}

/* The offset of path's BEGIN_NODE token in the structure block, or -1. */
static int64_t find_node(const struct fdt *f, const char *path)
{
	uint32_t off = 0;
	unsigned int depth = 0;   /* of the current node; root = 1 */
	unsigned int matched = 0; /* path components matched above */
	const char *rest = path;  /* the first unmatched component */
	const char *starts[FDT_MAX_DEPTH];
	struct token t;

	if (path[0] != '/') {
		return -1;
	}
	while (*rest == '/') {
		rest++;
	}
	for (;;) {
		uint32_t at = off;

		if (!next_token(f, &off, &t)) {
			return -1;
		}
		if (t.type == FDT_END) {
			return -1;
		}
		if (t.type == FDT_BEGIN_NODE) {
			size_t len = 0;

			depth++;
			if (depth == 1) { /* the root */
				if (*rest == '\0') {
					return at;
				}
				continue;
			}
			while (rest[len] != '\0' && rest[len] != '/') {
				len++;
			}
			if (depth == matched + 2 && matched < FDT_MAX_DEPTH &&
			    name_matches(t.name, rest, len)) {
				starts[matched++] = rest;
				rest += len;
				while (*rest == '/') {
					rest++;
				}
				if (*rest == '\0') {
					return at;
				}
			}
		} else if (t.type == FDT_END_NODE) {
			if (depth == 0) {
				return -1;
			}
			if (matched > 0 && depth == matched + 1) {
				rest = starts[--matched];
			}
			depth--;
			if (depth == 0) {
				return -1; /* the root ended */
			}
		}
	}
}

/* Property name of the node whose BEGIN_NODE token is at node. */
static const void *node_prop(const struct fdt *f, uint32_t node,
			     const char *name, uint32_t *len)
{
	struct token t;

	if (!next_token(f, &node, &t) || t.type != FDT_BEGIN_NODE) {
		return NULL;
	}
	for (;;) {
		if (!next_token(f, &node, &t)) {
			return NULL;
		}
		if (t.type == FDT_NOP) {
			continue;
		}
		if (t.type != FDT_PROP) {
			return NULL; /* properties come before subnodes */
		}
		if (strcmp(t.name, name) == 0) {
			*len = t.len;
			return t.value;
		}
	}
}

const void *fdt_getprop(const struct fdt *f, const char *path,
			const char *name, uint32_t *len)
{
	int64_t node = find_node(f, path);

	return node < 0 ? NULL : node_prop(f, (uint32_t)node, name, len);
}

const char *fdt_string(const struct fdt *f, const char *path,
		       const char *name)
{
	uint32_t len;
	const char *v = fdt_getprop(f, path, name, &len);

	if (v == NULL || len == 0 ||
	    bounded_strlen((const uint8_t *)v, len) == len) {
		return NULL;
	}
	return v;
}

const char *fdt_compatible(const struct fdt *f, const char *path)
{
	return fdt_string(f, path, "compatible");
}

/* A #address-cells or #size-cells value of the root, 1 or 2. */
static bool root_cells(const struct fdt *f, const char *name, uint32_t dflt,
		       uint32_t *cells)
{
	uint32_t len;
	const uint8_t *v = fdt_getprop(f, "/", name, &len);

	*cells = dflt;
	if (v != NULL) {
		if (len != 4) {
			return false;
		}
		*cells = be32(v);
	}
	return *cells == 1 || *cells == 2;
}

static uint64_t read_cells(const uint8_t *p, uint32_t cells)
{
	return cells == 1 ? be32(p) : (uint64_t)be32(p) << 32 | be32(p + 4);
}

bool fdt_memory(const struct fdt *f, uint64_t *base, uint64_t *size)
{
	uint32_t ac, sc, len;
	const uint8_t *reg;

	if (!root_cells(f, "#address-cells", 2, &ac) ||
	    !root_cells(f, "#size-cells", 1, &sc)) {
		return false;
	}
	reg = fdt_getprop(f, "/memory", "reg", &len);
	if (reg == NULL || len < (ac + sc) * 4) {
		return false;
	}
	*base = read_cells(reg, ac);
	*size = read_cells(reg + ac * 4, sc);
	return true;
}

int fdt_cpu_count(const struct fdt *f)
{
	int64_t node = find_node(f, "/cpus");
	uint32_t off;
	unsigned int depth = 0;
	int count = 0;
	struct token t;

	if (node < 0) {
		return -1;
	}
	off = (uint32_t)node;
	do {
		if (!next_token(f, &off, &t) || t.type == FDT_END) {
			return -1;
		}
		if (t.type == FDT_BEGIN_NODE) {
			depth++;
			if (depth == 2 && name_matches(t.name, "cpu", 3)) {
				count++;
			}
		} else if (t.type == FDT_END_NODE) {
			depth--;
		}
	} while (depth > 0);
	return count;
}
