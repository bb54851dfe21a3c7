#!/usr/bin/env bash
# Boot time: wall seconds from start to the POPEK-INIT-READY line of the
# default guest (Debian trixie kernel + busybox initramfs, 256 MiB, 1 hart),
# popek (`popek run`) against qemu-system-riscv64 -M virt (TCG) with the same
# firmware, kernel, initramfs, command line and memory.  Median of RUNS
# (default 5) runs each; prints a table with the ratio popek/qemu.
# Environment: RUNS, TIMEOUT (seconds per boot, default 300), POPEK (binary),
# LOGDIR (console logs, default build/bench/boot).
set -uo pipefail
cd "$(dirname "$0")/.."
runs=${RUNS:-5}
timeout=${TIMEOUT:-300}
popek=${POPEK:-build/popek}
logdir=${LOGDIR:-build/bench/boot}
g=build/guest
append="console=ttyS0"
timer=scripts/guest/boot-to-marker.py
mkdir -p "$logdir"

for f in Image initramfs.cpio.gz fw_dynamic.bin; do
	[ -f "$g/$f" ] || { echo "boot: $g/$f is missing: run make assets" >&2; exit 1; }
done

median() { sort -n | awk '{ v[NR] = $1 } END { if (NR == 0) exit 1; print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure NAME COMMAND...: prints the median, or nothing when a boot failed.
measure() {
	local name=$1; shift
	local times=() t
	for i in $(seq 1 "$runs"); do
		if ! t=$("$timer" --timeout "$timeout" --log "$logdir/$name-$i.log" -- "$@" 2>"$logdir/$name-$i.err"); then
			echo "boot: $name run $i: $(cat "$logdir/$name-$i.err") (log: $logdir/$name-$i.log)" >&2
			return 1
		fi
		times+=("$t")
	done
	printf '%s\n' "${times[@]}" | median
}

qemu=$(measure qemu qemu-system-riscv64 -M virt -smp 1 -m 256M -nographic -no-reboot \
	-bios "$g/fw_dynamic.bin" -kernel "$g/Image" -initrd "$g/initramfs.cpio.gz" \
	-append "$append") || qemu=

ours=
if [ -x "$popek" ] && "$popek" run --help >/dev/null 2>&1; then
	ours=$(measure popek "$popek" run --mem 256M --bios "$g/fw_dynamic.bin" --kernel "$g/Image" \
		--initrd "$g/initramfs.cpio.gz" --append "$append") || ours=
else
	echo "boot: $popek run is not available yet" >&2
fi

echo "Boot to POPEK-INIT-READY: default guest, 256 MiB, 1 hart; median of $runs runs"
printf '%-28s %12s %14s\n' "" "seconds" "popek / qemu"
printf '%-28s %12s %14s\n' "qemu-system-riscv64 (TCG)" "${qemu:-failed}" "1.00"
if [ -n "$ours" ] && [ -n "$qemu" ]; then
	printf '%-28s %12s %14s\n' "popek" "$ours" "$(awk -v a="$ours" -v b="$qemu" 'BEGIN { printf "%.2f", a / b }')"
else
	printf '%-28s %12s %14s\n' "popek" "${ours:-did not boot}" "-"
	[ -n "$ours" ] || echo "popek: did not boot"
fi
