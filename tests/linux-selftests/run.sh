#!/bin/sh
# SPDX-License-Identifier: BSD-3-Clause
# Runs Linux's own selftests installed next to this script (the arm64 ones
# and some timers ones, tests/linux-selftests/build.mk), one TAP stream in
# the format of the kselftest runner: per program a "# selftests: DIR: PROG"
# line, its output prefixed with "# " (its own TAP results among it), then
# "ok N DIR:PROG", "ok N DIR:PROG # SKIP" (exit status 4, kselftest's skip)
# or "not ok N DIR:PROG # exit=S". tests/check.py compares each result,
# the programs' own ones too, with the same boot's without hafnium.
#
# Under hafnium, a secondary VM with a vCPU per CPU runs beside them,
# filling its registers, so that every world switch happens while the
# selftests use the primary's; its health is checked after them, on lines
# starting with "# vm:". Exits 1 if that VM failed or a program is missing,
# not for a failed selftest: the host compares those.
set -u
dir=$(dirname "$0")
# The guest that runs beside the selftests: it fills and checks every
# register it can, on every vCPU (guests/regs.c).
guest=regs
# fp-stress's run, in seconds (its default is 10).
fp_stress_seconds=3

# Programs that the tests exec, not tests themselves.
helpers=" fpsimd-test sve-test ssve-test za-test rdvl-sve rdvl-sme exec_target "

# Arguments of a program, by DIR/PROG: shorter runs than the defaults.
args_of() {
	case $1 in
	fp/fp-stress) echo "-t $fp_stress_seconds" ;;
	# A second per clock instead of 10, and 4 threads for 2 s instead of
	# 8 for 30: still many reads of each clock on every CPU.
	timers/inconsistency-check) echo "-t 1" ;;
	timers/threadtest) echo "-t 2 -n 4" ;;
	esac
}

status=0
vm=
# fp-stress stopped during its start-up sends SIGTERM to its children's
# pids, 0 for those not started yet: its whole process group, this script
# too. Caught (not ignored, which the programs would inherit), it is
# survived.
trap 'echo "# run.sh: SIGTERM, from a program killing its process group"' TERM
# The mte tests make their files there, as on a usual system.
mkdir -p /dev/shm
grep -qs " /dev/shm " /proc/mounts || mount -t tmpfs shm /dev/shm
hafnium=
grep -qs hafnium,hafnium /proc/device-tree/hypervisor/compatible && hafnium=1

# Prints the VM's sysfs FILE.
vm_file() {
	cat "/sys/kernel/hafnium/vms/$vm/$1" 2>/dev/null
}

vm_start() {
	ncpus=$(grep -c ^processor /proc/cpuinfo)
	insmod /lib/hafnium/hafnium.ko || { echo "# vm: insmod hafnium.ko failed"; return 1; }
	out=$(hfctl create "$guest" --image "/lib/hafnium/guests/$guest.bin" \
		--vcpus "$ncpus" --mem 4M 2>&1) || { echo "# vm: $out"; return 1; }
	# "VM ID (NAME) created: ..."
	vm=$(echo "$out" | sed -n 's/^VM \([0-9]*\) .*/\1/p')
	hfctl start "$guest" || { echo "# vm: hfctl start $guest failed"; return 1; }
	sleep 1
	runs_before=$(vm_file runs)
	echo "# vm: $guest started, VM $vm, $ncpus vCPUs, runs $runs_before"
}

# The VM still runs, has not crashed, and ran while the selftests did.
vm_check() {
	state=$(vm_file state)
	runs=$(vm_file runs)
	crash=$(vm_file crash)
	echo "# vm: $guest state $state, runs $runs_before -> $runs${crash:+, crash: $crash}"
	hfctl console "$guest" | sed 's/^/# vm console: /'
	if [ "$state" = running ] && [ -z "$crash" ] &&
		[ "${runs:-0}" -gt "${runs_before:-0}" ]; then
		echo "# vm: ok"
	else
		echo "# vm: not ok"
		return 1
	fi
	hfctl destroy "$guest"
}

if [ -n "$hafnium" ]; then
	vm_start || { echo "# vm: not ok"; status=1; }
fi

# The primary's CPU as Linux found it: the host compares it with Linux's
# own on the same CPU without hafnium.
echo "# cpu features: $(grep -m1 ^Features /proc/cpuinfo | cut -d: -f2)"
echo "TAP version 13"
programs=
for d in fp signal abi pauth bti mte tags timers; do
	for prog in "$dir/$d"/*; do
		name=${prog##*/}
		case $helpers in *" $name "*) continue ;; esac
		programs="$programs $d/$name"
	done
done
set -- $programs
echo "1..$#"
n=0
for t in "$@"; do
	n=$((n + 1))
	d=${t%%/*}
	name=${t#*/}
	echo "# selftests: $d: $name"
	if [ ! -x "$dir/$t" ]; then
		echo "not ok $n $d:$name # missing"
		status=1
		continue
	fi
	start=$(date +%s)
	# Some execute their helpers from the current directory. No time
	# limit here: a hang is the boot's timeout (a SIGTERM from busybox's
	# timeout during fp-stress's start-up takes this script's process group
	# with it, see the trap above).
	rm -f /tmp/selftest.rc
	(cd "$dir/$d" && "./$name" $(args_of "$t") 2>&1;
		echo $? >/tmp/selftest.rc) | sed 's/^/# /'
	rc=$(cat /tmp/selftest.rc 2>/dev/null || echo killed)
	echo "# $d:$name: exit status $rc after $(($(date +%s) - start)) s"
	case $rc in
	0) echo "ok $n $d:$name" ;;
	4) echo "ok $n $d:$name # SKIP" ;;
	*) echo "not ok $n $d:$name # exit=$rc" ;;
	esac
done

if [ -n "$vm" ]; then
	vm_check || status=1
fi
exit "$status"
