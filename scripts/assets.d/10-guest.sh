#!/usr/bin/env bash
# Prepare the default full-system guest under build/guest/:
#   Image               the Debian trixie riscv64 kernel as a flat RISC-V Image
#   fw_dynamic.bin      OpenSBI's generic platform firmware (fw_dynamic)
#   initramfs.cpio.gz   busybox, virtio + ext4 modules, tests/guest/initramfs/init
#   disk.ext4           a small ext4 disk holding /hello.txt, for virtio-blk
#                       (tests copy it before letting a guest write to it)
# Packages come from trixie via fetch-riscv64-debs.sh (cached under build/);
# each output is rebuilt only when an input is newer, so a second run costs
# a few stat calls.
set -euo pipefail
cd "$(dirname "$0")/../.."
top=$PWD
out=build/guest
root=build/riscv64-root
mkdir -p "$out"

stale() { # stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input
	local o=$1; shift
	[ -e "$o" ] || return 0
	for i in "$@"; do [ "$i" -nt "$o" ] && return 0; done
	return 1
}

scripts/fetch-riscv64-debs.sh linux-image-riscv64 busybox-static opensbi

# linux-image-riscv64 is a metapackage: its Depends names the real kernel
# package (linux-image-<version>-riscv64), which holds the Image and modules.
meta=$(ls build/riscv64-debs/linux-image-riscv64_*.deb | head -1)
kpkg=$(dpkg-deb -f "$meta" Depends | tr ',|' '\n\n' | sed 's/[ (].*//; s/^ *//' |
	grep -m1 '^linux-image-[0-9]')
[ -n "$kpkg" ] || { echo "10-guest: cannot resolve the kernel package of $meta" >&2; exit 1; }
scripts/fetch-riscv64-debs.sh "$kpkg"
kroot=$root/$kpkg
kimage=$(ls "$kroot"/boot/vmlinu[xz]-* | head -1)
moddir=$( (ls -d "$kroot"/usr/lib/modules/*/ "$kroot"/lib/modules/*/ 2>/dev/null || true) | head -1)

# The kernel: trixie ships a flat Image (an EFI PE stub with the RISC-V boot
# header, magic "RSC\x05" at 0x38).  Older kernels shipped it gzip'd.
if stale "$out/Image" "$kimage" "$0"; then
	case $(head -c 2 "$kimage" | od -An -tx1 | tr -d ' ') in
	1f8b) gzip -dc "$kimage" > "$out/Image.tmp" ;;
	*)    cp "$kimage" "$out/Image.tmp" ;;
	esac
	if [ "$(dd if="$out/Image.tmp" bs=1 skip=56 count=4 2>/dev/null | od -An -tx1 | tr -d ' ')" != 52534305 ]; then
		echo "10-guest: $kimage is not a RISC-V Linux Image" >&2; rm -f "$out/Image.tmp"; exit 1
	fi
	mv "$out/Image.tmp" "$out/Image"
fi

fw=$root/opensbi/usr/lib/riscv64-linux-gnu/opensbi/generic/fw_dynamic.bin
if stale "$out/fw_dynamic.bin" "$fw"; then
	cp "$fw" "$out/fw_dynamic.bin"
fi

busybox=$root/busybox-static/usr/bin/busybox
if stale "$out/initramfs.cpio.gz" "$busybox" "$kroot/.unpacked" tests/guest/initramfs/* \
	scripts/guest/build-initramfs.sh scripts/guest/modules.py "$0"; then
	scripts/guest/build-initramfs.sh "$busybox" "$moddir" "$top/$out/initramfs.cpio.gz"
fi

# mkfs.ext4 -d fills the file system from a directory without mounting it.
if stale "$out/disk.ext4" "$0"; then
	disk_src=$(mktemp -d)
	echo "hello from the popek disk" > "$disk_src/hello.txt"
	rm -f "$out/disk.ext4.tmp"
	truncate -s 32M "$out/disk.ext4.tmp"
	mkfs.ext4 -q -F -L popek -E root_owner=0:0 -d "$disk_src" "$out/disk.ext4.tmp"
	rm -rf "$disk_src"
	mv "$out/disk.ext4.tmp" "$out/disk.ext4"
fi
