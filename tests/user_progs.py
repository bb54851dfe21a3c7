"""Shared helpers for the process-VM tests (tests/test_user_*.py): where the
guest programs built by scripts/assets.d/40-user.sh live, and how to run one
under `popek user` and check for sanitizer reports."""
import pytest

from helpers import BUILD, run

USER = BUILD / "tests" / "user"
LINKS = ["rv64-static", "rv64-dyn"]


def prog(link, name):
    path = USER / link / name
    if not path.exists():
        pytest.fail(f"{path} missing: run scripts/build-assets.sh")
    return path


def run_user(popek, args, env=None, timeout=120, popek_opts=()):
    r = run([popek, "user", *popek_opts, *[str(a) for a in args]], env=env, timeout=timeout)
    err = r.stderr.decode(errors="replace")
    assert "AddressSanitizer" not in err and "runtime error:" not in err, err[-3000:]
    assert r.returncode not in (97, 98), f"sanitizer exit {r.returncode}: {err[-3000:]}"
    return r
