/* SPDX-License-Identifier: BSD-3-Clause */
/* cpio newc: a 110-byte ASCII header ("070701" and 13 eight-digit hex
 * fields), the NUL-terminated name, padding to 4 bytes, the file data,
 * padding to 4 bytes; "TRAILER!!!" ends the archive. */
#include "hf/cpio.h"

#include "hf/addr.h"

#define NEWC_HEADER_SIZE 110
#define NEWC_FIELD_FILESIZE 6
#define NEWC_FIELD_NAMESIZE 11
#define NEWC_TRAILER "TRAILER!!!"

static bool parse_hex8(const char *field, uint32_t *value)
{
	uint32_t v = 0;
	size_t i;

	for (i = 0; i < 8; i++) {
		char c = field[i];
		uint32_t d;

		if (c >= '0' && c <= '9') {
			d = (uint32_t)(c - '0');
		} else if (c >= 'a' && c <= 'f') {
			d = (uint32_t)(c - 'a' + 10);
		} else if (c >= 'A' && c <= 'F') {
			d = (uint32_t)(c - 'A' + 10);
		} else {
			return false;
		}
		v = v << 4 | d;
	}
	*value = v;
	return true;
}

enum cpio_result cpio_find(const void *archive, size_t archive_size,
			   const char *name, struct cpio_file *file,
			   struct hf_error *err)
{
	const char *base = archive;
	size_t offset = 0;

	for (;;) {
		const char *hdr = base + offset;
		uint32_t namesize;
		uint32_t filesize;
		size_t name_offset;
		size_t data_offset;
		const char *entry_name;

		if (archive_size - offset < NEWC_HEADER_SIZE) {
			hf_error_set(err, CPIO_TRUNCATED,
				     "cpio archive truncated at offset %zu "
				     "(no trailer)",
				     offset);
			return CPIO_TRUNCATED;
		}
		if (memcmp(hdr, "070701", 6) != 0) {
			hf_error_set(err, CPIO_BAD_MAGIC,
				     "not a cpio newc archive: bad magic at "
				     "offset %zu",
				     offset);
			return CPIO_BAD_MAGIC;
		}
		if (!parse_hex8(hdr + 6 + 8 * NEWC_FIELD_FILESIZE, &filesize) ||
		    !parse_hex8(hdr + 6 + 8 * NEWC_FIELD_NAMESIZE, &namesize)) {
			hf_error_set(err, CPIO_BAD_HEADER,
				     "corrupt cpio header at offset %zu", offset);
			return CPIO_BAD_HEADER;
		}
		name_offset = offset + NEWC_HEADER_SIZE;
		if (namesize == 0 || namesize > archive_size - name_offset) {
			hf_error_set(err, CPIO_TRUNCATED,
				     "cpio entry name at offset %zu runs past "
				     "the end of the archive",
				     offset);
			return CPIO_TRUNCATED;
		}
		entry_name = base + name_offset;
		if (entry_name[namesize - 1] != '\0' ||
		    strlen(entry_name) != namesize - 1) {
			hf_error_set(err, CPIO_BAD_HEADER,
				     "corrupt cpio entry name at offset %zu",
				     offset);
			return CPIO_BAD_HEADER;
		}
		data_offset = align_up(name_offset + namesize, 4);
		if (data_offset > archive_size ||
		    filesize > archive_size - data_offset) {
			hf_error_set(err, CPIO_TRUNCATED,
				     "cpio file '%s' (%u bytes) runs past the "
				     "end of the archive",
				     entry_name, filesize);
			return CPIO_TRUNCATED;
		}
		if (strcmp(entry_name, NEWC_TRAILER) == 0) {
			hf_error_set(err, CPIO_NOT_FOUND,
				     "file '%s' not found in the ramdisk", name);
			return CPIO_NOT_FOUND;
		}
		/* Entries may be stored as "./name". */
		if (strcmp(entry_name, name) == 0 ||
		    (entry_name[0] == '.' && entry_name[1] == '/' &&
		     strcmp(entry_name + 2, name) == 0)) {
			file->data = base + data_offset;
			file->size = filesize;
			return CPIO_OK;
		}
		offset = align_up(data_offset + filesize, 4);
		if (offset > archive_size) {
			offset = archive_size;
		}
	}
}
