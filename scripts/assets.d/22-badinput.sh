#!/usr/bin/env bash
# Inputs for tests/test_user_badinput.py that need a compiler: a 32-bit
# RISC-V ELF executable (popek runs RV64 only and must refuse it cleanly).
# The other bad inputs (truncated ELFs, non-ELF files) are made by the test.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/tests/badinput
mkdir -p "$out"
if [ ! -e "$out/rv32.elf" ] || [ "$0" -nt "$out/rv32.elf" ]; then
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' EXIT
	cat > "$tmp/rv32.S" <<'ASM'
	.globl _start
_start:
	li a0, 0
	li a7, 93
	ecall
ASM
	riscv64-unknown-elf-gcc -march=rv32imac -mabi=ilp32 -nostdlib -static \
		-o "$out/rv32.elf" "$tmp/rv32.S"
fi
