#!/usr/bin/env bash
# Build the assembler ISA tests (tests/guest/asm/*.S: bare static programs
# that exit with the number of the first failing check) and the C programs
# beside them (sigill.c) into build/tests/asm/.  Rebuilt only when a source,
# the harness or this script is newer than the output.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=tests/guest/asm
out=build/tests/asm
ARCH=(-march=rv64gc_zba_zbb_zbs -mabi=lp64d)
mkdir -p "$out"

stale() { # stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input
	local o=$1; shift
	[ -e "$o" ] || return 0
	for i in "$@"; do [ "$i" -nt "$o" ] && return 0; done
	return 1
}

for s in "$src"/*.S; do
	name=$(basename "$s" .S)
	if stale "$out/$name" "$s" "$src/harness.h" "$0"; then
		riscv64-linux-gnu-gcc "${ARCH[@]}" -nostdlib -static -Wa,--fatal-warnings \
			-o "$out/$name" "$s"
	fi
done
for c in "$src"/*.c; do
	name=$(basename "$c" .c)
	if stale "$out/$name" "$c" "$0"; then
		riscv64-linux-gnu-gcc "${ARCH[@]}" -O2 -std=gnu11 -Wall -Wextra -Werror -static \
			-o "$out/$name" "$c"
	fi
done
