#!/usr/bin/env bash
# Install the Debian packages popek needs to build, test and benchmark.
# Only missing packages are installed, so a second run costs a dpkg query.
set -euo pipefail
pkgs=(
	build-essential pkg-config make gcc
	gcc-riscv64-linux-gnu libc6-dev-riscv64-cross gcc-riscv64-unknown-elf
	python3 python3-pytest
	libfdt-dev device-tree-compiler libslirp-dev libglib2.0-dev liburing-dev libseccomp-dev libzstd-dev
	libcjson-dev libmicrohttpd-dev libcapstone-dev
	opensbi e2fsprogs xz-utils cpio file iproute2
	qemu-user qemu-system-misc
)
missing=()
for p in "${pkgs[@]}"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "deps: installing ${missing[*]}" >&2
SUDO=; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
