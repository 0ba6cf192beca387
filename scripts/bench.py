#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""`make bench`: instructions from QEMU's start to the primary's /init,
under hafnium and with Linux booted directly; instructions per null
hypercall and per null system call from the primary.

Both boots run under -icount shift=0, where virtual time advances 1 ns per
executed instruction, with every source of randomness fixed, so that they
repeat to the instruction. With hafnium.mode=bench, /init first runs
tests/bench/cntvct, which prints CNTVCT_EL0 (62.5 MHz: one tick per 16 ns,
so per 16 instructions), then powers off. The two boots are independent and
deterministic, so they run side by side.

A third boot under hafnium (hafnium.mode=bench-calls) runs
tests/bench/calls: 100,000 FFA_VERSION hypercalls from a kernel module and
100,000 getppid() system calls, each loop timed with CNTVCT_EL0.

A fourth (hafnium.mode=bench-vm) runs tests/bench/vm: the virtual time
from `hfctl run` of a 16 MiB hello VM to its first console line, and
100,000 FFA_RUN round trips of a vCPU that yields at once, then of one
that writes an FP/SIMD register first (hafnium's lazy FP switch).
A seventh boot runs the same on QEMU's -cpu max (pointer authentication,
SVE and SME at 2048 bits, MTE): a vCPU that does not touch FP must cost
what it costs on the Cortex-A57, within MAX_CPU_RUN_RATIO; one that does
pays for the primary's whole SVE registers.

The bench-vm boot then measures HF_IOCTL_VM_CREATE (1 MiB) and the
FFA_RUN round trip with 1, 32 and 128 VMs existing: they must stay flat,
within SCALE_FLAT_TARGET.

A fifth (hafnium.mode=bench-msg) runs tests/bench/msg: round trips of a
16-byte message over an AF_HF socket to the echo VM against the same over
two pipes between two processes, and one-way messages to the sink VM.

A sixth (hafnium.mode=bench-irq, two CPUs) runs tests/bench/irq: from
HF_IOCTL_VM_IRQ in the primary to the guest's interrupt handler, into a
vCPU that waits in WFI on the other CPU.

Two more (hafnium.mode=bench-disk, one CPU), under hafnium and Linux
alone, run tests/bench/disk: 64 reads of 1 MiB from the virtio-blk disk
with O_DIRECT (what `dd if=/dev/vda of=/dev/null bs=1M count=64
iflag=direct` does), then 64 MiB written the same way, each counted with
the PMU's instructions event (CNTVCT_EL0 would count QEMU's jumps of
virtual time while the CPU idles waiting for the device). The disk's DMA
goes through the SMMUv3 in both: Linux alone drives it itself. Reported as
a ratio to Linux alone.

The anchors: two more boots of the same kernel and initramfs, booted
directly at EL2 with KVM and no hafnium (hafnium.mode=bench-kvm), once
with kvm-arm.mode=nvhe and once with kvm-arm.mode=protected (pKVM); the
kernel log must say KVM started in that mode. /init prints CNTVCT_EL0 first,
then tests/bench/kvm times a guest HVC that KVM answers in the host kernel
(the anchor of the FFA_RUN round trip), a guest MMIO exit to the VMM and
back (of the AF_HF round trip: the nearest KVM has to a guest -> host
userspace -> guest trip), getppid() and a pipe round trip (the same code as
calls and msg, tests/bench/syscalls.h). They have four CPUs, as the boots
to /init above, so that their boot to /init compares with Linux alone's;
tests/bench/kvm takes CPUs 1-3 offline (PSCI CPU_OFF: under icount they
then execute nothing) before it times anything, so that its figures are
one CPU's, as those of the call, VM and message boots, which they divide.
Every hafnium figure with an anchor is printed with its ratio to it, and
with its target (issue 12) where it has one.
"""

import argparse
import os
import re
import sys

# scripts/qemu.py, imported without leaving __pycache__ in the source tree.
sys.dont_write_bytecode = True
import qemu  # noqa: E402

CRNG_READY = "random: crng init done"
INSTRUCTIONS_PER_TICK = 16
TIMEOUT = 900  # seconds; icount boots are slower than free-running TCG, and
# make bench runs eleven of them side by side
DETERMINISTIC = {
    # The figures in docs/performance.md are this CPU's; make check's
    # default (max) would change them.
    "cpu": "cortex-a57",
    # The device tree keeps its rng-seed (-seed 1 makes it repeatable), so
    # the kernel's CRNG is ready before /init, as on a system users run.
    "extra": ["-icount", "shift=0,align=off,sleep=off", "-seed", "1",
              "-rtc", "base=2024-01-01T00:00:00,clock=vm"],
}
CNTVCT = re.compile(r"^cntvct=(\d+)$")
CALLS = re.compile(r"^(hvc|getppid) calls=(\d+) ticks=(\d+)$")
VM_TICKS = re.compile(r"^(vm_first_line|vm_create|vm_create_ioctl)"
                      r" ticks=(\d+)$")
FFA_RUN = re.compile(r"^(ffa_run|ffa_run_fp) calls=(\d+) ticks=(\d+)"
                     r" yields=(\d+) image=(\S+)$")
DRIVER_LOOP = re.compile(r"^driver_loop runs=(\d+) ticks=(\d+)$")
MSG = re.compile(r"^(hf_msg_rtt|pipe_rtt|hf_msg_oneway) msgs=(\d+)"
                 r" ticks=(\d+) bytes=(\d+)(?: count=(\d+) errors=(\d+))?$")
IRQ = re.compile(r"^irq_(idle) samples=(\d+) ticks=(\d+)$")
DISK = re.compile(r"^disk_(read|write) bytes=(\d+) instructions=(\d+)"
                  r" max=(\d+) passes=(\d+)$")
KVM_HVC = re.compile(r"^kvm_hvc calls=(\d+) ticks=(\d+) answer=0x[0-9a-f]+$")
KVM_MMIO = re.compile(r"^kvm_mmio exits=(\d+) ticks=(\d+)$")
# The anchors' kvm-arm.mode values, each with the kernel's message (after
# "kvm [CPU]: ") saying that KVM started in it.
KVM_MODES = {
    "nvhe": "Hyp mode initialized successfully",
    "protected": "Protected nVHE mode initialized successfully",
}
KVM_NAMES = {"nvhe": "KVM nVHE", "protected": "pKVM"}
# Targets (issue 12), in instructions unless a ratio.
HVC_TARGET = 100  # null hypercall, FFA_VERSION
RUN_TARGET = 750  # FFA_RUN round trip of a vCPU that yields at once
MSG_PIPE_RATIO_TARGET = 1.0  # AF_HF round trip / pipe, the same boot
IRQ_TARGET = 8000  # HF_IOCTL_VM_IRQ to the guest's handler
BOOT_RATIO_TARGET = 1.002  # boot to /init under hafnium / Linux alone
# Target (issue 4): virtual milliseconds from hfctl to the first console
# line; issue 12 leaves it.
SCALE_CREATE = re.compile(r"^vm_create_ioctl vms=(\d+) ticks=(\d+)$")
SCALE_RUN = re.compile(r"^ffa_run vms=(\d+) calls=(\d+) ticks=(\d+)"
                       r" yields=(\d+)$")
SCALE_POINTS = (1, 32, 128)
# Target (issue 12): largest over smallest, less one, across SCALE_POINTS.
SCALE_FLAT_TARGET = 0.05
FIRST_LINE_TARGET_MS = 20
# Target (issue 11): FFA_RUN round trip on -cpu max / on the Cortex-A57,
# for a vCPU that does not touch FP; issue 12 leaves it.
MAX_CPU_RUN_RATIO = 1.10


def reportable(boot):
    """Whether the boot ended by itself and its kernel had its CRNG ready
    (initramfs/init prints the kernel's line before any bench); says why
    not. Without it every system call pays for an uninitialised CRNG, a
    kernel nobody runs."""
    if boot.timed_out:
        print(boot.timeout_report(), file=sys.stderr)
        return False
    if any(CRNG_READY in line for line in boot.lines):
        return True
    print(boot.failure(f"has no '{CRNG_READY}' in its kernel log: its"
                       " figures are not reported"), file=sys.stderr)
    return False


def instructions_to_init(boot):
    """The instruction count from a bench boot's console, or None (after
    saying why)."""
    if not reportable(boot):
        return None
    for line in boot.lines:
        m = CNTVCT.match(line)
        if m:
            return int(m.group(1)) * INSTRUCTIONS_PER_TICK
    print(boot.failure(f"printed no cntvct= line (QEMU status {boot.status})"),
          file=sys.stderr)
    return None


def instructions_per_call(boot):
    """{"hvc": n, "getppid": n} instructions per call, or None."""
    if not reportable(boot):
        return None
    found = {}
    for line in boot.lines:
        m = CALLS.match(line)
        if m:
            found[m.group(1)] = (int(m.group(3)) * INSTRUCTIONS_PER_TICK /
                                 int(m.group(2)))
    if len(found) != 2:
        print(boot.failure("did not print both call timings"),
              file=sys.stderr)
        return None
    return found


def vm_figures(boot):
    """The bench-vm boot's figures (instructions), or None."""
    if not reportable(boot):
        return None
    found = {}
    for line in boot.lines:
        m = VM_TICKS.match(line)
        if m:
            found[m.group(1)] = int(m.group(2)) * INSTRUCTIONS_PER_TICK
        m = FFA_RUN.match(line)
        if m:
            label = m.group(1)
            calls, ticks, yields = map(int, m.group(2, 3, 4))
            found[label] = (ticks * INSTRUCTIONS_PER_TICK / yields
                            if yields else float("inf"))
            found[label + "_yields"] = yields
            found[label + "_calls"] = calls
            found[label + "_image"] = m.group(5)
        m = DRIVER_LOOP.match(line)
        if m:
            runs, ticks = map(int, m.group(1, 2))
            found["driver_loop"] = (ticks * INSTRUCTIONS_PER_TICK / runs
                                    if runs else float("inf"))
    want = ("vm_first_line", "vm_create", "vm_create_ioctl", "ffa_run",
            "ffa_run_fp", "driver_loop")
    if any(k not in found for k in want):
        print(boot.failure("did not print every VM figure"),
              file=sys.stderr)
        return None
    # An interrupt that arrives within a timed stretch ends one call early.
    for label in ("ffa_run", "ffa_run_fp"):
        yields, calls = found[label + "_yields"], found[label + "_calls"]
        if yields < 0.99 * calls:
            print(boot.failure(f"only {yields} of {calls} FFA_RUN calls"
                               f" ({label}) answered FFA_YIELD"),
                  file=sys.stderr)
            return None
    return found


def scale_figures(boot):
    """The bench-vm boot's figures with many VMs: {vms: (create, run)} in
    instructions (create: per HF_IOCTL_VM_CREATE; run: per FFA_RUN round
    trip), or None."""
    create, run = {}, {}
    for line in boot.lines:
        m = SCALE_CREATE.match(line)
        if m:
            create[int(m.group(1))] = int(m.group(2)) * INSTRUCTIONS_PER_TICK
        m = SCALE_RUN.match(line)
        if m:
            vms, calls, ticks, yields = map(int, m.group(1, 2, 3, 4))
            if yields < 0.99 * calls:
                print(boot.failure(f"only {yields} of {calls} FFA_RUN calls"
                                   f" with {vms} VMs answered FFA_YIELD"),
                      file=sys.stderr)
                return None
            run[vms] = ticks * INSTRUCTIONS_PER_TICK / yields
    if any(n not in create or n not in run for n in SCALE_POINTS):
        print(boot.failure("did not print the figures with many VMs"),
              file=sys.stderr)
        return None
    return {n: (create[n], run[n]) for n in SCALE_POINTS}


def scale_report(scale):
    """Report lines for scale_figures()."""
    def spread(i):
        values = [scale[n][i] for n in SCALE_POINTS]
        return max(values) / min(values) - 1
    lines = ["Many VMs, under hafnium (one CPU): instructions with N VMs"
             " existing\n",
             "  VMs  HF_IOCTL_VM_CREATE (1 MiB)  FFA_RUN round trip\n"]
    for n in SCALE_POINTS:
        lines.append(f"  {n:>3}  {scale[n][0]:>26,}  {scale[n][1]:>18.1f}\n")
    lines.append(f"  spread {spread(0):>25.1%}  {spread(1):>18.1%}"
                 f"  (target <= {SCALE_FLAT_TARGET:.0%})\n")
    return "".join(lines)


def msg_figures(boot):
    """The bench-msg boot's figures: instructions per message (round trip
    or one way), messages, bytes; or None."""
    if not reportable(boot):
        return None
    found = {}
    for line in boot.lines:
        m = MSG.match(line)
        if not m:
            continue
        msgs, ticks, size = map(int, m.group(2, 3, 4))
        found[m.group(1)] = ticks * INSTRUCTIONS_PER_TICK / msgs
        found["msgs"], found["bytes"] = msgs, size
        if m.group(5) is not None:
            count, errors = int(m.group(5)), int(m.group(6))
            if count != msgs or errors:
                print(boot.failure(f"sink counted {count} of {msgs}"
                                   f" messages, {errors} out of sequence"),
                      file=sys.stderr)
                return None
    if any(k not in found for k in ("hf_msg_rtt", "pipe_rtt",
                                     "hf_msg_oneway")):
        print(boot.failure("did not print every message figure"),
              file=sys.stderr)
        return None
    return found


def irq_figures(boot):
    """The bench-irq boot's figure: instructions from injection to the
    handler of a vCPU waiting in WFI; or None."""
    if not reportable(boot):
        return None
    found = {}
    for line in boot.lines:
        m = IRQ.match(line)
        if m:
            samples, ticks = int(m.group(2)), int(m.group(3))
            found[m.group(1)] = ticks * INSTRUCTIONS_PER_TICK / samples
            found["samples"] = samples
    if "idle" not in found:
        print(boot.failure("did not print the interrupt figure"),
              file=sys.stderr)
        return None
    return found


def disk_figures(boot):
    """A bench-disk boot's figures: {"read": n, "write": n, "bytes": b,
    "read_max": n, "write_max": n, "passes": p}, instructions per 64 MiB
    (the fewest and the most of p passes); or None."""
    if not reportable(boot):
        return None
    found = {}
    for line in boot.lines:
        m = DISK.match(line)
        if m:
            found[m.group(1)] = int(m.group(3))
            found[m.group(1) + "_max"] = int(m.group(4))
            found["bytes"], found["passes"] = int(m.group(2)), int(m.group(5))
    if any(k not in found for k in ("read", "write")):
        print(boot.failure("did not print both disk figures"),
              file=sys.stderr)
        return None
    return found


def disk_report(hyp, bare):
    """Report lines for disk_figures() under hafnium and Linux alone."""
    mib = hyp["bytes"] // (1024 * 1024)
    lines = [f"Disk, virtio-blk behind the SMMUv3 (one CPU; {mib} x 1 MiB"
             " with O_DIRECT; PMU instructions, EL2 included; the fewest"
             f" of {hyp['passes']} passes, the most after it):\n"]
    for key, what in (("read", "reads"), ("write", "writes")):
        for name, fig, anchor in (
                ("Linux alone", bare, ""),
                ("under hafnium", hyp,
                 ratio(hyp[key], bare[key], "Linux alone"))):
            lines.append(row(f"{mib} MiB of {what}, {name}", fig[key],
                             anchor, f"most {number(fig[key + '_max'])}"))
    return "".join(lines)


def kvm_figures(boot, mode):
    """A bench-kvm boot's figures: instructions to /init ("init"), per
    guest HVC round trip ("hvc"), per MMIO exit ("mmio"), per getppid()
    and per pipe round trip; or None (after saying why), also when the
    kernel log does not say that KVM started in kvm-arm.mode=mode."""
    if boot.timed_out:
        print(boot.timeout_report(), file=sys.stderr)
        return None
    started = re.compile(r"kvm \[\d+\]: " + re.escape(KVM_MODES[mode]))
    if not any(started.search(line) for line in boot.lines):
        print(boot.failure(f"has no 'kvm [N]: {KVM_MODES[mode]}' in its"
                           f" kernel log: KVM is not in kvm-arm.mode={mode},"
                           " its figures are not reported"),
              file=sys.stderr)
        return None
    init = instructions_to_init(boot)
    if init is None:
        return None
    found = {"init": init}
    for line in boot.lines:
        m = KVM_HVC.match(line)
        if m:
            found["hvc"] = (int(m.group(2)) * INSTRUCTIONS_PER_TICK /
                            int(m.group(1)))
        m = KVM_MMIO.match(line)
        if m:
            found["mmio"] = (int(m.group(2)) * INSTRUCTIONS_PER_TICK /
                             int(m.group(1)))
        m = CALLS.match(line)
        if m and m.group(1) == "getppid":
            found["getppid"] = (int(m.group(3)) * INSTRUCTIONS_PER_TICK /
                                int(m.group(2)))
        m = MSG.match(line)
        if m and m.group(1) == "pipe_rtt":
            found["pipe"] = (int(m.group(3)) * INSTRUCTIONS_PER_TICK /
                             int(m.group(2)))
    if any(k not in found for k in ("hvc", "mmio", "getppid", "pipe")):
        print(boot.failure("did not print every KVM figure"),
              file=sys.stderr)
        return None
    return found


def number(value):
    """A figure as the report prints it: thousands separated, and one
    decimal for an average; a column's heading as it is."""
    if isinstance(value, str):
        return value
    return f"{value:,.1f}" if isinstance(value, float) else f"{value:,}"


def row(label, value, anchor="", goal=""):
    """One line of the report, in columns: what, instructions, ratio to
    the anchor, target."""
    return (f"  {label:<44}{number(value):>15}  {anchor:<36}"
            f"  {goal}").rstrip() + "\n"


def ratio(value, anchor, name, digits=3):
    """value as a multiple of anchor, named."""
    return f"{value / anchor:.{digits}f} x {name}"


def target(value, limit, unit=""):
    """Whether value meets `<= limit`, said with the limit."""
    met = "met" if value <= limit else "NOT met"
    return f"<= {limit:,}{unit}: {met}"


def report(counts, calls, vm, vm_max, msg, irq, kvm):
    """The figures, each hafnium one with its ratio to its anchor from the
    same run and its target."""
    nvhe, pkvm = kvm["nvhe"], kvm["protected"]

    def anchored(value, key):
        """value against KVM nVHE's and pKVM's figure key."""
        return (f"{value / nvhe[key]:.3f} x KVM {key},"
                f" {value / pkvm[key]:.3f} x pKVM's")

    boot_ratio = counts["hafnium"] / counts["direct"]
    msg_ratio = msg["hf_msg_rtt"] / msg["pipe_rtt"]
    return "".join([
        "Instructions under -icount shift=0 (CNTVCT_EL0 x 16); ratios to"
        " anchors from this run;\n"
        "targets of issue 12 (issues 4 and 11 for the first line and"
        " -cpu max).\n",
        row("", "instructions", "ratio to anchor", "target"),
        "Boot from QEMU's start to the primary's /init (four CPUs):\n",
        row("Linux alone", counts["direct"]),
        row("under hafnium", counts["hafnium"],
            ratio(counts["hafnium"], counts["direct"], "Linux alone", 4),
            target(boot_ratio, BOOT_RATIO_TARGET, " x")),
        *(row(f"Linux at EL2 with {KVM_NAMES[mode]}", kvm[mode]["init"],
              ratio(kvm[mode]["init"], counts["direct"], "Linux alone", 4))
          for mode in KVM_MODES),
        "Anchors: Linux at EL2 with KVM nVHE (and pKVM), no hafnium"
        " (one CPU):\n",
        *(row(f"KVM {key}: {label}", nvhe[key], f"pKVM: {number(pkvm[key])}")
          for key, label in (
              ("hvc", "guest HVC round trip, in kernel"),
              ("mmio", "guest MMIO exit to the VMM"),
              ("getppid", "getppid() in the host"),
              ("pipe", "pipe round trip in the host"))),
        "Round trips from the primary, under hafnium (one CPU; 100,000"
        " each):\n",
        row("hypercall FFA_VERSION, kernel -> EL2", calls["hvc"],
            ratio(calls["hvc"], calls["getppid"], "getppid, same boot"),
            target(calls["hvc"], HVC_TARGET)),
        row("system call getppid(), user -> kernel", calls["getppid"],
            anchored(calls["getppid"], "getppid")),
        f"Secondary VMs, under hafnium (one CPU; {vm['ffa_run_calls']:,}"
        " FFA_RUN calls each):\n",
        row(f"FFA_RUN round trip ({vm['ffa_run_image']}: yields)",
            vm["ffa_run"], anchored(vm["ffa_run"], "hvc"),
            target(vm["ffa_run"], RUN_TARGET)),
        row(f"the same ({vm['ffa_run_fp_image']}: FP register first)",
            vm["ffa_run_fp"], anchored(vm["ffa_run_fp"], "hvc")),
        row("on -cpu max (PAuth, SVE/SME 2048 bits, MTE)", vm_max["ffa_run"],
            ratio(vm_max["ffa_run"], vm["ffa_run"], "Cortex-A57's"),
            target(vm_max["ffa_run"] / vm["ffa_run"], MAX_CPU_RUN_RATIO,
                   " x")),
        row("on -cpu max, FP (primary's SVE switched)", vm_max["ffa_run_fp"],
            ratio(vm_max["ffa_run_fp"], vm["ffa_run_fp"], "Cortex-A57's")),
        row("driver vCPU thread, per FFA_RUN", vm["driver_loop"],
            anchored(vm["driver_loop"], "hvc")),
        row("hfctl run (16 MiB) to first console line", vm["vm_first_line"],
            f"= {vm['vm_first_line'] / 1e6:.2f} ms virtual",
            target(vm["vm_first_line"] / 1e6, FIRST_LINE_TARGET_MS, " ms")),
        row("hfctl create (16 MiB) alone", vm["vm_create"]),
        row("HF_IOCTL_VM_CREATE (16 MiB) alone", vm["vm_create_ioctl"]),
        f"Messages, under hafnium (one CPU; {msg['msgs']:,} of"
        f" {msg['bytes']} bytes each; KVM's anchor is the MMIO exit):\n",
        row("AF_HF round trip to the echo VM", msg["hf_msg_rtt"],
            anchored(msg["hf_msg_rtt"], "mmio"),
            f"{msg_ratio:.3f} x pipe; "
            + target(msg_ratio, MSG_PIPE_RATIO_TARGET, " x pipe")),
        row("pipe round trip between two processes", msg["pipe_rtt"],
            anchored(msg["pipe_rtt"], "pipe")),
        row("AF_HF one way to the sink VM, per message",
            msg["hf_msg_oneway"],
            f"= {1e9 / msg['hf_msg_oneway']:,.0f} messages/s virtual"),
        f"Interrupts, under hafnium (two CPUs; {irq['samples']}"
        " samples):\n",
        row("HF_IOCTL_VM_IRQ to the handler, vCPU in WFI", irq["idle"],
            ratio(irq["idle"], vm["ffa_run"], "FFA_RUN round trip", 1),
            target(irq["idle"], IRQ_TARGET)),
    ])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--hafnium", required=True, help="hafnium.bin")
    parser.add_argument("--ramdisk", required=True, help="hafnium ramdisk")
    parser.add_argument("--kernel", required=True, help="Linux Image")
    parser.add_argument("--initramfs", required=True)
    parser.add_argument("--disk", required=True,
                        help="every boot's disk image (scripts/mkdisk.py)")
    parser.add_argument("--log-dir", required=True)
    parser.add_argument("--out", required=True, help="figures file")
    args = parser.parse_args()

    append = ["hafnium.mode=bench"]

    def command(*args_, **kwargs):
        """qemu.command() with this run's disk: every boot has the same one,
        with and without hafnium, so that the boots compare."""
        return qemu.command(*args_, disk=args.disk, **kwargs)

    def log(name):
        return os.path.join(args.log_dir, name + ".log")

    boots = qemu.boot_side_by_side({
        "hafnium": (command(args.hafnium, args.ramdisk, append,
                            **DETERMINISTIC),
                    "bench boot under hafnium", TIMEOUT, log("hafnium")),
        "direct": (command(args.kernel, args.initramfs, append,
                           direct=True, **DETERMINISTIC),
                   "bench boot of Linux alone", TIMEOUT, log("direct")),
        # One CPU: under icount the counter advances with every CPU's
        # instructions, so other CPUs' work would be counted too.
        "calls": (command(args.hafnium, args.ramdisk,
                          ["hafnium.mode=bench-calls"], smp=1,
                          **DETERMINISTIC),
                  "call bench boot under hafnium", TIMEOUT, log("calls")),
        # One CPU for the same reason; the VM's vCPU shares it.
        "vm": (command(args.hafnium, args.ramdisk,
                       ["hafnium.mode=bench-vm"], smp=1,
                       **DETERMINISTIC),
               "VM bench boot under hafnium", TIMEOUT, log("vm")),
        "vm-max": (command(args.hafnium, args.ramdisk,
                           ["hafnium.mode=bench-vm"], smp=1,
                           **{**DETERMINISTIC, "cpu": "max"}),
                   "VM bench boot under hafnium on -cpu max", TIMEOUT,
                   log("vm-max")),
        # One CPU: the echo and sink vCPUs share it with the primary.
        "msg": (command(args.hafnium, args.ramdisk,
                        ["hafnium.mode=bench-msg"], smp=1,
                        **DETERMINISTIC),
                "message bench boot under hafnium", TIMEOUT, log("msg")),
        # Two CPUs: the injector on one, the vCPU's thread on the other.
        # The counter then sums both CPUs' instructions: the whole path.
        "irq": (command(args.hafnium, args.ramdisk,
                        ["hafnium.mode=bench-irq"], smp=2,
                        **DETERMINISTIC),
                "interrupt bench boot under hafnium", TIMEOUT, log("irq")),
        # One CPU, both: the counter counts all of that CPU's work.
        "disk": (command(args.hafnium, args.ramdisk,
                         ["hafnium.mode=bench-disk"], smp=1,
                         **DETERMINISTIC),
                 "disk bench boot under hafnium", TIMEOUT, log("disk")),
        "disk-direct": (command(args.kernel, args.initramfs,
                                ["hafnium.mode=bench-disk"], direct=True,
                                smp=1, **DETERMINISTIC),
                        "disk bench boot of Linux alone", TIMEOUT,
                        log("disk-direct")),
        # The anchors: Linux alone at EL2 with KVM, four CPUs as "direct"
        # (tests/bench/kvm times on one, the others offline).
        **{f"kvm-{mode}": (
            command(args.kernel, args.initramfs,
                    ["hafnium.mode=bench-kvm", f"kvm-arm.mode={mode}"],
                    direct=True, el2=True, **DETERMINISTIC),
            f"{KVM_NAMES[mode]} bench boot of Linux alone", TIMEOUT,
            log(f"kvm-{mode}")) for mode in KVM_MODES},
    })
    calls = instructions_per_call(boots.pop("calls"))
    vm_boot = boots.pop("vm")
    vm = vm_figures(vm_boot)
    scale = scale_figures(vm_boot)
    vm_max = vm_figures(boots.pop("vm-max"))
    msg = msg_figures(boots.pop("msg"))
    irq = irq_figures(boots.pop("irq"))
    disk = disk_figures(boots.pop("disk"))
    disk_direct = disk_figures(boots.pop("disk-direct"))
    kvm = {mode: kvm_figures(boots.pop(f"kvm-{mode}"), mode)
           for mode in KVM_MODES}
    counts = {name: instructions_to_init(b) for name, b in boots.items()}
    if (None in counts.values() or None in kvm.values() or
            None in (calls, vm, vm_max, msg, irq, scale, disk,
                     disk_direct)):
        return 1

    text = report(counts, calls, vm, vm_max, msg, irq, kvm) + \
        scale_report(scale) + disk_report(disk, disk_direct)
    print(text, end="")
    with open(args.out, "w", encoding="utf-8") as out:
        out.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
