#!/usr/bin/env bash
# Reports the instructions a warm world switch executes per register access (exact counts, not
# times), over a backend whose every access is one instruction as RDMSR/WRMSR/RDPMC and MRS/MSR
# are: Intel mediated with 2 of 8 counters in use and arm64 partitioned with 2 of 6, on x86-64
# (valgrind's callgrind), and arm64 partitioned built for AArch64 (qemu-aarch64 -singlestep
# tracing every executed instruction; the difference of a 10- and a 20-trip run), where the
# cross compiler and qemu-user exist. Fails if a measurement is broken (no access counted, no
# instruction seen) or above the world-switch budget: 10 instructions per access for Intel on
# x86-64, 5 for arm64 on AArch64 (the x86-64 build of the arm64 policy is reported only).
# usage: check_access_cost.sh <c++ compiler> <include dir> <work dir>
set -euo pipefail
source "$(dirname "$0")/callgrind_common.sh"
build access_cost.cpp access_cost
status=0
# report <what> <instructions> <accesses> [budget per access]
report() {
  local per
  per=$(awk -v i="$2" -v a="$3" 'BEGIN { printf "%.1f", i / a }')
  echo "$1: $2 instructions, $3 register accesses, $per instructions per access${4:+ (budget $4)}"
  if [ -n "${4:-}" ] && awk -v i="$2" -v a="$3" -v b="$4" 'BEGIN { exit !(i > a * b) }'; then
    echo "FAIL: $1 is over its budget of $4 instructions per access"
    status=1
  fi
}
for world in intel arm64; do
  accesses=$("$work/access_cost" "$world" | awk '/^accesses/ { print $2 }')
  ir=$(callgrind_ir "$work/callgrind.$world" 'measured_round_trip*' "$work/access_cost" "$world")
  insns=$(awk -v ir="$ir" 'BEGIN { print ir / 10 }')  # 10 measured round trips
  if [ -z "$accesses" ] || [ "$accesses" -eq 0 ] || [ -z "$insns" ] || [ "${insns%.*}" -eq 0 ]; then
    echo "FAIL: $world: nothing measured (accesses '$accesses', instructions '$insns')"
    exit 1
  fi
  if [ "$world" = intel ]; then
    report "intel warm round trip" "$insns" "$accesses" 10
  else
    report "arm64 warm round trip, x86-64 build" "$insns" "$accesses"
  fi
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
  report "arm64 warm round trip on AArch64" "$insns" "$accesses" 5
else
  echo "(AArch64 not measured here: needs aarch64-linux-gnu-g++ and qemu-aarch64 from qemu-user)"
fi
exit $status
