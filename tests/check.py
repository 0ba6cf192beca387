#!/usr/bin/env python3
# SPDX-License-Identifier: BSD-3-Clause
"""`make check`: runs every test and ends with "N passed, N failed, N skipped".

First, one check of the sources: every file has the SPDX license line of
its directory (scripts/check-spdx.py, LICENSE).
1. The host unit tests (one TAP stream).
2. One QEMU boot with hafnium.mode=test: the kselftests inside the primary
   (a TAP stream per program, framed by tests/kselftest/run_all.sh) and
   checks of the boot itself: it reached userspace, the suite ran to its
   end, the kernel log is clean, poweroff ended QEMU with status 0.
3. A boot of the ramdisk whose manifest lacks vm1, and one of the good
   ramdisk on QEMU's own DTB with the SMMU's reg removed: each time hafnium
   must name the cause on the console and power off.
4. The same Linux booted without hafnium, with hafnium.mode=test-nohyp: the
   no-hypervisor kselftests (hafnium.ko must refuse to load, cleanly), and
   the same checks of the boot itself as in 2.
5. A boot under hafnium with hafnium.mode=test-timing and -icount: the
   timing kselftests (timer wake-ups, the primary's tick), where virtual
   time follows executed instructions and not the host's load; the same
   checks of the boot itself as in 2.
6. Linux's own arm64 and timers selftests (hafnium.mode=test-linux), once
   under hafnium with a secondary filling its registers on every CPU, once
   without hafnium on the same CPU: each program's result and each of its
   own results must be the same in both; the same checks of both boots as
   in 2, and of the secondary.
2 and 6 run on CPU (-cpu max) and again on SMALL_CPU (cortex-a57); the
boots run side by side. Exits 1 if anything failed.
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
LINUX_BOOT_TIMEOUT = 780
# The selftest boots are QEMUs of the lowest priority on the host: they take
# the CPU time the other boots leave, whose tests measure latencies (an
# interrupt's, a message's) in the host's time. Two CPUs each (fp-stress
# starts a child per CPU and vector length).
LINUX_BOOT = {"nice": 19, "smp": 2}

# Every boot's CPU (QEMU's -cpu; the machine gets mte=on where it has MTE),
# and the smallest CPU (Armv8.0), on which the test boot and Linux's
# selftests run once more.
CPU = qemu.DEFAULT_CPU
SMALL_CPU = "cortex-a57"

TAP_RESULT = re.compile(r"^(ok|not ok)\b\s*(\d*)\s*-?\s*(.*)$")
TAP_PLAN = re.compile(r"^1\.\.(\d+)")
PROGRAM_BEGIN = re.compile(r"^# hafnium-test begin (\S+)$")
PROGRAM_END = re.compile(r"^# hafnium-test end (\S+) exit=(\d+)$")
KERNEL_TROUBLE = re.compile(r"Oops|BUG:|WARNING:|Kernel panic|Call trace")
DETAIL_LINES = 20
# tests/linux-selftests/run.sh: a program's header, then its output with
# "# " before each line (its own TAP results among it), then its result.
SELFTEST_HEADER = re.compile(r"^# selftests: (\S+): (\S+)$")
SELFTEST_OWN_RESULT = re.compile(r"^# (ok|not ok)\b\s*(\d*)\s*-?\s*(.*)$")
SELFTEST_VM = "# vm: "
CPU_FEATURES = "# cpu features:"


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


def spdx_lines(tally):
    """scripts/check-spdx.py: every source file's SPDX line is its
    directory's (LICENSE); one check, the files without it as its detail."""
    script = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..",
                          "scripts", "check-spdx.py")
    proc = subprocess.run([sys.executable, script], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    lines = proc.stdout.decode("utf-8", "replace").splitlines()
    tally.check(proc.returncode == 0,
                "sources: every file has an SPDX license line",
                indent(lines))


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


def kselftests(tally, suite, prefix=""):
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
        tally.record("fail", prefix + "kselftests: no program ran",
                     indent(suite))
    for name, lines, status in programs:
        tap(tally, f"{prefix}kselftest {name}", lines, status)


def boot_suite(boot):
    """Whether the boot reached userspace, the suite's lines, whether it
    ended, and the console's tail to show (once: with the first check it
    explains)."""
    suite, finished = between(boot.lines, qemu.BEGIN_MARKER, qemu.END_MARKER)
    why = (boot.timeout_report() if boot.timed_out else
           boot.failure(f"ended with QEMU status {boot.status}"))
    return qemu.BEGIN_MARKER in boot.lines, suite, finished, why


def boot_end(tally, boot, prefix, finished, why):
    """The checks every test boot ends with: a clean kernel log, and a
    poweroff that ended QEMU."""
    trouble = list(dict.fromkeys(l for l in boot.lines
                                 if KERNEL_TROUBLE.search(l)))
    tally.check(not trouble,
                prefix + "kernel log has no oops, BUG, WARNING or panic",
                indent(trouble))
    tally.check(finished and boot.status == 0,
                prefix + "poweroff ends QEMU with status 0",
                why if finished else "")


def test_boot(tally, boot, prefix="", kselftest_prefix=""):
    """Checks a boot that ran a test suite; prefix names the boot in the
    results of the boot checks, kselftest_prefix in the kselftests'."""
    booted, suite, finished, why = boot_suite(boot)
    tally.check(booted, prefix + "primary boots to userspace", why)
    if booted:
        kselftests(tally, suite, kselftest_prefix)
        tally.check(finished, prefix + "test suite runs to its end", why)
    boot_end(tally, boot, prefix, finished, why)


def tap_outcome(ok, rest):
    """(name, outcome, reason) of a TAP result line's parts."""
    name, _, directive = rest.partition("#")
    directive = directive.strip()
    if ok == "ok" and directive.upper().startswith("SKIP"):
        return name.strip(), "skip", directive[4:].strip()
    return name.strip(), "pass" if ok == "ok" else "fail", directive


def linux_selftests(lines):
    """run.sh's stream: {program: (outcome, reason, {own result: (outcome,
    reason)})}, the plan, the secondary's lines. A program's own results
    are named by number and name; a forked child that prints the parent's
    buffered lines again repeats them, which counts once (a failure wins)."""
    programs, plan, vm, current = {}, None, [], None
    for line in lines:
        m = TAP_PLAN.match(line)
        if m and plan is None:
            plan = int(m.group(1))
            continue
        if line.startswith(SELFTEST_VM):
            vm.append(line[len(SELFTEST_VM):])
            continue
        m = SELFTEST_HEADER.match(line)
        if m:
            current = f"{m.group(1)}:{m.group(2)}"
            programs[current] = [None, "", {}, ""]
            continue
        m = SELFTEST_OWN_RESULT.match(line)
        if m and current:
            ok, number, rest = m.groups()
            name, outcome, reason = tap_outcome(ok, rest)
            key = f"{number} {name}".strip()
            own = programs[current][2]
            if own.get(key, ("pass",))[0] != "fail":
                own[key] = (outcome, reason)
            continue
        m = TAP_RESULT.match(line)
        if m and current:
            ok, _, rest = m.groups()
            _, outcome, reason = tap_outcome(ok, rest)
            p = programs[current]
            # A skip's reason: its first own skip's, else its last words.
            reason = reason or next((r for o, r in p[2].values()
                                     if o == "skip" and r), p[3])
            p[:2] = outcome, reason
        elif current and line.startswith("# ") and not (
                line.startswith(f"# {current}: exit status") or
                "Totals:" in line):
            programs[current][3] = line.lstrip("# ").strip()
    return ({name: tuple(p[:3]) for name, p in programs.items()
             if p[0] is not None}, plan, vm)


def linux_boot(tally, boot, prefix):
    """The checks of a boot that ran run.sh (as test_boot's); returns its
    selftests' results, or None if it did not get through them."""
    booted, suite, finished, why = boot_suite(boot)
    programs, plan, vm = linux_selftests(suite)
    tally.check(booted, prefix + "primary boots to userspace", why)
    whole = finished and plan is not None and len(programs) == plan
    tally.check(whole, prefix + "every selftest ran (TAP plan, results,"
                " end of the suite)",
                why if not finished else
                f"  {len(programs)} results for a plan of {plan}")
    boot_end(tally, boot, prefix, finished, why)
    return (programs if whole else None), vm, suite


def linux_vm(tally, vm, suite, prefix):
    """The secondary beside the selftests under hafnium: started, then
    still running, not crashed, and it ran (run.sh's "# vm: ok")."""
    tally.check(any(" started, " in l for l in vm),
                prefix + "secondary with a vCPU per CPU started beside the"
                " selftests", indent(vm or suite))
    tally.check("ok" in vm and "not ok" not in vm,
                prefix + "secondary still running, not crashed, and it ran",
                indent(vm or suite))


def compare_selftests(tally, prefix, hyp, bare):
    """Each program's result under hafnium against the same program's
    without hafnium, its own results too. Equal passes pass and equal
    skips skip; a program that fails without hafnium too skips, naming
    its failures; any difference fails, naming both results."""
    for name in list(dict.fromkeys([*bare, *hyp])):
        test = f"{prefix}{name}"
        if name not in hyp or name not in bare:
            tally.record("fail", f"{test}: only "
                         f"{'with' if name in hyp else 'without'} hafnium")
            continue
        (h, h_why, h_own), (b, b_why, b_own) = hyp[name], bare[name]
        diffs = []
        if h != b:
            diffs.append(f"  {name}: {h} under hafnium ({h_why}), {b}"
                         f" without ({b_why})")
        for own in dict.fromkeys([*b_own, *h_own]):
            ho, bo = h_own.get(own, ("missing",)), b_own.get(own, ("missing",))
            if ho[0] != bo[0]:
                diffs.append(f"  {own}: {ho[0]} under hafnium, {bo[0]}"
                             " without")
        if diffs:
            tally.record("fail", f"{test}: differs from Linux without"
                         " hafnium", "\n".join(diffs[:DETAIL_LINES]))
        elif b == "skip":
            tally.record("skip", f"{test} ({b_why or 'skipped'})")
        elif b == "fail":
            failed = [o for o, r in b_own.items() if r[0] == "fail"]
            tally.record("skip", f"{test} (fails without hafnium too: "
                         f"{'; '.join(failed[:3]) or b_why}"
                         f"{' ...' if len(failed) > 3 else ''})")
        else:
            tally.record("pass", test)


def linux_pair(tally, hyp_boot, bare_boot, cpu):
    """Boot 6 on one CPU: the two boots' checks, the secondary's, then the
    comparison."""
    prefix = f"linux selftests on {cpu}: "
    hyp, vm, suite = linux_boot(tally, hyp_boot, prefix + "under hafnium: ")
    linux_vm(tally, vm, suite, prefix + "under hafnium: ")
    bare, vm, _ = linux_boot(tally, bare_boot, prefix + "without hafnium: ")
    tally.check(not vm, prefix + "without hafnium: no secondary",
                indent(vm))
    features = [next((l for l in b.lines if l.startswith(CPU_FEATURES)),
                     None) for b in (hyp_boot, bare_boot)]
    tally.check(features[0] is not None and features[0] == features[1],
                prefix + "the primary's /proc/cpuinfo Features are Linux's"
                " own without hafnium",
                f"  under hafnium: {features[0]}\n  without: {features[1]}")
    if hyp is None or bare is None:
        tally.record("fail", f"{prefix}compared: a boot did not run them"
                     " all (above)")
        return
    compare_selftests(tally, prefix, hyp, bare)


# Each bad boot: its job, what it is, and what its error line must name.
BAD_BOOTS = (("bad", "bad ramdisk", "vm1"),
             ("bad-smmu", "SMMU node without reg", "smmuv3@9050000: reg"))
BAD_BOOT_CHECKS = [f"{what}: {check}" for _, what, _ in BAD_BOOTS
                   for check in ("a boot error line names the cause",
                                 "hafnium powers off, QEMU exits with"
                                 " status 0")]


def bad_boot(tally, boot, what, cause):
    named = [l for l in boot.lines
             if l.startswith("hafnium: boot error:") and cause in l]
    tally.check(bool(named), f"{what}: a boot error line names the cause",
                boot.failure("printed no line starting with 'hafnium: boot"
                             f" error:' that names {cause!r}"))
    tally.check(boot.status == 0,
                f"{what}: hafnium powers off, QEMU exits with status 0",
                f"  timed out after {boot.timeout:.0f}s" if boot.timed_out
                else f"  QEMU status {boot.status}")


def bad_smmu_dtb(command, path):
    """QEMU's own DTB for this machine, with the SMMU's reg deleted."""
    subprocess.run([*command, "-machine", "dumpdtb=" + path],
                   check=True, capture_output=True)
    subprocess.run(["fdtput", "-d", path, "/smmuv3@9050000", "reg"],
                   check=True)
    return path


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
    parser.add_argument("--linux", nargs=3,
                        metavar=("RAMDISK", "IMAGE", "INITRAMFS"),
                        help="hafnium ramdisk, and Linux's Image and"
                        " initramfs, with Linux's selftests: compare them"
                        " under hafnium and without")
    parser.add_argument("--disk", required=True,
                        help="every boot's disk image (scripts/mkdisk.py)")
    parser.add_argument("--cpu", default=CPU,
                        help="QEMU's -cpu for every boot but the SMALL_CPU"
                        " ones (default %(default)s)")
    parser.add_argument("--mte", action=argparse.BooleanOptionalAction,
                        help="-M virt,mte=on (default: scripts/qemu.py's)")
    args = parser.parse_args()
    if not args.direct and not (args.hafnium and args.ramdisk and
                                args.bad_ramdisk):
        parser.error("give --hafnium, --ramdisk and --bad-ramdisk, or --direct")

    tally = Tally()
    spdx_lines(tally)
    unit_tests(tally, args.unit)

    def log(name):
        return os.path.join(args.log_dir, name + ".log")

    os.makedirs(args.log_dir, exist_ok=True)

    def command(*args_, **kwargs):
        """qemu.command() with this run's disk."""
        return qemu.command(*args_, disk=args.disk, **kwargs)

    cpu = {"cpu": args.cpu, "mte": args.mte}
    small = {"cpu": SMALL_CPU}
    if args.direct:
        jobs = {"test": (command(*args.direct, ["hafnium.mode=test"],
                                 direct=True, **cpu),
                         "test boot of Linux alone", TEST_BOOT_TIMEOUT,
                         log("test"))}
    else:
        jobs = {
            "test": (command(args.hafnium, args.ramdisk,
                             ["hafnium.mode=test"], **cpu),
                     "test boot under hafnium", TEST_BOOT_TIMEOUT,
                     log("test")),
            "bad": (command(args.hafnium, args.bad_ramdisk, **cpu),
                    "boot of the ramdisk without vm1", BAD_BOOT_TIMEOUT,
                    log("bad")),
            "bad-smmu": (command(
                args.hafnium, args.ramdisk, **cpu,
                extra=["-dtb", bad_smmu_dtb(
                    command(args.hafnium, args.ramdisk, **cpu),
                    os.path.join(args.log_dir, "bad-smmu.dtb"))]),
                "boot on a DTB whose SMMU has no reg", BAD_BOOT_TIMEOUT,
                log("bad-smmu")),
            "timing": (command(args.hafnium, args.ramdisk,
                               ["hafnium.mode=test-timing"],
                               extra=ICOUNT, **cpu),
                       "timing test boot under hafnium (-icount)",
                       TIMING_BOOT_TIMEOUT, log("timing")),
            "test-small": (command(args.hafnium, args.ramdisk,
                                   ["hafnium.mode=test"], **small),
                           f"test boot under hafnium on {SMALL_CPU}",
                           TEST_BOOT_TIMEOUT, log("test-" + SMALL_CPU)),
        }
        for name, opts in (("linux", cpu), ("linux-small", small)):
            if not args.linux:
                break
            ramdisk, image, initramfs = args.linux
            what = f"Linux's selftests on {opts['cpu']}"
            jobs[name] = (command(args.hafnium, ramdisk,
                                  ["hafnium.mode=test-linux"],
                                  **LINUX_BOOT, **opts),
                          what + " under hafnium", LINUX_BOOT_TIMEOUT,
                          log(name))
            jobs[name + "-bare"] = (
                command(image, initramfs, ["hafnium.mode=test-linux"],
                        direct=True, **LINUX_BOOT, **opts),
                what + " without hafnium", LINUX_BOOT_TIMEOUT,
                log(name + "-bare"))
    if args.nohyp:
        # One CPU is enough for these tests, and leaves the host's CPUs
        # to the other boots.
        jobs["nohyp"] = (command(*args.nohyp, ["hafnium.mode=test-nohyp"],
                                 direct=True, smp=1, **cpu),
                         "no-hypervisor test boot of Linux alone",
                         NOHYP_BOOT_TIMEOUT, log("nohyp"))
    # The two test boots one after the other: their latency tests (irq_test,
    # msg_test) failed side by side on 2 host CPUs. The selftest boots come
    # after them, each CPU's boot without hafnium after the one under it:
    # fp-stress, starting a child per CPU and vector length, was killed
    # during its start-up when all of them shared the host's two CPUs.
    boots = qemu.boot_side_by_side(jobs, after={
        "test-small": "test", "linux": "test-small",
        "linux-small": "test-small", "linux-bare": "linux",
        "linux-small-bare": "linux-small"})

    test_boot(tally, boots["test"])
    if "test-small" in boots:
        test_boot(tally, boots["test-small"], f"{SMALL_CPU}: ",
                  f"{SMALL_CPU}: ")
    if "nohyp" in boots:
        test_boot(tally, boots["nohyp"], "without hafnium: ")
    if "timing" in boots:
        test_boot(tally, boots["timing"], "timing boot: ")
    if "linux" in boots:
        linux_pair(tally, boots["linux"], boots["linux-bare"], args.cpu)
        linux_pair(tally, boots["linux-small"], boots["linux-small-bare"],
                   SMALL_CPU)
    else:
        tally.record("skip", "linux selftests (compared under hafnium and"
                     " without: needs hafnium and --linux)")
    for name, what, cause in BAD_BOOTS:
        if name in boots:
            bad_boot(tally, boots[name], what, cause)
    if "bad" not in boots:
        for name in BAD_BOOT_CHECKS:
            tally.record("skip", f"{name} (needs hafnium)")
    print(f"console logs: {args.log_dir}/")
    print(tally.summary())
    return 1 if tally.counts["fail"] else 0


if __name__ == "__main__":
    sys.exit(main())
