#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""Boots hafnium with Linux as its primary VM in QEMU, or Linux alone.

The one QEMU launcher of `make run`, `make check` and `make bench`; the last
two import it. Modes:
  interactive  QEMU on this terminal (the user ends it, so no timeout);
  script       print only what /etc/hafnium/script.sh prints (the lines
               between /init's markers), log the whole console, exit with
               the script's status;
  test         run the test suite (hafnium.mode=test), log the whole console.
Every mode but interactive kills QEMU after a timeout.

--kernel and --initrd are hafnium.bin and the hafnium ramdisk, or with
--direct Linux's Image and initramfs, booted without EL2 ("virtualization"
off): the reference without hafnium. (command()'s el2=True boots Linux
directly at EL2 instead, with KVM: make bench's anchor.)

--disk is the raw image every boot has as a virtio-blk PCI disk (/dev/vda:
scripts/mkdisk.py makes it), its DMA through the machine's SMMUv3
(-M virt,iommu=smmuv3, and iommu_platform=on on the device); writes go to a
temporary snapshot, never to the image.

--cpu is QEMU's -cpu value (default DEFAULT_CPU). `max` gets pauth-impdef=on
(QEMU's QARMA pointer authentication is slow to emulate) and the machine
mte=on (tag memory: only CPUs with MTE take it); --mte/--no-mte overrides
the latter.
"""

import argparse
import os
import shlex
import subprocess
import sys
import threading
from dataclasses import dataclass

# /init's marker lines (scripts/initramfs/init).
BEGIN_MARKER = "--- hafnium-script begin ---"
END_MARKER = "--- hafnium-script end status="

TAIL_LINES = 20

# QEMU's -cpu when none is given: every feature QEMU 7.2 has.
DEFAULT_CPU = "max"


def cpu_model(cpu):
    """QEMU's model name in a -cpu value: "max" of "max,sve=off"."""
    return cpu.split(",")[0]


def has_mte(cpu):
    """Whether -cpu cpu has MTE, so that -M virt,mte=on works: of QEMU
    7.2's 64-bit models only max has it."""
    return cpu_model(cpu) == "max"


def cpu_option(cpu):
    """The -cpu value for cpu: max with QEMU's cheap pointer authentication
    unless cpu turns it off or picks an algorithm itself."""
    if (cpu_model(cpu) == "max" and "pauth-impdef" not in cpu and
            "pauth=off" not in cpu):
        return cpu + ",pauth-impdef=on"
    return cpu


def disk_options(disk):
    """QEMU's arguments for the disk image: a virtio-blk PCI device that
    reaches memory only through the SMMU (iommu_platform=on; modern only, as
    the option needs), writes kept in a temporary snapshot."""
    return ["-drive", f"file={disk},if=none,format=raw,id=disk0,snapshot=on",
            "-device", "virtio-blk-pci,drive=disk0,iommu_platform=on,"
            "disable-legacy=on"]


def command(kernel, initrd, append=(), direct=False, smp=4, mem="1G",
            machine=(), extra=(), cpu=DEFAULT_CPU, mte=None, nice=0,
            el2=None, *, disk):
    """QEMU's command line; disk is the image of the machine's disk
    (disk_options()); machine and extra add -M options and arguments;
    mte None: on where the CPU has it; nice: QEMU's niceness on the host;
    el2: whether the kernel is entered at EL2 (virtualization=on), by
    default unless direct: Linux booted directly with el2=True has EL2 to
    itself, for KVM."""
    if el2 is None:
        el2 = not direct
    options = ["virt"] + (["virtualization=on"] if el2 else [])
    # The SMMUv3 in front of the PCIe host: the disk's DMA goes through it.
    options += ["gic-version=3", "iommu=smmuv3", *machine]
    if has_mte(cpu) if mte is None else mte:
        options.append("mte=on")
    # panic=-1: a panicking kernel resets at once, and -no-reboot turns the
    # reset into QEMU's exit, instead of a hang until the timeout.
    bootargs = ["console=ttyAMA0", "nokaslr", "rdinit=/init", "panic=-1",
                *append]
    return [*(["nice", "-n", str(nice)] if nice else []),
            "qemu-system-aarch64", "-M", ",".join(options),
            "-cpu", cpu_option(cpu), "-smp", str(smp), "-m", mem,
            "-nographic", "-no-reboot",
            # No network: the default NIC's option ROM is not installed.
            "-nic", "none", *disk_options(disk),
            "-kernel", kernel, "-initrd", initrd,
            "-append", " ".join(bootargs), *extra]


@dataclass
class Boot:
    """What a non-interactive boot did."""
    what: str
    lines: list
    status: int | None = None  # QEMU's exit status; None: killed
    timeout: float = 0

    @property
    def timed_out(self):
        return self.status is None

    def tail(self):
        return "\n".join("  | " + line for line in self.lines[-TAIL_LINES:])

    def failure(self, why):
        """A report of a failed boot: why, then the console's last lines."""
        return (f"FAIL: {self.what} {why}\n  last {TAIL_LINES} console lines"
                f" (of {len(self.lines)}):\n{self.tail()}")

    def timeout_report(self):
        return self.failure(f"timed out after {self.timeout:.0f}s")


def boot(cmd, what, timeout, log_path, on_line=None):
    """Runs QEMU, logging its console to log_path and passing each line to
    on_line as it comes; kills QEMU after timeout seconds."""
    lines = []
    os.makedirs(os.path.dirname(log_path) or ".", exist_ok=True)
    with open(log_path, "w", encoding="utf-8") as log:
        log.write("# " + shlex.join(cmd) + "\n")
        proc = subprocess.Popen(cmd, stdin=subprocess.DEVNULL,
                                stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT)

        def pump():
            for raw in proc.stdout:
                line = raw.decode("utf-8", "replace").replace("\r", "")
                line = line.rstrip("\n")
                lines.append(line)
                log.write(line + "\n")
                log.flush()
                if on_line:
                    on_line(line)

        reader = threading.Thread(target=pump, daemon=True)
        reader.start()
        status = None
        try:
            status = proc.wait(timeout)
        except subprocess.TimeoutExpired:
            pass
        finally:
            # Also on KeyboardInterrupt: never leave QEMU behind.
            if proc.poll() is None:
                proc.kill()
                proc.wait()
        reader.join()
    return Boot(what, lines, status, timeout)


def boot_side_by_side(jobs, after=None):
    """Runs boot(*args) for each `name: args` in jobs, all at once (the
    boots are independent) but those named in after ({name: other}), which
    start when the other has ended; returns {name: Boot}."""
    results = {}
    ended = {name: threading.Event() for name in jobs}

    def run(name):
        if after and name in after:
            ended[after[name]].wait()
        try:
            results[name] = boot(*jobs[name])
        finally:
            ended[name].set()

    threads = [threading.Thread(target=run, args=(n,)) for n in jobs]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def run_script(cmd, what, timeout, log_path):
    """Prints the lines between /init's markers as they come; returns the
    script's exit status, or 1 if the boot did not get to its end."""
    state = {"inside": False, "status": None}

    def on_line(line):
        if line == BEGIN_MARKER:
            state["inside"] = True
        elif line.startswith(END_MARKER):
            state["inside"] = False
            state["status"] = int(line[len(END_MARKER):].split()[0])
        elif state["inside"]:
            print(line, flush=True)

    result = boot(cmd, what, timeout, log_path, on_line)
    if result.timed_out:
        print(result.timeout_report(), file=sys.stderr)
        return 1
    if state["status"] is None:
        print(result.failure(f"ended (QEMU status {result.status}) before the"
                             f" script did; full log: {log_path}"),
              file=sys.stderr)
        return 1
    return state["status"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--mode", choices=["interactive", "script", "test"],
                        default="interactive")
    parser.add_argument("--direct", action="store_true",
                        help="boot Linux without hafnium")
    parser.add_argument("--kernel", required=True)
    parser.add_argument("--initrd", required=True)
    parser.add_argument("--disk", required=True,
                        help="the disk image (scripts/mkdisk.py)")
    parser.add_argument("--smp", type=int, default=4)
    parser.add_argument("--mem", default="1G")
    parser.add_argument("--cpu", default=DEFAULT_CPU,
                        help="QEMU's -cpu value (default %(default)s)")
    parser.add_argument("--mte", action=argparse.BooleanOptionalAction,
                        help="-M virt,mte=on (default: if the CPU has MTE)")
    parser.add_argument("--append", action="append", default=[],
                        help="more kernel command line (repeatable)")
    parser.add_argument("--log", default="build/qemu.log",
                        help="console log of a non-interactive boot")
    parser.add_argument("--timeout", type=float, default=180)
    args = parser.parse_args()

    target = "of Linux alone" if args.direct else "under hafnium"
    append = list(args.append)
    if args.mode == "script":
        append.append("loglevel=3")  # only the script's output on the console
    elif args.mode == "test":
        append.append("hafnium.mode=test")
    cmd = command(args.kernel, args.initrd, append, args.direct, args.smp,
                  args.mem, cpu=args.cpu, mte=args.mte, disk=args.disk)

    if args.mode == "interactive":
        print("QEMU: Ctrl-A X quits, `exit` powers off.", flush=True)
        os.execvp(cmd[0], cmd)
    if args.mode == "script":
        return run_script(cmd, f"script boot {target}", args.timeout,
                          args.log)
    result = boot(cmd, f"test boot {target}", args.timeout, args.log)
    if result.timed_out:
        print(result.timeout_report(), file=sys.stderr)
        return 1
    print(f"QEMU exited with status {result.status}; console log: {args.log}")
    return result.status


if __name__ == "__main__":
    sys.exit(main())
