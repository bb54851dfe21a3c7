#!/usr/bin/env bash
# Build the test drivers for the boot loader and the `popek run` argument
# parser (tests/unit/{boot_check,run_args_check}.c linked with their
# src/ files), release and ASan+UBSan like popek itself, and the bare-metal
# ELF tests/guest/boot/htif_exit.S.  Outputs go to build/tests/{unit,boot}/
# and are rebuilt only when a source is newer.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/tests
mkdir -p "$out/unit/asan" "$out/boot"
CFLAGS=(-std=gnu11 -Wall -Wextra -Werror -Isrc -D_GNU_SOURCE -g)
SAN=(-O1 -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)

stale() { # stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input
	local o=$1; shift
	[ -e "$o" ] || return 0
	for i in "$@"; do [ "$i" -nt "$o" ] && return 0; done
	return 1
}

driver() { # driver NAME SOURCE...
	local name=$1; shift
	local deps=("$@" "$0" src/vm/memory.h src/machine/boot.h src/machine/boot_elf.h src/cli/run_args.h)
	if stale "$out/unit/$name" "${deps[@]}"; then
		gcc "${CFLAGS[@]}" -O2 -o "$out/unit/$name" "$@"
	fi
	if stale "$out/unit/asan/$name" "${deps[@]}"; then
		gcc "${CFLAGS[@]}" "${SAN[@]}" -o "$out/unit/asan/$name" "$@"
	fi
}

driver boot_check tests/unit/boot_check.c src/machine/boot.c src/machine/boot_elf.c
driver run_args_check tests/unit/run_args_check.c src/cli/run_args.c src/backends/net_config.c

src=tests/guest/boot
if stale "$out/boot/htif_exit" "$src/htif_exit.S" "$src/htif_exit.ld" "$0"; then
	riscv64-unknown-elf-gcc -nostdlib -nostartfiles -march=rv64gc -mabi=lp64d \
		-T "$src/htif_exit.ld" -o "$out/boot/htif_exit" "$src/htif_exit.S"
fi
