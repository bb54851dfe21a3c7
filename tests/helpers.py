"""Import helpers for tests: `from helpers import run, ROOT, BUILD`."""
from conftest import ROOT, BUILD, run  # noqa: F401
