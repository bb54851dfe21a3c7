"""The control API (docs/api.md): `popek run --api-sock PATH` serves
HTTP/1.1 JSON on a Unix socket, and `popek list|pause|resume|stop` use it.

The main test configures and boots the default guest entirely through the
API (`--no-boot`), pauses it while a guest loop prints a counter, checks
that the console and the guest's clock stand still, resumes and stops it.
The other tests throw bad requests at a VM that has not started (fast) and
check each gets a 4xx with a JSON fault_message while the VMM stays up.
"""
import http.client
import json
import os
import re
import socket
import subprocess
import threading
import time

import pytest

from conftest import BUILD, run

GUEST = BUILD / "guest"
BOOT_TIMEOUT = 600      # ASan builds boot several times slower
IDLE_TIMEOUT = 5        # API_IDLE_TIMEOUT_S in src/api/server.h
MAX_BODY = 64 * 1024    # API_MAX_BODY


class UnixHTTPConnection(http.client.HTTPConnection):
    """http.client over an AF_UNIX stream socket."""

    def __init__(self, path, timeout=30):
        super().__init__("localhost", timeout=timeout)
        self.unix_path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(self.timeout)
        self.sock.connect(self.unix_path)


def api(sock, method, path, body=None, raw=None, timeout=60):
    """One request; returns (status, parsed JSON body or None)."""
    conn = UnixHTTPConnection(str(sock), timeout=timeout)
    try:
        data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
        headers = {"Content-Type": "application/json"} if data is not None else {}
        conn.request(method, path, body=data, headers=headers)
        resp = conn.getresponse()
        text = resp.read()
        return resp.status, (json.loads(text) if text else None)
    finally:
        conn.close()


def announce_oversized_body(sock, path="/actions"):
    """Send only the headers of a request whose body is too large: the VMM
    answers at once (a client that kept sending would see the connection
    closed under it)."""
    conn = UnixHTTPConnection(str(sock))
    try:
        conn.putrequest("PUT", path)
        conn.putheader("Content-Type", "application/json")
        conn.putheader("Content-Length", str(MAX_BODY + 1))
        conn.endheaders()
        resp = conn.getresponse()
        return resp.status, json.loads(resp.read())
    finally:
        conn.close()


def assert_fault(result, status):
    got, body = result
    assert got == status, (got, body)
    assert isinstance(body, dict) and set(body) == {"fault_message"}, body
    assert body["fault_message"], body
    return body["fault_message"]


class VMM:
    """A `popek run --api-sock` process with its console on pipes."""

    def __init__(self, popek, tmp_path, *args, name="vm1"):
        self.sock = tmp_path / f"{name}.sock"
        self.env = dict(os.environ, XDG_RUNTIME_DIR=str(tmp_path), POPEK_GUEST_DIR=str(GUEST))
        self.env.setdefault("ASAN_OPTIONS", "detect_leaks=0:exitcode=97")
        self.env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=98")
        self.proc = subprocess.Popen([popek, "run", "--api-sock", str(self.sock), *args],
                                     env=self.env, stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out = bytearray()
        self.err = b""
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()
        deadline = time.time() + 60
        while not self.sock.exists():
            assert self.proc.poll() is None, self.proc.stderr.read().decode()
            assert time.time() < deadline, "the API socket never appeared"
            time.sleep(0.05)

    def _read(self):
        while True:
            chunk = self.proc.stdout.read1(65536)
            if not chunk:
                return
            self.out += chunk

    def text(self):
        return bytes(self.out).decode(errors="replace")

    def wait_for(self, pattern, timeout=BOOT_TIMEOUT):
        deadline = time.time() + timeout
        while not re.search(pattern, self.text()):
            assert self.proc.poll() is None, (self.text()[-2000:], self.proc.stderr.read().decode())
            assert time.time() < deadline, f"no {pattern!r} in: {self.text()[-2000:]}"
            time.sleep(0.1)
        return re.search(pattern, self.text())

    def type(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def ctl(self, *args):
        return run([self.popek_path, *args], env=self.env, timeout=60)

    def finish(self, timeout=60):
        try:
            code = self.proc.wait(timeout=timeout)
        finally:
            if self.proc.poll() is None:
                self.proc.kill()
                self.proc.wait()
        self.reader.join(timeout=10)
        self.err = self.proc.stderr.read().decode(errors="replace")
        return code

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.finish()


@pytest.fixture
def vmm(popek, tmp_path):
    made = []

    def start(*args, name="vm1"):
        v = VMM(popek, tmp_path, *args, name=name)
        v.popek_path = popek
        made.append(v)
        return v
    yield start
    for v in made:
        v.kill()


def guest_uptime(vm, tag):
    """The guest's /proc/uptime in seconds, printed behind a computed marker."""
    vm.type(f"echo UP{tag}-$((40+2))-$(cut -d' ' -f1 /proc/uptime)")
    return float(vm.wait_for(rf"UP{tag}-42-([0-9.]+)", timeout=120).group(1))


def test_boot_pause_resume_and_stop_through_the_api(vmm, tmp_path):
    vm = vmm("--no-boot")
    assert api(vm.sock, "GET", "/") == (200, {"id": "vm1", "state": "Not started",
                                               "vmm_version": "0.1.0", "app_name": "popek"})
    disk = tmp_path / "disk.img"
    disk.write_bytes(b"API-DISK" + bytes(1 << 20))
    assert api(vm.sock, "PUT", "/boot-source", {
        "kernel_image_path": str(GUEST / "Image"), "initrd_path": str(GUEST / "initramfs.cpio.gz"),
        "boot_args": "console=ttyS0 popek.nomodules"})[0] == 204
    assert api(vm.sock, "PUT", "/machine-config", {"vcpu_count": 1, "mem_size_mib": 192})[0] == 204
    assert api(vm.sock, "PUT", "/drives/scratch", {"drive_id": "scratch", "path_on_host": str(disk),
                                                   "is_root_device": False, "is_read_only": True})[0] == 204
    status, cfg = api(vm.sock, "GET", "/vm/config")
    assert status == 200 and cfg["machine-config"] == {"vcpu_count": 1, "mem_size_mib": 192}
    assert cfg["drives"][0]["drive_id"] == "scratch" and cfg["drives"][0]["is_read_only"] is True
    assert cfg["boot-source"]["boot_args"] == "console=ttyS0 popek.nomodules"
    assert vm.text() == "", "the guest ran before InstanceStart"

    assert api(vm.sock, "PUT", "/actions", {"action_type": "InstanceStart"})[0] == 204
    vm.wait_for("POPEK-INIT-READY")
    vm.type("cat /proc/cmdline; grep MemTotal /proc/meminfo; echo BOOTED-$((6*7))")
    vm.wait_for("BOOTED-42", timeout=120)
    assert "popek.nomodules" in vm.text()
    kib = int(re.search(r"MemTotal:\s+(\d+) kB", vm.text()).group(1))
    assert 120 * 1024 < kib <= 192 * 1024, kib

    # Configuration is frozen and a second start is refused; the guest lives on.
    assert_fault(api(vm.sock, "PUT", "/actions", {"action_type": "InstanceStart"}), 400)
    assert_fault(api(vm.sock, "PUT", "/machine-config", {"vcpu_count": 2, "mem_size_mib": 256}), 400)
    assert_fault(api(vm.sock, "PATCH", "/vm", {"state": "Resumed"}), 400)
    assert_fault(api(vm.sock, "PATCH", "/vm", raw=b'{"state": "Paused"'), 400)
    assert_fault(announce_oversized_body(vm.sock), 413)

    listing = vm.ctl("list")
    assert listing.returncode == 0
    assert re.search(rf"^vm1\s+{vm.proc.pid}\s+Running\s+{re.escape(str(vm.sock))}$",
                     listing.stdout.decode(), re.M), listing.stdout.decode()

    vm.type("i=0; while true; do i=$((i+1)); echo TICK-$i; sleep 0.2; done &")
    vm.wait_for("TICK-5", timeout=120)
    up_before = guest_uptime(vm, "A")
    pause_started = time.time()
    assert api(vm.sock, "PATCH", "/vm", {"state": "Paused"})[0] == 204
    assert api(vm.sock, "GET", "/")[1]["state"] == "Paused"
    assert "Paused" in vm.ctl("list").stdout.decode()
    time.sleep(0.3)     # output already in the pipe
    frozen = len(vm.out)
    time.sleep(2)
    assert len(vm.out) == frozen, "the console advanced while paused: " + vm.text()[frozen:]
    assert_fault(api(vm.sock, "PATCH", "/vm", {"state": "Paused"}), 400)
    status, metrics = api(vm.sock, "GET", "/metrics")
    assert status == 200 and metrics["vm"]["pauses"] == 1, metrics
    time.sleep(1)
    assert api(vm.sock, "GET", "/metrics")[1]["harts"] == metrics["harts"], "a hart ran while paused"
    assert metrics["harts"][0]["instructions"] > 0
    resumed = vm.ctl("resume", "vm1")
    assert resumed.returncode == 0, resumed.stderr.decode()
    paused_for = time.time() - pause_started
    ticks = vm.text().count("TICK-")
    deadline = time.time() + 60
    while vm.text().count("TICK-") < ticks + 3:
        assert time.time() < deadline, "the guest did not continue after resume"
        time.sleep(0.1)
    # The guest's clock stood still while paused: no time jump.
    up_after = guest_uptime(vm, "B")
    host_elapsed = time.time() - pause_started
    assert up_after - up_before < host_elapsed - paused_for + 1.5, (up_before, up_after, paused_for)

    vm.type("echo STILL-$((3*3))")
    vm.wait_for("STILL-9", timeout=120)
    # Stopping works on a paused machine too.
    assert vm.ctl("pause", "vm1").returncode == 0
    stop = vm.ctl("stop", "vm1")
    assert stop.returncode == 0, stop.stderr.decode()
    assert vm.finish() == 0, vm.err
    assert "stopped through the API" in vm.err
    assert "Sanitizer" not in vm.err and "runtime error" not in vm.err, vm.err
    assert not vm.sock.exists()
    assert "vm1" not in vm.ctl("list").stdout.decode()


def test_bad_requests_get_json_faults_and_the_vmm_stays_up(vmm):
    vm = vmm("--no-boot")
    s = vm.sock
    assert "body is not valid JSON" in assert_fault(api(s, "PUT", "/machine-config", raw=b"{vcpu_count: 1"), 400)
    assert_fault(api(s, "PUT", "/machine-config", raw=b'{"vcpu_count": 1, "mem_size_mib": 64} trailing'), 400)
    assert_fault(api(s, "PUT", "/machine-config", raw=b"[1, 2]"), 400)
    assert_fault(api(s, "PUT", "/machine-config", raw=b""), 400)
    assert "unknown field 'smt'" in assert_fault(
        api(s, "PUT", "/machine-config", {"vcpu_count": 1, "mem_size_mib": 64, "smt": False}), 400)
    assert "vcpu_count" in assert_fault(api(s, "PUT", "/machine-config", {"vcpu_count": "1", "mem_size_mib": 64}), 400)
    assert_fault(api(s, "PUT", "/machine-config", {"vcpu_count": 1.5, "mem_size_mib": 64}), 400)
    assert_fault(api(s, "PUT", "/machine-config", {"vcpu_count": -1, "mem_size_mib": 64}), 400)
    assert_fault(api(s, "PUT", "/machine-config", {"vcpu_count": 0, "mem_size_mib": 64}), 400)
    assert_fault(api(s, "PUT", "/machine-config", {"vcpu_count": 1, "mem_size_mib": 1e300}), 400)
    assert_fault(api(s, "PUT", "/machine-config", {"vcpu_count": 1}), 400)
    assert_fault(api(s, "PUT", "/machine-config",
                     raw=b'{"vcpu_count": 1, "vcpu_count": 2, "mem_size_mib": 64}'), 400)
    assert_fault(api(s, "PUT", "/boot-source", {"kernel_image_path": "/nonexistent/Image"}), 400)
    assert_fault(api(s, "PUT", "/boot-source", {"kernel_image_path": "/tmp"}), 400)
    assert_fault(api(s, "PUT", "/boot-source", {"kernel_image_path": "x" * 5000}), 400)
    assert_fault(api(s, "PUT", "/drives/a", {"drive_id": "b", "path_on_host": "/dev/null",
                                             "is_root_device": False}), 400)
    assert_fault(api(s, "PUT", "/drives/a", {"drive_id": "a", "is_root_device": False}), 400)
    assert_fault(api(s, "PUT", "/drives/a/b", {"drive_id": "a"}), 404)
    assert_fault(api(s, "PUT", "/actions", {"action_type": "FlushMetrics"}), 400)
    assert_fault(api(s, "PUT", "/actions", {"action_type": "SendCtrlAltDel"}), 400)
    assert "not running" in assert_fault(api(s, "PATCH", "/vm", {"state": "Paused"}), 400)
    assert_fault(api(s, "PATCH", "/vm", {"state": "Frozen"}), 400)
    assert_fault(api(s, "GET", "/snapshot/create"), 405)
    assert_fault(api(s, "PUT", "/snapshot/create", {"snapshot_path": "x", "mem_file_path": "y"}), 400)
    assert_fault(api(s, "PUT", "/snapshot/load", {"snapshot_path": "/nonexistent"}), 400)
    assert_fault(api(s, "DELETE", "/vm"), 405)
    assert_fault(api(s, "GET", "/actions"), 405)
    # Announced and actual oversized bodies.
    assert_fault(announce_oversized_body(s, "/boot-source"), 413)
    conn = UnixHTTPConnection(str(s))
    conn.putrequest("PUT", "/boot-source")
    conn.putheader("Transfer-Encoding", "chunked")
    conn.endheaders()
    for _ in range(3):
        conn.send(b"8000\r\n" + b" " * 0x8000 + b"\r\n")
    conn.send(b"0\r\n\r\n")
    resp = conn.getresponse()
    assert resp.status == 413 and "fault_message" in json.loads(resp.read())
    conn.close()

    # A client that connects and never sends is dropped; others are served meanwhile.
    idle = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    idle.connect(str(s))
    t0 = time.time()
    assert api(s, "GET", "/")[0] == 200
    idle.settimeout(IDLE_TIMEOUT + 20)
    assert idle.recv(1) == b""
    assert IDLE_TIMEOUT - 1 <= time.time() - t0 <= IDLE_TIMEOUT + 20
    idle.close()

    # Nothing changed, and the VMM still answers.
    status, cfg = api(s, "GET", "/vm/config")
    assert status == 200 and cfg["machine-config"]["vcpu_count"] == 1 and cfg["drives"] == []
    assert cfg["boot-source"]["kernel_image_path"].endswith("/Image")
    status, metrics = api(s, "GET", "/metrics")
    assert status == 200 and metrics["api"]["faults"] >= 25 and metrics["harts"] == []
    assert api(s, "PUT", "/actions", {"action_type": "InstanceStop"})[0] == 204
    assert vm.finish() == 0, vm.err
    assert vm.text() == "" and "Sanitizer" not in vm.err


def test_a_start_that_fails_can_be_corrected(vmm, tmp_path):
    vm = vmm("--no-boot", "--console", "none")
    junk = tmp_path / "junk"
    junk.write_bytes(b"\x7fELF" + bytes(4000))
    assert api(vm.sock, "PUT", "/boot-source", {"kernel_image_path": str(junk)})[0] == 204
    msg = assert_fault(api(vm.sock, "PUT", "/actions", {"action_type": "InstanceStart"}), 400)
    assert "cannot start" in msg
    assert api(vm.sock, "GET", "/")[1]["state"] == "Not started"
    # Two root drives are refused at start, not silently reordered.
    for d in ("r1", "r2"):
        img = tmp_path / f"{d}.img"
        img.write_bytes(bytes(1 << 20))
        assert api(vm.sock, "PUT", f"/drives/{d}", {"drive_id": d, "path_on_host": str(img),
                                                     "is_root_device": True})[0] == 204
    assert api(vm.sock, "PUT", "/boot-source", {"kernel_image_path": str(GUEST / "Image")})[0] == 204
    assert "root devices" in assert_fault(api(vm.sock, "PUT", "/actions",
                                              {"action_type": "InstanceStart"}), 400)
    # Replacing a drive by id fixes it; then the machine starts, and
    # SendCtrlAltDel is the board's power-off: exit 0, no message.
    assert api(vm.sock, "PUT", "/drives/r2", {"drive_id": "r2", "path_on_host": str(tmp_path / "r2.img"),
                                              "is_root_device": False})[0] == 204
    assert len(api(vm.sock, "GET", "/vm/config")[1]["drives"]) == 2
    assert api(vm.sock, "PUT", "/actions", {"action_type": "InstanceStart"})[0] == 204
    assert api(vm.sock, "GET", "/")[1]["state"] == "Running"
    assert api(vm.sock, "PUT", "/actions", {"action_type": "SendCtrlAltDel"})[0] == 204
    assert vm.finish() == 0, vm.err
    assert vm.err == "", vm.err


def test_ctl_commands_and_names(vmm, popek, tmp_path):
    env = {"XDG_RUNTIME_DIR": str(tmp_path)}
    p = run([popek, "list"], env=env)
    assert p.returncode == 0 and p.stdout.decode().splitlines() == [
        "NAME                 PID      STATE        API SOCKET"]
    p = run([popek, "pause", "ghost"], env=env)
    assert p.returncode == 1 and "no running VM named 'ghost'" in p.stderr.decode()
    p = run([popek, "pause"], env=env)
    assert p.returncode == 2
    p = run([popek, "run", "--no-boot"], env=env)
    assert p.returncode == 2 and "--api-sock" in p.stderr.decode()

    first = vmm("--no-boot", "--id", "alpha", name="a")
    p = run([popek, "run", "--api-sock", str(tmp_path / "b.sock"), "--id", "alpha", "--no-boot"],
            env=dict(env, POPEK_GUEST_DIR=str(GUEST)), timeout=60)
    assert p.returncode == 1 and "already running" in p.stderr.decode()
    assert not (tmp_path / "b.sock").exists()
    # A live socket is not taken over either.
    p = run([popek, "run", "--api-sock", str(first.sock), "--id", "beta", "--no-boot"],
            env=dict(env, POPEK_GUEST_DIR=str(GUEST)), timeout=60)
    assert p.returncode == 1 and "listening" in p.stderr.decode()
    assert first.sock.stat().st_mode & 0o777 == 0o600
    out = first.ctl("list").stdout.decode()
    assert re.search(r"^alpha\s+\d+\s+Not started\s+", out, re.M), out
    p = run([popek, "pause", "alpha"], env=env)
    assert p.returncode == 1 and "not running" in p.stderr.decode()
    p = run([popek, "stop", str(first.sock)], env=env)
    assert p.returncode == 0, p.stderr.decode()
    assert first.finish() == 0
    assert "alpha" not in run([popek, "list"], env=env).stdout.decode()


def test_without_no_boot_the_machine_runs_at_once(vmm):
    vm = vmm("--console", "none", "--mem", "128M")
    deadline = time.time() + 60
    # The socket is up while the machine is still being built ("Not started").
    while (info := api(vm.sock, "GET", "/")[1])["state"] != "Running":
        assert info["state"] == "Not started" and time.time() < deadline, info
        time.sleep(0.05)
    assert api(vm.sock, "GET", "/machine-config") == (200, {"vcpu_count": 1, "mem_size_mib": 128})
    assert_fault(api(vm.sock, "PUT", "/actions", {"action_type": "InstanceStart"}), 400)
    deadline = time.time() + 60
    while api(vm.sock, "GET", "/metrics")[1]["harts"][0]["instructions"] == 0:
        assert time.time() < deadline
        time.sleep(0.1)
    assert api(vm.sock, "PUT", "/actions", {"action_type": "InstanceStop"})[0] == 204
    assert vm.finish() == 0, vm.err
    assert vm.err.strip() == "popek: stopped through the API", vm.err


@pytest.mark.parametrize("boot", [False, True])
def test_termination_signals_stop_cleanly(vmm, tmp_path, boot):
    import signal
    vm = vmm("--console", "none", *([] if boot else ["--no-boot"]))
    deadline = time.time() + 60
    while boot and api(vm.sock, "GET", "/")[1]["state"] != "Running":
        assert time.time() < deadline
        time.sleep(0.05)
    assert "vm1" in vm.ctl("list").stdout.decode()
    vm.proc.send_signal(signal.SIGTERM if boot else signal.SIGINT)
    code = vm.finish()
    assert code == (128 + 15 if boot else 128 + 2), (code, vm.err)
    assert vm.err.strip() == f"popek: stopped by signal {'TERM' if boot else 'INT'}", vm.err
    assert not vm.sock.exists()
    assert not (tmp_path / "popek" / "vm1.json").exists()
