"""Snapshots of the full-system machine (docs/api.md, "Snapshot"):
PUT /snapshot/create on a paused VM writes a state file and a sparse,
zstd-compressed memory file; `popek run --restore` and PUT /snapshot/load
rebuild the machine in a new process and resume the guest exactly where
it was.

One boot is shared by every check: a guest shell loop prints a counter
every 0.5 s and a file is written to an ext4 virtio disk and synced; the
VM is paused, snapshotted and killed.  Restored (twice: from the command
line, then through the API), the counter goes on from where it stopped,
the file reads back and the shell answers new commands.  Damaged state
and memory files are refused with one line and no machine.
"""
import re
import shutil
import subprocess
import threading
import time

from conftest import run
from test_api import GUEST, VMM, api, assert_fault

BOOT_TIMEOUT = 600     # ASan builds boot several times slower
RAM = 192 << 20


def ticks(text):
    return [int(n) for n in re.findall(r"TICK-(\d+)", text)]


class Restored:
    """`popek run --restore` with the console on pipes (no API)."""

    def __init__(self, popek, env, *args):
        self.proc = subprocess.Popen([popek, "run", *args], env=env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = bytearray()
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                return
            self.out += chunk

    def text(self):
        return bytes(self.out).decode(errors="replace")

    def wait_for(self, pattern, timeout=120):
        deadline = time.time() + timeout
        while not re.search(pattern, self.text()):
            assert self.proc.poll() is None, (self.text()[-2000:], self.proc.stderr.read().decode())
            assert time.time() < deadline, f"no {pattern!r} in: {self.text()[-2000:]}"
            time.sleep(0.1)

    def type(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def finish(self, timeout=60):
        try:
            return self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
            self.reader.join(timeout=10)


def one_line_refusal(p, *words):
    assert p.returncode not in (0, 97, 98), (p.returncode, p.stderr)
    lines = p.stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("popek: "), lines
    assert any(w in lines[0] for w in words), lines
    assert p.stdout == b"", "the guest ran"


def take_snapshot(vm, tmp_path):
    """Boot, write the disk file, start the counter; pause and snapshot.
    Returns (state, mem, last counter value printed)."""
    vm.wait_for("POPEK-INIT-READY", timeout=BOOT_TIMEOUT)
    vm.type("mount -t ext4 /dev/vda /mnt && echo snap-file-$((6*7)) > /mnt/before.txt && sync"
            " && echo SYNCED-$((5*5))")
    vm.wait_for("SYNCED-25", timeout=120)
    vm.type("(i=0; while true; do i=$((i+1)); echo TICK-$i; sleep 0.5; done) &")
    vm.wait_for(r"TICK-4\b", timeout=120)
    assert api(vm.sock, "PATCH", "/vm", {"state": "Paused"})[0] == 204
    time.sleep(1)
    last = ticks(vm.text())[-1]
    state, mem = tmp_path / "vm.state", tmp_path / "vm.mem"
    # Only a paused machine can be snapshotted, and only Full ones exist.
    assert_fault(api(vm.sock, "PUT", "/snapshot/create", {
        "snapshot_type": "Diff", "snapshot_path": str(state), "mem_file_path": str(mem)}), 400)
    assert api(vm.sock, "PUT", "/snapshot/create", {
        "snapshot_type": "Full", "snapshot_path": str(state), "mem_file_path": str(mem)},
        timeout=300)[0] == 204
    assert ticks(vm.text())[-1] == last, "the guest ran while paused"
    vm.proc.kill()
    vm.finish()
    return state, mem, last


def check_damaged_files(popek, env, state, mem, tmp_path):
    data = state.read_bytes()
    flipped = tmp_path / "flipped.state"
    flipped.write_bytes(data[:len(data) // 2] + bytes([data[len(data) // 2] ^ 0x40]) +
                        data[len(data) // 2 + 1:])
    one_line_refusal(run([popek, "run", "--restore", str(flipped)], env=env, timeout=60),
                     "checksum", "corrupt")
    cut = tmp_path / "cut.state"
    cut.write_bytes(data[:len(data) - 100])
    one_line_refusal(run([popek, "run", "--restore", str(cut)], env=env, timeout=60), "truncated")
    one_line_refusal(run([popek, "run", "--restore", str(GUEST / "Image")], env=env, timeout=60),
                     "not a popek snapshot", "not a snapshot")
    raw = mem.read_bytes()
    bad_mem = tmp_path / "bad.mem"
    bad_mem.write_bytes(raw[:len(raw) // 2] + bytes([raw[len(raw) // 2] ^ 1]) + raw[len(raw) // 2 + 1:])
    one_line_refusal(run([popek, "run", "--restore", str(state), "--restore-mem", str(bad_mem)],
                         env=env, timeout=300), "memory file")
    short_mem = tmp_path / "short.mem"
    short_mem.write_bytes(raw[:len(raw) - 64])
    one_line_refusal(run([popek, "run", "--restore", str(state), "--restore-mem", str(short_mem)],
                         env=env, timeout=300), "memory file")


def check_restored_guest(r, last, tag):
    """The counter goes on from last+1, the disk file reads back from the
    disk (page cache dropped), the shell answers."""
    r.wait_for(rf"TICK-{last + 2}\b")
    after = ticks(r.text())
    assert after[0] == last + 1, (last, after[:5])
    r.type("echo 3 > /proc/sys/vm/drop_caches; cat /mnt/before.txt; echo ANSWER-$((40+" + tag + "))")
    r.wait_for(rf"ANSWER-{40 + int(tag)}")
    assert "snap-file-42" in r.text()


def test_snapshot_restore_continues_the_guest(popek, tmp_path):
    disk = tmp_path / "fs.ext4"
    subprocess.run(["mke2fs", "-q", "-F", "-t", "ext4", str(disk), "16M"], check=True)
    vm = VMM(popek, tmp_path, "--disk", str(disk), "--mem", str(RAM >> 20))
    try:
        state, mem, last = take_snapshot(vm, tmp_path)
    finally:
        vm.kill()
    # Sparse and compressed: a small guest's RAM is mostly zero pages.
    assert 0 < mem.stat().st_size < RAM // 4, mem.stat().st_size
    assert state.stat().st_size < (1 << 20)
    check_damaged_files(popek, vm.env, state, mem, tmp_path)

    # The memory file is found through the state file, from another cwd.
    moved = tmp_path / "elsewhere"
    moved.mkdir()
    shutil.copy(state, moved / "copy.state")
    r_sock = tmp_path / "r1.sock"
    r = Restored(popek, vm.env, "--restore", str(moved / "copy.state"), "--api-sock", str(r_sock))
    check_restored_guest(r, last, "1")
    assert api(r_sock, "GET", "/")[1]["state"] == "Running"
    r.type("poweroff -f")
    assert r.finish() == 0

    # The same snapshot through the API, into a --no-boot VM, paused first.
    vm2 = VMM(popek, tmp_path, "--no-boot", name="vm2")
    vm2.popek_path = popek
    try:
        assert_fault(api(vm2.sock, "PUT", "/snapshot/load",
                         {"snapshot_path": str(tmp_path / "cut.state")}), 400)
        assert_fault(api(vm2.sock, "PUT", "/snapshot/create",
                         {"snapshot_path": str(tmp_path / "x"), "mem_file_path": str(tmp_path / "y")}), 400)
        assert api(vm2.sock, "PUT", "/snapshot/load", {
            "snapshot_path": str(state), "mem_file_path": str(mem), "resume_vm": False},
            timeout=300)[0] == 204
        assert api(vm2.sock, "GET", "/")[1]["state"] == "Paused"
        time.sleep(1)
        assert vm2.text() == "", "a VM loaded with resume_vm false ran"
        assert_fault(api(vm2.sock, "PUT", "/snapshot/load", {"snapshot_path": str(state)}), 400)
        assert api(vm2.sock, "PATCH", "/vm", {"state": "Resumed"})[0] == 204
        check_restored_guest(vm2, last, "2")
        # `popek snapshot` pauses a running VM, snapshots it and resumes it.
        again = tmp_path / "again"
        p = run([popek, "snapshot", str(vm2.sock), str(again)], env=vm2.env, timeout=300)
        assert p.returncode == 0, p.stderr
        assert again.stat().st_size > 0 and (tmp_path / "again.mem").stat().st_size > 0
        assert api(vm2.sock, "GET", "/")[1]["state"] == "Running"
        n = ticks(vm2.text())[-1]
        vm2.wait_for(rf"TICK-{n + 1}\b", timeout=60)
        vm2.type("poweroff -f")
        assert vm2.finish() == 0
    finally:
        vm2.kill()
