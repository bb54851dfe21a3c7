#!/usr/bin/env bash
# Build the binary-translator guest programs (tests/guest/dbt/*.c: self-
# modifying code, a JIT, signal delivery in a spin loop) static into
# build/tests/dbt/ for tests/test_dbt_guest.py.  An output is rebuilt only
# when its source or this script is newer.
set -euo pipefail
cd "$(dirname "$0")/../.."
src=tests/guest/dbt
out=build/tests/dbt
mkdir -p "$out"
for c in "$src"/*.c; do
	name=$(basename "$c" .c)
	if [ ! -e "$out/$name" ] || [ "$c" -nt "$out/$name" ] || [ "$0" -nt "$out/$name" ]; then
		riscv64-linux-gnu-gcc -O2 -std=gnu11 -Wall -Wextra -Werror -static -o "$out/$name" "$c"
	fi
done
