"""The user-mode corpus under both engines.

`popek user` runs the binary translator by default, so the whole suite
exercises it; this file reruns the corpus, the assembler ISA tests and the
busybox tests under the interpreter (POPEK_ENGINES=interp, read by
conftest.py), so that the reference engine keeps its end-to-end coverage
and both engines are held to the same outputs.
"""
import os
import subprocess
import sys

from helpers import ROOT

FILES = ["tests/test_corpus.py", "tests/test_asm_isa.py", "tests/test_busybox.py"]


def test_corpus_under_the_interpreter():
    env = dict(os.environ, POPEK_ENGINES="interp")
    r = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *FILES],
                       cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       timeout=1800)
    out = r.stdout.decode(errors="replace")
    assert r.returncode == 0, out[-6000:]
    assert "-interp-" in subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "--collect-only", "-p", "no:cacheprovider", FILES[0]],
        cwd=ROOT, env=env, stdout=subprocess.PIPE).stdout.decode(), "engine parametrization missing"
