"""Bad input to `popek user`: programs that cannot be run must be refused
cleanly, never crash popek.  Every case must exit non-zero with exactly one
line on stderr, starting with "popek:", and no sanitizer report.

Cases: a missing file, a directory, non-ELF files, an x86-64 ELF, a 32-bit
RISC-V ELF, a riscv64 ELF truncated at many lengths, ELF headers corrupted
field by field, and dynamic programs whose interpreter is missing, foreign
or truncated in the sysroot given with -L.
"""
import os
import shutil
import stat
import struct

import pytest

from helpers import BUILD, run

RV64_STATIC = BUILD / "tests" / "corpus" / "rv64-static" / "int_arith"
RV64_DYN = BUILD / "tests" / "corpus" / "rv64-dyn" / "int_arith"
RV32 = BUILD / "tests" / "badinput" / "rv32.elf"
INTERP = "lib/ld-linux-riscv64-lp64d.so.1"

# ELF64 header field offsets
E_PHOFF, E_PHENTSIZE, E_PHNUM, E_ENTRY = 32, 54, 56, 24
PT_LOAD, PT_INTERP = 1, 3


def need(path):
    if not path.exists():
        pytest.fail(f"{path} missing: run scripts/build-assets.sh")
    return path


def assert_refused(popek, argv, what):
    r = run([popek, "user"] + [str(a) for a in argv], timeout=60)
    err = r.stderr.decode(errors="replace")
    assert "AddressSanitizer" not in err and "runtime error:" not in err, \
        f"{what}: sanitizer report:\n{err[-3000:]}"
    assert r.returncode != 0, f"{what}: exit status 0 (stdout {r.stdout[:200]!r})"
    assert r.returncode > 0, f"{what}: popek died from signal {-r.returncode}: {err[-500:]!r}"
    lines = err.splitlines()
    assert len(lines) == 1 and err.endswith("\n"), \
        f"{what}: want exactly one stderr line, got {len(lines)}: {err[-1000:]!r}"
    assert lines[0].startswith("popek:"), f"{what}: stderr line {lines[0]!r}"
    return lines[0]


def write_exec(path, data):
    path.write_bytes(data)
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_missing_file(popek, tmp_path):
    assert_refused(popek, [tmp_path / "no-such-program"], "missing file")


def test_directory(popek, tmp_path):
    assert_refused(popek, [tmp_path], "directory")


def test_unreadable(popek, tmp_path):
    if os.geteuid() == 0:
        # root reads anything; use a FIFO-free substitute: a dangling symlink
        link = tmp_path / "dangling"
        link.symlink_to(tmp_path / "nowhere")
        assert_refused(popek, [link], "dangling symlink")
    else:
        p = write_exec(tmp_path / "secret", RV64_STATIC.read_bytes() if RV64_STATIC.exists() else b"x")
        p.chmod(0)
        assert_refused(popek, [p], "unreadable file")


@pytest.mark.parametrize("content", [b"", b"hello, world\n", b"\x7fELF", b"\x7fELF" + b"\0" * 60,
                                     b"MZ\x90\x00" + b"\0" * 200],
                         ids=["empty", "text", "magic-only", "zero-header", "pe"])
def test_not_elf(popek, tmp_path, content):
    p = write_exec(tmp_path / "prog", content)
    assert_refused(popek, [p], f"non-ELF {content[:8]!r}")


def test_x86_64_elf(popek):
    true = shutil.which("true") or "/bin/true"
    assert_refused(popek, [os.path.realpath(true)], "x86-64 ELF")


def test_rv32_elf(popek):
    assert_refused(popek, [need(RV32)], "32-bit RISC-V ELF")


def loaded_end(data):
    """End of the last PT_LOAD's file bytes: anything shorter is incomplete
    (bytes after it, section headers and symbols, are not needed to run)."""
    phoff = struct.unpack_from("<Q", data, E_PHOFF)[0]
    phentsize, phnum = struct.unpack_from("<HH", data, E_PHENTSIZE)
    end = 0
    for i in range(phnum):
        ptype, _, off, _, _, filesz = struct.unpack_from("<IIQQQQ", data, phoff + i * phentsize)
        if ptype == PT_LOAD:
            end = max(end, off + filesz)
    return end


def truncation_lengths():
    end = loaded_end(RV64_STATIC.read_bytes()) if RV64_STATIC.exists() else 100000
    return sorted({1, 4, 16, 52, 63, 64, 65, 64 + 56, 64 + 56 * 2 - 1, 400, 1000, 4095, 4096,
                   4097, end // 4, end // 2, end - 4096, end - 1})


@pytest.mark.parametrize("length", truncation_lengths())
def test_truncated_elf(popek, tmp_path, length):
    data = need(RV64_STATIC).read_bytes()[:length]
    p = write_exec(tmp_path / "truncated", data)
    assert_refused(popek, [p], f"ELF truncated to {length} bytes")


def phdr(data, i):
    phoff = struct.unpack_from("<Q", data, E_PHOFF)[0]
    return phoff + i * struct.unpack_from("<H", data, E_PHENTSIZE)[0]


def find_phdr(data, ptype):
    phnum = struct.unpack_from("<H", data, E_PHNUM)[0]
    for i in range(phnum):
        off = phdr(data, i)
        if struct.unpack_from("<I", data, off)[0] == ptype:
            return off
    raise AssertionError(f"no program header of type {ptype}")


def corrupt(data, name):
    """Apply one named corruption to an ELF image (bytearray)."""
    load = find_phdr(data, PT_LOAD)
    if name == "phoff-past-eof":
        struct.pack_into("<Q", data, E_PHOFF, len(data) + 4096)
    elif name == "phoff-huge":
        struct.pack_into("<Q", data, E_PHOFF, 0xfffffffffffffff0)
    elif name == "phnum-huge":
        struct.pack_into("<H", data, E_PHNUM, 0xffff)
    elif name == "phnum-zero":
        struct.pack_into("<H", data, E_PHNUM, 0)
    elif name == "phentsize-small":
        struct.pack_into("<H", data, E_PHENTSIZE, 12)
    elif name == "class-32":
        data[4] = 1
    elif name == "big-endian":
        data[5] = 2
    elif name == "type-rel":
        struct.pack_into("<H", data, 16, 1)           # ET_REL
    elif name == "load-offset-past-eof":
        struct.pack_into("<Q", data, load + 8, len(data) + 65536)
    elif name == "load-filesz-huge":
        struct.pack_into("<Q", data, load + 32, 1 << 62)
    elif name == "load-filesz-gt-memsz":
        memsz = struct.unpack_from("<Q", data, load + 40)[0]
        struct.pack_into("<Q", data, load + 32, memsz + 8192)
    elif name == "load-vaddr-outside-window":
        struct.pack_into("<Q", data, load + 16, 0xffffffff00000000)
    elif name == "load-vaddr-wraps":
        struct.pack_into("<Q", data, load + 16, 0xfffffffffffff000)
        struct.pack_into("<Q", data, load + 40, 0x10000)
    elif name == "load-memsz-huge":
        struct.pack_into("<Q", data, load + 40, 1 << 60)
    elif name == "load-misaligned":
        vaddr = struct.unpack_from("<Q", data, load + 16)[0]
        struct.pack_into("<Q", data, load + 16, vaddr + 123)
    else:
        raise AssertionError(name)
    return data


CORRUPTIONS = ["phoff-past-eof", "phoff-huge", "phnum-huge", "phnum-zero", "phentsize-small",
               "class-32", "big-endian", "type-rel", "load-offset-past-eof",
               "load-filesz-huge", "load-filesz-gt-memsz", "load-vaddr-outside-window",
               "load-vaddr-wraps", "load-memsz-huge", "load-misaligned"]


@pytest.mark.parametrize("name", CORRUPTIONS)
def test_corrupt_header(popek, tmp_path, name):
    data = corrupt(bytearray(need(RV64_STATIC).read_bytes()), name)
    p = write_exec(tmp_path / "corrupt", bytes(data))
    assert_refused(popek, [p], f"corrupt ELF ({name})")


@pytest.mark.parametrize("name", ["interp-past-eof", "interp-unterminated", "interp-huge"])
def test_corrupt_interp_header(popek, tmp_path, name):
    data = bytearray(need(RV64_DYN).read_bytes())
    ph = find_phdr(data, PT_INTERP)
    if name == "interp-past-eof":
        struct.pack_into("<Q", data, ph + 8, len(data) + 100)
    elif name == "interp-unterminated":
        off = struct.unpack_from("<Q", data, ph + 8)[0]        # p_offset
        size = struct.unpack_from("<Q", data, ph + 32)[0]      # p_filesz
        assert data[off + size - 1] == 0
        data[off + size - 1] = ord("x")                        # drop the NUL
    else:
        struct.pack_into("<Q", data, ph + 32, 1 << 40)
    p = write_exec(tmp_path / "corrupt", bytes(data))
    assert_refused(popek, ["-L", "/usr/riscv64-linux-gnu", p], f"corrupt PT_INTERP ({name})")


def sysroot_with_interp(tmp_path, content):
    root = tmp_path / "sysroot"
    (root / "lib").mkdir(parents=True)
    if content is not None:
        write_exec(root / INTERP, content)
    return root


def test_dynamic_missing_interpreter(popek, tmp_path):
    root = sysroot_with_interp(tmp_path, None)
    assert_refused(popek, ["-L", root, need(RV64_DYN)], "missing interpreter")


def test_dynamic_foreign_interpreter(popek, tmp_path):
    true = os.path.realpath(shutil.which("true") or "/bin/true")
    with open(true, "rb") as f:
        root = sysroot_with_interp(tmp_path, f.read())
    assert_refused(popek, ["-L", root, need(RV64_DYN)], "x86-64 interpreter")


def test_dynamic_truncated_interpreter(popek, tmp_path):
    real = pathlib_read("/usr/riscv64-linux-gnu/" + INTERP)
    root = sysroot_with_interp(tmp_path, real[:3000])
    assert_refused(popek, ["-L", root, need(RV64_DYN)], "truncated interpreter")


def test_dynamic_text_interpreter(popek, tmp_path):
    root = sysroot_with_interp(tmp_path, b"#!/bin/sh\necho not a loader\n")
    assert_refused(popek, ["-L", root, need(RV64_DYN)], "text interpreter")


def pathlib_read(path):
    with open(path, "rb") as f:
        return f.read()


def test_shebang_to_missing_interpreter(popek, tmp_path):
    p = write_exec(tmp_path / "script", b"#!/nonexistent/interpreter -x\necho hi\n")
    assert_refused(popek, [p], "#! to a missing interpreter")


def test_shebang_loop(popek, tmp_path):
    p = tmp_path / "loop"
    write_exec(p, f"#!{p}\n".encode())
    assert_refused(popek, [p], "#! naming itself")


def test_shebang_overlong_line(popek, tmp_path):
    p = write_exec(tmp_path / "long", b"#!/" + b"a" * 10000 + b"\n")
    assert_refused(popek, [p], "#! line longer than any path")


@pytest.mark.parametrize("argv", [[], ["--no-such-option", "x"], ["-L"]],
                         ids=["no-program", "bad-option", "L-without-dir"])
def test_usage_errors(popek, argv):
    assert_refused(popek, argv, f"usage error {argv}")
