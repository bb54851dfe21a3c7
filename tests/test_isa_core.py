"""Execution-core ISA tests, independent of the process VM.

Every bare guest program in tests/guest/core/ and tests/guest/asm/ (built by
scripts/assets.d/30-core.sh) runs under tests/unit/core_harness.c, which
links only the core: once through rv_run_user() (decoded blocks, chaining)
and once one rv_step_user() at a time, so the block engine and the
single-step path must both get every check right.  Each program exits 0 on
success or with the number of the failing check.
"""
import pathlib
import re

import pytest

from conftest import BUILD, run, selected_builds

CORE = BUILD / "tests" / "core"
ROOT = pathlib.Path(__file__).resolve().parent.parent
PROGRAMS = sorted(
    [f"core-{p.stem}" for p in (ROOT / "tests/guest/core").glob("*.S") if p.stem != "spin"]
    + [f"asm-{p.stem}" for p in (ROOT / "tests/guest/asm").glob("*.S")]
)


@pytest.fixture(params=selected_builds())
def harness(request):
    path = CORE / f"harness-{request.param}"
    if not path.exists():
        pytest.fail(f"{path} is not built: run scripts/build-assets.sh")
    return str(path)


def program(name):
    path = CORE / f"{name}.elf"
    if not path.exists():
        pytest.fail(f"{path} is not built: run scripts/build-assets.sh")
    return str(path)


@pytest.mark.parametrize("mode", ["block", "step"])
@pytest.mark.parametrize("name", PROGRAMS)
def test_program_passes(harness, name, mode):
    args = [harness] + (["--step"] if mode == "step" else []) + [program(name)]
    r = run(args, timeout=60)
    assert r.returncode == 0, (r.stdout + r.stderr).decode(errors="replace")


@pytest.mark.parametrize("name", ["core-corners", "core-traps"])
def test_block_and_step_agree_on_final_state(harness, name):
    # The same program must leave identical registers and retired-instruction
    # counts whichever way it was executed, traps in mid-block included.
    # (Faults raised by the host MMU unwind without the block's count, so
    # instret is only approximate for programs that take them: traps.S.)
    outs = []
    for extra in ([], ["--step"]):
        r = run([harness, "--regs"] + extra + [program(name)], timeout=60)
        assert r.returncode == 0, r.stderr.decode(errors="replace")
        out = r.stdout.decode()
        if name == "core-traps":
            out = re.sub(r"instret=\d+", "", out)
        outs.append(out)
    assert outs[0] == outs[1]


def test_exit_request_stops_a_hot_loop(harness):
    # spin.S never leaves one self-chained block; only exit_request, checked
    # at block transitions, can stop it.
    r = run([harness, "--interrupt", program("core-spin")], timeout=20)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    assert b"INTERRUPTED" in r.stdout
