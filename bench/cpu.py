#!/usr/bin/env python3
"""CPU benchmark: popek user vs native vs qemu-riscv64.

Builds bench/cpu/*.c natively and for riscv64 (-O2 -static) into
build/bench/cpu/, runs each program natively, under `popek user` (one column
per --column, so engines can be compared: --column "popek dbt=--engine dbt")
and under qemu-riscv64, takes the median wall time of --runs runs, checks
that every emulated run prints the native checksum line, and prints a plain
table followed by the same table in markdown (for docs/benchmarks.md).

    bench/cpu.py                      # all programs, 3 runs, full size
    bench/cpu.py --runs 1 --scale 10  # quick look: 10% of the work
    bench/cpu.py --column popek= --column "popek dbt=--engine dbt" --no-qemu
"""
import argparse
import math
import os
import pathlib
import shlex
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "bench" / "cpu"
OUT = ROOT / "build" / "bench" / "cpu"
CFLAGS = ["-O2", "-std=gnu11", "-Wall", "-Wextra", "-ffp-contract=off"]


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)),
                    help="runs per measurement; the median is reported (default 3)")
    ap.add_argument("--scale", type=int, default=int(os.environ.get("BENCH_SCALE", 100)),
                    help="workload in percent of the full size (default 100)")
    ap.add_argument("--popek", default=str(ROOT / "build" / "popek"), help="popek binary")
    ap.add_argument("--column", action="append", metavar="LABEL=FLAGS",
                    help='a popek column: label and extra flags before the program, '
                         'e.g. "popek dbt=--engine dbt" (default: one column per engine)')
    ap.add_argument("--qemu", default=shutil.which("qemu-riscv64") or "qemu-riscv64")
    ap.add_argument("--no-qemu", action="store_true", help="skip the qemu column")
    ap.add_argument("--only", nargs="*", help="program names to run (default: all)")
    ap.add_argument("--timeout", type=float, default=1800, help="seconds per run")
    return ap.parse_args()


def stale(out, *inputs):
    return not out.exists() or any(i.stat().st_mtime > out.stat().st_mtime for i in inputs)


def build(names):
    (OUT / "native").mkdir(parents=True, exist_ok=True)
    (OUT / "rv64").mkdir(parents=True, exist_ok=True)
    for name in names:
        src = SRC / f"{name}.c"
        deps = (src, SRC / "bench.h", pathlib.Path(__file__))
        for cc, kind, extra in (("gcc", "native", []),
                                ("riscv64-linux-gnu-gcc", "rv64", ["-static"])):
            exe = OUT / kind / name
            if stale(exe, *deps):
                subprocess.run([cc] + CFLAGS + extra + ["-o", str(exe), str(src), "-lm"], check=True)


def measure(cmd, runs, timeout):
    """Median wall time of `runs` runs and the stdout of the last; None on failure."""
    times, out = [], None
    for _ in range(runs):
        t0 = time.perf_counter()
        try:
            r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, "timeout"
        times.append(time.perf_counter() - t0)
        if r.returncode != 0:
            return None, f"exit {r.returncode}: {r.stderr.decode(errors='replace').strip()[-200:]}"
        out = r.stdout
    return statistics.median(times), out


def columns(args):
    cols = []
    for spec in args.column or ["popek interp=--engine interp", "popek dbt=--engine dbt"]:
        label, _, flags = spec.partition("=")
        cols.append((label.strip() or "popek", [args.popek, "user"] + shlex.split(flags)))
    if not args.no_qemu:
        cols.append(("qemu", [args.qemu]))
    return cols


def fmt_time(t):
    return f"{t:.2f}" if isinstance(t, float) else t


def fmt_ratio(r):
    return f"{r:.1f}x" if r is not None else "-"


def geomean(values):
    values = [v for v in values if v]
    return math.exp(sum(math.log(v) for v in values) / len(values)) if values else None


def main():
    args = parse_args()
    names = sorted(p.stem for p in SRC.glob("*.c"))
    if args.only:
        names = [n for n in names if n in args.only]
    build(names)
    cols = columns(args)
    scale = [str(args.scale)]
    rows = []
    for name in names:
        native_t, native_out = measure([str(OUT / "native" / name)] + scale, args.runs, args.timeout)
        if native_t is None:
            sys.exit(f"bench: native {name} failed: {native_out}")
        row = {"name": name, "native": native_t, "cells": []}
        for label, prefix in cols:
            t, out = measure(prefix + [str(OUT / "rv64" / name)] + scale, args.runs, args.timeout)
            if t is None:
                row["cells"].append((f"FAIL ({out})", None))
            elif out != native_out:
                row["cells"].append(("WRONG", None))    # a wrong answer is not a time
            else:
                row["cells"].append((t, t / native_t))
        rows.append(row)
        print(f"bench: {name} done", file=sys.stderr, flush=True)

    header = ["program", "native s"] + [f"{c[0]} s" for c in cols] + [f"{c[0]}/native" for c in cols]
    table = []
    for row in rows:
        table.append([row["name"], fmt_time(row["native"])] +
                     [fmt_time(c[0]) for c in row["cells"]] + [fmt_ratio(c[1]) for c in row["cells"]])
    means = [geomean([row["cells"][i][1] for row in rows]) for i in range(len(cols))]
    table.append(["geomean", ""] + [""] * len(cols) + [fmt_ratio(m) for m in means])

    widths = [max(len(str(r[i])) for r in [header] + table) for i in range(len(header))]
    print(f"CPU benchmark: median of {args.runs} run(s), scale {args.scale}%")
    for r in [header] + table:
        print("  ".join(str(v).ljust(w) for v, w in zip(r, widths)))
    print()
    print("| " + " | ".join(header) + " |")
    print("|" + "|".join("---" if i == 0 else "---:" for i in range(len(header))) + "|")
    for r in table:
        print("| " + " | ".join(str(v) for v in r) + " |")


if __name__ == "__main__":
    main()
