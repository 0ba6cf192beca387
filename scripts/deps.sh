#!/bin/bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs and caches everything hafnium's build and tests need, from Debian's
# package archive as apt is configured on this machine:
#  - host packages with apt-get install (root or sudo);
#  - arm64 packages with apt-get download + dpkg -x into $CACHE, through a
#    private package list so the system's dpkg architectures are untouched.
# A second run with a complete cache does no network access.
# Writes $CACHE/deps.mk with the paths the Makefile needs.
set -euo pipefail

CACHE=${HAFNIUM_CACHE:-$HOME/.cache/hafnium}
# Every package whose commands this script, the Makefiles and the scripts
# run, essential ones included (a minimal debootstrap has no xz-utils, which
# tar needs for linux-source's .tar.xz): make, gcc, the cross compiler and
# binutils, qemu-system-aarch64, dtc, Kbuild's tools (bc, flex, bison, kmod),
# cpio, gzip, xz, tar, dpkg-deb (dpkg -x), awk, sed, find, python3.
HOST_PACKAGES=(make gcc libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross
	qemu-system-arm device-tree-compiler libfdt-dev linux-kbuild-6.1 cpio
	python3 bc flex bison kmod xz-utils gzip tar dpkg mawk sed findutils
	coreutils)
STAMP=$CACHE/.complete-v1
# Linux's own selftests run by make check (tests/linux-selftests), with what
# their Makefiles include. A stamp of their own, versioned with this list: a
# cache made before them, or with another list, gets them on the next run
# without the rest being fetched or unpacked again.
SELFTESTS=$CACHE/selftests
SELFTESTS_STAMP=$SELFTESTS/.complete-v1
SELFTESTS_PATHS=(tools/testing/selftests/lib.mk
	tools/testing/selftests/kselftest.h
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest
	tools/testing/selftests/arm64
	tools/testing/selftests/timers
	tools/include/nolibc)

say() { echo "deps: $*" >&2; }
die() { echo "deps: error: $*" >&2; exit 1; }
# The last non-empty line of a log, for an error message.
last_line() { grep -v '^[[:space:]]*$' "$1" | tail -n 1; }
# The first existing path of a glob, or nothing.
first() { [ -e "$1" ] && echo "$1"; return 0; }

as_root() {
	if [ "$(id -u)" = 0 ]; then
		"$@"
	elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
		sudo "$@"
	else
		die "installing host packages needs root or password-less sudo (missing: ${MISSING[*]})"
	fi
}

host_packages() {
	command -v dpkg-query >/dev/null || die "dpkg-query not found: a Debian bookworm host is required"
	MISSING=()
	for p in "${HOST_PACKAGES[@]}"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || MISSING+=("$p")
	done
	[ ${#MISSING[@]} = 0 ] && return 0
	command -v apt-get >/dev/null || die "apt-get not found: a Debian bookworm host is required"
	say "installing host packages: ${MISSING[*]}"
	as_root apt-get update -qq >/dev/null || die "apt-get update failed (no network or broken apt sources?)"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
		"${MISSING[@]}" >/dev/null || die "apt-get install ${MISSING[*]} failed"
}

APT_ARM64=(-oAPT::Architecture=arm64 -oAPT::Architectures=arm64
	-oDir::State::Lists="$CACHE/lists" -oDir::Cache="$CACHE/apt-cache"
	-oDebug::NoLocking=1)

arm64_packages() {
	mkdir -p "$CACHE/lists/partial" "$CACHE/apt-cache/archives/partial" "$CACHE/debs" "$CACHE/root"
	say "updating the private arm64 package list in $CACHE/lists"
	apt-get "${APT_ARM64[@]}" update -qq >/dev/null 2>"$CACHE/apt-update.log" ||
		die "arm64 package list update failed (no network?); see $CACHE/apt-update.log"

	local kimg err
	kimg=$(apt-cache "${APT_ARM64[@]}" depends linux-image-arm64 2>/dev/null |
		awk '/Depends: linux-image-[0-9]/ {print $2; exit}')
	[ -n "$kimg" ] || die "cannot resolve the kernel version from linux-image-arm64"
	local kver=${kimg#linux-image-}
	local kabi=${kver%-arm64}
	local src
	src=$(apt-cache "${APT_ARM64[@]}" depends linux-source 2>/dev/null |
		awk '/Depends: linux-source-[0-9]/ {print $2; exit}')
	[ -n "$src" ] || die "cannot resolve linux-source's version"
	say "kernel $kver, headers linux-headers-$kver + linux-headers-$kabi-common, $src"

	local pkgs=("$kimg" "linux-headers-$kver" "linux-headers-$kabi-common"
		busybox-static libfdt-dev "$src")
	(cd "$CACHE/debs" && for p in "${pkgs[@]}"; do
		ls "${p%%:*}"_*.deb >/dev/null 2>&1 && continue
		say "downloading $p (arm64)"
		apt-get "${APT_ARM64[@]}" download -qq "$p" >/dev/null \
			2>"$CACHE/apt-download.log" ||
			die "apt-get download $p failed: $(last_line "$CACHE/apt-download.log")"
	done)

	rm -rf "$CACHE/root" && mkdir -p "$CACHE/root"
	for deb in "$CACHE"/debs/*.deb; do
		say "extracting $(basename "$deb")"
		err=$(dpkg -x "$deb" "$CACHE/root" 2>&1) ||
			die "dpkg -x $(basename "$deb") failed: ${err//$'\n'/; }"
	done

	local kdir=$CACHE/root/usr/src/linux-headers-$kver
	local common=$CACHE/root/usr/src/linux-headers-$kabi-common
	[ -d "$kdir" ] && [ -d "$common" ] || die "kernel headers missing after extraction"
	# The headers' Makefile includes the common tree by absolute path, and
	# both trees' scripts/tools links are relative paths to the host's
	# linux-kbuild that resolve inside the cache: repoint them all.
	sed -i "s|/usr/src/linux-headers-$kabi-common|$common|g" "$kdir/Makefile"
	local tree
	for tree in "$kdir" "$common"; do
		ln -sfn "/usr/lib/linux-kbuild-6.1/scripts" "$tree/scripts"
		ln -sfn "/usr/lib/linux-kbuild-6.1/tools" "$tree/tools"
	done

	say "extracting the kselftest harness from $src"
	local tarball base
	tarball=$(first "$CACHE"/root/usr/src/linux-source-*.tar.xz)
	[ -n "$tarball" ] || die "no linux-source-*.tar.xz in $src's package"
	base=$(basename "$tarball" .tar.xz)
	# tar runs xz itself: say so if it cannot, rather than blame the
	# tarball's contents.
	command -v xz >/dev/null ||
		die "xz not found (install xz-utils): tar needs it to unpack $tarball"
	mkdir -p "$CACHE/kselftest"
	err=$(tar -xJf "$tarball" -C "$CACHE/kselftest" --strip-components=4 \
		"$base/tools/testing/selftests/kselftest_harness.h" \
		"$base/tools/testing/selftests/kselftest.h" 2>&1) ||
		die "tar could not extract the kselftest headers from $tarball: ${err//$'\n'/; }"
	rm -f "$tarball"

	local vmlinuz
	vmlinuz=$(first "$CACHE"/root/boot/vmlinuz-*)
	[ -n "$vmlinuz" ] || die "no /boot/vmlinuz-* in the package $kimg"
	# Debian ships arm64 kernels as a plain Image or gzip-compressed.
	if gzip -t "$vmlinuz" 2>/dev/null; then
		say "decompressing $(basename "$vmlinuz") to Image"
		gzip -dc "$vmlinuz" >"$CACHE/Image" || die "cannot decompress $vmlinuz"
	else
		cp "$vmlinuz" "$CACHE/Image"
	fi
	local libfdt=$CACHE/root/usr/lib/aarch64-linux-gnu/libfdt.a
	[ -f "$libfdt" ] || die "libfdt.a missing from libfdt-dev (arm64)"

	cat >"$CACHE/deps.mk" <<MK
KVER := $kver
KDIR := $kdir
KERNEL_IMAGE := $CACHE/Image
KERNEL_MODULES := $CACHE/root/lib/modules/$kver
BUSYBOX := $CACHE/root/bin/busybox
LIBFDT_A := $libfdt
LIBFDT_INC := $CACHE/root/usr/include
KSELFTEST_INC := $CACHE/kselftest
SELFTESTS_SRC := $SELFTESTS
MK
	touch "$STAMP"
}

# From linux-source's package in $CACHE/debs (kept there, unlike the
# tarball arm64_packages unpacks), into $SELFTESTS.
selftest_sources() {
	local deb tmp tarball base err
	deb=$(first "$CACHE"/debs/linux-source-*.deb)
	[ -n "$deb" ] || die "no linux-source package in $CACHE/debs (remove $STAMP to fetch it again)"
	command -v xz >/dev/null ||
		die "xz not found (install xz-utils): tar needs it to unpack linux-source"
	say "extracting Linux's arm64 and timers selftests from $(basename "$deb")"
	tmp=$(mktemp -d "$CACHE/selftests.XXXXXX")
	err=$(dpkg-deb --fsys-tarfile "$deb" |
		tar -x -C "$tmp" --wildcards './usr/src/linux-source-*.tar.xz' 2>&1) ||
		die "cannot take the source tarball out of $(basename "$deb"): ${err//$'\n'/; }"
	tarball=$(first "$tmp"/usr/src/linux-source-*.tar.xz)
	base=$(basename "$tarball" .tar.xz)
	mkdir -p "$tmp/src"
	err=$(tar -xJf "$tarball" -C "$tmp/src" --strip-components=1 \
		"${SELFTESTS_PATHS[@]/#/$base/}" 2>&1) ||
		die "tar could not extract the selftests from $tarball: ${err//$'\n'/; }"
	touch "$tmp/src/${SELFTESTS_STAMP##*/}"
	rm -rf "$SELFTESTS"
	mv "$tmp/src" "$SELFTESTS"
	rm -rf "$tmp"
	# A deps.mk written before the selftests were wanted lacks their path.
	grep -q '^SELFTESTS_SRC :=' "$CACHE/deps.mk" ||
		echo "SELFTESTS_SRC := $SELFTESTS" >>"$CACHE/deps.mk"
}

host_packages
if [ -f "$STAMP" ] && [ -f "$CACHE/deps.mk" ] && [ -f "$SELFTESTS_STAMP" ]; then
	exit 0
fi
if ! [ -f "$STAMP" ] || ! [ -f "$CACHE/deps.mk" ]; then
	arm64_packages
fi
[ -f "$SELFTESTS_STAMP" ] || selftest_sources
say "cache ready in $CACHE"
