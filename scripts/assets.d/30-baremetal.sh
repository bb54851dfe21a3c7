#!/usr/bin/env bash
# Build the bare-metal privileged-architecture tests (tests/guest/baremetal/)
# into build/tests/baremetal/NAME.elf with riscv64-unknown-elf-gcc.  Each
# ELF links runtime.S with one test; paging is built once per translation
# mode (Sv39, Sv48).  An ELF is rebuilt only when a file in the source
# directory, or this script, is newer.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=tests/guest/baremetal
out=build/tests/baremetal
mkdir -p "$out"
CC=riscv64-unknown-elf-gcc
CFLAGS=(-march=rv64gc -mabi=lp64d -mcmodel=medany -static -nostdlib -nostartfiles
	-ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -fno-pic -O2 -g
	-Wall -Wextra -Werror -I"$src" -T "$src/bm.ld")

stale() { # stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input
	local o=$1; shift
	[ -e "$o" ] || return 0
	for i in "$@"; do [ "$i" -nt "$o" ] && return 0; done
	return 1
}

inputs=("$src"/*.S "$src"/*.h "$src"/*.c "$src/bm.ld" "$0")
build() { # build NAME [FLAGS...] SOURCE...
	local name=$1; shift
	if stale "$out/$name.elf" "${inputs[@]}"; then
		"$CC" "${CFLAGS[@]}" -o "$out/$name.elf.tmp" "$src/runtime.S" "$@"
		mv "$out/$name.elf.tmp" "$out/$name.elf"
	fi
}

for t in memory_m traps_m modes_deleg interrupts pmp fail_on_purpose; do
	build "$t" "$src/$t.S"
done
build misaligned -DSATP_MODE=8 "$src/misaligned.S" "$src/page_tables.c" "$src/misaligned_layout.c"
build paging_sv39 -DSATP_MODE=8 "$src/paging.S" "$src/page_tables.c" "$src/paging_layout.c"
build paging_sv48 -DSATP_MODE=9 "$src/paging.S" "$src/page_tables.c" "$src/paging_layout.c"
