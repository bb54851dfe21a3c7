#!/usr/bin/env bash
# Prepare everything the tests and `make run` need that is not popek itself:
# riscv64 packages from trixie (cached under build/), cross-compiled test
# programs.  Each step is skipped when its output is up to date.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/fetch-riscv64-debs.sh busybox-static
for step in scripts/assets.d/*.sh; do
	[ -x "$step" ] && "$step"
done
exit 0
