#!/usr/bin/env bash
# `make run`: boot the default guest (build/guest: Debian's riscv64 kernel
# and the busybox initramfs) on the full-system machine, interactively on
# this terminal.  Extra arguments go to `popek run` (e.g. --mem 1G).
#
# Until the machine can boot (`popek run --help` is the capability check),
# fall back to the riscv64 busybox shell as a process under `popek user`.
set -euo pipefail
cd "$(dirname "$0")/.."
popek=${POPEK:-build/popek}
busybox=build/riscv64-root/busybox-static/usr/bin/busybox

if [ ! -x "$popek" ]; then
	echo "run: $popek is not built: run make" >&2
	exit 1
fi
if "$popek" run --help >/dev/null 2>&1; then
	exec "$popek" run "$@"
fi
if [ ! -x "$busybox" ]; then
	echo "run: $busybox is missing: run make assets" >&2
	exit 1
fi
echo "run: the full-system machine is not available yet; starting busybox sh under popek user instead" >&2
exec "$popek" user "$busybox" sh
