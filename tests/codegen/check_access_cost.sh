#!/usr/bin/env bash
# Reports the instructions a warm world switch executes per register access (valgrind's
# callgrind; exact counts, not times): Intel mediated with 2 of 8 counters in use, and arm64
# partitioned with 2 of 6 (the x86-64 build of the same policy code, over a backend whose every
# access is one instruction, as MRS/MSR are). Fails only if the measurement is broken (no access
# counted, no instruction seen); the figures are reported for the benchmark notes.
# usage: check_access_cost.sh <c++ compiler> <include dir> <work dir>
set -euo pipefail
cxx=$1 inc=$2 work=$3
if ! command -v valgrind >/dev/null 2>&1; then
  echo "SKIPPED: valgrind not found (apt-get install valgrind)"
  exit 77
fi
mkdir -p "$work"
"$cxx" -std=c++20 -O2 -g -Wall -Wextra -Werror -I"$inc" "$(dirname "$0")/access_cost.cpp" \
  -o "$work/access_cost"
for world in intel arm64; do
  accesses=$("$work/access_cost" "$world" | awk '/^accesses/ { print $2 }')
  out="$work/callgrind.$world"
  valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
    --toggle-collect='measured_round_trip*' "$work/access_cost" "$world" >/dev/null 2>&1
  insns=$(awk '/^summary:/ { print $2 / 10 }' "$out")  # 10 measured round trips
  if [ -z "$accesses" ] || [ "$accesses" -eq 0 ] || [ -z "$insns" ] || [ "${insns%.*}" -eq 0 ]; then
    echo "FAIL: $world: nothing measured (accesses '$accesses', instructions '$insns')"
    exit 1
  fi
  echo "$world warm round trip: $insns instructions, $accesses register accesses," \
    "$(awk -v i="$insns" -v a="$accesses" 'BEGIN { printf "%.1f", i / a }') instructions per access"
done
