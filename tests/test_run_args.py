"""`popek run` argument parsing and validation (src/cli/run_args.c).

Most cases run tests/unit/run_args_check.c, a driver that is the front of
`popek run` without the machine (same messages and exit codes: 2 for bad
usage, 1 for a file that cannot be used), built release and ASan+UBSan by
scripts/assets.d/11-boot-checks.sh.  TestPopekRunCLI runs the real binary.
Every error must be exactly one line on stderr starting with "popek:".
"""
import os
import pathlib

import pytest

from conftest import BUILD, run, selected_builds

DRIVERS = {"release": BUILD / "tests/unit", "asan": BUILD / "tests/unit/asan"}
MiB = 1 << 20


@pytest.fixture(params=selected_builds())
def check(request):
    path = DRIVERS[request.param] / "run_args_check"
    if not path.exists():
        pytest.fail(f"{path} is not built: run scripts/build-assets.sh")
    return str(path)


@pytest.fixture
def guest(tmp_path):
    """A fake popek install: bin/ next to a guest/ asset directory."""
    (tmp_path / "bin").mkdir()
    g = tmp_path / "bin" / "guest"
    g.mkdir()
    for f in ("Image", "initramfs.cpio.gz", "fw_dynamic.bin"):
        (g / f).write_bytes(b"x")
    return tmp_path


def parsed(check, args, bindir, env=None):
    r = run([check, "--bindir", str(bindir)] + args, env=env)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stderr == b""
    return dict(line.split("=", 1) for line in r.stdout.decode().splitlines())


def one_line_error(r, code, *needles):
    err = r.stderr.decode()
    assert r.returncode == code, (r.returncode, err)
    assert err.startswith("popek: ") and err.count("\n") == 1, err
    for n in needles:
        assert n in err, err
    return err


def test_defaults_come_from_the_guest_dir_next_to_the_binary(check, guest):
    a = parsed(check, [], guest / "bin")
    g = guest / "bin" / "guest"
    assert a["kernel"] == f"{g}/Image"
    assert a["initrd"] == f"{g}/initramfs.cpio.gz"
    assert a["bios"] == f"{g}/fw_dynamic.bin"
    assert (a["boot.kernel"], a["boot.initrd"], a["boot.firmware"]) == \
        (a["kernel"], a["initrd"], a["bios"])
    assert a["mem"] == str(256 * MiB)
    assert a["append"] == "console=ttyS0"
    assert (a["cpus"], a["console"], a["engine"], a["ndisks"]) == ("1", "stdio", "interp", "0")


def test_asan_layout_finds_the_guest_dir_one_level_up(check, guest):
    asan = guest / "bin" / "asan"
    asan.mkdir()
    a = parsed(check, [], asan)
    assert a["kernel"] == f"{asan}/../guest/Image"


def test_popek_guest_dir_overrides(check, guest, tmp_path):
    a = parsed(check, [], tmp_path / "nowhere", env={"POPEK_GUEST_DIR": str(guest / "bin" / "guest")})
    assert a["kernel"] == f"{guest}/bin/guest/Image"


def test_explicit_kernel_drops_the_default_initrd_but_keeps_the_firmware(check, guest):
    k = guest / "k"
    k.write_bytes(b"k")
    a = parsed(check, ["--kernel", str(k)], guest / "bin")
    assert a["kernel"] == str(k) and a["initrd"] == ""
    assert a["bios"] == f"{guest}/bin/guest/fw_dynamic.bin"


def test_none_values_and_equals_form(check, guest):
    a = parsed(check, ["--bios=none", "--initrd", "none", "--append=quiet console=ttyS0",
                       "--cpus=8", "--engine", "dbt", "--console", "none"], guest / "bin")
    assert a["bios"] == "" and a["initrd"] == ""
    assert a["boot.firmware"] == "(none)" and a["boot.initrd"] == "(none)"
    assert a["append"] == "quiet console=ttyS0"
    assert (a["cpus"], a["engine"], a["console"]) == ("8", "dbt", "none")


@pytest.mark.parametrize("text,value", [
    ("256M", 256 * MiB), ("1G", 1024 * MiB), ("512", 512 * MiB), ("65536K", 64 * MiB),
    ("1GiB", 1024 * MiB), ("2048MB", 2048 * MiB), ("16m", 16 * MiB),
])
def test_memory_sizes(check, guest, text, value):
    assert parsed(check, ["--mem", text], guest / "bin")["mem"] == str(value)


@pytest.mark.parametrize("text", ["0", "garbage", "15M", "1.5G", "-1G", "", "12Q", "4097K",
                                  "99999999T", "18446744073709551616", "1Gx"])
def test_bad_memory_sizes_are_usage_errors(check, guest, text):
    one_line_error(run([check, "--bindir", str(guest / "bin"), "--mem", text]), 2, "--mem")


def test_memory_beyond_host_ram_is_refused(check, guest):
    err = one_line_error(run([check, "--bindir", str(guest / "bin"), "--mem", "64T"]), 2)
    assert "host" in err


@pytest.mark.parametrize("args,needle", [
    (["--cpus", "0"], "--cpus"), (["--cpus", "9"], "--cpus"), (["--cpus", "two"], "--cpus"),
    (["--cpus", "1x"], "--cpus"), (["--engine", "jit"], "--engine"),
    (["--console", "tty"], "--console"), (["--frobnicate"], "unknown option '--frobnicate'"),
    (["--frob=1"], "unknown option '--frob'"), (["Image"], "unexpected argument 'Image'"),
    (["--kernel"], "--kernel needs a value"), (["--mem"], "--mem needs a value"),
    (["--kernel="], "--kernel needs a file name"), (["--disk", ",ro"], "--disk needs a file name"),
])
def test_usage_errors(check, guest, args, needle):
    one_line_error(run([check, "--bindir", str(guest / "bin")] + args), 2, needle)


def test_missing_default_guest_names_the_file_and_the_fix(check, tmp_path):
    r = run([check, "--bindir", str(tmp_path)])
    one_line_error(r, 1, f"cannot open kernel '{tmp_path}/guest/Image': No such file or directory",
                   "make assets")


@pytest.mark.parametrize("opt,what", [("--kernel", "kernel"), ("--initrd", "initrd"),
                                      ("--bios", "firmware"), ("--disk", "disk")])
def test_missing_files_are_one_line_errors(check, guest, opt, what):
    missing = str(guest / "no-such-file")
    r = run([check, "--bindir", str(guest / "bin"), opt, missing])
    one_line_error(r, 1, f"cannot open {what} '{missing}': No such file or directory")


def test_a_directory_is_not_a_disk(check, guest):
    r = run([check, "--bindir", str(guest / "bin"), "--disk", f"{guest},ro"])
    one_line_error(r, 1, "is not a regular file")


def test_disks_read_write_and_read_only(check, guest):
    d0, d1 = guest / "d0.img", guest / "d,1.img"
    d0.write_bytes(bytes(4096))
    d1.write_bytes(bytes(4096))
    a = parsed(check, ["--disk", f"{d0},ro", "--disk", str(d1)], guest / "bin")
    assert a["ndisks"] == "2"
    assert a["disk0"] == f"{d0},ro" and a["disk1"] == str(d1)


def test_at_most_eight_disks(check, guest):
    d = guest / "d.img"
    d.write_bytes(bytes(512))
    args = []
    for _ in range(9):
        args += ["--disk", f"{d},ro"]
    one_line_error(run([check, "--bindir", str(guest / "bin")] + args), 2, "at most 8 disks")


def test_help_goes_to_stdout_and_succeeds(check, guest):
    r = run([check, "--bindir", str(guest / "bin"), "--mem", "1G", "--help"])
    assert r.returncode == 0 and r.stderr == b""
    out = r.stdout.decode()
    for opt in ("--kernel", "--initrd", "--append", "--mem", "--disk", "--bios", "--console",
                "--cpus", "--engine"):
        assert opt in out


class TestPopekRunCLI:
    """The same parser behind the real `popek run` (src/cli/run.c)."""

    def test_bad_memory(self, popek):
        one_line_error(run([popek, "run", "--mem", "garbage"]), 2, "--mem")

    def test_unknown_option(self, popek):
        one_line_error(run([popek, "run", "--frobnicate"]), 2, "unknown option")

    def test_missing_kernel(self, popek, tmp_path):
        missing = str(tmp_path / "vmlinux")
        one_line_error(run([popek, "run", "--kernel", missing]), 1,
                       f"cannot open kernel '{missing}': No such file or directory")

    def test_help(self, popek):
        r = run([popek, "run", "--help"])
        assert r.returncode == 0 and b"--kernel" in r.stdout


def fake_popek(tmp_path, run_works):
    """A stand-in popek that logs its arguments; `run --help` works or not."""
    log = tmp_path / "calls"
    fake = tmp_path / "popek"
    fake.write_text("#!/bin/sh\n"
                    f"echo \"$*\" >> {log}\n"
                    f"[ \"$1\" = run ] && [ \"$2\" = --help ] && exit {0 if run_works else 1}\n"
                    "exit 0\n")
    fake.chmod(0o755)
    return fake, log


@pytest.mark.parametrize("run_works", [True, False])
def test_make_run_prefers_the_machine(tmp_path, run_works):
    from conftest import ROOT
    fake, log = fake_popek(tmp_path, run_works)
    r = run([str(ROOT / "scripts/run-default.sh"), "--mem", "1G"], env={"POPEK": str(fake)})
    assert r.returncode == 0, r.stderr.decode()
    calls = log.read_text().splitlines()
    if run_works:
        assert calls == ["run --help", "run --mem 1G"]
    else:
        assert calls[0] == "run --help" and calls[1].startswith("user ")
        assert calls[1].endswith("busybox sh")
        assert r.stderr.decode().count("\n") == 1 and "not available yet" in r.stderr.decode()
