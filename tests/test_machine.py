"""The full-system machine boots Debian's own riscv64 kernel (trixie's
linux-image-riscv64 with OpenSBI and a busybox initramfs, built by
scripts/assets.d/10-guest.sh) and gives it working virtual disks.

Every boot pipes a shell script into the guest console: the script runs
once the initramfs shell is up (input typed early is held, never dropped)
and ends with `poweroff -f`, which must make popek exit 0.
"""
import hashlib
import os
import re
import subprocess
import time

import pytest

from conftest import BUILD, run

GUEST = BUILD / "guest"
BOOT_TIMEOUT = 600   # ASan builds boot several times slower


def boot(popek, script, *args, mem=None, timeout=BOOT_TIMEOUT):
    cmd = [popek, "run"]
    if mem:
        cmd += ["--mem", mem]
    cmd += list(args)
    env = {"POPEK_GUEST_DIR": str(GUEST)}
    p = run(cmd, env=env, input=(script + "\npoweroff -f\n").encode(), timeout=timeout)
    out = p.stdout.decode(errors="replace")
    err = p.stderr.decode(errors="replace")
    return p.returncode, out, err


def shell_output(out):
    """What the guest printed after /init's ready marker.  Markers the tests
    look for are computed by the guest shell ($((...))), so the echo of the
    typed command can never satisfy them."""
    assert "POPEK-INIT-READY" in out, out[-3000:]
    return out.split("POPEK-INIT-READY", 1)[1]


def test_boots_to_shell_and_reports_the_machine(popek):
    code, out, err = boot(popek, "uname -m\ngrep MemTotal /proc/meminfo\n"
                                 "grep -m1 isa /proc/cpuinfo\necho DONE-$((6*7))", mem="384M")
    assert code == 0, err
    sh = shell_output(out)
    assert "riscv64" in sh
    assert "DONE-42" in sh
    kib = int(re.search(r"^MemTotal:\s+(\d+) kB", sh, re.M).group(1))
    # The kernel keeps some RAM for itself; the rest must be what we gave it.
    assert 250 * 1024 < kib <= 384 * 1024, kib
    isa = re.search(r"^isa\s*:\s*(\S+)", sh, re.M).group(1)
    assert "rv64imafdc" in isa and "zba" in isa and "sstc" in isa, isa
    assert "Power down" in out
    assert "ERROR" not in err and "Sanitizer" not in err


def make_image(path, size_mib=8):
    with open(path, "wb") as f:
        f.truncate(size_mib << 20)


def test_disk_write_reaches_the_image(popek, tmp_path):
    img = tmp_path / "disk.img"
    make_image(img)
    pattern = "popek-disk-pattern-0123456789"
    script = (f"printf '{pattern}' | dd of=/dev/vda bs=512 seek=7 conv=notrunc,fsync\n"
              "sync\necho WROTE-$((20+1))")
    code, out, err = boot(popek, script, "--disk", str(img))
    assert code == 0, err
    assert "WROTE-21" in shell_output(out)
    data = img.read_bytes()
    assert data[7 * 512:7 * 512 + len(pattern)] == pattern.encode()
    assert data.count(b"\0") == len(data) - len(pattern)


def test_read_only_disk_refuses_writes(popek, tmp_path):
    img = tmp_path / "ro.img"
    make_image(img)
    img.write_bytes(b"KEEP" * 1024 + bytes((8 << 20) - 4096))
    before = hashlib.sha256(img.read_bytes()).hexdigest()
    script = ("cat /sys/block/vda/ro\n"
              "printf 'x' | dd of=/dev/vda bs=512 conv=notrunc,fsync && echo WRITE-$((1+1)) || echo FAILED-$((2+2))\n"
              "dd if=/dev/vda bs=4 count=1 2>/dev/null; echo")
    code, out, err = boot(popek, script, "--disk", f"{img},ro")
    assert code == 0, err
    sh = shell_output(out)
    assert "FAILED-4" in sh and "WRITE-2" not in sh
    assert "KEEP" in sh
    assert hashlib.sha256(img.read_bytes()).hexdigest() == before


def test_ext4_image_made_on_the_host_reads_and_writes(popek, tmp_path):
    src = tmp_path / "tree"
    (src / "sub").mkdir(parents=True)
    files = {"a.txt": b"hello from the host\n",
             "sub/big.bin": os.urandom(300_000),
             "sub/empty": b""}
    for name, data in files.items():
        (src / name).write_bytes(data)
    img = tmp_path / "fs.ext4"
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", "-d", str(src), str(img), "32M"],
                   check=True)
    script = ("mount -t ext4 /dev/vda /mnt && echo MOUNTED-$((3*3))\n"
              "cd /mnt && md5sum a.txt sub/big.bin sub/empty\n"
              "echo guest-wrote-this > /mnt/from-guest.txt\n"
              "cd / && umount /mnt && echo UNMOUNTED-$((4*4))")
    code, out, err = boot(popek, script, "--disk", str(img))
    assert code == 0, err
    sh = shell_output(out)
    assert "MOUNTED-9" in sh and "UNMOUNTED-16" in sh
    for name, data in files.items():
        assert f"{hashlib.md5(data).hexdigest()}  {name}" in sh, name
    dump = subprocess.run(["debugfs", "-R", "cat /from-guest.txt", str(img)],
                          stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, check=True)
    assert dump.stdout == b"guest-wrote-this\n"
    fsck = subprocess.run(["e2fsck", "-fn", str(img)], stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT)
    assert fsck.returncode == 0, fsck.stdout.decode()


def one_line_error(p):
    err = p.stderr.decode().strip().splitlines()
    assert p.returncode not in (0, 97, 98), p.returncode
    assert len(err) == 1 and err[0].startswith("popek:"), err
    return err[0]


def test_a_file_that_is_not_a_kernel(popek, tmp_path):
    bogus = tmp_path / "notakernel"
    bogus.write_bytes(b"\x7fELF" + bytes(4000))
    p = run([popek, "run", "--kernel", str(bogus), "--console", "none"],
            env={"POPEK_GUEST_DIR": str(GUEST)}, timeout=60)
    assert "not a RISC-V" in one_line_error(p) or "kernel" in one_line_error(p)


def test_mem_zero_and_huge(popek):
    for size in ("0", "100T"):
        p = run([popek, "run", "--mem", size], env={"POPEK_GUEST_DIR": str(GUEST)}, timeout=60)
        one_line_error(p)


def test_missing_disk_image(popek, tmp_path):
    p = run([popek, "run", "--disk", str(tmp_path / "nope.img")],
            env={"POPEK_GUEST_DIR": str(GUEST)}, timeout=60)
    assert "nope.img" in one_line_error(p)


def holds_open(pid, path):
    try:
        fds = os.listdir(f"/proc/{pid}/fd")
    except FileNotFoundError:
        return False
    for fd in fds:
        try:
            if os.readlink(f"/proc/{pid}/fd/{fd}") == str(path):
                return True
        except OSError:
            pass
    return False


def test_locked_disk_is_refused_and_untouched(popek, tmp_path):
    img = tmp_path / "shared.img"
    make_image(img, 4)
    first = subprocess.Popen([popek, "run", "--disk", str(img), "--console", "none"],
                             env=dict(os.environ, POPEK_GUEST_DIR=str(GUEST)),
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        # Start the second VM only once the first holds the image open.
        deadline = time.time() + 30
        while time.time() < deadline and not holds_open(first.pid, img):
            time.sleep(0.1)
        assert holds_open(first.pid, img), "the first VM never opened its disk"
        p = run([popek, "run", "--disk", str(img), "--console", "none"],
                env={"POPEK_GUEST_DIR": str(GUEST)}, timeout=60)
        line = one_line_error(p)
        assert "in use" in line or "lock" in line, line
        assert first.poll() is None, "the first VM must keep running"
    finally:
        first.kill()
        first.wait()
    assert img.read_bytes() == bytes(4 << 20)
