"""User-mode conformance corpus: each C program in tests/guest/corpus/ is
built natively and for riscv64 (static and dynamic) by
scripts/assets.d/20-corpus.sh.  The native run is the reference: the riscv64
build under `popek user` must print byte-identical stdout and exit with the
same status, with no sanitizer report.  exit_status.c is run in several
modes to compare exit codes and terminating signals, and with a very large
argv and environment.
"""
import difflib
import functools
import tempfile

import pytest

from helpers import ROOT, BUILD, run

SRC = ROOT / "tests" / "guest" / "corpus"
OUT = BUILD / "tests" / "corpus"
PROGRAMS = sorted(p.stem for p in SRC.glob("*.c"))
# Programs that want a scratch directory as argv[1].
NEEDS_SCRATCH = {"file_io", "mmap_mem", "fs_meta"}
TIMEOUT = 300


def sanitizer_report(stderr):
    text = stderr.decode(errors="replace")
    for marker in ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer"):
        if marker in text:
            return text
    return None


# Fixed arguments and environment for some programs.
EXTRA_ARGS = {"proc_env": ["one", "two words", "", "-x"]}
ENV = {"POPEK_CORPUS_VAR": "value with spaces=and=equals"}


def program_args(name, scratch):
    """Arguments for a program; `scratch` is an empty directory it may use."""
    if name in NEEDS_SCRATCH:
        return [str(scratch)]
    return EXTRA_ARGS.get(name, [])


@functools.lru_cache(maxsize=None)
def native_result(name):
    exe = OUT / "native" / name
    if not exe.exists():
        pytest.fail(f"{exe} missing: run scripts/build-assets.sh")
    with tempfile.TemporaryDirectory(prefix=f"popek-native-{name}-") as scratch:
        r = run([str(exe)] + program_args(name, scratch), env=ENV, timeout=TIMEOUT)
    return r.returncode, r.stdout


def describe_difference(want, got):
    diff = difflib.unified_diff(want.decode(errors="replace").splitlines(),
                                got.decode(errors="replace").splitlines(),
                                "native", "popek", lineterm="", n=1)
    lines = list(diff)
    return "\n".join(lines[:40]) + ("\n..." if len(lines) > 40 else "")


# exit_status runs in several modes in its own test below.
PLAIN = [p for p in PROGRAMS if p != "exit_status"]


@pytest.mark.parametrize("link", ["rv64-static", "rv64-dyn"])
@pytest.mark.parametrize("name", PLAIN)
def test_corpus_matches_native(popek, name, link, tmp_path):
    exe = OUT / link / name
    if not exe.exists():
        pytest.fail(f"{exe} missing: run scripts/build-assets.sh")
    want_rc, want_out = native_result(name)
    assert want_rc == 0, f"native {name} itself failed ({want_rc})"
    r = run([popek, "user", str(exe)] + program_args(name, tmp_path), env=ENV, timeout=TIMEOUT)
    report = sanitizer_report(r.stderr)
    assert report is None, f"sanitizer report running {name}:\n{report[-3000:]}"
    assert r.stdout == want_out, (
        f"{link}/{name}: output differs (popek rc={r.returncode}, stderr="
        f"{r.stderr.decode(errors='replace')[-500:]!r})\n"
        + describe_difference(want_out, r.stdout))
    assert r.returncode == want_rc, (
        f"{link}/{name}: exit {r.returncode}, native {want_rc}; stderr="
        f"{r.stderr.decode(errors='replace')[-500:]!r}")


def test_corpus_is_built():
    """The asset step builds every corpus program all three ways."""
    missing = [f"{kind}/{name}" for name in PROGRAMS
               for kind in ("native", "rv64-static", "rv64-dyn")
               if not (OUT / kind / name).exists()]
    assert PROGRAMS and not missing, f"missing corpus builds: {missing}"


EXIT_MODES = [["exit", "0"], ["exit", "42"], ["exit", "256"], ["_exit", "3"], ["return", "7"],
              ["abort"], ["segv"], ["ill"], ["kill", "15"], ["kill", "9"], ["kill", "10"],
              ["thread-exit", "5"], ["main-exit", "6"]]


@pytest.mark.parametrize("link", ["rv64-static", "rv64-dyn"])
@pytest.mark.parametrize("mode", EXIT_MODES, ids=["-".join(m) for m in EXIT_MODES])
def test_exit_status_matches_native(popek, mode, link):
    """Exit codes and terminating signals must reach popek's own parent:
    a guest killed by SIGSEGV makes popek end by SIGSEGV (no core dump
    message from popek itself), and buffered output follows C semantics."""
    native = run([str(OUT / "native" / "exit_status")] + mode, timeout=60)
    r = run([popek, "user", str(OUT / link / "exit_status")] + mode, timeout=60)
    report = sanitizer_report(r.stderr)
    assert report is None, f"sanitizer report:\n{report[-3000:]}"
    assert (r.returncode, r.stdout) == (native.returncode, native.stdout), (
        f"{mode}: popek rc={r.returncode} stdout={r.stdout!r} stderr="
        f"{r.stderr.decode(errors='replace')[-500:]!r}; native rc={native.returncode} "
        f"stdout={native.stdout!r}")


@pytest.mark.parametrize("link", ["rv64-static", "rv64-dyn"])
def test_large_argv_and_env(popek, link):
    """Many arguments, a 100 KiB argument and a 64 KiB environment string
    all arrive intact on the guest's initial stack."""
    args = [f"arg{i}-" + "x" * (i % 50) for i in range(3000)] + ["y" * 100000, "", "last"]
    env = {"POPEK_BIG_ENV": "e" * 65536}
    native = run([str(OUT / "native" / "exit_status"), "many-args"] + args, env=env, timeout=60)
    r = run([popek, "user", str(OUT / link / "exit_status"), "many-args"] + args, env=env,
            timeout=60)
    assert native.returncode == 0
    assert (r.returncode, r.stdout) == (0, native.stdout), r.stderr.decode(errors="replace")[-500:]
