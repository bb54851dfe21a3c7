#!/usr/bin/env bash
# Build what the execution-core tests (tests/test_isa_core.py) need:
#   build/tests/core/harness-{release,asan}  tests/unit/core_harness.c linked
#       with the core's sources only (no process VM), plain and ASan+UBSan
#   build/tests/core/*.elf  tests/guest/core/*.S and tests/guest/asm/*.S as
#       bare static riscv64 programs
#   build/tests/core/decode-dump  tests/unit/decode_dump.c with the decoder
# Each output is rebuilt only when one of its inputs is newer.
set -euo pipefail
cd "$(dirname "$0")/../.."
out=build/tests/core
mkdir -p "$out"

stale() { # stale OUTPUT INPUT...: true when OUTPUT is missing or older than an input
	local o=$1; shift
	[ -e "$o" ] || return 0
	for i in "$@"; do [ "$i" -nt "$o" ] && return 0; done
	return 1
}

shopt -s nullglob
fpu_srcs=(src/rv64/fpu*.c)
core_srcs=(src/rv64/decode.c src/rv64/decode_alu.c src/rv64/decode_fp.c src/rv64/decode_rvc.c
	src/rv64/code_cache.c src/rv64/csr_user.c src/rv64/interp_user.c src/rv64/cpu.c
	"${fpu_srcs[@]}")
deps=(tests/unit/core_harness.c "${core_srcs[@]}" src/rv64/*.h "$0")
CFLAGS=(-std=gnu11 -Wall -Wextra -Werror -Isrc -D_GNU_SOURCE -pthread -g)
SAN=(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)

for s in tests/guest/core/*.S tests/guest/asm/*.S; do
	[ -e "$s" ] || continue
	dir=$(dirname "$s")
	name=$(basename "$dir")-$(basename "$s" .S)
	if stale "$out/$name.elf" "$s" "$dir"/*.h "$0"; then
		riscv64-linux-gnu-gcc -nostdlib -static -march=rv64gc_zba_zbb_zbs -I "$dir" \
			-o "$out/$name.elf" "$s"
	fi
done

dec_srcs=(src/rv64/decode*.c)
if stale "$out/decode-dump" tests/unit/decode_dump.c "${dec_srcs[@]}" src/rv64/decode*.h "$0"; then
	gcc -O2 "${CFLAGS[@]}" -o "$out/decode-dump" tests/unit/decode_dump.c "${dec_srcs[@]}"
fi

if [ ${#fpu_srcs[@]} -eq 0 ]; then
	echo "30-core: the FPU (src/rv64/fpu*.c) does not exist yet; core harness not built" >&2
else
	if stale "$out/harness-release" "${deps[@]}"; then
		gcc -O2 "${CFLAGS[@]}" -o "$out/harness-release" tests/unit/core_harness.c "${core_srcs[@]}" -lm
	fi
	if stale "$out/harness-asan" "${deps[@]}"; then
		gcc -O1 "${CFLAGS[@]}" "${SAN[@]}" -o "$out/harness-asan" tests/unit/core_harness.c "${core_srcs[@]}" -lm
	fi
fi

