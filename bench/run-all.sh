#!/usr/bin/env bash
# Run every benchmark script in bench/ (bench/*.py and bench/*.sh other than
# this one), passing along any arguments (e.g. --runs 1 --scale 10).  Each
# prints its own table; a failing script is reported and the rest still run.
set -uo pipefail
cd "$(dirname "$0")"
status=0
for script in *.py *.sh; do
	[ -e "$script" ] && [ -x "$script" ] || continue
	[ "$script" = run-all.sh ] && continue
	echo "== bench/$script"
	if ! "./$script" "$@"; then
		echo "bench: $script failed" >&2
		status=1
	fi
	echo
done
exit $status
