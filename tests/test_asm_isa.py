"""Assembler ISA tests: each program in tests/guest/asm/ (built by
scripts/assets.d/21-asm.sh) runs a sequence of checks under `popek user`
and exits 0 when all pass, or with the number of the first failing check
after printing "check failed at line L" to stderr.  sigill.c prints one
line per illegal-encoding case and exits with the number of failures.
"""
import pytest

from helpers import ROOT, BUILD, run

SRC = ROOT / "tests" / "guest" / "asm"
OUT = BUILD / "tests" / "asm"
PROGRAMS = sorted([p.stem for p in SRC.glob("*.S")] + [p.stem for p in SRC.glob("*.c")])


def sanitizer_report(stderr):
    text = stderr.decode(errors="replace")
    for marker in ("ERROR: AddressSanitizer", "runtime error:"):
        if marker in text:
            return text
    return None


@pytest.mark.parametrize("name", PROGRAMS)
def test_asm_isa(popek, name):
    exe = OUT / name
    if not exe.exists():
        pytest.fail(f"{exe} missing: run scripts/build-assets.sh")
    r = run([popek, "user", str(exe)], timeout=120)
    report = sanitizer_report(r.stderr)
    assert report is None, f"sanitizer report running {name}:\n{report[-3000:]}"
    out = r.stdout.decode(errors="replace")
    err = r.stderr.decode(errors="replace")
    failures = [line for line in out.splitlines() if "FAIL" in line]
    assert r.returncode == 0, (
        f"{name}: exit {r.returncode} (see tests/guest/asm/{name}.*)\n"
        f"stderr: {err[-1000:]}\n" + "\n".join(failures))
