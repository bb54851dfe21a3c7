#!/usr/bin/python3
"""Snapshot cost: boot the default guest (256 MiB, 1 hart) under the
control API, pause it at the shell, and measure
  - PUT /snapshot/create: wall seconds, state and memory file sizes,
  - `popek run --restore`: wall seconds from exec until the restored
    shell answers a command typed into it.
Median of --runs (default 3, or BENCH_RUNS) creates and restores of the
same boot.  Other arguments of bench/run-all.sh are accepted and ignored.
No peer column: qemu's savevm needs a qcow2 disk and its monitor, which
measures something else.
"""
import argparse
import http.client
import json
import os
import pathlib
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
GUEST = ROOT / "build" / "guest"


class UnixHTTP(http.client.HTTPConnection):
    def __init__(self, path):
        super().__init__("localhost", timeout=600)
        self.path = path

    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.connect(self.path)


def api(sock, method, path, body):
    c = UnixHTTP(str(sock))
    c.request(method, path, body=json.dumps(body), headers={"Content-Type": "application/json"})
    r = c.getresponse()
    text = r.read()
    c.close()
    if r.status >= 300:
        sys.exit(f"snapshot: {method} {path}: {r.status} {text.decode()}")


class Console:
    def __init__(self, cmd, env):
        self.proc = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                     stderr=subprocess.DEVNULL)
        self.out = bytearray()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        while chunk := self.proc.stdout.read1(65536):
            self.out += chunk

    def wait_for(self, marker, timeout=600):
        deadline = time.time() + timeout
        while marker.encode() not in self.out:
            if self.proc.poll() is not None or time.time() > deadline:
                sys.exit(f"snapshot: no {marker!r} from {self.proc.args[:3]}")
            time.sleep(0.01)

    def type(self, line):
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()

    def kill(self):
        self.proc.kill()
        self.proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", 3)))
    args, _ = ap.parse_known_args()
    popek = os.environ.get("POPEK", str(ROOT / "build" / "popek"))
    tmp = pathlib.Path(tempfile.mkdtemp(prefix="popek-snap-bench-"))
    env = dict(os.environ, XDG_RUNTIME_DIR=str(tmp), POPEK_GUEST_DIR=str(GUEST))
    sock = tmp / "vm.sock"
    vm = Console([popek, "run", "--mem", "256M", "--api-sock", str(sock)], env)
    vm.wait_for("POPEK-INIT-READY")
    vm.type("echo BOOTED-$((1+1))")
    vm.wait_for("BOOTED-2")
    api(sock, "PATCH", "/vm", {"state": "Paused"})
    creates, restores = [], []
    for i in range(args.runs):
        state, mem = tmp / f"s{i}.state", tmp / f"s{i}.mem"
        t0 = time.monotonic()
        api(sock, "PUT", "/snapshot/create", {"snapshot_type": "Full", "snapshot_path": str(state),
                                              "mem_file_path": str(mem)})
        creates.append(time.monotonic() - t0)
    vm.kill()
    for i in range(args.runs):
        t0 = time.monotonic()
        r = Console([popek, "run", "--restore", str(tmp / f"s{i}.state")], env)
        r.type(f"echo RESTORED-$((100+{i}))")
        r.wait_for(f"RESTORED-{100 + i}", timeout=120)
        restores.append(time.monotonic() - t0)
        r.kill()
    ssize = (tmp / "s0.state").stat().st_size
    msize = (tmp / "s0.mem").stat().st_size
    print(f"Snapshot of the default guest at its shell: 256 MiB, 1 hart; median of {args.runs} runs")
    print(f"{'create (PUT /snapshot/create)':36} {statistics.median(creates):8.3f} s")
    print(f"{'restore to a shell answer':36} {statistics.median(restores):8.3f} s")
    print(f"{'state file':36} {ssize / 1024:8.1f} KiB")
    print(f"{'memory file (of 256 MiB RAM)':36} {msize / (1 << 20):8.1f} MiB")
    shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
