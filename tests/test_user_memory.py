"""Guest memory management in `popek user`: anonymous and file mmap,
munmap holes, mprotect (a write to a PROT_READ page is SIGSEGV),
MAP_FIXED_NOREPLACE, mremap moving and shrinking, madvise, brk, malloc,
and SIGBUS for a file mapping touched past the end of the file."""
import pytest

from user_progs import LINKS, prog, run_user


@pytest.mark.parametrize("link", LINKS)
def test_memory_calls(popek, link):
    r = run_user(popek, [prog(link, "memory")])
    assert r.returncode == 0, r.stderr.decode()[-2000:]
    assert r.stdout.decode().splitlines() == [
        "munmap hole ok", "mprotect ok", "fixed_noreplace ok", "mremap ok", "madvise ok",
        "file mmap ok", "brk ok", "malloc ok", "faults=5"]
