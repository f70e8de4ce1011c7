#!/usr/bin/env python3
"""Runs Pyrite's benchmark programs, side by side with MicroPython's unix port.

    bench/run.py                          # bench/programs/*.py on pyrite
    bench/run.py --ref PATH/micropython   # ... and on MicroPython, with ratios
    bench/run.py --ref MP --perf-bench MICROPYTHON_CHECKOUT   # its perf_bench too
    bench/run.py --callgrind ...          # instruction counts instead of seconds
    bench/run.py --markdown ...           # the table as Markdown (for the README)
    bench/run.py --target mps2/an385 [--build DIR] [-- WEST_CMAKE_ARGS]
                                          # bench/target/*.py in QEMU: guest instructions

Each of the project's programs is timed as a whole process, best of -n runs.
MicroPython's perf_bench programs are read from the checkout at run time and
run as its run-perfbench.py runs them (the program, then benchrun.py, then
bm_run(N, M), fed on standard input); their time is the one they report.
Outputs are compared with the reference's: a program whose output differs is
marked, and its ratio left out of the geometric mean.

On a target (`--target BOARD`, a QEMU board: mps2/an385 or qemu_cortex_m3),
samples/repl is built with west (or taken from --build) and run in QEMU with
`-icount shift=0,align=off,sleep=off`, where a guest instruction takes one
virtual nanosecond. Each program in bench/target/ is typed into the `py`
REPL and its `bench()` timed on the device with `time.ticks_us()` in one
call, so microseconds times 1000 are guest instructions (to the 10 ms tick).
"""

import argparse
import math
import os
import re
import select
import subprocess
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
SKIP_PERF = ("viper_", "core_import_mpy")


class Program:
    def __init__(self, name, path=None, script=None, reports_time=False):
        self.name = name
        self.path = path
        self.script = script
        self.reports_time = reports_time


def own_programs(only):
    d = os.path.join(HERE, "programs")
    return [
        Program(f[:-3], path=os.path.join(d, f))
        for f in sorted(os.listdir(d))
        if f.endswith(".py") and (not only or only in f)
    ]


def perf_bench_programs(checkout, n, m, only):
    d = os.path.join(checkout, "tests", "perf_bench")
    with open(os.path.join(d, "benchrun.py"), "rb") as f:
        runner = f.read()
    out = []
    for f in sorted(os.listdir(d)):
        if not f.endswith(".py") or f == "benchrun.py" or f.startswith(SKIP_PERF):
            continue
        if only and only not in f:
            continue
        with open(os.path.join(d, f), "rb") as fh:
            src = fh.read()
        script = b"import sys\nsys.path.remove('')\n\n" + src + runner + b"bm_run(%d, %d)\n" % (n, m)
        out.append(Program("perf_bench/" + f[:-3], script=script, reports_time=True))
    return out


def command(binary, heap, prog):
    return [binary, "-X", "heapsize=" + heap] + ([prog.path] if prog.path else [])


def run_once(binary, heap, prog, callgrind):
    cmd = command(binary, heap, prog)
    if callgrind:
        cmd = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null"] + cmd
    t0 = time.perf_counter()
    p = subprocess.run(cmd, input=prog.script, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=600)
    wall = time.perf_counter() - t0
    out = p.stdout.decode(errors="replace").strip()
    if p.returncode != 0:
        err = p.stderr.decode(errors="replace").strip().splitlines()
        return None, "exit %d: %s" % (p.returncode, err[-1] if err else "")
    if callgrind:
        m = re.search(rb"Collected : (\d+)", p.stderr)
        figure = int(m.group(1)) if m else None
    elif prog.reports_time:
        figure = int(out.split()[0]) / 1e6
    else:
        figure = wall
    if prog.reports_time:
        out = out.split(None, 1)[1] if " " in out else out
    return figure, out


def measure(binary, heap, prog, runs, callgrind):
    best, output = None, None
    for _ in range(1 if callgrind else runs):
        figure, output = run_once(binary, heap, prog, callgrind)
        if figure is None:
            return None, output
        best = figure if best is None else min(best, figure)
    return best, output


def fmt(figure, callgrind):
    if figure is None:
        return "-"
    return "%.1f M" % (figure / 1e6) if callgrind else "%.3f s" % figure


QEMU_MACHINES = {"mps2/an385": "mps2-an385", "qemu_cortex_m3": "lm3s6965evb"}

# Typed after a program: its bench() timed on the device in one call, so no
# typing time is counted.
TIMER = [
    "import time",
    "def _timed():",
    "    t0 = time.ticks_us()",
    "    r = bench()",
    "    return time.ticks_diff(time.ticks_us(), t0), r",
    "print('RESULT', _timed())",
]


class Qemu:
    """A board in QEMU, talked to through its console."""

    def __init__(self, board, elf):
        cmd = ["qemu-system-arm", "-cpu", "cortex-m3", "-machine", QEMU_MACHINES[board], "-nographic",
               "-vga", "none", "-icount", "shift=0,align=off,sleep=off", "-kernel", elf]
        self.p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
        self.buf = b""

    def read_until(self, token, timeout):
        end = time.time() + timeout
        while token not in self.buf:
            left = end - time.time()
            if left <= 0 or self.p.poll() is not None:
                raise RuntimeError("no %r from the board; it said: %r" % (token, self.buf[-300:]))
            if select.select([self.p.stdout], [], [], min(left, 0.2))[0]:
                self.buf += os.read(self.p.stdout.fileno(), 4096)
        before, self.buf = self.buf.split(token, 1)
        return before.decode(errors="replace")

    def type_line(self, line):
        # A few bytes at a time: the emulated UART takes a character at a time.
        data = line.encode() + b"\r"
        for i in range(0, len(data), 8):
            self.p.stdin.write(data[i:i + 8])
            self.p.stdin.flush()
            time.sleep(0.005)

    def close(self):
        self.p.kill()
        self.p.wait()


def typed_lines(source):
    """Source lines as the REPL takes them: a block ends at a blank line, so
    blank lines inside blocks go and one comes after each block."""
    code = [l.rstrip() for l in source if l.strip() and not l.lstrip().startswith("#")]
    out = []
    for line in code:
        if out and not line.startswith(" ") and (out[-1].startswith(" ") or out[-1].endswith(":")):
            out.append("")
        out.append(line)
    return out


def run_on_target(prog_path, board, elf, timeout):
    """Guest instructions for the program's bench(), and what it returned."""
    q = Qemu(board, elf)
    transcript = ""
    try:
        q.read_until(b"uart:~$ ", 30)
        q.type_line("py")
        q.read_until(b">>> ", 30)
        with open(prog_path) as f:
            lines = typed_lines(f.read().splitlines() + TIMER)
        for line in lines:
            q.type_line(line)
            prompt = b"... " if line.startswith(" ") or line.endswith(":") else b">>> "
            transcript += q.read_until(prompt, timeout)
    finally:
        q.close()
    m = re.search(r"RESULT \((\d+), (.*)\)", transcript)
    if not m:
        return None, transcript.strip()[-200:]
    return int(m.group(1)) * 1000, m.group(2)


def target_main(args, cmake_args):
    build_dir = args.build or os.path.join(REPO, "build", "bench-" + args.target.replace("/", "_"))
    if not args.build:
        cmd = ["west", "build", "-b", args.target, "-d", build_dir, os.path.join(REPO, "samples", "repl"), "--",
               "-DZEPHYR_EXTRA_MODULES=" + REPO] + cmake_args
        subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL)
    elf = os.path.join(build_dir, "zephyr", "zephyr.elf")
    d = os.path.join(HERE, "target")
    progs = [f for f in sorted(os.listdir(d)) if f.endswith(".py") and (not args.only or args.only in f)]
    if args.markdown:
        print("| program (%s) | guest instructions | result |" % args.target)
        print("|---|---|---|")
    for f in progs:
        insns, result = run_on_target(os.path.join(d, f), args.target, elf, args.timeout)
        figure = "%.1f M" % (insns / 1e6) if insns is not None else "FAIL"
        if args.markdown:
            print("| %s | %s | %s |" % (f[:-3], figure, result))
        else:
            print("%-20s %12s  %s" % (f[:-3], figure, result))
        sys.stdout.flush()


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--pyrite", default=os.path.join(REPO, "target", "release", "pyrite"))
    ap.add_argument("--ref", help="MicroPython's unix binary, to run side by side")
    ap.add_argument("--perf-bench", metavar="CHECKOUT", help="also MicroPython's tests/perf_bench from this checkout")
    ap.add_argument("--only-perf-bench", action="store_true", help="leave out the project's own programs")
    ap.add_argument("-N", type=int, default=1000, help="perf_bench's N (default 1000)")
    ap.add_argument("-M", type=int, default=1000, help="perf_bench's M (default 1000)")
    ap.add_argument("--heap", default="8M", help="-X heapsize for both (default 8M)")
    ap.add_argument("-n", type=int, default=3, help="runs per program, best taken (default 3)")
    ap.add_argument("--callgrind", action="store_true", help="count instructions under callgrind")
    ap.add_argument("--only", help="only programs whose name contains this")
    ap.add_argument("--markdown", action="store_true")
    ap.add_argument("--target", choices=sorted(QEMU_MACHINES), help="run bench/target/*.py on this board in QEMU")
    ap.add_argument("--build", help="with --target: a west build of samples/repl to use as it is")
    ap.add_argument("--timeout", type=float, default=120, help="with --target: seconds to wait for a line")
    argv = sys.argv[1:]
    cut = argv.index("--") if "--" in argv else len(argv)
    args = ap.parse_args(argv[:cut])
    if args.target:
        return target_main(args, argv[cut + 1:])

    if not os.path.exists(args.pyrite):
        subprocess.run(["cargo", "build", "--release", "-q", "-p", "pyrite"], cwd=REPO, check=True)
    progs = [] if args.only_perf_bench else own_programs(args.only)
    if args.perf_bench:
        progs += perf_bench_programs(args.perf_bench, args.N, args.M, args.only)

    unit = "instructions" if args.callgrind else "seconds, best of %d" % args.n
    head = ["program", "pyrite"] + (["micropython", "ratio"] if args.ref else [])
    rows, ratios = [], []
    if not args.markdown:
        print("%-28s %12s" % tuple(head[:2]) + ("  %12s %7s" % tuple(head[2:]) if args.ref else ""), "(%s)" % unit)
    for prog in progs:
        mine, out = measure(args.pyrite, args.heap, prog, args.n, args.callgrind)
        row = [prog.name, fmt(mine, args.callgrind) if mine is not None else "FAIL"]
        note = "" if mine is not None else out
        if args.ref:
            ref, ref_out = measure(args.ref, args.heap, prog, args.n, args.callgrind)
            ratio = None
            if mine is not None and ref:
                ratio = mine / ref
                if out != ref_out:
                    note = "output differs: %r vs %r" % (out[:40], ref_out[:40])
                else:
                    ratios.append((prog.name, ratio))
            row += [fmt(ref, args.callgrind), "%.2f" % ratio if ratio else "-"]
        rows.append((row, note))
        if not args.markdown:
            print("%-28s %12s" % tuple(row[:2]) + ("  %12s %7s" % tuple(row[2:]) if args.ref else ""), note)
            sys.stdout.flush()
    # One geometric mean for the project's programs and one for
    # MicroPython's perf_bench (the acceptance figure), each with its
    # worst ratio.
    groups = [("the project's programs", [r for n, r in ratios if not n.startswith("perf_bench/")]),
              ("perf_bench", [r for n, r in ratios if n.startswith("perf_bench/")])]
    geos = [(label, math.exp(sum(map(math.log, rs)) / len(rs)), max(rs), len(rs)) for label, rs in groups if rs]
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row, note in rows:
            print("| " + " | ".join(row) + " |" + (" " + note if note else ""))
        for label, geo, worst, n in geos:
            print("| geometric mean, %s (%d; worst %.2f) | | | %.2f |" % (label, n, worst, geo))
    else:
        for label, geo, worst, n in geos:
            print("geometric mean of pyrite/micropython, %s (%d programs): %.2f (worst %.2f)" % (label, n, geo, worst))


if __name__ == "__main__":
    main()
