#!/usr/bin/env bash
# Builds two freestanding programs with
#   -ffreestanding -fno-exceptions -fno-rtti -nostdlib -static, at -O0 and -O2:
#   main.cpp      includes every public vpmu header and exercises the core layer;
#   policies.cpp  instantiates every policy of every architecture over its own backends and
#                 calls every hook,
# each linked with nothing but mem_functions.cpp (memcpy, memmove, memset, memcmp: what every
# freestanding GCC/Clang target provides). A libc or libstdc++ symbol, a libgcc helper, an
# exception table or RTTI fails the link. On an x86_64 machine the x86_64 programs also run and
# must exit 0.
# usage: check.sh "<c++ compiler command>" <x86_64|aarch64> <include dir> <work dir>
set -euo pipefail
cxx=$1 arch=$2 inc=$3
here=$(cd "$(dirname "$0")" && pwd)
read -r -a cmd <<<"$cxx"
if ! command -v "${cmd[0]}" >/dev/null 2>&1; then
  echo "SKIPPED: ${cmd[0]} not found (apt-get install g++-aarch64-linux-gnu for the $arch build)"
  exit 77
fi
work=$4/$arch-$(basename "${cmd[0]}")
mkdir -p "$work"
# Clang needs the cross target's headers and binutils for aarch64: say so rather than fail.
if [ "$arch" = aarch64 ] && ! command -v aarch64-linux-gnu-ld >/dev/null 2>&1; then
  echo "SKIPPED: aarch64-linux-gnu-ld not found (apt-get install binutils-aarch64-linux-gnu)"
  exit 77
fi
all="$work/all_headers.hpp"
: >"$all"
(cd "$inc" && find vpmu -name '*.hpp' | LC_ALL=C sort) | while read -r h; do
  echo "#include \"$h\"" >>"$all"
done
echo "headers: $(wc -l <"$all")"
flags=(-std=c++20 -ffreestanding -fno-exceptions -fno-rtti -nostdlib -static
  -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror -I"$inc")
# The mem functions must not compile into calls to themselves (GCC's loop-to-memset pass).
mem_flags=(-std=c++20 -ffreestanding -fno-builtin)
if "${cmd[@]}" --version | grep -q -i gcc; then mem_flags+=(-fno-tree-loop-distribute-patterns); fi
for opt in -O0 -O2; do
  "${cmd[@]}" "${mem_flags[@]}" $opt -c "$here/mem_functions.cpp" -o "$work/mem$opt.o"
  "${cmd[@]}" "${flags[@]}" $opt -include "$all" "$here/main.cpp" "$work/mem$opt.o" \
    -o "$work/headers$opt"
  "${cmd[@]}" "${flags[@]}" $opt "$here/policies.cpp" "$work/mem$opt.o" -o "$work/policies$opt"
  echo "linked ($opt): $work/headers$opt $work/policies$opt"
done
if [ "$arch" = x86_64 ] && [ "$(uname -m)" = x86_64 ]; then
  for opt in -O0 -O2; do
    "$work/headers$opt"
    "$work/policies$opt"
    echo "ran ($opt): exit status 0"
  done
fi
