#!/usr/bin/env bash
# Build the SMP bare-metal tests (tests/guest/smp/) into
# build/tests/smp/ with riscv64-unknown-elf-gcc: atomics-N.elf and
# ipi_ring-N.elf, one per hart count N, and seip_rmw.elf.  An ELF is
# rebuilt only when its source, the linker script or this script is newer.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=tests/guest/smp
out=build/tests/smp
mkdir -p "$out"
CC=riscv64-unknown-elf-gcc
CFLAGS=(-march=rv64gc -mabi=lp64d -mcmodel=medany -static -nostdlib -nostartfiles
	-ffreestanding -fno-pic -g -T "$src/smp.ld")

stale() { # stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input
	local o=$1; shift
	[ -e "$o" ] || return 0
	for i in "$@"; do [ "$i" -nt "$o" ] && return 0; done
	return 1
}

for t in atomics ipi_ring; do
	for n in 1 2 4; do
		elf="$out/$t-$n.elf"
		if stale "$elf" "$src/$t.S" "$src/smp.ld" "$0"; then
			"$CC" "${CFLAGS[@]}" -DNHARTS="$n" -o "$elf.tmp" "$src/$t.S"
			mv "$elf.tmp" "$elf"
		fi
	done
done
if stale "$out/seip_rmw.elf" "$src/seip_rmw.S" "$src/smp.ld" "$0"; then
	"$CC" "${CFLAGS[@]}" -o "$out/seip_rmw.elf.tmp" "$src/seip_rmw.S"
	mv "$out/seip_rmw.elf.tmp" "$out/seip_rmw.elf"
fi
