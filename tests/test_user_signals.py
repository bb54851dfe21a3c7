"""Guest signals in `popek user`: faults become SIGSEGV/SIGILL/SIGTRAP with
the right siginfo, handlers can recover with siglongjmp, default actions
kill popek with the same signal (the shell sees 128+N), and the signal
system calls (masks, sigsuspend, sigtimedwait, sigaltstack, SA_* flags,
restart of interrupted calls) behave like Linux."""
import signal

import pytest

from user_progs import LINKS, prog, run_user


@pytest.mark.parametrize("link", LINKS)
def test_segv_handler_recovers(popek, link):
    r = run_user(popek, [prog(link, "faults"), "recover"])
    assert r.returncode == 0, r.stderr
    assert r.stdout == b"segv maperr ok\nsegv accerr ok\nsegv again ok\n"


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("mode,sig", [
    ("null", signal.SIGSEGV),
    ("rodata", signal.SIGSEGV),
    ("blocked", signal.SIGSEGV),
    ("ill-dfl", signal.SIGILL),
])
def test_fatal_fault_kills_with_signal(popek, link, mode, sig):
    r = run_user(popek, [prog(link, "faults"), mode])
    # subprocess reports death by signal N as -N; a shell shows 128+N.
    assert r.returncode == -sig, (r.returncode, r.stderr[-500:])


@pytest.mark.parametrize("link", LINKS)
@pytest.mark.parametrize("mode", ["ill", "ebreak"])
def test_sigill_sigtrap_handlers(popek, link, mode):
    r = run_user(popek, [prog(link, "faults"), mode])
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"{mode} ok\n".encode()


@pytest.mark.parametrize("link", LINKS)
def test_signal_semantics(popek, link):
    r = run_user(popek, [prog(link, "signals")], timeout=60)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout.decode().splitlines() == [
        "raise/kill ok", "block/pending ok", "nodefer/resethand ok", "sigaltstack ok",
        "sigsuspend ok", "sigtimedwait ok", "alarm/pause ok", "restart ok"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGKILL, signal.SIGINT, signal.SIGUSR1])
def test_kill_self_default_action(popek, sig):
    r = run_user(popek, [prog("rv64-static", "signals"), "kill", str(int(sig))])
    assert r.returncode == -sig


def test_abort_status(popek):
    r = run_user(popek, [prog("rv64-dyn", "signals"), "abort"])
    assert r.returncode == -signal.SIGABRT


def test_ignored_signal(popek):
    r = run_user(popek, [prog("rv64-static", "signals"), "ignore"])
    assert r.returncode == 0 and r.stdout == b"ignored\n"


@pytest.mark.parametrize("link", LINKS)
def test_signals_from_another_process(popek, link):
    """A multi-threaded guest gets SIGUSR1 from outside in its handler, and
    an unhandled SIGTERM kills the whole process with that signal."""
    import os
    import subprocess
    proc = subprocess.Popen([popek, "user", str(prog(link, "signals")), "external"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    try:
        assert proc.stdout.readline() == b"ready\n"
        os.kill(proc.pid, signal.SIGUSR1)
        assert proc.stdout.readline() == b"usr1 from sender=1\n"
        os.kill(proc.pid, signal.SIGTERM)
        assert proc.wait(timeout=30) == -signal.SIGTERM
        err = proc.stderr.read().decode(errors="replace")
        assert "AddressSanitizer" not in err and "runtime error:" not in err, err
    finally:
        proc.kill()
        proc.wait()


@pytest.mark.parametrize("link", LINKS)
def test_sigchld(popek, link):
    r = run_user(popek, [prog(link, "signals"), "sigchld"])
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout == b"sigchld code=1 pid_ok=1\nautoreap ok\n"
