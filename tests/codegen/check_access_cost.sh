#!/usr/bin/env bash
# Reports the instructions a warm world switch executes per register access (exact counts, not
# times), over a backend whose every access is one instruction as RDMSR/WRMSR/RDPMC and MRS/MSR
# are: Intel mediated with 2 of 8 counters in use and arm64 partitioned with 2 of 6, on x86-64
# (valgrind's callgrind), and arm64 partitioned built for AArch64 (qemu-aarch64 -singlestep
# tracing every executed instruction; the difference of a 10- and a 20-trip run), where the
# cross compiler and qemu-user exist. Fails only if a measurement is broken (no access counted,
# no instruction seen); the figures are reported for the benchmark notes.
# usage: check_access_cost.sh <c++ compiler> <include dir> <work dir>
set -euo pipefail
source "$(dirname "$0")/callgrind_common.sh"
build access_cost.cpp access_cost
for world in intel arm64; do
  accesses=$("$work/access_cost" "$world" | awk '/^accesses/ { print $2 }')
  ir=$(callgrind_ir "$work/callgrind.$world" 'measured_round_trip*' "$work/access_cost" "$world")
  insns=$(awk -v ir="$ir" 'BEGIN { print ir / 10 }')  # 10 measured round trips
  if [ -z "$accesses" ] || [ "$accesses" -eq 0 ] || [ -z "$insns" ] || [ "${insns%.*}" -eq 0 ]; then
    echo "FAIL: $world: nothing measured (accesses '$accesses', instructions '$insns')"
    exit 1
  fi
  echo "$world warm round trip: $insns instructions, $accesses register accesses," \
    "$(awk -v i="$insns" -v a="$accesses" 'BEGIN { printf "%.1f", i / a }') instructions per access"
done
# AArch64: the arm64 policy as it runs there.
if command -v aarch64-linux-gnu-g++ >/dev/null 2>&1 && command -v qemu-aarch64 >/dev/null 2>&1; then
  aarch64-linux-gnu-g++ -std=c++20 -O2 -static -Wall -Wextra -Werror -I"$inc" \
    "$here/access_cost.cpp" -o "$work/access_cost_aarch64"
  accesses=$(qemu-aarch64 "$work/access_cost_aarch64" arm64 | awk '/^accesses/ { print $2 }')
  for trips in 10 20; do
    qemu-aarch64 -singlestep -d nochain,exec -D "$work/trace.$trips" \
      "$work/access_cost_aarch64" arm64 "$trips" >/dev/null
  done
  insns=$(( ($(grep -c '^Trace' "$work/trace.20") - $(grep -c '^Trace' "$work/trace.10")) / 10 ))
  if [ -z "$accesses" ] || [ "$accesses" -eq 0 ] || [ "$insns" -le 0 ]; then
    echo "FAIL: aarch64: nothing measured (accesses '$accesses', instructions '$insns')"
    exit 1
  fi
  echo "arm64 warm round trip on AArch64: $insns instructions, $accesses register accesses," \
    "$(awk -v i="$insns" -v a="$accesses" 'BEGIN { printf "%.1f", i / a }') instructions per access"
else
  echo "(AArch64 not measured here: needs aarch64-linux-gnu-g++ and qemu-aarch64 from qemu-user)"
fi
