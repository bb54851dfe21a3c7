#!/usr/bin/env python3
"""Execution-core speed: CPU-bound kernels (tests/guest/core/bench/kernels.c)
natively, under the core alone (core_harness), under `popek user` when it
exists, and under qemu-riscv64 for reference.  Prints best-of-N wall times
and the slowdown versus native, with the geometric mean.

Usage: bench/core_kernels.py [--reps N] [--harness PATH] [KERNEL...]
"""
import argparse
import math
import os
import pathlib
import shutil
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
SRC = ROOT / "tests/guest/core/bench/kernels.c"
OUT = ROOT / "build/bench/core"
KERNELS = ["sieve", "matmul", "crc", "hash", "fib", "sort"]


def build(kernel):
    OUT.mkdir(parents=True, exist_ok=True)
    rv, nat = OUT / f"{kernel}.rv", OUT / f"{kernel}.native"
    for out, cmd in (
        (rv, ["riscv64-linux-gnu-gcc", "-O2", "-static", "-nostdlib", "-ffreestanding",
              "-fno-builtin", f"-DKERNEL={kernel}", "-o", str(rv), str(SRC), "-lgcc"]),
        (nat, ["gcc", "-O2", f"-DKERNEL={kernel}", "-o", str(nat), str(SRC)]),
    ):
        if not out.exists() or out.stat().st_mtime < SRC.stat().st_mtime:
            subprocess.run(cmd, check=True)
    return rv, nat


def best_time(cmd, reps):
    best, out = math.inf, None
    for _ in range(reps):
        t = time.perf_counter()
        r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        best = min(best, time.perf_counter() - t)
        out = r.stdout if r.returncode == 0 else b"FAILED"
    return best, out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--harness", default=str(ROOT / "build/tests/core/harness-release"))
    ap.add_argument("kernels", nargs="*", default=KERNELS)
    args = ap.parse_args()
    engines = [("core", [args.harness])]
    if os.path.exists(ROOT / "build/popek"):
        engines.append(("popek", [str(ROOT / "build/popek"), "user"]))
    if shutil.which("qemu-riscv64"):
        engines.append(("qemu", ["qemu-riscv64"]))
    ratios = {name: [] for name, _ in engines}
    print(f"{'kernel':8} {'native':>8} " + " ".join(f"{n:>15}" for n, _ in engines))
    for k in args.kernels:
        rv, nat = build(k)
        tn, ref = best_time([str(nat)], args.reps)
        cols = []
        for name, cmd in engines:
            t, out = best_time(cmd + [str(rv)], args.reps)
            ok = "" if out == ref else "!"
            ratios[name].append(t / tn)
            cols.append(f"{t:6.3f}s {t / tn:5.1f}x{ok:1}")
        print(f"{k:8} {tn:7.3f}s " + " ".join(f"{c:>15}" for c in cols))
    print(f"{'geomean':8} {'':8} " + " ".join(
        f"{math.exp(sum(map(math.log, r)) / len(r)):14.1f}x" for r in ratios.values()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
