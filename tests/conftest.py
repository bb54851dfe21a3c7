"""Shared pytest fixtures for popek.

Every test that runs popek takes the `popek` fixture, which is parametrized
over the release build and the ASan+UBSan build, so the whole suite runs
under the sanitizers too.  Set POPEK_BUILDS=release (or asan) to narrow it, and POPEK_ENGINES=interp,dbt
(or dbt) to run the user-mode tests under the binary translator as well.
"""
import os
import pathlib
import subprocess

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILD = ROOT / "build"
BUILDS = {
    "release": BUILD / "popek",
    "asan": BUILD / "asan" / "popek",
}


def selected_builds():
    wanted = os.environ.get("POPEK_BUILDS", "release,asan").split(",")
    return [b for b in wanted if b in BUILDS]


def selected_engines():
    # POPEK_ENGINES=interp,dbt runs every popek test under each listed
    # user-mode engine (popek user reads POPEK_ENGINE as its default engine);
    # unset, popek's own default engine is used.
    wanted = os.environ.get("POPEK_ENGINES", "").split(",")
    return [e for e in wanted if e in ("interp", "dbt")]


def build_engine_params():
    engines = selected_engines()
    if not engines:
        return [pytest.param((b, None), id=b) for b in selected_builds()]
    return [pytest.param((b, e), id=f"{b}-{e}") for b in selected_builds() for e in engines]


@pytest.fixture(params=build_engine_params())
def popek(request, monkeypatch):
    build, engine = request.param
    if engine:
        monkeypatch.setenv("POPEK_ENGINE", engine)
    # POPEK_BUILD_DIR lets a developer point the suite at another output dir.
    base = pathlib.Path(os.environ.get("POPEK_BUILD_DIR", str(BUILD)))
    path = base / BUILDS[build].relative_to(BUILD)
    if not path.exists():
        pytest.fail(f"{path} is not built: run make all asan")
    return str(path)


@pytest.fixture
def sanitizer_env():
    env = dict(os.environ)
    env["ASAN_OPTIONS"] = "detect_leaks=0:abort_on_error=0:exitcode=97"
    env["UBSAN_OPTIONS"] = "print_stacktrace=1:halt_on_error=1:exitcode=98"
    return env


def run(cmd, env=None, timeout=120, input=None, cwd=None):
    """Run a command, returning CompletedProcess with bytes output."""
    e = dict(os.environ)
    e.setdefault("ASAN_OPTIONS", "detect_leaks=0:exitcode=97")
    e.setdefault("UBSAN_OPTIONS", "print_stacktrace=1:halt_on_error=1:exitcode=98")
    if env:
        e.update(env)
    return subprocess.run(cmd, env=e, timeout=timeout, input=input, cwd=cwd,
                          stdout=subprocess.PIPE, stderr=subprocess.PIPE)
