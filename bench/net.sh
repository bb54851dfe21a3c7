#!/usr/bin/env bash
# Network throughput, guest to host, over user-mode networking (libslirp):
# the default guest (Debian trixie kernel + busybox initramfs, 256 MiB,
# 1 hart) runs `dd if=/dev/zero bs=64k count=N | nc 10.0.2.2 PORT`, and a
# receiver on the host's 127.0.0.1:PORT counts bytes from accept to EOF.
# popek (`--net user`) against qemu-system-riscv64 -M virt (TCG) with the same
# firmware, kernel, initramfs and `-netdev user` + virtio-net-device.
# Median of RUNS (default 3) runs each; prints a table with the ratio.
# Environment: RUNS, MB (megabytes sent, default 32), TIMEOUT (seconds per
# run, default 600), POPEK (binary), LOGDIR (default build/bench/net).
set -uo pipefail
cd "$(dirname "$0")/.."
export RUNS=${RUNS:-3} MB=${MB:-32} TIMEOUT=${TIMEOUT:-600}
export POPEK=${POPEK:-build/popek} LOGDIR=${LOGDIR:-build/bench/net} G=build/guest
mkdir -p "$LOGDIR"
for f in Image initramfs.cpio.gz fw_dynamic.bin; do
	[ -f "$G/$f" ] || { echo "net: $G/$f is missing: run make assets" >&2; exit 1; }
done

exec /usr/bin/python3 - <<'PY'
import os, re, socket, statistics, subprocess, sys, threading, time

runs, mb, timeout = int(os.environ["RUNS"]), int(os.environ["MB"]), int(os.environ["TIMEOUT"])
g, logdir, popek = os.environ["G"], os.environ["LOGDIR"], os.environ["POPEK"]
boot = ["-bios", f"{g}/fw_dynamic.bin", "-kernel", f"{g}/Image",
        "-initrd", f"{g}/initramfs.cpio.gz", "-append", "console=ttyS0"]
machines = {
    "qemu-system-riscv64 (TCG)": [
        "qemu-system-riscv64", "-M", "virt", "-smp", "1", "-m", "256M", "-nographic",
        "-no-reboot", *boot, "-netdev", "user,id=n0", "-device", "virtio-net-device,netdev=n0"],
    "popek": [popek, "run", "--mem", "256M", "--net", "user",
              *[a.replace("-", "--", 1) if a.startswith("-") else a for a in boot]],
}


def receiver(lsock, result):
    conn, _ = lsock.accept()
    start, n = time.monotonic(), 0
    with conn:
        while chunk := conn.recv(1 << 20):
            n += len(chunk)
    result["bytes"], result["secs"] = n, time.monotonic() - start


def copy_console(src, log, ready):
    seen = b""
    while chunk := src.read1(65536):
        log.write(chunk)
        log.flush()
        seen = (seen + chunk)[-64:]
        if b"POPEK-INIT-READY" in seen:
            ready.set()


def one_run(name, cmd, i):
    lsock = socket.socket()
    lsock.bind(("127.0.0.1", 0))
    lsock.listen(1)
    port, result = lsock.getsockname()[1], {}
    rt = threading.Thread(target=receiver, args=(lsock, result), daemon=True)
    rt.start()
    log = open(f"{logdir}/{name.split()[0]}-{i}.log", "wb")
    p = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                         stderr=subprocess.STDOUT)
    # QEMU's UART drops what is typed before the guest reads it: type only
    # once the shell is up (popek keeps early input, but is treated alike).
    ready = threading.Event()
    threading.Thread(target=copy_console, args=(p.stdout, log, ready), daemon=True).start()
    if not ready.wait(timeout):
        p.kill()
        p.wait()
        print(f"net: {name} run {i}: the guest did not boot (log: {log.name})", file=sys.stderr)
        return None
    # ash's first prompt asks the terminal for the cursor position and eats
    # what arrives meanwhile: give it a blank line, then type line by line.
    lines = ["", "", "ifconfig eth0 10.0.2.15 netmask 255.255.255.0 up",
             "route add default gw 10.0.2.2",
             f"dd if=/dev/zero bs=64k count={mb * 16} 2>/dev/null | nc 10.0.2.2 {port}",
             "poweroff -f"]
    for line in lines:
        time.sleep(1)
        p.stdin.write((line + "\n").encode())
        p.stdin.flush()
    rt.join(timeout)
    try:
        p.wait(timeout=60)
    except subprocess.TimeoutExpired:
        p.kill()
        p.wait()
    lsock.close()
    if result.get("bytes") != mb << 20:
        print(f"net: {name} run {i}: received {result.get('bytes', 0)} of {mb << 20} bytes "
              f"(log: {log.name})", file=sys.stderr)
        return None
    return result["bytes"] / result["secs"] / 1e6


rates = {}
for name, cmd in machines.items():
    if name == "popek" and not os.access(popek, os.X_OK):
        print(f"net: {popek} is not built", file=sys.stderr)
        rates[name] = None
        continue
    got = [one_run(name, cmd, i) for i in range(1, runs + 1)]
    rates[name] = statistics.median(got) if all(r is not None for r in got) else None

print(f"Guest-to-host TCP over user networking: {mb} MiB, default guest, 256 MiB, 1 hart; "
      f"median of {runs} runs; higher is better")
print(f"{'':28s} {'MB/s':>10s} {'popek / qemu':>14s}")
q = rates["qemu-system-riscv64 (TCG)"]
print(f"{'qemu-system-riscv64 (TCG)':28s} {q if q is None else format(q, '.2f'):>10} {'1.00':>14s}")
o = rates["popek"]
ratio = f"{o / q:.2f}" if o and q else "-"
print(f"{'popek':28s} {'failed' if o is None else format(o, '.2f'):>10} {ratio:>14s}")
sys.exit(0 if o is not None else 1)
PY
