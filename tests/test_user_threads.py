"""Threads and processes in `popek user`: pthreads on host threads with
futexes, exit_group from a thread, fork/vfork/posix_spawn with wait
statuses, and execve of /proc/self/exe, of another program and of things
that cannot be executed."""
import pytest

from user_progs import LINKS, prog, run_user


@pytest.mark.parametrize("link", LINKS)
def test_pthreads(popek, link):
    r = run_user(popek, [prog(link, "threads")], timeout=120)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout == b"counter=160000\ncondvar ok\npthread_kill ok\n"


@pytest.mark.parametrize("link", LINKS)
def test_exit_from_thread(popek, link):
    r = run_user(popek, [prog(link, "threads"), "exit-from-thread", "23"], timeout=60)
    assert r.returncode == 23


@pytest.mark.parametrize("link", LINKS)
def test_fork_wait_spawn(popek, link):
    r = run_user(popek, [prog(link, "procs"), "fork"], timeout=60)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout.decode().splitlines() == [
        "fork ok", "child killed ok", "vfork ok", "exec'd: argv[0]=procs env=", "posix_spawn ok"]


@pytest.mark.parametrize("link", LINKS)
def test_exec_self(popek, link):
    r = run_user(popek, [prog(link, "procs"), "exec-self"])
    assert r.returncode == 5, r.stderr
    assert r.stdout == b"exec'd: argv[0]=procs env=passed\n"


@pytest.mark.parametrize("link", LINKS)
def test_exec_other_program(popek, link):
    r = run_user(popek, [prog(link, "procs"), "exec", prog("rv64-dyn", "hello")])
    assert r.returncode == 7, r.stderr
    assert r.stdout == b"hello from riscv64 (argc=2)\n"


def test_exec_errors(popek):
    r = run_user(popek, [prog("rv64-static", "procs"), "exec-missing"])
    assert r.returncode == 0 and r.stdout == b"ENOENT ok\n", r.stderr
    # A host (x86-64) program is not a riscv64 program: ENOEXEC like Linux.
    r = run_user(popek, [prog("rv64-static", "procs"), "exec-foreign", "/bin/true"])
    assert r.returncode == 0 and r.stdout == b"ENOEXEC ok\n", r.stderr


@pytest.mark.parametrize("link", LINKS)
def test_many_short_threads(popek, link):
    # 63 rounds of 16 threads: finished threads must really go away.
    r = run_user(popek, [prog(link, "threads"), "many", "1000"], timeout=120)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout == b"many=1008\n"


@pytest.mark.parametrize("link", LINKS)
def test_signal_storm_between_threads(popek, link):
    r = run_user(popek, [prog(link, "threads"), "storm"], timeout=120)
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout == b"storm counter=120000 hits=1\n"
