#!/usr/bin/env bash
# Builds one program that includes every public vpmu header with
#   -ffreestanding -fno-exceptions -fno-rtti -nostdlib -static
# and its own _start: if any header needs libc or libstdc++ (a symbol, an exception table, RTTI),
# the link fails. On x86_64 the program also runs and must exit 0.
# usage: check.sh <c++ compiler> <x86_64|aarch64> <include dir> <work dir>
set -euo pipefail
cxx=$1 arch=$2 inc=$3 work=$4/$arch
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v "$cxx" >/dev/null 2>&1; then
  echo "SKIPPED: $cxx not found (apt-get install g++-aarch64-linux-gnu for the $arch build)"
  exit 77
fi
mkdir -p "$work"
all="$work/all_headers.hpp"
: >"$all"
(cd "$inc" && find vpmu -name '*.hpp' | LC_ALL=C sort) | while read -r h; do
  echo "#include \"$h\"" >>"$all"
done
echo "headers: $(wc -l <"$all")"
for opt in -O0 -O2; do
  "$cxx" -std=c++20 -ffreestanding -fno-exceptions -fno-rtti -nostdlib -static $opt \
    -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror \
    -I"$inc" -include "$all" "$here/main.cpp" -o "$work/prog$opt"
  echo "linked ($opt): $work/prog$opt"
done
if [ "$arch" = x86_64 ] && [ "$(uname -m)" = x86_64 ]; then
  for opt in -O0 -O2; do
    "$work/prog$opt"
    echo "ran ($opt): exit status 0"
  done
fi
