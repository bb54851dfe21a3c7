"""The binary translator (`popek user --engine dbt`) on guest programs.

- tests/guest/dbt/smc.c writes code, runs it, rewrites it and runs it again
  after fence.i, __builtin___clear_cache (riscv_flush_icache), mprotect and
  munmap+mmap, then JIT-compiles and calls 1000 functions at one address:
  the translator must always run the code the guest last wrote.
- tests/guest/dbt/spin_signal.c spins in chained translated blocks until a
  timer signal's handler stops it: translated code must notice exit_request.
- POPEK_DBT_DISASM=1 prints each translated block (guest pc, guest
  operations, host instructions from Capstone) on stderr.
- The engine can be chosen by --engine and by POPEK_ENGINE; bad names are
  usage errors.
Each runs against the release and the ASan build.
"""
import pytest

from helpers import BUILD, run

OUT = BUILD / "tests" / "dbt"

SMC_LINES = [
    "rwx first: 42",
    "rwx rewritten, clear_cache: 7",
    "rwx rewritten, fence.i: -5",
    "rw then rx: 100",
    "rewritten under mprotect: 200",
    "before munmap: 11",
    "same address after munmap+mmap: 22",
    "jit 1000 functions: 547504",
    "smc: all ok",
]


def program(name):
    exe = OUT / name
    if not exe.exists():
        pytest.fail(f"{exe} missing: run scripts/build-assets.sh")
    return str(exe)


@pytest.mark.parametrize("engine", ["dbt", "interp"])
def test_self_modifying_code(popek, engine):
    r = run([popek, "user", "--engine", engine, program("smc")], timeout=120)
    out = r.stdout.decode(errors="replace")
    assert r.returncode == 0, out + r.stderr.decode(errors="replace")
    assert out.splitlines() == SMC_LINES


def test_signal_reaches_spinning_translated_code(popek):
    r = run([popek, "user", "--engine", "dbt", program("spin_signal")], timeout=60)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    assert r.stdout == b"signal delivered after spinning (spun)\n"


def test_disassembly_of_translated_blocks(popek):
    r = run([popek, "user", "--engine", "dbt", program("smc")], env={"POPEK_DBT_DISASM": "1"},
            timeout=120)
    err = r.stderr.decode(errors="replace")
    assert r.returncode == 0, err[-2000:]
    assert "dbt: block 0x" in err
    assert "guest 0x" in err and "ECALL" in err
    # host code: the block prologue checks exit_request, ends in jumps
    assert "cmp dword ptr [rbx + " in err and "jmp " in err


def test_engine_from_environment(popek):
    r = run([popek, "user", program("smc")], env={"POPEK_ENGINE": "dbt", "POPEK_DBT_DISASM": "1"},
            timeout=120)
    assert r.returncode == 0
    assert b"dbt: block" in r.stderr
    r = run([popek, "user", program("smc")], env={"POPEK_ENGINE": "interp", "POPEK_DBT_DISASM": "1"},
            timeout=120)
    assert r.returncode == 0
    assert b"dbt: block" not in r.stderr


@pytest.mark.parametrize("args,env", [
    (["--engine", "jit"], {}),
    (["--engine"], {}),
    ([], {"POPEK_ENGINE": "fast"}),
])
def test_bad_engine_is_a_usage_error(popek, args, env):
    r = run([popek, "user", *args, program("smc")], env=env, timeout=30)
    assert r.returncode == 2
    assert r.stdout == b""
    assert b"engine" in r.stderr.lower() and r.stderr.count(b"\n") == 1


def test_engine_survives_exec(popek):
    # busybox sh runs busybox again: a fresh popek, which must keep the
    # engine chosen on the command line (default is dbt, so ask for interp)
    from helpers import BUILD as B
    busybox = B / "riscv64-root" / "busybox-static" / "usr" / "bin" / "busybox"
    if not busybox.exists():
        pytest.fail(f"{busybox} missing: run scripts/build-assets.sh")
    cmd = f"{busybox} printf 'child-%s\\n' ran"
    env = {"POPEK_DBT_DISASM": "1", "POPEK_ENGINE": ""}
    r = run([popek, "user", "--engine", "interp", str(busybox), "sh", "-c", cmd], env=env, timeout=120)
    assert r.returncode == 0 and r.stdout == b"child-ran\n", r.stderr[-2000:]
    assert b"dbt: block" not in r.stderr
    r = run([popek, "user", str(busybox), "sh", "-c", cmd], env=env, timeout=120)
    assert r.returncode == 0 and r.stdout == b"child-ran\n"
    assert b"dbt: block" in r.stderr      # dbt is the default engine


def test_tiny_code_cache_flushes_and_stays_correct(popek):
    # A 256 KiB cache fills up many times over while a dynamically linked
    # program runs: whole-cache flushes with chained blocks in flight must
    # not change what the program computes.
    from helpers import BUILD as B
    exe = B / "tests" / "corpus" / "rv64-dyn" / "strings_sort"
    if not exe.exists():
        pytest.fail(f"{exe} missing: run scripts/build-assets.sh")
    ref = run([popek, "user", "--engine", "interp", str(exe)], timeout=120)
    assert ref.returncode == 0
    r = run([popek, "user", "--engine", "dbt", str(exe)],
            env={"POPEK_DBT_CACHE_KB": "256", "POPEK_DBT_DISASM": "1"}, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout == ref.stdout
    pcs = [line.split()[2] for line in r.stderr.decode(errors="replace").splitlines()
           if line.startswith("dbt: block ")]
    assert len(pcs) - len(set(pcs)) > 100, "the cache never filled up"
    r = run([popek, "user", "--engine", "dbt", program("smc")], env={"POPEK_DBT_CACHE_KB": "256"},
            timeout=120)
    assert r.returncode == 0 and r.stdout.decode().splitlines() == SMC_LINES
