#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Checks that every source file carries the SPDX license line of its
directory (LICENSE says which license covers which directory).

A source file is a tracked file (git ls-files; outside a git checkout, every
file under the tree) with one of SOURCE_SUFFIXES, one of SOURCE_NAMES, or a
"#!" first line. Its first HEAD_LINES lines must hold
"SPDX-License-Identifier: X" with X the expression license_for() gives.

Prints one line per problem and exits 1 if there is any; prints a summary
and exits 0 otherwise. Usage: check-spdx.py [ROOT] (default: the checkout
this script is in).
"""

import os
import re
import subprocess
import sys

HEAD_LINES = 3
SOURCE_SUFFIXES = (".c", ".h", ".S", ".ld", ".py", ".sh", ".mk", ".dts",
                   ".1")
SOURCE_NAMES = ("Makefile", "Kbuild")
SKIP_DIRS = (".git", "build")

GPL = "GPL-2.0"
BSD = "BSD-3-Clause"
UAPI = "(GPL-2.0 WITH Linux-syscall-note) OR BSD-3-Clause"
# First matching prefix wins; everything else is BSD-3-Clause.
DIRECTORY_LICENSES = (
    ("driver/", GPL),
    ("tests/kmod/", GPL),
    ("tests/kselftest/", GPL),
    ("uapi/", UAPI),
)

SPDX = re.compile(r"SPDX-License-Identifier:\s*(.*?)\s*(?:\*/)?\s*$")


def license_for(path):
    for prefix, expression in DIRECTORY_LICENSES:
        if path.startswith(prefix):
            return expression
    return BSD


def tracked_files(root):
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z"],
                             check=True, capture_output=True).stdout
        return [p for p in out.decode().split("\0") if p]
    except (OSError, subprocess.CalledProcessError):
        files = []
        for top, dirs, names in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
            for name in sorted(names):
                path = os.path.join(top, name)
                files.append(os.path.relpath(path, root).replace(os.sep, "/"))
        return files


def head(path):
    try:
        with open(path, "rb") as f:
            data = f.read(4096)
    except OSError:
        return None
    return data.decode("utf-8", "replace").splitlines()[:HEAD_LINES]


def is_source(path, lines):
    name = os.path.basename(path)
    if name in SOURCE_NAMES or name.endswith(SOURCE_SUFFIXES):
        return True
    return bool(lines) and lines[0].startswith("#!")


def problems(root):
    found, checked = [], 0
    for path in tracked_files(root):
        full = os.path.join(root, path)
        if os.path.islink(full) or not os.path.isfile(full):
            continue
        lines = head(full)
        if lines is None or not is_source(path, lines):
            continue
        checked += 1
        want = license_for(path)
        ids = [m.group(1) for m in map(SPDX.search, lines) if m]
        if not ids:
            found.append(f"{path}: no SPDX-License-Identifier in its first"
                         f" {HEAD_LINES} lines (want: {want})")
        elif ids[0] != want:
            found.append(f"{path}: SPDX-License-Identifier: {ids[0]}"
                         f" (want: {want})")
    return found, checked


def main():
    root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..")
    found, checked = problems(os.path.abspath(root))
    for line in found:
        print(line)
    print(f"check-spdx: {checked} source files, {len(found)} without the"
          " SPDX line of their directory")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
