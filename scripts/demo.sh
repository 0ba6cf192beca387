#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# `make run` without a terminal: show that Linux runs under hafnium, then
# hafnium.ko and hfctl.
set -eu
uname -a
echo "CPUs online: $(cat /sys/devices/system/cpu/online)"
dmesg | grep -i -e hafnium -e EL1
insmod /lib/hafnium/hafnium.ko
hfctl info
hfctl list
