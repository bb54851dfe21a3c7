#!/usr/bin/env bash
# Assemble the default guest initramfs (gzip'd newc cpio, every file owned by
# root) from the static riscv64 busybox, the kernel modules chosen by
# modules.py and tests/guest/initramfs/ (its /init and anything else there).
# Applet links are made by `busybox --install -s` at boot, because the host
# cannot run the riscv64 busybox to list them.
# Usage: build-initramfs.sh BUSYBOX MODDIR OUTPUT
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
busybox=$1 moddir=$2 out=$3

# The modules every popek guest needs: the virtio-mmio transport and its
# devices, and ext4 for disk images (jbd2, mbcache, crc16, crc32c follow).
modules=(virtio_mmio virtio_blk virtio_net virtio_rng ext4)

stage=$(mktemp -d "${out}.stage.XXXXXX")
trap 'rm -rf "$stage"' EXIT
mkdir -p "$stage"/{bin,sbin,usr/bin,usr/sbin,dev,proc,sys,tmp,mnt,root,etc,lib/modules}
install -m 0755 "$busybox" "$stage/bin/busybox"
ln -s busybox "$stage/bin/sh"
cp -a "$top/tests/guest/initramfs/." "$stage/"
chmod 0755 "$stage/init"
echo "root:x:0:0:root:/root:/bin/sh" > "$stage/etc/passwd"
echo "root:x:0:" > "$stage/etc/group"
python3 "$here/modules.py" "$moddir" "$stage/lib/modules" "${modules[@]}"

# Sorted names and a fixed mtime keep the archive reproducible.
find "$stage" -exec touch -h -d @0 {} +
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc --owner=0:0 --reproducible) | gzip -9 -n > "$out.tmp"
mv "$out.tmp" "$out"
