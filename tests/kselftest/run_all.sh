#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
# Runs every kselftest program installed next to this script, each one's TAP
# output between a begin and an end line that tests/check.py splits on.
# Exits 1 if any program failed.
set -eu
dir=$(dirname "$0")
status=0
for prog in "$dir"/*; do
	name=$(basename "$prog")
	[ "$name" != run_all.sh ] && [ -x "$prog" ] || continue
	echo "# hafnium-test begin $name"
	rc=0
	"$prog" 2>&1 || rc=$?
	echo "# hafnium-test end $name exit=$rc"
	[ "$rc" = 0 ] || status=1
done
exit "$status"
