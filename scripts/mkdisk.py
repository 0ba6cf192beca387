#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Writes the disk image that every QEMU boot has as /dev/vda.

Usage: mkdisk.py OUT [MiB]

Each 512-byte sector holds 64 little-endian u64 stamps, word w of sector s
being STAMP_MAGIC << 48 | w << 32 | s: a read of any sector can be checked
against its number (tests/kmod/hf_dma_test.c's blkcheck), and a misplaced
word within it shows. The same size gives the same bytes: the image is
made from nothing but these numbers.
"""

import os
import struct
import sys

SECTOR = 512
WORDS = SECTOR // 8
STAMP_MAGIC = 0xD15C


def sector(number):
    return struct.pack(f"<{WORDS}Q", *(STAMP_MAGIC << 48 | w << 32 | number
                                       for w in range(WORDS)))


def main():
    out = sys.argv[1]
    mib = int(sys.argv[2]) if len(sys.argv) > 2 else 64
    sectors = mib * 1024 * 1024 // SECTOR
    # Written to a temporary name first: make never sees half an image.
    with open(out + ".tmp", "wb") as f:
        for s in range(sectors):
            f.write(sector(s))
    os.replace(out + ".tmp", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
