"""`popek user`: loading static and dynamic riscv64 programs, the initial
stack (argv, envp, auxv), exit status, #! scripts, --strace, and the
command-line errors."""
import pytest

from user_progs import LINKS, USER, prog, run_user


@pytest.mark.parametrize("link", LINKS)
def test_hello_and_exit_code(popek, link):
    r = run_user(popek, [prog(link, "hello")])
    assert r.returncode == 0
    assert r.stdout == b"hello from riscv64 (argc=1)\n"
    r = run_user(popek, [prog(link, "hello"), "77"])
    assert r.returncode == 77


@pytest.mark.parametrize("link", LINKS)
def test_initial_stack(popek, link):
    path = prog(link, "startup")
    r = run_user(popek, [path, "one", "two words", ""], env={"POPEK_TEST_VAR": "v=1"})
    assert r.returncode == 0, r.stderr
    out = dict(l.split("=", 1) for l in r.stdout.decode().splitlines())
    assert out["argv[0]"] == str(path)
    assert out["argv[1]"] == "one" and out["argv[2]"] == "two words" and out["argv[3]"] == ""
    assert out["env"] == "v=1"
    assert out["pagesz"] == "4096"
    hwcap = int(out["hwcap"], 16)
    for letter in "IMAFDC":
        assert hwcap & (1 << (ord(letter) - ord("A"))), letter
    assert out["clktck"] == "100"
    assert out["secure"] == "0" and out["uid_ok"] == "1"
    assert out["phent"] == "56"
    for key in ("phdr_nonzero", "phnum_nonzero", "entry_nonzero", "minsigstksz_nonzero",
                "random_nonzero", "phdr_has_load", "stack_high"):
        assert out[key] == "1", key
    assert out["execfn"] == str(path)


def test_argv0_option(popek):
    r = run_user(popek, [prog("rv64-static", "startup")], popek_opts=["-0", "custom-name"])
    assert b"argv[0]=custom-name\n" in r.stdout


def test_shebang_script(popek):
    script = USER / "script.sh"
    if not script.exists():
        pytest.fail(f"{script} missing: run scripts/build-assets.sh")
    r = run_user(popek, [script, "arg"])
    assert r.returncode == 0, r.stderr
    lines = r.stdout.decode().splitlines()
    assert lines[0] == f"argv[0]={USER / 'rv64-static' / 'startup'}"
    assert lines[1:4] == ["argv[1]=from-shebang", f"argv[2]={script}", "argv[3]=arg"]
    # AT_EXECFN names what was executed: the script, as on Linux.
    assert f"execfn={script}" in lines


@pytest.mark.parametrize("link", LINKS)
def test_strace_and_unknown_syscall(popek, link):
    r = run_user(popek, [prog(link, "nosys")])
    assert r.returncode == 0 and r.stdout == b"enosys ok\n"
    assert r.stderr == b"", "unknown syscalls are reported only under --strace"
    r = run_user(popek, [prog(link, "nosys")], popek_opts=["--strace"])
    assert r.returncode == 0
    err = r.stderr.decode()
    assert err.count("unknown syscall 1000") == 1, err
    assert "write(" in err and "exit_group(" in err


def test_missing_program_argument(popek):
    r = run_user(popek, [])
    assert r.returncode == 2
    assert r.stderr.decode().startswith("popek: ")


def test_unknown_option(popek):
    r = run_user(popek, ["--bogus", prog("rv64-static", "hello")])
    assert r.returncode == 2
    assert r.stderr.decode().count("\n") == 1


def test_missing_interpreter_named(popek, tmp_path):
    # An empty sysroot: the dynamic program's PT_INTERP cannot be found
    # and the message names the path that was looked for.
    r = run_user(popek, [prog("rv64-dyn", "hello")], popek_opts=["-L", str(tmp_path)])
    err = r.stderr.decode()
    assert r.returncode != 0
    assert err.startswith("popek: ") and err.count("\n") == 1
    assert f"{tmp_path}/lib/ld-linux-riscv64-lp64d.so.1" in err


def test_version_and_help(popek):
    from helpers import run
    r = run([popek, "--version"])
    assert r.returncode == 0 and r.stdout.startswith(b"popek ")
    r = run([popek, "--help"])
    assert r.returncode == 0 and b"popek user" in r.stdout
    r = run([popek, "user", "--help"])
    assert r.returncode == 0 and b"SYSROOT" in r.stdout
