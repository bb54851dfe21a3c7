"""virtio-net: the default guest (Debian's kernel, busybox initramfs) on
user-mode networking (libslirp NAT) and on a host tap device.

Each test boots a real guest and drives its shell through the console.
Markers the tests wait for are computed by the guest shell ($((...))), so
the echo of a typed command never satisfies them.  Data checks go both
ways: the host serves random bytes the guest must hash correctly, and the
guest sends random bytes the host hashes.
"""
import ctypes
import hashlib
import http.server
import os
import re
import socket
import subprocess
import threading
import time

import pytest

from conftest import BUILD, run

GUEST = BUILD / "guest"
BOOT_TIMEOUT = 600          # ASan builds boot several times slower
UPLOAD_BYTES = 300000       # what the guest sends to the host


class Guest:
    """A running `popek run` whose console we type into and read."""

    def __init__(self, popek, *args, prefix=()):
        env = dict(os.environ)
        env["POPEK_GUEST_DIR"] = str(GUEST)
        env.setdefault("ASAN_OPTIONS", "detect_leaks=0:exitcode=97")
        env.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=98")
        cmd = list(prefix) + [popek, "run"] + list(args)
        self.p = subprocess.Popen(cmd, env=env, stdin=subprocess.PIPE,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        self.out, self.err = bytearray(), bytearray()
        self.readers = [threading.Thread(target=self._drain, args=(f, buf), daemon=True)
                        for f, buf in ((self.p.stdout, self.out), (self.p.stderr, self.err))]
        for t in self.readers:
            t.start()

    @staticmethod
    def _drain(f, buf):
        for chunk in iter(lambda: f.read1(65536), b""):
            buf.extend(chunk)

    def type(self, text):
        self.p.stdin.write(text.encode())
        self.p.stdin.flush()

    def shell(self):
        out = bytes(self.out).decode(errors="replace")
        return out.split("POPEK-INIT-READY", 1)[1] if "POPEK-INIT-READY" in out else ""

    def wait_for(self, pattern, timeout=BOOT_TIMEOUT):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            m = re.search(pattern, self.shell())
            if m:
                return m
            if self.p.poll() is not None:
                break
            time.sleep(0.2)
        self.kill()
        err = bytes(self.err).decode(errors="replace")
        raise AssertionError(f"no {pattern!r} from the guest; console tail:\n"
                             f"{self.shell()[-3000:]}\nstderr:\n{err}")

    def finish(self, timeout=BOOT_TIMEOUT):
        """Power the guest off; returns (exit status, shell output, stderr)."""
        try:
            self.type("\npoweroff -f\n")
            self.p.stdin.close()
        except BrokenPipeError:
            pass
        try:
            code = self.p.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.kill()
            code = None
        for t in self.readers:
            t.join(timeout=10)
        return code, self.shell(), bytes(self.err).decode(errors="replace")

    def kill(self):
        if self.p.poll() is None:
            self.p.kill()
            self.p.wait()


def assert_clean_exit(code, err):
    assert code == 0, err
    assert "ERROR" not in err and "Sanitizer" not in err and "runtime error" not in err, err


# The guest's DHCP client script: configure what the lease says.
DHCP_SCRIPT = ("printf '#!/bin/sh\\n[ \"$1\" = bound ] || exit 0\\n"
               "ifconfig $interface $ip netmask $subnet up\\n"
               "route add default gw $router\\n' > /tmp/dhcp.sh\n"
               "chmod +x /tmp/dhcp.sh\n"
               "ip link set eth0 up\n"
               "udhcpc -i eth0 -n -q -t 5 -T 2 -s /tmp/dhcp.sh\n")


def serve_blob(blob, host="127.0.0.1"):
    """An HTTP server on host (any port) answering every GET with blob."""
    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):
            self.send_response(200)
            self.send_header("Content-Length", str(len(blob)))
            self.end_headers()
            self.wfile.write(blob)

        def log_message(self, *args):
            pass

    server = http.server.ThreadingHTTPServer((host, 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_user_net_dhcp_and_download(popek):
    blob = os.urandom(256 * 1024)
    server = serve_blob(blob)
    port = server.server_address[1]
    try:
        g = Guest(popek, "--net", "user")
        g.type(DHCP_SCRIPT +
               "ifconfig eth0 | grep 'inet addr'\n"
               f"wget -q -O /tmp/blob http://10.0.2.2:{port}/blob && md5sum /tmp/blob\n"
               "echo FETCHED-$((40+2))\n")
        g.wait_for(r"FETCHED-42")
        code, sh, err = g.finish()
    finally:
        server.shutdown()
    assert_clean_exit(code, err)
    assert "lease of 10.0.2.15 obtained" in sh, sh[-3000:]
    assert "inet addr:10.0.2.15" in sh, sh[-3000:]
    m = re.search(r"^([0-9a-f]{32})\s+/tmp/blob", sh, re.M)
    assert m, sh[-3000:]
    assert m.group(1) == hashlib.md5(blob).hexdigest()


def recv_exactly(sock, n, timeout=120):
    sock.settimeout(timeout)
    data = bytearray()
    while len(data) < n:
        chunk = sock.recv(min(65536, n - len(data)))
        if not chunk:
            break
        data.extend(chunk)
    return bytes(data)


def test_user_net_hostfwd_both_ways(popek):
    port = free_port()
    g = Guest(popek, "--net", f"user,hostfwd=tcp:127.0.0.1:{port}-:7777")
    g.type(DHCP_SCRIPT +
           f"head -c {UPLOAD_BYTES} /dev/urandom > /tmp/up\n"
           "md5sum /tmp/up\n"
           "nc -l -p 7777 < /tmp/up > /tmp/down &\n"
           "sleep 1; echo LISTENING-$((6*7))\n")
    g.wait_for(r"LISTENING-42")
    greeting = b"hello from the host " + os.urandom(8).hex().encode() + b"\n"
    # slirp accepts on the host side first; if the guest's nc is not
    # listening yet the connection closes empty, and we try again.
    for _ in range(20):
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=60) as s:
                s.sendall(greeting)
                got = recv_exactly(s, UPLOAD_BYTES)
        except ConnectionError:
            got = b""
        if got:
            break
        time.sleep(1)
    g.type("wait; cat /tmp/down; echo RECEIVED-$((7*6))\n")
    g.wait_for(r"RECEIVED-42")
    code, sh, err = g.finish()
    assert_clean_exit(code, err)
    m = re.search(r"^([0-9a-f]{32})\s+/tmp/up", sh, re.M)
    assert m, sh[-3000:]
    assert len(got) == UPLOAD_BYTES
    assert hashlib.md5(got).hexdigest() == m.group(1)
    assert greeting.decode().strip() in sh


# ---- tap, inside a network namespace the test creates ----

CLONE_NEWNET = 0x40000000


def in_netns(ns, fn):
    """Run fn() on a new thread that has joined network namespace ns (the
    sockets it creates stay there); returns the thread."""
    libc = ctypes.CDLL(None, use_errno=True)

    def body():
        fd = os.open(f"/run/netns/{ns}", os.O_RDONLY)
        try:
            if libc.setns(fd, CLONE_NEWNET) != 0:
                raise OSError(ctypes.get_errno(), "setns")
        finally:
            os.close(fd)
        fn()

    t = threading.Thread(target=body, daemon=True)
    t.start()
    return t


@pytest.fixture
def tap_netns():
    """A namespace holding a persistent tap device ptap0 at 10.9.0.1/24,
    MTU 9000."""
    ns = f"popek-net-{os.getpid()}-{threading.get_ident() % 10000}"
    setup = [["ip", "netns", "add", ns],
             ["ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up"],
             ["ip", "netns", "exec", ns, "ip", "tuntap", "add", "dev", "ptap0", "mode", "tap"],
             ["ip", "netns", "exec", ns, "ip", "addr", "add", "10.9.0.1/24", "dev", "ptap0"],
             ["ip", "netns", "exec", ns, "ip", "link", "set", "ptap0", "mtu", "9000", "up"]]
    for i, cmd in enumerate(setup):
        try:
            p = run(cmd, timeout=30)
        except FileNotFoundError:
            pytest.skip("CANNOT TEST TAP NETWORKING: iproute2 (ip) is not installed")
        if p.returncode != 0:
            if i > 0:
                run(["ip", "netns", "del", ns])
            pytest.skip("CANNOT TEST TAP NETWORKING: cannot create a network namespace "
                        f"with a tap device ({' '.join(cmd)}: {p.stderr.decode().strip()}); "
                        "this test needs root or CAP_NET_ADMIN")
    yield ns
    run(["ip", "netns", "del", ns])


def test_tap_net_exchanges_data_both_ways(popek, tap_netns):
    blob = os.urandom(200 * 1024)
    servers, sink = {}, {}
    ready = threading.Event()

    def start_servers():
        servers["http"] = serve_blob(blob, host="10.9.0.1")
        lsock = socket.socket()
        lsock.bind(("10.9.0.1", 9090))
        lsock.listen(1)
        servers["sink"] = lsock
        ready.set()
        conn, _ = lsock.accept()
        with conn:
            sink["data"] = recv_exactly(conn, UPLOAD_BYTES)

    in_netns(tap_netns, start_servers)
    assert ready.wait(30), "servers in the namespace did not start"
    port = servers["http"].server_address[1]
    g = Guest(popek, "--net", "tap,ifname=ptap0,mac=52:54:00:aa:bb:01",
              prefix=["ip", "netns", "exec", tap_netns])
    # Jumbo frames (MTU 9000) do not fit one of Linux's receive buffers, so
    # the host-to-guest direction exercises mergeable receive buffers.
    g.type("ifconfig eth0 10.9.0.2 netmask 255.255.255.0 mtu 9000 up\n"
           f"wget -q -O /tmp/blob http://10.9.0.1:{port}/blob && md5sum /tmp/blob\n"
           f"head -c {UPLOAD_BYTES} /dev/urandom > /tmp/up\n"
           "md5sum /tmp/up\n"
           "nc 10.9.0.1 9090 < /tmp/up\n"
           "echo RXERR-$(cat /sys/class/net/eth0/statistics/rx_length_errors)-END\n"
           "echo SENT-$((6*7))\n")
    g.wait_for(r"SENT-42")
    code, sh, err = g.finish()
    servers["http"].shutdown()
    servers["sink"].close()
    assert_clean_exit(code, err)
    m = re.search(r"^([0-9a-f]{32})\s+/tmp/blob", sh, re.M)
    assert m and m.group(1) == hashlib.md5(blob).hexdigest(), sh[-3000:]
    # The driver counts merged frames whose buffers it could not find.
    assert "RXERR-0-END" in sh, sh[-3000:]
    m = re.search(r"^([0-9a-f]{32})\s+/tmp/up", sh, re.M)
    assert m, sh[-3000:]
    assert len(sink.get("data", b"")) == UPLOAD_BYTES
    assert hashlib.md5(sink["data"]).hexdigest() == m.group(1)


# ---- bad input: one line on stderr, non-zero exit, before any boot ----

@pytest.mark.parametrize("value, needle", [
    ("bogus", "unknown kind 'bogus'"),
    ("user,hostfwd=tcp:127.0.0.1:notaport-:22", "malformed hostfwd"),
    ("user,hostfwd=tcp:127.0.0.1:2222", "malformed hostfwd"),
    ("user,hostfwd=tcp:300.0.0.1:2222-:22", "malformed hostfwd"),
    ("user,mac=52:54:00:12:34", "not XX:XX:XX:XX:XX:XX"),
    ("user,ifname=tap0", "unknown option 'ifname'"),
    ("tap", "needs ifname"),
])
def test_bad_net_option_is_a_usage_error(popek, value, needle):
    p = run([popek, "run", "--net", value], env={"POPEK_GUEST_DIR": str(GUEST)}, timeout=60)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert needle in err, err
    assert len(err.strip().splitlines()) == 1, err


def test_more_than_four_network_cards_is_a_usage_error(popek):
    p = run([popek, "run"] + ["--net", "user"] * 5, env={"POPEK_GUEST_DIR": str(GUEST)}, timeout=60)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert "at most 4 --net" in err and len(err.strip().splitlines()) == 1, err


def test_hostfwd_port_in_use_fails_before_boot(popek):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen(1)
        port = busy.getsockname()[1]
        p = run([popek, "run", "--net", f"user,hostfwd=tcp:127.0.0.1:{port}-:22"],
                env={"POPEK_GUEST_DIR": str(GUEST)}, timeout=60)
    err = p.stderr.decode()
    assert p.returncode == 1, err
    assert str(port) in err and "in use" in err, err
    assert len(err.strip().splitlines()) == 1, err
    assert p.stdout == b"", "the guest must not have started"


def test_missing_tap_permission_or_device_is_one_line(popek):
    # An interface name the kernel rejects (too long for IFNAMSIZ).
    p = run([popek, "run", "--net", "tap,ifname=" + "x" * 20],
            env={"POPEK_GUEST_DIR": str(GUEST)}, timeout=60)
    err = p.stderr.decode()
    assert p.returncode == 2, err
    assert "not a valid interface name" in err, err


# ---- the device model alone: tests/unit/test_virtio_net.c ----

UNIT_SRCS = ["tests/unit/test_virtio_net.c", "src/devices/virtio/net.c",
             "src/devices/virtio/core.c", "src/devices/virtio/queue.c",
             "src/devices/virtio/mmio.c", "src/vm/loop.c", "src/vm/bus.c", "src/vm/memory.c"]
UNIT_VARIANTS = {
    "release": ["-O2", "-g"],
    "asan": ["-O1", "-g", "-fsanitize=address,undefined", "-fno-omit-frame-pointer",
             "-fno-sanitize-recover=undefined"],
}


@pytest.mark.parametrize("variant", list(UNIT_VARIANTS))
def test_virtio_net_device_unit(variant):
    root = BUILD.parent
    out = BUILD / "tests" / "net" / variant
    out.mkdir(parents=True, exist_ok=True)
    exe = out / "test_virtio_net"
    cmd = (["gcc", "-std=gnu11", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE", "-pthread",
            "-I", str(root / "src"), "-I", str(root / "tests" / "unit")] +
           UNIT_VARIANTS[variant] + ["-o", str(exe)] + [str(root / s) for s in UNIT_SRCS])
    c = run(cmd, timeout=300)
    assert c.returncode == 0, c.stderr.decode()
    p = run([str(exe)], env={"ASAN_OPTIONS": "detect_leaks=1:exitcode=97"}, timeout=120)
    assert p.returncode == 0, p.stderr.decode()
    assert b"all checks passed" in p.stdout
