"""Unit test of the RISC-V F/D implementation (src/rv64/fpu*.c).

tests/unit/test_fpu.c checks a hand-verified corner-case table and then
compares every operation, in all five rounding modes, result bits and
fflags, against an independent exact reference (tests/unit/test_fpu_ref.c)
on biased random inputs, plus host MXCSR preservation from several threads.
It is compiled here with gcc, plainly and with ASan+UBSan, and must exit 0.
A mutation test proves the harness notices a wrong rounding rule.
"""
import shutil
import subprocess

import pytest

from helpers import ROOT, run

UNIT = ROOT / "tests" / "unit"
TEST_SOURCES = sorted(str(p) for p in UNIT.glob("test_fpu*.c"))
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-g", "-D_GNU_SOURCE", "-pthread"]
SAN = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
       "-fno-omit-frame-pointer"]
FLAVOURS = {
    "release": (["-O2"], 4000),
    "asan": (["-O1", *SAN], 1500),
}


def fpu_sources(src_root):
    return sorted(str(p) for p in (src_root / "rv64").glob("fpu*.c"))


def build(exe, src_root, extra):
    # src_root first, the real tree second for headers a mutant copy lacks
    cmd = ["gcc", *CFLAGS, *extra, f"-I{src_root}", f"-I{ROOT / 'src'}", f"-I{UNIT}", "-o", str(exe),
           *TEST_SOURCES, *fpu_sources(src_root), "-lm"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode == 0, r.stderr.decode(errors="replace")


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
def test_fpu_matches_reference(tmp_path, flavour):
    extra, cases = FLAVOURS[flavour]
    exe = tmp_path / "test_fpu"
    build(exe, ROOT / "src", extra)
    r = run([str(exe), str(cases)], timeout=600)
    out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    assert r.returncode == 0, out
    assert "all checks passed" in out


def test_fpu_harness_catches_wrong_rmm(tmp_path):
    # Make RMM round like RNE (ties to even) in a copy of the sources: the
    # corner table and the random comparison must both reject it.
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "rv64", src / "rv64",
                    ignore=shutil.ignore_patterns("*.o", "*.d"))
    internal = src / "rv64" / "fpu_internal.h"
    text = internal.read_text()
    needle = "case RV_RM_RMM: return half;"
    assert needle in text
    internal.write_text(text.replace(needle, "case RV_RM_RMM: return half && (sticky || lsb);"))
    exe = tmp_path / "test_fpu_mutant"
    build(exe, src, ["-O2"])
    r = run([str(exe), "300"], timeout=300)
    err = r.stderr.decode(errors="replace")
    assert r.returncode == 1, err
    assert "MISMATCH" in err and "rm=4" in err
