#!/usr/bin/env bash
# Counts the instructions an arm64 partitioned vCPU's load() executes (warm: reloaded on the CPU
# it left, nothing changed; cold: another vCPU ran there) at HPMN 2, 6 and 30, over a backend that
# does nothing, with valgrind's callgrind. Reports them; fails if the warm count grows with HPMN.
# Instruction counts are exact, not timings.
# usage: check_warm_load.sh <c++ compiler> <include dir> <work dir>
set -euo pipefail
source "$(dirname "$0")/callgrind_common.sh"
build warm_load.cpp warm_load
count() {  # count <hpmn> <function>: instructions executed inside <function>, per call (10)
  local ir
  ir=$(callgrind_ir "$work/callgrind.$1.$2" "$2(*" "$work/warm_load" "$1")
  echo $((ir / 10))
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
