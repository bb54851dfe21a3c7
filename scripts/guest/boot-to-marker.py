#!/usr/bin/env python3
"""Time a guest boot: run COMMAND, wait for a marker line on its console
(stdout), print the seconds from start to marker, then power the guest off
by typing `poweroff -f` and make sure the process is gone (killed after a
grace period: no emulator is ever left running).

Usage: boot-to-marker.py [--marker M] [--timeout S] [--log FILE] -- COMMAND...
Exit status 0 and the time on stdout, or 1 and a one-line reason on stderr.
"""
import argparse
import os
import select
import signal
import subprocess
import sys
import time


def wait_for_marker(proc, marker, timeout, log):
    seen = b""
    deadline = time.monotonic() + timeout
    fd = proc.stdout.fileno()
    while marker not in seen:
        left = deadline - time.monotonic()
        if left <= 0:
            return "timed out after %gs" % timeout
        ready, _, _ = select.select([fd], [], [], left)
        if not ready:
            continue
        chunk = os.read(fd, 65536)
        if not chunk:
            return "exited with status %s before the marker" % proc.wait()
        if log:
            log.write(chunk)
        seen = seen[-len(marker):] + chunk
    return None


def stop(proc):
    try:
        proc.stdin.write(b"\npoweroff -f\n")
        proc.stdin.flush()
    except (BrokenPipeError, OSError):
        pass
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--marker", default="POPEK-INIT-READY")
    ap.add_argument("--timeout", type=float, default=300)
    ap.add_argument("--log")
    ap.add_argument("command", nargs="+")
    args = ap.parse_args()
    log = open(args.log, "wb") if args.log else None
    start = time.monotonic()
    try:
        proc = subprocess.Popen(args.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT, start_new_session=True)
    except OSError as e:
        print("cannot start %s: %s" % (args.command[0], e.strerror), file=sys.stderr)
        return 1
    try:
        why = wait_for_marker(proc, args.marker.encode(), args.timeout, log)
        elapsed = time.monotonic() - start
    finally:
        stop(proc)
    if why:
        print(why, file=sys.stderr)
        return 1
    print("%.3f" % elapsed)
    return 0


if __name__ == "__main__":
    sys.exit(main())
