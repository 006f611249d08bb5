#!/usr/bin/env bash
# Builds the libsodium harness (single verify and sign rates) into bench/native/build/.
# Needs gcc and libsodium's headers; when a test program cannot be built with them, installs what is missing of
# Debian's gcc and libsodium-dev with apt-get (through sudo when not root), and only then.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
say() { echo "bench/native: $*" >&2; }

sodium_builds() {
    command -v gcc >/dev/null 2>&1 || return 1
    local probe
    probe="$(mktemp)"
    printf '#include <sodium.h>\nint main(void) { return sodium_init() < 0; }\n' |
        gcc -x c -o "$probe" - -lsodium >/dev/null 2>&1
    local status=$?
    rm -f "$probe"
    return $status
}

if ! sodium_builds; then
    missing=()
    command -v gcc >/dev/null 2>&1 || missing+=(gcc)
    if ! dpkg-query -W -f='${Status}' libsodium-dev 2>/dev/null | grep -q 'install ok installed'; then
        missing+=(libsodium-dev)
    fi
    if [ ${#missing[@]} -eq 0 ]; then
        say "gcc and libsodium-dev are installed, but a test program using libsodium does not build; see gcc's error below"
    elif ! command -v apt-get >/dev/null 2>&1; then
        say "${missing[*]} missing and no apt-get here: install gcc and libsodium's headers yourself, or run with --no-native"
        exit 1
    else
        sudo_cmd=""
        if [ "$(id -u)" -ne 0 ]; then
            if ! command -v sudo >/dev/null 2>&1; then
                say "${missing[*]} missing; installing needs root (no sudo here): run 'apt-get install ${missing[*]}' as root, or run with --no-native"
                exit 1
            fi
            sudo_cmd="sudo"
        fi
        say "${missing[*]} missing; installing with ${sudo_cmd:+sudo }apt-get"
        if ! ($sudo_cmd apt-get update && $sudo_cmd apt-get install -y "${missing[@]}") >&2; then
            say "could not install ${missing[*]} with apt-get (above); install them yourself, or run with --no-native"
            exit 1
        fi
    fi
fi
mkdir -p "$here/build"
gcc -O2 -std=c11 -Wall -Wextra -o "$here/build/sodium_bench" "$here/sodium_bench.c" -lsodium
echo "$here/build/sodium_bench"
