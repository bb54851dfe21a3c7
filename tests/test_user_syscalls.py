"""System-call translation seen from real riscv64 programs under `popek user`.

The programs in tests/guest/syscalls/ are built static and dynamic by
scripts/assets.d/30-syscalls.sh.  Most check themselves and print "ALL OK";
the rest print what they saw (stat fields, pids, the program path, the
window size) and this file compares it with what the host says.
"""
import os
import pathlib
import pty
import select
import struct
import subprocess
import fcntl
import termios

import pytest

from helpers import BUILD, run

OUT = BUILD / "tests" / "syscalls"
LINKS = ["rv64-static", "rv64-dyn"]
TIMEOUT = 180


def program(link, name):
    exe = OUT / link / name
    if not exe.exists():
        pytest.fail(f"{exe} missing: run scripts/build-assets.sh")
    return exe


def no_sanitizer_report(stderr):
    text = stderr.decode(errors="replace")
    for marker in ("ERROR: AddressSanitizer", "runtime error:", "ERROR: LeakSanitizer"):
        assert marker not in text, text[-3000:]


def run_guest(popek, link, name, *args, cwd=None):
    r = run([popek, "user", str(program(link, name)), *map(str, args)], timeout=TIMEOUT, cwd=cwd)
    no_sanitizer_report(r.stderr)
    return r


def assert_all_ok(r):
    out = r.stdout.decode(errors="replace")
    detail = out[-3000:] + "\nstderr: " + r.stderr.decode(errors="replace")[-1500:]
    assert "FAIL" not in out, detail
    assert r.returncode == 0 and out.rstrip().endswith("ALL OK"), detail


@pytest.mark.parametrize("link", LINKS)
def test_file_and_directory_calls(popek, link, tmp_path):
    assert_all_ok(run_guest(popek, link, "files", tmp_path))


@pytest.mark.parametrize("link", LINKS)
def test_pipes_dup_fcntl_poll_epoll(popek, link):
    assert_all_ok(run_guest(popek, link, "fds"))


@pytest.mark.parametrize("link", LINKS)
def test_sockets(popek, link, tmp_path):
    assert_all_ok(run_guest(popek, link, "sockets", tmp_path))


@pytest.mark.parametrize("link", LINKS)
def test_signals_interrupt_blocking_calls(popek, link):
    """ppoll/pselect/epoll_pwait with a temporary mask, SA_RESTART, nanosleep."""
    assert_all_ok(run_guest(popek, link, "sigwait"))


def key_values(stdout):
    kv = {}
    for line in stdout.decode(errors="replace").splitlines():
        if "=" in line and not line.startswith(("ok ", "FAIL")):
            k, v = line.split("=", 1)
            kv[k] = v
    return kv


@pytest.mark.parametrize("link", LINKS)
def test_process_information(popek, link):
    r = run_guest(popek, link, "procinfo")
    assert_all_ok(r)
    kv = key_values(r.stdout)
    assert kv["exe"] == os.path.realpath(program(link, "procinfo"))
    assert kv["machine"] == "riscv64"
    assert kv["sysname"] == "Linux"
    # popek is the guest process: its parent is this test process.
    assert int(kv["ppid"]) == os.getpid()
    assert int(kv["pid"]) > 0 and int(kv["pid"]) != os.getpid()
    assert int(kv["uid"]) == os.getuid() and int(kv["gid"]) == os.getgid()
    assert int(kv["pgid"]) == os.getpgid(0)
    assert int(kv["sid"]) == os.getsid(0)


def parse_stat_lines(stdout):
    """{(call, path): {field: value}} from statinfo's output."""
    result = {}
    for line in stdout.decode().splitlines():
        call, path, *fields = line.split(" ")
        result[(call, path)] = dict(f.split("=", 1) for f in fields if "=" in f)
    return result


def ns(text):
    sec, frac = text.split(".")
    return int(sec) * 10**9 + int(frac)


def expected_stat(st):
    return {
        "dev": st.st_dev, "ino": st.st_ino, "mode": oct(st.st_mode)[2:], "nlink": st.st_nlink,
        "uid": st.st_uid, "gid": st.st_gid, "rdev": st.st_rdev, "size": st.st_size,
        "blksize": st.st_blksize, "blocks": st.st_blocks,
        "atime": st.st_atime_ns, "mtime": st.st_mtime_ns, "ctime": st.st_ctime_ns,
    }


def got_stat(fields):
    out = {}
    for k, v in fields.items():
        if k == "mode":
            out[k] = v
        elif k.endswith("time"):
            out[k] = ns(v)
        else:
            out[k] = int(v)
    return out


@pytest.mark.parametrize("link", LINKS)
def test_stat_fields_match_host(popek, link, tmp_path):
    f = tmp_path / "file"
    f.write_bytes(b"x" * 12345)
    os.utime(f, ns=(1_000_000_001, 1_234_567_890_123_456_789))
    os.link(f, tmp_path / "second-link")
    d = tmp_path / "dir"
    d.mkdir(mode=0o751)
    s = tmp_path / "sym"
    s.symlink_to("file")
    paths = [str(f), str(d), str(s), "/dev/null"]
    r = run_guest(popek, link, "statinfo", *paths)
    assert r.returncode == 0, r.stderr.decode(errors="replace")
    got = parse_stat_lines(r.stdout)
    for p in paths:
        for call, st in (("stat", os.stat(p)), ("lstat", os.lstat(p)),
                         ("fstat", os.lstat(p))):
            assert (call, p) in got, f"no {call} line for {p}: {r.stdout!r}"
            want, have = expected_stat(st), got_stat(got[(call, p)])
            if p == str(s):
                # Following the link (the guest's stat, ours) updates the
                # link's own atime on some mounts; everything else must match.
                want.pop("atime")
                have.pop("atime")
            assert have == want, f"{call} {p}"
        sx = got[("statx", p)]
        lst = os.lstat(p)
        assert int(sx["ino"]) == lst.st_ino and int(sx["mode"], 8) == lst.st_mode
        assert int(sx["nlink"]) == lst.st_nlink and int(sx["size"]) == lst.st_size
        assert ns(sx["mtime"]) == lst.st_mtime_ns
        assert sx["dev"] == f"{os.major(lst.st_dev)}:{os.minor(lst.st_dev)}"
    assert int(got[("stat", str(f))]["nlink"]) == 2
    assert int(got[("stat", "/dev/null")]["rdev"]) == os.stat("/dev/null").st_rdev != 0


def run_on_pty(cmd, rows, cols, timeout=TIMEOUT):
    """Run cmd with stdin/stdout/stderr on a fresh pty of the given size."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    env = dict(os.environ)
    env.setdefault("ASAN_OPTIONS", "detect_leaks=0:exitcode=97")
    proc = subprocess.Popen(cmd, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    out = b""
    try:
        while True:
            ready, _, _ = select.select([master], [], [], timeout)
            if not ready:
                proc.kill()
                break
            try:
                chunk = os.read(master, 4096)
            except OSError:   # EIO: every slave descriptor is closed
                break
            if not chunk:
                break
            out += chunk
    finally:
        os.close(master)
    return proc.wait(timeout=timeout), out


@pytest.mark.parametrize("link", LINKS)
def test_terminal_ioctls_on_a_pty(popek, link):
    rc, out = run_on_pty([popek, "user", str(program(link, "tty"))], rows=33, cols=101)
    text = out.decode(errors="replace")
    assert "runtime error:" not in text and "AddressSanitizer" not in text, text
    assert "winsize=33x101" in text, text
    assert "FAIL" not in text and rc == 0 and "ALL OK" in text, text
