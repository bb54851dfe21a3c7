#!/usr/bin/env bash
# Development aid (not a test): check that the RAM layout src/machine/boot.c
# builds really boots the default guest, by running it on QEMU before
# popek's own machine can.  boot_check loads firmware, kernel, initrd and
# QEMU's own virt device tree (with /chosen pointing at our initrd) into a
# RAM image; QEMU (-bios none) gets that image plus a 5-instruction stub
# that sets a0/a1/a2 to the registers boot.c chose and jumps to its pc.
# QEMU runs with twice the RAM so its own DTB lands above what the guest's
# device tree describes and does not collide with ours.
# Usage: [FW=firmware] scripts/guest/try-layout-in-qemu.sh [MEM-MiB]   (default 256)
set -euo pipefail
cd "$(dirname "$0")/../.."
mib=${1:-256}
g=build/guest
check=build/tests/unit/boot_check
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
args=($((mib << 20)) "${FW:-$g/fw_dynamic.bin}" "$g/Image" "$g/initramfs.cpio.gz")

qemu-system-riscv64 -M "virt,dumpdtb=$tmp/virt.dtb" -m "${mib}M" -smp 1 \
	-nographic >/dev/null
fdtput -t s "$tmp/virt.dtb" /chosen bootargs "console=ttyS0"
get() { sed -n "s/^$1=//p" "$tmp/layout"; }
"$check" "${args[@]}" > "$tmp/layout"
fdtput -t x "$tmp/virt.dtb" /chosen linux,initrd-start "$(get initrd_start)"
fdtput -t x "$tmp/virt.dtb" /chosen linux,initrd-end "$(get initrd_end)"
"$check" --fdt "$tmp/virt.dtb" --dump "$tmp/ram.bin" "${args[@]}" > "$tmp/layout"
cat "$tmp/layout"

cat > "$tmp/stub.S" <<EOF
	li a0, $(get a0)
	li a1, $(get a1)
	li a2, $(get a2)
	li t0, $(get pc)
	jr t0
EOF
riscv64-unknown-elf-as -march=rv64gc -o "$tmp/stub.o" "$tmp/stub.S"
riscv64-unknown-elf-objcopy -O binary "$tmp/stub.o" "$tmp/stub.bin"
# The stub sits just above the guest's RAM, in QEMU's extra half.
stub_addr=$(printf '0x%x' $(( 0x80000000 + (mib << 20) )))

scripts/guest/boot-to-marker.py --timeout 120 --log /dev/stdout -- \
	qemu-system-riscv64 -M virt -m "$((2 * mib))M" -smp 1 -nographic -no-reboot -bios none \
	-device "loader,file=$tmp/ram.bin,addr=0x80000000,force-raw=on" \
	-device "loader,file=$tmp/stub.bin,addr=$stub_addr,force-raw=on,cpu-num=0"
