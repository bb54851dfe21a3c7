"""Unit test of the binary translator's x86-64 emitter (src/rv64/dbt/emit_x86.c).

tests/unit/dbt/test_emitter.c emits every instruction form the translator
uses, with the operands that need special encodings, and decodes each back
with Capstone: the disassembly must be exactly the intended instruction.
It is built plainly and with ASan+UBSan and must exit 0.  A mutation test
proves the check notices a broken encoding (r12 as a base without its SIB
byte).
"""
import shutil
import subprocess

import pytest

from helpers import ROOT, run

UNIT = ROOT / "tests" / "unit" / "dbt"
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-g", "-D_GNU_SOURCE",
          "-I/usr/include/capstone"]
SAN = ["-fsanitize=address,undefined", "-fno-sanitize-recover=undefined", "-fno-omit-frame-pointer"]


def build(exe, src_root, extra):
    cmd = ["gcc", *CFLAGS, *extra, f"-I{src_root}", "-o", str(exe),
           str(UNIT / "test_emitter.c"), str(src_root / "rv64" / "dbt" / "emit_x86.c"), "-lcapstone"]
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode == 0, r.stderr.decode(errors="replace")


@pytest.mark.parametrize("flavour", ["release", "asan"])
def test_emitter_encodings_decode_back(tmp_path, flavour):
    exe = tmp_path / "test_emitter"
    build(exe, ROOT / "src", ["-O2"] if flavour == "release" else ["-O1", *SAN])
    r = run([str(exe)], timeout=60)
    out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    assert r.returncode == 0, out
    assert "0 failures" in out


def test_emitter_check_catches_missing_sib(tmp_path):
    src = tmp_path / "src"
    shutil.copytree(ROOT / "src" / "rv64" / "dbt", src / "rv64" / "dbt",
                    ignore=shutil.ignore_patterns("*.o", "*.d"))
    emitter = src / "rv64" / "dbt" / "emit_x86.c"
    text = emitter.read_text()
    needle = "(m.base & 7) == X86_RSP;"
    assert needle in text
    emitter.write_text(text.replace(needle, "false;", 1))
    exe = tmp_path / "test_emitter"
    build(exe, src, ["-O1"])
    r = run([str(exe)], timeout=60)
    out = r.stdout.decode(errors="replace")
    assert r.returncode == 1, out
    assert "r12" in out
