#!/usr/bin/env python3
"""`make check`: runs every test and ends with "N passed, N failed, N skipped".

1. The host unit tests (one TAP stream).
2. One QEMU boot with hafnium.mode=test: the kselftests inside the primary
   (a TAP stream per program, framed by tests/kselftest/run_all.sh) and
   checks of the boot itself: it reached userspace, the suite ran to its
   end, the kernel log is clean, poweroff ended QEMU with status 0.
3. A boot of the ramdisk whose manifest lacks vm1: hafnium must say so on
   the console and power off.
4. The same Linux booted without hafnium, with hafnium.mode=test-nohyp: the
   no-hypervisor kselftests (hafnium.ko must refuse to load, cleanly), and
   the same checks of the boot itself as in 2.
5. A boot under hafnium with hafnium.mode=test-timing and -icount: the
   timing kselftests (timer wake-ups, the primary's tick), where virtual
   time follows executed instructions and not the host's load; the same
   checks of the boot itself as in 2.
The boots run side by side. Exits 1 if anything failed.
"""

import argparse
import os
import re
import subprocess
import sys

# scripts/qemu.py, imported without leaving __pycache__ in the source tree.
sys.dont_write_bytecode = True
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "scripts"))
import qemu  # noqa: E402

# Seconds. A direct boot runs the suite in a few seconds under TCG.
UNIT_TIMEOUT = 300
TEST_BOOT_TIMEOUT = 420
TIMING_BOOT_TIMEOUT = 400
# Virtual time = executed instructions (1 ns each); idle time is skipped.
ICOUNT = ["-icount", "shift=0,align=off,sleep=off"]
BAD_BOOT_TIMEOUT = 60
NOHYP_BOOT_TIMEOUT = 120

TAP_RESULT = re.compile(r"^(ok|not ok)\b\s*(\d*)\s*-?\s*(.*)$")
TAP_PLAN = re.compile(r"^1\.\.(\d+)")
PROGRAM_BEGIN = re.compile(r"^# hafnium-test begin (\S+)$")
PROGRAM_END = re.compile(r"^# hafnium-test end (\S+) exit=(\d+)$")
KERNEL_TROUBLE = re.compile(r"Oops|BUG:|WARNING:|Kernel panic|Call trace")
DETAIL_LINES = 20


class Tally:
    """Counts outcomes and prints one line for each."""

    def __init__(self):
        self.counts = {"pass": 0, "fail": 0, "skip": 0}

    def record(self, outcome, name, detail=""):
        self.counts[outcome] += 1
        print(f"{outcome.upper():4} {name}", flush=True)
        if detail and outcome != "pass":
            print(detail, flush=True)

    def check(self, ok, name, detail=""):
        self.record("pass" if ok else "fail", name, detail)

    def summary(self):
        c = self.counts
        return f"{c['pass']} passed, {c['fail']} failed, {c['skip']} skipped"


def indent(lines):
    return "\n".join("  | " + line for line in lines[-DETAIL_LINES:])


def tap(tally, prefix, lines, exit_status):
    """Records each result of one TAP stream, then whether the stream is
    whole (plan present, every planned result there, exit status 0); shows
    the stream's end if anything in it failed."""
    failures_before = tally.counts["fail"]
    plan, results = None, 0
    for line in lines:
        m = TAP_PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        m = TAP_RESULT.match(line)
        if not m:
            continue
        results += 1
        ok, number, rest = m.groups()
        name, _, directive = rest.partition("#")
        name = f"{prefix}: {name.strip() or '#' + number}"
        directive = directive.strip()
        if ok == "ok" and directive.upper().startswith("SKIP"):
            tally.record("skip", f"{name} ({directive[4:].strip()})")
        else:
            tally.check(ok == "ok", name)
    if plan is None:
        tally.record("fail", f"{prefix}: TAP plan (1..N) missing")
    elif results != plan:
        tally.record("fail", f"{prefix}: {results} results for a plan of"
                     f" {plan}")
    if exit_status != 0 and tally.counts["fail"] == failures_before:
        tally.record("fail", f"{prefix}: exit status {exit_status}")
    if tally.counts["fail"] > failures_before:
        print(indent(lines), flush=True)


def unit_tests(tally, binary):
    if not os.path.exists(binary):
        tally.record("fail", f"unit: {binary} not built")
        return
    try:
        proc = subprocess.run([binary], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, timeout=UNIT_TIMEOUT)
    except subprocess.TimeoutExpired as e:
        lines = (e.output or b"").decode("utf-8", "replace").splitlines()
        tally.record("fail", f"unit: timed out after {UNIT_TIMEOUT}s",
                     indent(lines))
        return
    tap(tally, "unit", proc.stdout.decode("utf-8", "replace").splitlines(),
        proc.returncode)


def between(lines, begin, end):
    """The lines after the first `begin` line up to the next starting with
    `end`, and whether that end line came."""
    if begin not in lines:
        return [], False
    inside = lines[lines.index(begin) + 1:]
    for i, line in enumerate(inside):
        if line.startswith(end):
            return inside[:i], True
    return inside, False


def kselftests(tally, suite):
    """Splits the suite's output into its programs' TAP streams."""
    programs = []  # [name, lines, exit status or None if it never ended]
    for line in suite:
        begin, end = PROGRAM_BEGIN.match(line), PROGRAM_END.match(line)
        if begin:
            programs.append([begin.group(1), [], None])
        elif end and programs:
            programs[-1][2] = int(end.group(2))
        elif programs:
            programs[-1][1].append(line)
    if not programs:
        tally.record("fail", "kselftests: no program ran", indent(suite))
    for name, lines, status in programs:
        tap(tally, f"kselftest {name}", lines, status)


def test_boot(tally, boot, prefix=""):
    """Checks a boot that ran a test suite; prefix names the boot in the
    results of the boot checks."""
    lines = boot.lines
    booted = qemu.BEGIN_MARKER in lines
    suite, finished = between(lines, qemu.BEGIN_MARKER, qemu.END_MARKER)
    trouble = list(dict.fromkeys(l for l in lines if KERNEL_TROUBLE.search(l)))
    # The console's tail, shown once: with the first check it explains.
    why = (boot.timeout_report() if boot.timed_out else
           boot.failure(f"ended with QEMU status {boot.status}"))

    tally.check(booted, prefix + "primary boots to userspace", why)
    if booted:
        kselftests(tally, suite)
        tally.check(finished, prefix + "test suite runs to its end", why)
    tally.check(not trouble,
                prefix + "kernel log has no oops, BUG, WARNING or panic",
                indent(trouble))
    tally.check(finished and boot.status == 0,
                prefix + "poweroff ends QEMU with status 0",
                why if finished else "")


BAD_BOOT_CHECKS = ("bad ramdisk: a boot error line names vm1",
                   "bad ramdisk: hafnium powers off, QEMU exits with status 0")


def bad_boot(tally, boot):
    named = [l for l in boot.lines if l.startswith("hafnium:") and "vm1" in l]
    tally.check(bool(named), BAD_BOOT_CHECKS[0],
                boot.failure("printed no line starting with 'hafnium:' that"
                             " names vm1"))
    tally.check(boot.status == 0, BAD_BOOT_CHECKS[1],
                f"  timed out after {boot.timeout:.0f}s" if boot.timed_out
                else f"  QEMU status {boot.status}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--unit", required=True, help="unit test binary")
    parser.add_argument("--log-dir", required=True)
    parser.add_argument("--hafnium", help="hafnium.bin")
    parser.add_argument("--ramdisk", help="hafnium ramdisk")
    parser.add_argument("--bad-ramdisk", help="ramdisk without vm1")
    parser.add_argument("--direct", nargs=2, metavar=("IMAGE", "INITRAMFS"),
                        help="boot Linux without hafnium instead")
    parser.add_argument("--nohyp", nargs=2, metavar=("IMAGE", "INITRAMFS"),
                        help="also boot Linux without hafnium for the"
                        " no-hypervisor tests")
    args = parser.parse_args()
    if not args.direct and not (args.hafnium and args.ramdisk and
                                args.bad_ramdisk):
        parser.error("give --hafnium, --ramdisk and --bad-ramdisk, or --direct")

    tally = Tally()
    unit_tests(tally, args.unit)

    def log(name):
        return os.path.join(args.log_dir, name + ".log")

    if args.direct:
        jobs = {"test": (qemu.command(*args.direct, ["hafnium.mode=test"],
                                      direct=True),
                         "test boot of Linux alone", TEST_BOOT_TIMEOUT,
                         log("test"))}
    else:
        jobs = {
            "test": (qemu.command(args.hafnium, args.ramdisk,
                                  ["hafnium.mode=test"]),
                     "test boot under hafnium", TEST_BOOT_TIMEOUT,
                     log("test")),
            "bad": (qemu.command(args.hafnium, args.bad_ramdisk),
                    "boot of the ramdisk without vm1", BAD_BOOT_TIMEOUT,
                    log("bad")),
            "timing": (qemu.command(args.hafnium, args.ramdisk,
                                    ["hafnium.mode=test-timing"],
                                    extra=ICOUNT),
                       "timing test boot under hafnium (-icount)",
                       TIMING_BOOT_TIMEOUT, log("timing")),
        }
    if args.nohyp:
        # One CPU is enough for these tests, and leaves the host's CPUs
        # to the other boots.
        jobs["nohyp"] = (qemu.command(*args.nohyp, ["hafnium.mode=test-nohyp"],
                                      direct=True, smp=1),
                         "no-hypervisor test boot of Linux alone",
                         NOHYP_BOOT_TIMEOUT, log("nohyp"))
    boots = qemu.boot_side_by_side(jobs)

    test_boot(tally, boots["test"])
    if "nohyp" in boots:
        test_boot(tally, boots["nohyp"], "without hafnium: ")
    if "timing" in boots:
        test_boot(tally, boots["timing"], "timing boot: ")
    if "bad" in boots:
        bad_boot(tally, boots["bad"])
    else:
        for name in BAD_BOOT_CHECKS:
            tally.record("skip", f"{name} (needs hafnium)")
    print(f"console logs: {args.log_dir}/")
    print(tally.summary())
    return 1 if tally.counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
