#!/usr/bin/env bash
# Builds the libsodium harness (single verify and sign rates) into bench/native/build/.
# Installs Debian's libsodium-dev only when it is missing.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if ! dpkg -s libsodium-dev >/dev/null 2>&1; then
    sudo_cmd=""
    if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then
        sudo_cmd="sudo"
    fi
    ($sudo_cmd apt-get update && $sudo_cmd apt-get install -y libsodium-dev) >&2
fi
mkdir -p "$here/build"
gcc -O2 -std=c11 -Wall -Wextra -o "$here/build/sodium_bench" "$here/sodium_bench.c" -lsodium
echo "$here/build/sodium_bench"
