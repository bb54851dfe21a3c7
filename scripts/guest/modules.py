#!/usr/bin/env python3
"""Pick kernel modules for the guest initramfs and put them in load order.

Debian's kernel package ships modules as .ko.xz without modules.dep (depmod
runs at install time), and the host may have no kmod, so this reads each
module's .modinfo ELF section itself: `depends=` lists hard dependencies and
`softdep=pre: ...` names modules that must be loaded first (ext4 and
libcrc32c want the crc32c crypto provider).  Modules the kernel has built in
(modules.builtin) are skipped.  The chosen modules are written decompressed
into OUTDIR and their file names, dependencies first, into OUTDIR/load-order.

Usage: modules.py MODDIR OUTDIR MODULE...
"""
import lzma
import os
import struct
import sys

# Softdeps name crypto algorithms, not files; map them to the providing module.
ALIASES = {"crc32c": "crc32c_generic", "crypto_crc32c": "crc32c_generic"}


def canonical(name):
    return name.replace("-", "_")


def index_modules(moddir):
    """Map canonical module name -> path of its .ko / .ko.xz file."""
    found = {}
    for dirpath, _, files in os.walk(os.path.join(moddir, "kernel")):
        for f in files:
            for ext in (".ko.xz", ".ko"):
                if f.endswith(ext):
                    found[canonical(f[: -len(ext)])] = os.path.join(dirpath, f)
    return found


def builtin_modules(moddir):
    names = set()
    path = os.path.join(moddir, "modules.builtin")
    if os.path.exists(path):
        with open(path) as fh:
            for line in fh:
                names.add(canonical(os.path.basename(line.strip())[: -len(".ko")]))
    return names


def read_module(path):
    with open(path, "rb") as fh:
        data = fh.read()
    return lzma.decompress(data) if path.endswith(".xz") else data


def modinfo(elf):
    """Key/value strings of the .modinfo section of a little-endian ELF64."""
    if elf[:4] != b"\x7fELF" or elf[4] != 2 or elf[5] != 1:
        raise ValueError("not a little-endian ELF64 module")
    shoff, = struct.unpack_from("<Q", elf, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from("<HHH", elf, 0x3A)
    sections = []
    for i in range(shnum):
        name, _, _, _, off, size = struct.unpack_from("<IIQQQQ", elf, shoff + i * shentsize)
        sections.append((name, off, size))
    strtab_off = sections[shstrndx][1]
    for name, off, size in sections:
        end = elf.index(b"\0", strtab_off + name)
        if elf[strtab_off + name:end] == b".modinfo":
            pairs = []
            for item in elf[off:off + size].split(b"\0"):
                if b"=" in item:
                    k, v = item.decode(errors="replace").split("=", 1)
                    pairs.append((k, v))
            return pairs
    return []


def prerequisites(pairs):
    deps = []
    for key, value in pairs:
        if key == "depends" and value:
            deps += value.split(",")
        elif key == "softdep" and value.startswith("pre:"):
            deps += value[4:].split()
    return [canonical(d) for d in deps]


def resolve(moddir, wanted):
    index, builtin = index_modules(moddir), builtin_modules(moddir)
    order, images, visiting = [], {}, set()

    def visit(name):
        name = canonical(name)
        name = ALIASES.get(name, name)
        if name in images or name in builtin:
            return
        if name in visiting:
            raise SystemExit(f"modules.py: dependency cycle at {name}")
        if name not in index:
            raise SystemExit(f"modules.py: no module {name} in {moddir}")
        visiting.add(name)
        elf = read_module(index[name])
        for dep in prerequisites(modinfo(elf)):
            visit(dep)
        visiting.discard(name)
        images[name] = elf
        order.append(name)

    for w in wanted:
        visit(w)
    return order, images


def main(argv):
    if len(argv) < 3:
        raise SystemExit(__doc__)
    moddir, outdir, wanted = argv[0], argv[1], argv[2:]
    order, images = resolve(moddir, wanted)
    os.makedirs(outdir, exist_ok=True)
    for name in order:
        with open(os.path.join(outdir, name + ".ko"), "wb") as fh:
            fh.write(images[name])
    with open(os.path.join(outdir, "load-order"), "w") as fh:
        fh.write("".join(n + ".ko\n" for n in order))


if __name__ == "__main__":
    main(sys.argv[1:])
