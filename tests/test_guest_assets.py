"""The default full-system guest built by scripts/assets.d/10-guest.sh.

Checks the files themselves (no emulator): the kernel is a flat RISC-V
Image, the firmware is OpenSBI's fw_dynamic, and the initramfs is a
root-owned newc archive holding busybox, an executable /init that prints
the marker, and the virtio/ext4 modules listed dependencies first.
"""
import gzip
import stat
import struct
import subprocess

import pytest

from conftest import BUILD, ROOT

GUEST = BUILD / "guest"
MARKER = "POPEK-INIT-READY"


def need(path):
    if not path.exists():
        pytest.fail(f"{path} is missing: run scripts/build-assets.sh")
    return path


def newc_entries(data):
    """Parse a newc cpio archive: name -> (mode, uid, gid, body)."""
    entries, off = {}, 0
    while True:
        assert data[off:off + 6] == b"070701", f"not newc at offset {off}"
        fields = [int(data[off + 6 + 8 * i: off + 14 + 8 * i], 16) for i in range(13)]
        mode, uid, gid, filesize, namesize = fields[1], fields[2], fields[3], fields[6], fields[11]
        name_at = off + 110
        name = data[name_at:name_at + namesize - 1].decode()
        body_at = (name_at + namesize + 3) & ~3
        if name == "TRAILER!!!":
            return entries
        entries[name] = (mode, uid, gid, data[body_at:body_at + filesize])
        off = (body_at + filesize + 3) & ~3


@pytest.fixture(scope="module")
def initramfs():
    return newc_entries(gzip.decompress(need(GUEST / "initramfs.cpio.gz").read_bytes()))


def test_kernel_is_a_flat_riscv_image():
    hdr = need(GUEST / "Image").read_bytes()[:64]
    assert hdr[0x30:0x38] == b"RISCV\0\0\0" and hdr[0x38:0x3C] == b"RSC\x05"
    text_offset, image_size = struct.unpack_from("<QQ", hdr, 8)
    assert text_offset == 0x200000 and image_size > (GUEST / "Image").stat().st_size // 2


def test_firmware_is_opensbi_fw_dynamic():
    fw = need(GUEST / "fw_dynamic.bin").read_bytes()
    assert 64 * 1024 < len(fw) < 2 * 1024 * 1024
    assert b"OpenSBI" in fw and not fw.startswith(b"\x7fELF")


def test_everything_is_owned_by_root(initramfs):
    assert all(uid == 0 and gid == 0 for _, uid, gid, _ in initramfs.values())


def test_init_and_busybox(initramfs):
    mode, _, _, body = initramfs["init"]
    assert stat.S_ISREG(mode) and mode & 0o111
    script = body.decode()
    assert script.startswith("#!/bin/busybox sh")
    assert f"echo {MARKER}" in script and "poweroff -f" in script
    mode, _, _, body = initramfs["bin/busybox"]
    assert stat.S_ISREG(mode) and mode & 0o111
    # a static riscv64 executable: ELF64, e_machine 243, no PT_INTERP
    assert body[:4] == b"\x7fELF" and struct.unpack_from("<H", body, 18)[0] == 243
    assert b"/lib/ld-linux" not in body[:4096]
    for d in ("dev", "proc", "sys", "tmp", "mnt", "sbin", "usr/bin"):
        assert stat.S_ISDIR(initramfs[d][0]), d


def test_init_script_parses():
    init = ROOT / "tests/guest/initramfs/init"
    assert subprocess.run(["sh", "-n", str(init)]).returncode == 0


def test_modules_load_dependencies_first(initramfs):
    order = initramfs["lib/modules/load-order"][3].decode().split()
    for mod in order:
        body = initramfs[f"lib/modules/{mod}"][3]
        assert body[:4] == b"\x7fELF", f"{mod} is not an uncompressed module"
    pos = {m[:-3]: i for i, m in enumerate(order)}
    for needed in ("virtio_mmio", "virtio_blk", "virtio_net", "virtio_rng", "ext4"):
        assert needed in pos, f"{needed} missing from {order}"
    for before, after in [("failover", "net_failover"), ("net_failover", "virtio_net"),
                          ("jbd2", "ext4"), ("mbcache", "ext4"), ("crc16", "ext4"),
                          ("crc32c_generic", "ext4")]:
        assert pos[before] < pos[after], f"{before} must load before {after}"


def test_a_second_asset_run_rebuilds_nothing():
    outs = [need(GUEST / f) for f in ("Image", "fw_dynamic.bin", "initramfs.cpio.gz")]
    before = [p.stat().st_mtime_ns for p in outs]
    r = subprocess.run([str(ROOT / "scripts/assets.d/10-guest.sh")], capture_output=True, timeout=120)
    assert r.returncode == 0, r.stderr.decode()
    assert [p.stat().st_mtime_ns for p in outs] == before


def test_disk_image_is_ext4_with_a_known_file():
    disk = need(GUEST / "disk.ext4").read_bytes()
    sb = disk[1024:2048]
    assert struct.unpack_from("<H", sb, 0x38)[0] == 0xEF53        # s_magic
    assert sb[0x78:0x78 + 16].rstrip(b"\0") == b"popek"            # s_volume_name
    assert b"hello from the popek disk\n" in disk
