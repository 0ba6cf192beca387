#!/bin/sh
# `make run` without a terminal: show that Linux runs under hafnium.
set -eu
uname -a
echo "CPUs online: $(cat /sys/devices/system/cpu/online)"
dmesg | grep -i -e hafnium -e EL1
