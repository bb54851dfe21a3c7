#!/usr/bin/env bash
# Build the user-mode conformance corpus (tests/guest/corpus/*.c) three ways:
# natively (the reference), and for riscv64 both static and dynamic.  The
# test runs the native binary and the riscv64 ones under `popek user` and
# compares their stdout byte for byte.  An output is rebuilt only when its
# source (or this script) is newer.
#
# -ffp-contract=off: RISC-V gcc would fuse a*b+c into fmadd while x86-64
# without FMA would not, and the rounding would differ.  -frounding-math:
# keep gcc from folding or moving FP operations across fesetround().
set -euo pipefail
cd "$(dirname "$0")/../.."
src=tests/guest/corpus
out=build/tests/corpus
CFLAGS=(-O2 -std=gnu11 -Wall -Wextra -Werror -ffp-contract=off -frounding-math -pthread)
LIBS=(-lm)
mkdir -p "$out/native" "$out/rv64-static" "$out/rv64-dyn"

stale() { # stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input
	local o=$1; shift
	[ -e "$o" ] || return 0
	for i in "$@"; do [ "$i" -nt "$o" ] && return 0; done
	return 1
}

for c in "$src"/*.c; do
	name=$(basename "$c" .c)
	deps=("$c" "$0")
	if stale "$out/native/$name" "${deps[@]}"; then
		gcc "${CFLAGS[@]}" -o "$out/native/$name" "$c" "${LIBS[@]}"
	fi
	if stale "$out/rv64-static/$name" "${deps[@]}"; then
		riscv64-linux-gnu-gcc "${CFLAGS[@]}" -static -o "$out/rv64-static/$name" "$c" "${LIBS[@]}"
	fi
	if stale "$out/rv64-dyn/$name" "${deps[@]}"; then
		riscv64-linux-gnu-gcc "${CFLAGS[@]}" -o "$out/rv64-dyn/$name" "$c" "${LIBS[@]}"
	fi
done
