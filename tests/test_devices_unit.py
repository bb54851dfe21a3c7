"""C unit tests for the full-system platform devices.

Each tests/unit/test_*.c program drives devices through their MMIO
callbacks and a fake guest RAM the way a guest driver would (UART, CLINT,
PLIC, syscon, goldfish RTC, virtio-mmio + virtio-blk/rng, all of them wired
together on one bus, the device tree).
They are compiled here against just the device sources, once as a release
build and once with ASan+UBSan, and must exit 0 with no sanitizer report.
"""
import functools
import shutil
import subprocess

import pytest

from helpers import BUILD, ROOT, run

CFLAGS = ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-D_GNU_SOURCE", "-pthread",
          "-I", str(ROOT / "src"), "-I", str(ROOT / "tests" / "unit")]
VARIANTS = {
    "release": ["-O2", "-g"],
    "asan": ["-O1", "-g", "-fsanitize=address,undefined", "-fno-omit-frame-pointer",
             "-fno-sanitize-recover=undefined"],
}
VIRTIO = ["src/devices/virtio/core.c", "src/devices/virtio/queue.c",
          "src/devices/virtio/mmio.c", "src/devices/virtio/blk.c",
          "src/devices/virtio/rng.c", "src/backends/disk_raw.c",
          "src/vm/bus.c", "src/vm/memory.c"]
PROGRAMS = {
    "test_bus_memory": (["src/vm/bus.c", "src/vm/memory.c"], []),
    "test_clint_plic": (["src/devices/clint.c", "src/devices/plic.c"], []),
    "test_uart_syscon_rtc": (["src/devices/uart16550.c", "src/devices/syscon.c",
                              "src/devices/rtc_goldfish.c"], []),
    "test_virtio": (VIRTIO, []),
    "test_platform": (VIRTIO + ["src/devices/clint.c", "src/devices/plic.c",
                                "src/devices/uart16550.c", "src/devices/syscon.c",
                                "src/devices/rtc_goldfish.c"], []),
    "test_fdt": (["src/machine/fdt.c"], ["-lfdt"]),
}


@functools.lru_cache(maxsize=None)
def build(name, variant):
    srcs, libs = PROGRAMS[name]
    out_dir = BUILD / "tests" / "unit-devices" / variant
    out_dir.mkdir(parents=True, exist_ok=True)
    exe = out_dir / name
    cmd = (["gcc"] + CFLAGS + VARIANTS[variant] + ["-o", str(exe),
           str(ROOT / "tests" / "unit" / (name + ".c"))] +
           [str(ROOT / s) for s in srcs] + libs)
    r = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode == 0, f"compile {name} ({variant}) failed:\n{r.stderr.decode()}"
    return exe


@pytest.fixture(params=list(VARIANTS))
def variant(request):
    return request.param


def run_unit(exe, tmp_path, *args):
    env = {"TMPDIR": str(tmp_path),
           "ASAN_OPTIONS": "detect_leaks=0:abort_on_error=0:exitcode=97",
           "UBSAN_OPTIONS": "print_stacktrace=1:halt_on_error=1:exitcode=98"}
    r = run([str(exe), *args], env=env, timeout=120)
    out = r.stdout.decode() + r.stderr.decode()
    assert r.returncode == 0, out
    assert "runtime error" not in out and "AddressSanitizer" not in out, out
    assert " 0 failures" in out, out
    return out


@pytest.mark.parametrize("name", [n for n in PROGRAMS if n != "test_fdt"])
def test_device_unit(name, variant, tmp_path):
    run_unit(build(name, variant), tmp_path)


def test_virtio_hostile_cases_logged_once_each(variant, tmp_path):
    """Each broken queue logs one line naming the problem, then stays quiet."""
    out = run_unit(build("test_virtio", variant), tmp_path)
    for why in ["descriptor index out of range", "descriptor chain loops",
                "descriptor buffer outside guest RAM",
                "available index moved by more than the queue size",
                "readable descriptor after a writable one",
                "nested indirect descriptor", "indirect table outside guest RAM",
                "indirect descriptor with NEXT", "queue rings outside guest RAM"]:
        assert f"virtio-blk: {why}; device needs reset" in out, why


def test_fdt(variant, tmp_path):
    dtb = tmp_path / "virt.dtb"
    run_unit(build("test_fdt", variant), tmp_path, str(dtb))
    dtc = shutil.which("dtc")
    assert dtc, "dtc (device-tree-compiler) is not installed: run scripts/deps.sh"
    r = subprocess.run([dtc, "-I", "dtb", "-O", "dts", str(dtb)],
                       stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert r.returncode == 0, r.stderr.decode()
    assert r.stderr.decode().strip() == "", "dtc warnings:\n" + r.stderr.decode()
    dts = r.stdout.decode()
    for needle in ['compatible = "ns16550a"', 'stdout-path = "/soc/serial@10000000"',
                   'compatible = "google,goldfish-rtc"', 'compatible = "virtio,mmio"',
                   'riscv,ndev = <0x5f>', 'timebase-frequency = <0x989680>',
                   'compatible = "syscon-poweroff"', 'mmu-type = "riscv,sv39"']:
        assert needle in dts, needle
