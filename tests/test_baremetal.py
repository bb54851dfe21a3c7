"""Bare-metal privileged-architecture tests: `popek run --bios none --kernel ELF`.

Each ELF (tests/guest/baremetal/, built by scripts/assets.d/30-baremetal.sh
into build/tests/baremetal/) starts in M-mode, runs numbered checks of one
area of the privileged spec and reports through the HTIF `tohost` word:
1 is a pass, (N << 1) | 1 means check N failed, and popek must exit
non-zero naming N.  fail_on_purpose fails check 3 to prove that path.
"""
import re
import subprocess

import pytest

from conftest import BUILD, run

ELF_DIR = BUILD / "tests" / "baremetal"
TIMEOUT = 30
PASSING = [
    "memory_m",       # baseline: loads/stores on fresh pages, stack calls
    "traps_m",        # exceptions in M, mtvec/mepc/mstatus WARL, CSR legality
    "modes_deleg",    # M/S/U, medeleg, TSR/TVM/TW, counter enables
    "interrupts",     # CLINT msip/mtimecmp, priority, mideleg, Sstc
    "paging_sv39",    # translation, faults, A/D, SUM/MXR, sfence.vma, MPRV
    "paging_sv48",
    "misaligned",     # misaligned loads/stores in hardware, AMO traps
    "pmp",            # PMP: NAPOT/TOR, R/W/X, no-match denial, lock bits
]
SANITIZER_EXITS = (97, 98)


def elf(name):
    path = ELF_DIR / f"{name}.elf"
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/build-assets.sh")
    return str(path)


def boot(popek, name, sanitizer_env):
    cmd = [popek, "run", "--bios", "none", "--kernel", elf(name)]
    try:
        r = run(cmd, env=sanitizer_env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{name}: no verdict through tohost within {TIMEOUT} s")
    out = (r.stdout + r.stderr).decode(errors="replace")
    return r.returncode, out


@pytest.mark.parametrize("name", PASSING)
def test_baremetal_passes(popek, sanitizer_env, name):
    rc, out = boot(popek, name, sanitizer_env)
    assert rc == 0, f"{name} exited {rc} (failing check numbers are in the source):\n{out}"


def test_failure_names_the_check(popek, sanitizer_env):
    rc, out = boot(popek, "fail_on_purpose", sanitizer_env)
    assert rc not in SANITIZER_EXITS, out
    assert rc > 0, f"expected a failing exit status, got {rc}:\n{out}"
    lines = [ln for ln in out.splitlines() if re.search(r"\b3\b", ln)]
    assert lines, f"no line names failing test 3:\n{out}"
