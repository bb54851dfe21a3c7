#!/usr/bin/env bash
# Build the riscv64 system-call test programs (tests/guest/syscalls/*.c)
# static and dynamic into build/tests/syscalls/{rv64-static,rv64-dyn}/ for
# tests/test_user_syscalls.py.  An output is rebuilt only when its source,
# the shared check.h or this script is newer.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=tests/guest/syscalls
out=build/tests/syscalls
CFLAGS=(-O2 -std=gnu11 -Wall -Wextra -Werror -pthread)
mkdir -p "$out/rv64-static" "$out/rv64-dyn"

stale() { # stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input
	local o=$1; shift
	[ -e "$o" ] || return 0
	for i in "$@"; do [ "$i" -nt "$o" ] && return 0; done
	return 1
}

for c in "$src"/*.c; do
	name=$(basename "$c" .c)
	deps=("$c" "$src/check.h" "$0")
	if stale "$out/rv64-static/$name" "${deps[@]}"; then
		riscv64-linux-gnu-gcc "${CFLAGS[@]}" -static -o "$out/rv64-static/$name" "$c"
	fi
	if stale "$out/rv64-dyn/$name" "${deps[@]}"; then
		riscv64-linux-gnu-gcc "${CFLAGS[@]}" -o "$out/rv64-dyn/$name" "$c"
	fi
done
