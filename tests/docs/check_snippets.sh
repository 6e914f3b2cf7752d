#!/usr/bin/env bash
# Compiles every ```cpp block of the given Markdown files as a translation unit of its own,
# with the project's warnings as errors (unused names allowed: snippets show calls, not uses).
# A block must be complete: whatever it needs is in the block, nothing is supplied from outside.
# Blocks that include <vpmu/access/arm64_hw.hpp> are EL2 code: the "aarch64" run compiles those
# (with the cross compiler), the "host" run every other block.
# usage: check_snippets.sh <host|aarch64> "<c++ compiler>" <include dir> <work dir> <file.md>...
set -euo pipefail
target=$1 cxx=$2 inc=$3 work=$4
shift 4
read -r -a cmd <<<"$cxx"
if ! command -v "${cmd[0]}" >/dev/null 2>&1; then
  echo "SKIPPED: ${cmd[0]} not found (apt-get install g++-aarch64-linux-gnu for the aarch64 blocks)"
  exit 77
fi
mkdir -p "$work"
rm -f "$work"/*.cpp "$work"/*.o
count=0 failed=0
for md in "$@"; do
  name=$(basename "$md" .md)
  # Split the file into blocks: <name>_<line>.cpp for each ```cpp ... ``` (line of the fence).
  awk -v dir="$work" -v name="$name" '
    /^```cpp[[:space:]]*$/ { inside = 1; file = sprintf("%s/%s_%04d.cpp", dir, name, NR); next }
    /^```/ && inside { inside = 0; close(file); next }
    inside { print > file }
  ' "$md"
done
for block in "$work"/*.cpp; do
  [ -e "$block" ] || continue
  if grep -q 'vpmu/access/arm64_hw.hpp' "$block"; then kind=aarch64; else kind=host; fi
  [ "$kind" = "$target" ] || continue
  count=$((count + 1))
  if "${cmd[@]}" -std=c++20 -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror \
      -Wno-unused-variable -Wno-unused-but-set-variable -Wno-unused-parameter \
      -Wno-unused-function -I"$inc" -c "$block" -o "${block%.cpp}.o" 2>"${block%.cpp}.err"; then
    echo "compiled: $(basename "$block")"
  else
    echo "FAIL: $(basename "$block") (file_line of the opening fence) does not compile:"
    cat "${block%.cpp}.err"
    failed=$((failed + 1))
  fi
done
if [ "$count" -eq 0 ]; then
  echo "FAIL: no $target C++ block found in: $*"
  exit 1
fi
echo "$count $target block(s), $failed failed"
[ "$failed" -eq 0 ]
