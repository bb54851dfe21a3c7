#!/usr/bin/env bash
# Fetch riscv64 packages from Debian trixie into build/riscv64-debs/ and unpack
# them under build/riscv64-root/<package>/.  Uses a private apt configuration
# under build/apt-riscv64 so the host's own apt sources are never touched.
# Usage: scripts/fetch-riscv64-debs.sh PACKAGE...
set -euo pipefail
top=$(cd "$(dirname "$0")/.." && pwd)
aptdir=$top/build/apt-riscv64
debs=$top/build/riscv64-debs
root=$top/build/riscv64-root
mkdir -p "$aptdir/lists/partial" "$aptdir/archives/partial" "$aptdir/etc" "$debs" "$root"

cat > "$aptdir/etc/sources.list" <<SRC
deb [arch=riscv64 signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian trixie main
SRC
: > "$aptdir/status"

apt_opts=(
	-o "Dir::Etc::SourceList=$aptdir/etc/sources.list"
	-o "Dir::Etc::SourceParts=/nonexistent"
	-o "Dir::State::Lists=$aptdir/lists"
	-o "Dir::State::status=$aptdir/status"
	-o "Dir::Cache::Archives=$aptdir/archives"
	-o "Dir::Cache=$aptdir/cache"
	-o "APT::Architecture=riscv64"
	-o "APT::Architectures=riscv64"
	-o "Debug::NoLocking=1"
	-o "APT::Sandbox::User=root"
)
mkdir -p "$aptdir/cache"

need_update=1
# Refresh the index at most once a day; a second run is then offline-fast.
if compgen -G "$aptdir/lists/*Packages*" >/dev/null; then
	if [ -z "$(find "$aptdir/lists" -name '*Packages*' -mmin +1440 | head -1)" ]; then need_update=0; fi
fi

for pkg in "$@"; do
	if ls "$debs/${pkg}_"*.deb >/dev/null 2>&1; then continue; fi
	if [ $need_update = 1 ]; then
		apt-get "${apt_opts[@]}" update -qq >&2
		need_update=0
	fi
	(cd "$debs" && apt-get "${apt_opts[@]}" download "$pkg" >&2)
done

for pkg in "$@"; do
	deb=$(ls "$debs/${pkg}_"*.deb | head -1)
	dest=$root/$pkg
	if [ ! -f "$dest/.unpacked" ] || [ "$deb" -nt "$dest/.unpacked" ]; then
		rm -rf "$dest"; mkdir -p "$dest"
		dpkg-deb -x "$deb" "$dest"
		touch "$dest/.unpacked"
	fi
done
