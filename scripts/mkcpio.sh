#!/bin/bash
# Packs files into a cpio newc archive, gzip-compressed if OUT ends in .gz:
# the format both Linux's initramfs and hafnium's ramdisk read.
#
# Usage: mkcpio.sh OUT ENTRY...
#   DEST=SRC  file SRC at path DEST in the archive, with SRC's mode
#   DIR/      an empty directory
# Everything is owned by root in the archive, whoever builds it.
set -euo pipefail

out=$1
shift
stage=$(mktemp -d "$out.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT

for entry in "$@"; do
	case $entry in
	*=*)
		dest=$stage/${entry%%=*}
		mkdir -p "$(dirname "$dest")"
		# A link, not a copy (the kernel image is large); cpio -L follows it.
		ln -s "$(realpath "${entry#*=}")" "$dest"
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

case $out in
*.gz) compress="gzip -9 -n" ;;
*) compress=cat ;;
esac
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio -o -H newc -L -R 0:0 --quiet) | $compress >"$out.tmp"
mv "$out.tmp" "$out"
