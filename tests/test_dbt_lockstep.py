"""Differential test: the binary translator against the interpreter.

tests/unit/dbt/lockstep.c generates seeded random RV64 programs (integer,
M, Zba/Zbb/Zbs, loads/stores, branches and jumps, some F/D, A, Zicsr and
fence.i, and faulting accesses), runs them block by block on the translator
while the interpreter steps the same instructions, and compares registers,
pc, fflags, exit codes and memory after every block; then runs them again
with chaining on and compares at every exit.  Built plainly and with
ASan+UBSan.  A mutation test proves a wrong translation is caught.
"""
import re
import shutil
import subprocess

import pytest

from helpers import ROOT, run

UNIT = ROOT / "tests" / "unit" / "dbt"
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-g", "-D_GNU_SOURCE", "-pthread",
          "-I/usr/include/capstone"]
SAN = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-fno-omit-frame-pointer"]
CORE = ["decode.c", "decode_alu.c", "decode_fp.c", "decode_rvc.c", "code_cache.c", "csr_user.c",
        "interp_user.c", "cpu.c"]


def build(exe, src_root, extra):
    rv64 = src_root / "rv64"
    srcs = [str(rv64 / c) for c in CORE] + sorted(str(p) for p in rv64.glob("fpu*.c")) \
        + sorted(str(p) for p in (rv64 / "dbt").glob("*.c"))
    cmd = ["gcc", *CFLAGS, *extra, f"-I{src_root}", f"-I{ROOT / 'src'}", "-o", str(exe),
           str(UNIT / "lockstep.c"), *srcs, "-lcapstone", "-lm"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode == 0, r.stderr.decode(errors="replace")


FLAVOURS = {
    "release": (["-O2"], [("1", "1500", "300"), ("77", "300", "900")]),
    "asan": (["-O1", *SAN], [("5", "300", "300")]),
}


@pytest.mark.parametrize("flavour", sorted(FLAVOURS))
def test_translator_agrees_with_interpreter(tmp_path, flavour):
    extra, runs = FLAVOURS[flavour]
    exe = tmp_path / "lockstep"
    build(exe, ROOT / "src", extra)
    for args in runs:
        r = run([str(exe), *args], timeout=600)
        out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
        assert r.returncode == 0, out[-6000:]
        m = re.search(r"(\d+) blocks, (\d+) instructions, (\d+) faults: engines agree", out)
        assert m, out[-2000:]
        blocks, insns, faults = map(int, m.groups())
        assert blocks >= 10000 and insns >= 50000 and faults >= 100, out


def test_lockstep_catches_wrong_translation(tmp_path):
    # sraiw translated as a logical shift: the harness must report it.
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "rv64", src / "rv64", ignore=shutil.ignore_patterns("*.o", "*.d"))
    tr = src / "rv64" / "dbt" / "dbt_translate.c"
    text = tr.read_text()
    needle = "case RV_OP_SRAIW: tr_shift_ri(t, i, X86_SAR, false);"
    assert needle in text
    tr.write_text(text.replace(needle, "case RV_OP_SRAIW: tr_shift_ri(t, i, X86_SHR, false);", 1))
    exe = tmp_path / "lockstep"
    build(exe, src, ["-O1"])
    r = run([str(exe), "1", "200", "300"], timeout=300)
    out = r.stdout.decode(errors="replace")
    assert r.returncode == 1, out[-2000:]
    assert "DIVERGENCE" in out and "SRAIW" in out, out[-2000:]
