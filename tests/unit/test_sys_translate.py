"""Unit tests of the system-call translation layer (src/user/sys_*.c).

- The guest structure layouts popek assumes (src/user/sys_abi.h) are
  checked at compile time against the riscv64 cross headers, and the
  "same on both ABIs" claims against the host headers.
- tests/unit/sys/sys_harness.c calls the registered handlers directly on a
  fake guest window and checks guest-layout results (struct stat fields
  against the host's stat, epoll_event stride, O_* flags from F_GETFL,
  iovec translation, /proc/self/exe, sysroot lookups, sockets, limits),
  built plainly and with ASan+UBSan.
- tests/unit/sys/sys_fuzz.c throws random hostile registers at every
  handler under ASan+UBSan: popek's side must never crash, and every result
  must be a value or a -errno.
"""
import os
import pathlib
import shutil
import subprocess

import pytest

from helpers import ROOT, run

# The translation files (the process VM's sys_mm/sys_signal/sys_proc/
# sys_exec need the rest of the process VM and are not under test here).
SYS_FILES = ["common", "path", "fs", "fd", "ioctl", "poll", "dir", "stat", "time",
             "misc", "prctl", "ids", "socket", "xattr", "hwprobe", "procfs"]
SYS_SOURCES = [str(ROOT / "src" / "user" / f"sys_{n}.c") for n in SYS_FILES]
CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-g", "-D_GNU_SOURCE",
          "-pthread", f"-I{ROOT / 'src'}"]
ABI_CHECK = ROOT / "tests" / "unit" / "sys" / "abi_rv64_check.c"
HARNESS = ROOT / "tests" / "unit" / "sys" / "sys_harness.c"
FUZZ = ROOT / "tests" / "unit" / "sys" / "sys_fuzz.c"
FAKE_UPROC = ROOT / "tests" / "unit" / "sys" / "fake_uproc.c"
SAN = ["-O1", "-fsanitize=address,undefined", "-fno-sanitize-recover=undefined",
       "-fno-omit-frame-pointer"]


def compile_ok(cmd):
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode == 0, r.stderr.decode(errors="replace")


def test_guest_layouts_match_riscv64_headers():
    assert shutil.which("riscv64-linux-gnu-gcc"), "riscv64-linux-gnu-gcc missing (scripts/deps.sh)"
    compile_ok(["riscv64-linux-gnu-gcc", *CFLAGS, "-fsyntax-only", str(ABI_CHECK)])


def test_pass_through_layouts_match_host_headers():
    compile_ok(["gcc", *CFLAGS, "-DHOST_SIDE", "-fsyntax-only", str(ABI_CHECK)])


def test_layout_check_can_fail():
    # The riscv64 struct stat assertions must reject the x86-64 layout.
    r = subprocess.run(["gcc", *CFLAGS, "-fsyntax-only", str(ABI_CHECK)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode != 0
    assert b"st_mode" in r.stderr or b"stat size" in r.stderr


@pytest.mark.parametrize("flavour", ["plain", "asan"])
def test_handlers(tmp_path, flavour):
    exe = tmp_path / "harness"
    extra = SAN if flavour == "asan" else []
    compile_ok(["gcc", *CFLAGS, *extra, "-o", str(exe), str(HARNESS), str(FAKE_UPROC),
                *SYS_SOURCES])
    guest_exe = tmp_path / "guest-program"
    guest_exe.write_bytes(b"#!guest\n")
    work = tmp_path / "work"
    work.mkdir()
    r = run([str(exe), str(work), str(guest_exe)], env={"ASAN_OPTIONS": "detect_leaks=0:exitcode=97"},
            timeout=60)
    out = r.stdout.decode(errors="replace") + r.stderr.decode(errors="replace")
    assert r.returncode == 0, out
    assert "0 failure(s)" in out


@pytest.mark.parametrize("seed", [1, 0x5eed])
def test_handlers_survive_hostile_arguments(tmp_path, seed):
    exe = tmp_path / "fuzz"
    compile_ok(["gcc", *CFLAGS, *SAN, "-o", str(exe), str(FUZZ), str(FAKE_UPROC), *SYS_SOURCES])
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    logs = tmp_path / "sanitizer-logs"
    logs.mkdir()
    r = run([str(exe), str(scratch), str(seed), "20000"], timeout=300,
            env={"ASAN_OPTIONS": f"detect_leaks=0:exitcode=97:log_path={logs}/asan",
                 "UBSAN_OPTIONS": f"print_stacktrace=1:halt_on_error=1:exitcode=98:log_path={logs}/ubsan"})
    out = r.stdout.decode(errors="replace")
    reports = "".join(p.read_text(errors="replace")[-3000:] for p in logs.iterdir())
    assert r.returncode == 0 and "0 bad result(s)" in out, out + reports
    assert not reports, reports
