#!/usr/bin/env python3
"""Runs Pyrite's benchmark programs, side by side with MicroPython's unix port.

    bench/run.py                          # bench/programs/*.py on pyrite
    bench/run.py --ref PATH/micropython   # ... and on MicroPython, with ratios
    bench/run.py --ref MP --perf-bench MICROPYTHON_CHECKOUT   # its perf_bench too
    bench/run.py --callgrind ...          # instruction counts instead of seconds
    bench/run.py --markdown ...           # the table as Markdown (for the README)

Each of the project's programs is timed as a whole process, best of -n runs.
MicroPython's perf_bench programs are read from the checkout at run time and
run as its run-perfbench.py runs them (the program, then benchrun.py, then
bm_run(N, M), fed on standard input); their time is the one they report.
Outputs are compared with the reference's: a program whose output differs is
marked, and its ratio left out of the geometric mean.
"""

import argparse
import math
import os
import re
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
    args = ap.parse_args()

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
                    ratios.append(ratio)
            row += [fmt(ref, args.callgrind), "%.2f" % ratio if ratio else "-"]
        rows.append((row, note))
        if not args.markdown:
            print("%-28s %12s" % tuple(row[:2]) + ("  %12s %7s" % tuple(row[2:]) if args.ref else ""), note)
            sys.stdout.flush()
    geo = math.exp(sum(map(math.log, ratios)) / len(ratios)) if ratios else None
    if args.markdown:
        print("| " + " | ".join(head) + " |")
        print("|" + "---|" * len(head))
        for row, note in rows:
            print("| " + " | ".join(row) + " |" + (" " + note if note else ""))
        if geo:
            print("| geometric mean of ratios | | | %.2f |" % geo)
    elif geo:
        print("geometric mean of pyrite/micropython over %d programs: %.2f (worst %.2f)" % (len(ratios), geo, max(ratios)))


if __name__ == "__main__":
    main()
