#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Packs files into a cpio newc archive, gzip-compressed if OUT ends in .gz:
# the format both Linux's initramfs and hafnium's ramdisk read.
#
# Usage: mkcpio.sh OUT [--align NAME=BYTES] ENTRY...
#   DEST=SRC  file SRC at path DEST in the archive, with SRC's mode
#   DIR/      an empty directory
#   --align   NAME's data starts at a multiple of BYTES from the archive's
#             start (a file NAME.pad of zeros goes just before it): hafnium
#             runs the kernel where QEMU loads the ramdisk, 2 MiB aligned,
#             instead of copying it
# Everything is owned by root in the archive, whoever builds it, and dated
# 1970 (the epoch).
set -euo pipefail

out=$1
shift
align_name= align_bytes=
if [ "${1:-}" = --align ]; then
	align_name=${2%%=*} align_bytes=${2#*=}
	shift 2
fi
stage=$(mktemp -d "$out.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

for entry in "$@"; do
	case $entry in
	*=*)
		dest=$stage/${entry%%=*}
		mkdir -p "$(dirname "$dest")"
		# A copy, whose time can be fixed (a reflink where the file
		# system has them).
		cp --reflink=auto "${entry#*=}" "$dest"
		;;
	*/)
		mkdir -p "$stage/$entry"
		;;
	*)
		echo "mkcpio.sh: bad entry '$entry'" >&2
		exit 1
		;;
	esac
done

# Bytes a newc entry takes: a 110-byte header and the NUL-terminated name,
# padded to 4 bytes, then the data, padded to 4 bytes.
entry_size() {
	echo $((((110 + ${#1} + 1 + 3) & ~3) + (($2 + 3) & ~3)))
}

names=$(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort | sed 's|^\./||')
if [ -n "$align_name" ]; then
	offset=0
	for name in $names; do
		[ "$name" != "$align_name" ] || break
		size=0
		[ -d "$stage/$name" ] || size=$(stat -L -c %s "$stage/$name")
		offset=$((offset + $(entry_size "$name" "$size")))
	done
	data=$((offset + $(entry_size "$align_name.pad" 0) +
		$(entry_size "$align_name" 0)))
	truncate -s $(((align_bytes - data % align_bytes) % align_bytes)) \
		"$stage/$align_name.pad"
	names=$(echo "$names" | sed "s|^$align_name\$|$align_name.pad\n&|")
fi

case $out in
*.gz) compress="gzip -9 -n" ;;
*) compress=cat ;;
esac
# The same inputs make the same archive, byte for byte: every entry dated
# 1970, inodes numbered in order. Times that changed with each build moved
# make bench's figures (the kernel unpacks the initramfs before /init).
find "$stage" -mindepth 1 -exec touch -h -d @0 {} +
(cd "$stage" && echo "$names" |
	cpio -o -H newc -R 0:0 --reproducible --quiet) |
	$compress >"$out.tmp"
mv "$out.tmp" "$out"
