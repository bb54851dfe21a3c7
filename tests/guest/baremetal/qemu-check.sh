#!/usr/bin/env bash
# Development aid, not part of the test suite: build the bare-metal tests
# for QEMU 7.2 and run them on its spike machine (HTIF, like popek) and
# its virt machine (exit through the sifive-test device).  Checks where
# QEMU 7.2 departs from the spec are left out (-DQEMU_7_2), and on spike
# also those that need the time CSR (-DNO_TIME_CSR).  Expected: every
# test exits 0 except fail_on_purpose, which exits 3.
#   tests/guest/baremetal/qemu-check.sh [TEST...]
set -uo pipefail
cd "$(dirname "$0")/../../.."
src=tests/guest/baremetal
out=build/tests/baremetal-qemu
mkdir -p "$out"
CFLAGS=(-march=rv64gc -mabi=lp64d -mcmodel=medany -static -nostdlib -nostartfiles
	-ffreestanding -fno-builtin -fno-tree-loop-distribute-patterns -fno-pic -O2 -g
	-Wall -Wextra -Werror -I"$src" -T "$src/bm.ld" -DQEMU_7_2)

sources() { # the sources and flags of one test
	case $1 in
	paging_sv39) echo -DSATP_MODE=8 "$src/paging.S" "$src/page_tables.c" "$src/paging_layout.c" ;;
	paging_sv48) echo -DSATP_MODE=9 "$src/paging.S" "$src/page_tables.c" "$src/paging_layout.c" ;;
	misaligned)  echo -DSATP_MODE=8 "$src/misaligned.S" "$src/page_tables.c" "$src/misaligned_layout.c" ;;
	*)           echo "$src/$1.S" ;;
	esac
}

tests=("$@")
[ ${#tests[@]} -gt 0 ] || tests=(memory_m traps_m modes_deleg interrupts paging_sv39
	paging_sv48 misaligned pmp fail_on_purpose)
for t in "${tests[@]}"; do
	# shellcheck disable=SC2046
	riscv64-unknown-elf-gcc "${CFLAGS[@]}" -DNO_TIME_CSR -o "$out/$t.spike.elf" \
		"$src/runtime.S" $(sources "$t") || exit 1
	# shellcheck disable=SC2046
	riscv64-unknown-elf-gcc "${CFLAGS[@]}" -DSIFIVE_TEST_EXIT -o "$out/$t.virt.elf" \
		"$src/runtime.S" $(sources "$t") || exit 1
	for m in spike virt; do
		timeout 20 qemu-system-riscv64 -M "$m" -bios none -nographic \
			-kernel "$out/$t.$m.elf" </dev/null >/dev/null 2>&1
		echo "$t on $m: exit $?"
	done
done
