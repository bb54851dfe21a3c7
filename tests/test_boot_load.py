"""Boot loading for the full-system machine (src/machine/boot.c, boot_elf.c).

tests/unit/boot_check.c loads firmware, kernel and initrd into a private
guest RAM at 0x80000000 with the real loader, places a dummy device tree,
prints the layout and entry registers and reads RAM back to check every raw
file landed byte for byte.  The default guest comes from build/guest
(scripts/assets.d/10-guest.sh); hostile kernels are built here.
"""
import struct

import pytest

from conftest import BUILD, run, selected_builds

DRIVERS = {"release": BUILD / "tests/unit", "asan": BUILD / "tests/unit/asan"}
GUEST = BUILD / "guest"
MiB = 1 << 20
RAM = 0x80000000


@pytest.fixture(params=selected_builds())
def check(request):
    path = DRIVERS[request.param] / "boot_check"
    if not path.exists():
        pytest.fail(f"{path} is not built: run scripts/build-assets.sh")
    return str(path)


@pytest.fixture
def assets():
    for f in ("Image", "initramfs.cpio.gz", "fw_dynamic.bin"):
        if not (GUEST / f).exists():
            pytest.fail(f"{GUEST / f} is missing: run scripts/build-assets.sh")
    return GUEST


def need(path):
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/build-assets.sh")
    return path


def load(check, mem, fw, kernel, initrd, fdt_size=4096):
    r = run([check, str(mem), str(fw or "none"), str(kernel), str(initrd or "none"), str(fdt_size)])
    assert r.returncode == 0, r.stderr.decode()
    out = dict(line.split("=", 1) for line in r.stdout.decode().splitlines())
    return {k: (int(v, 0) if "," not in v and (v[:2] == "0x" or v.isdigit()) else v) for k, v in out.items()}


def error(check, mem, fw, kernel, initrd=None, fdt_size=4096):
    r = run([check, str(mem), str(fw or "none"), str(kernel), str(initrd or "none"), str(fdt_size)])
    err = r.stderr.decode()
    assert r.returncode == 1, (r.returncode, err, r.stdout.decode())
    assert err.startswith("popek: ") and err.count("\n") == 1, err
    return err


def image(text_offset=0x200000, image_size=0, body=4096, magic=b"RISCV\0\0\0", magic2=b"RSC\x05"):
    hdr = struct.pack("<IIQQQII Q", 0, 0, text_offset, image_size, 0, 2, 0, 0)
    hdr += magic + magic2 + b"\0" * 4
    return hdr + bytes(body)


def test_default_guest_layout(check, assets):
    s = load(check, 256 * MiB, assets / "fw_dynamic.bin", assets / "Image", assets / "initramfs.cpio.gz")
    assert s["fw_addr"] == RAM and s["pc"] == RAM and s["priv"] == 3
    assert s["kernel_addr"] == RAM + 0x200000 == s["kernel_entry"]
    # the DTB slot is 2 MiB aligned near the top, as on QEMU's virt
    assert s["dtb_addr"] == RAM + 256 * MiB - 2 * MiB == s["a1"]
    assert s["initrd_end"] <= s["dtb_addr"] and s["initrd_start"] % 4096 == 0
    assert s["initrd_start"] >= s["kernel_end"]
    assert s["a0"] == 0 and s["a2"] == s["info_addr"]
    assert s["info_addr"] + 48 <= RAM + 256 * MiB and s["info_addr"] >= s["dtb_addr"] + s["dtb_max"]
    assert s["info"] == f"0x4942534f,2,0x{RAM + 0x200000:x},1,0,0xffffffffffffffff"
    for part in ("firmware", "kernel", "initrd", "dtb"):
        assert s[f"verify_{part}"] == "ok"


def test_position_independent_elf_firmware_goes_to_the_start_of_ram(check, assets):
    fw = BUILD / "riscv64-root/opensbi/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.elf"
    s = load(check, 256 * MiB, need(fw), assets / "Image", None)
    assert s["fw_addr"] == RAM == s["pc"] and 0 < s["fw_size"] < 2 * MiB
    assert s["kernel_addr"] == RAM + 0x200000 and s["a2"] == s["info_addr"]


def test_kernel_footprint_uses_the_header_image_size(check, tmp_path):
    k = tmp_path / "Image"
    k.write_bytes(image(image_size=8 * MiB))
    s = load(check, 64 * MiB, tmp_path / "Image", k, None)   # any raw file will do as firmware
    assert s["kernel_end"] == RAM + 0x200000 + 8 * MiB


def test_initrd_must_not_overlap_the_kernel(check, tmp_path):
    k, i, fw = tmp_path / "Image", tmp_path / "initrd", tmp_path / "fw"
    k.write_bytes(image(image_size=20 * MiB))
    i.write_bytes(bytes(12 * MiB))
    fw.write_bytes(bytes(4096))
    assert "does not fit in guest RAM above the kernel" in error(check, 32 * MiB, fw, k, i)
    s = load(check, 48 * MiB, fw, k, i)
    assert s["initrd_start"] >= s["kernel_end"]


def test_kernel_larger_than_ram(check, assets):
    err = error(check, 16 * MiB, assets / "fw_dynamic.bin", assets / "Image")
    assert "does not fit in guest RAM" in err


@pytest.mark.parametrize("variant", [
    dict(magic2=b"RSC\x06"), dict(magic=b"ARM\x64\0\0\0\0"), dict(text_offset=0x1234),
    dict(text_offset=1 << 40), dict(body=0),
])
def test_not_an_image(check, tmp_path, variant):
    k = tmp_path / "vmlinux"
    data = image(**variant)
    k.write_bytes(data if variant != dict(body=0) else data[:40])
    fw = tmp_path / "fw"
    fw.write_bytes(bytes(64))
    assert f"{k} is not a RISC-V Linux kernel Image" in error(check, 64 * MiB, fw, k)


def test_empty_and_missing_files(check, tmp_path):
    fw, k = tmp_path / "fw", tmp_path / "k"
    fw.write_bytes(b"")
    k.write_bytes(image())
    assert f"firmware '{fw}' is empty" in error(check, 64 * MiB, fw, k)
    assert f"cannot open kernel '{tmp_path}/nope': No such file or directory" in \
        error(check, 64 * MiB, k, tmp_path / "nope")
    assert f"cannot open initrd '{tmp_path}/nope'" in error(check, 64 * MiB, k, k, tmp_path / "nope")


def test_device_tree_larger_than_its_slot(check, tmp_path):
    fw, k = tmp_path / "fw", tmp_path / "k"
    fw.write_bytes(bytes(64))
    k.write_bytes(image())
    assert "device tree" in error(check, 64 * MiB, fw, k, None, fdt_size=2 * MiB)


def test_bios_none_needs_an_elf(check, tmp_path):
    k = tmp_path / "Image"
    k.write_bytes(image())
    assert "with --bios none the kernel must be an ELF" in error(check, 64 * MiB, None, k)


def test_bare_metal_elf_with_htif(check):
    elf = BUILD / "tests/boot/htif_exit"
    if not elf.exists():
        pytest.fail(f"{elf} is not built: run scripts/build-assets.sh")
    s = load(check, 64 * MiB, None, elf, None)
    assert s["pc"] == RAM == s["kernel_entry"] and s["priv"] == 3
    assert s["fw_size"] == 0 and s["a2"] == 0 and "info" not in s
    assert s["has_htif"] == 1
    assert s["tohost"] == RAM + 0x1000 and s["fromhost"] == RAM + 0x1040
    assert s["kernel_end"] == RAM + 0x4000   # the BSS counts


# --- hostile ELF files -------------------------------------------------------

def elf64(segments, machine=243, etype=2, phoff=64, shdrs=b"", shoff=0, shnum=0, entry=RAM):
    """A minimal ELF64: segments are (paddr, data, memsz)."""
    phnum = len(segments)
    data_off = 64 + 56 * phnum
    phdrs, blobs = b"", b""
    for paddr, data, memsz in segments:
        phdrs += struct.pack("<IIQQQQQQ", 1, 7, data_off + len(blobs), paddr, paddr,
                             len(data), memsz, 0x1000)
        blobs += data
    ehdr = b"\x7fELF" + bytes([2, 1, 1]) + bytes(9)
    ehdr += struct.pack("<HHIQQQIHHHHHH", etype, machine, 1, entry, phoff, shoff, 0, 64, 56,
                        phnum, 64, shnum, 0)
    return ehdr + phdrs + blobs + shdrs


@pytest.mark.parametrize("name,blob,needle", [
    ("outside-ram", elf64([(RAM + 63 * MiB, bytes(16), 2 * MiB)]), "outside guest RAM"),
    ("below-ram", elf64([(0x1000, bytes(16), 16)]), "outside guest RAM"),
    ("wrapping", elf64([(2**64 - 8, bytes(16), 16)]), "outside guest RAM"),
    ("filesz-gt-memsz", elf64([(RAM, bytes(16), 8)]), "malformed"),
    ("x86-64", elf64([(RAM, bytes(16), 16)], machine=62), "riscv64"),
    ("shared-object", elf64([(RAM, bytes(16), 16)], etype=3), "not an executable"),
    ("phoff-beyond-file", elf64([(RAM, bytes(16), 16)], phoff=1 << 40), "malformed"),
    ("no-load", elf64([]), "malformed"),
])
def test_hostile_elf_is_refused(check, tmp_path, name, blob, needle):
    k = tmp_path / name
    k.write_bytes(blob)
    assert needle in error(check, 64 * MiB, None, k)


def test_segment_data_beyond_the_file(check, tmp_path):
    blob = bytearray(elf64([(RAM, bytes(16), 16)]))
    struct.pack_into("<Q", blob, 64 + 8, 1 << 62)   # p_offset
    k = tmp_path / "k"
    k.write_bytes(bytes(blob))
    assert "malformed" in error(check, 64 * MiB, None, k)


def test_lying_symbol_table_is_ignored(check, tmp_path):
    # a SYMTAB whose size and string table point far outside the file
    sh = bytes(64) + struct.pack("<IIQQQQIIQQ", 0, 2, 0, 0, 0x100, 1 << 40, 2, 0, 8, 24)
    sh += struct.pack("<IIQQQQIIQQ", 0, 3, 0, 0, 1 << 50, 1 << 50, 0, 0, 1, 0)
    base = elf64([(RAM, bytes(16), 16)])
    blob = elf64([(RAM, bytes(16), 16)], shdrs=sh, shoff=len(base), shnum=3)
    k = tmp_path / "k"
    k.write_bytes(blob)
    s = load(check, 64 * MiB, None, k, None)
    assert s["has_htif"] == 0 and s["pc"] == RAM


def test_mutated_elfs_never_crash_the_loader(check, tmp_path):
    """Random byte flips in the ELF headers of a real program: the loader
    must accept or refuse each with one line, never crash (ASan/UBSan)."""
    import random
    elf = BUILD / "tests/boot/htif_exit"
    if not elf.exists():
        pytest.fail(f"{elf} is not built: run scripts/build-assets.sh")
    good = elf.read_bytes()
    shoff = struct.unpack_from("<Q", good, 0x28)[0]
    hot = list(range(0x10, 64 + 3 * 56)) + list(range(shoff, len(good)))   # headers only
    rng = random.Random(1234)
    k = tmp_path / "k"
    for i in range(60):
        blob = bytearray(good)
        for _ in range(rng.randint(1, 6)):
            blob[rng.choice(hot)] = rng.randrange(256)
        k.write_bytes(bytes(blob))
        r = run([check, str(64 * MiB), "none", str(k), "none"])
        assert r.returncode in (0, 1), (i, r.returncode, r.stderr.decode()[-2000:])
        if r.returncode == 1:
            assert r.stderr.decode().count("\n") == 1
