#!/usr/bin/env bash
# Counts the instructions an arm64 partitioned vCPU's load() executes (warm: reloaded on the CPU
# it left, nothing changed; cold: another vCPU ran there) at HPMN 2, 6 and 30, over a backend that
# does nothing, with valgrind's callgrind. Reports them; fails if the warm count grows with HPMN.
# Instruction counts are exact, not timings.
# usage: check_warm_load.sh <c++ compiler> <include dir> <work dir>
set -euo pipefail
cxx=$1 inc=$2 work=$3
if ! command -v valgrind >/dev/null 2>&1; then
  echo "SKIPPED: valgrind not found (apt-get install valgrind)"
  exit 77
fi
mkdir -p "$work"
"$cxx" -std=c++20 -O2 -g -Wall -Wextra -Werror -I"$inc" "$(dirname "$0")/warm_load.cpp" \
  -o "$work/warm_load"
count() {  # count <hpmn> <function>: instructions executed inside <function> (10 calls)
  local out="$work/callgrind.$1.$2"
  valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
    --toggle-collect="$2(*" "$work/warm_load" "$1" >/dev/null 2>&1
  awk '/^summary:/ { print $2 / 10 }' "$out"
}
declare -A warm cold
for h in 2 6 30; do
  warm[$h]=$(count "$h" measure_warm_load)
  cold[$h]=$(count "$h" measure_cold_load)
  echo "HPMN $h: warm load() ${warm[$h]} instructions, cold load() ${cold[$h]}"
done
if [ "${warm[2]}" != "${warm[6]}" ] || [ "${warm[2]}" != "${warm[30]}" ]; then
  echo "FAIL: the warm load() grows with HPMN (nothing changed, so it must not)"
  exit 1
fi
if [ "${cold[30]%.*}" -le "${cold[2]%.*}" ]; then
  echo "FAIL: the cold count does not grow with HPMN: the measurement is not seeing load()"
  exit 1
fi
echo "ok: the warm load() does not grow with HPMN"
