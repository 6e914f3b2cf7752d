#!/usr/bin/env bash
# Disassembles backend_reads.cpp built for one target and checks that each typed register access
# is exactly the expected instruction (no lookup, no call, no runtime switch).
# usage: check_backend.sh <c++ compiler> <objdump> <x86_64|aarch64> <include dir> <work dir>
set -euo pipefail
source "$(dirname "$0")/common.sh"
disassemble backend_reads.cpp backend

# body <function>: its instructions, one per line, whitespace squeezed, padding dropped.
body() {
  awk -v f="<$1>:" '$2 == f {on = 1; next} on && /^$/ {exit} on {sub(/^[ \t]*[0-9a-f]+:[ \t]*/, ""); gsub(/[ \t]+/, " "); print}' "$work/backend.dis" |
    grep -v 'nop' || true
}
# exact <function> <instructions, ';'-separated>
exact() {
  local got
  got=$(body "$1" | paste -sd';')
  [ "$got" = "$2" ] || { echo "FAIL: $1 is '$got', expected '$2'"; exit 1; }
  echo "ok: $1 = $got"
}
# structural <function> <immediate> <instruction>: ECX loaded with the MSR index as an immediate,
# exactly one access instruction, no call or jump. (How the 64-bit result is assembled from
# EDX:EAX differs between compilers, so it is not pinned.)
structural() {
  local b
  b=$(body "$1")
  echo "$b" | grep -qx "mov \$$2,%ecx" || { echo "FAIL: $1 does not load ECX with $2:"; echo "$b"; exit 1; }
  [ "$(echo "$b" | grep -cx "$3")" = 1 ] || { echo "FAIL: $1 has not exactly one $3:"; echo "$b"; exit 1; }
  if echo "$b" | grep -qE 'call|jmp'; then echo "FAIL: $1 calls or jumps:"; echo "$b"; exit 1; fi
  echo "ok: $1 = $(echo "$b" | paste -sd';')"
}

if [ "$arch" = x86_64 ]; then
  structural vpmu_read_perfevtsel3 0x189 rdmsr
  structural vpmu_write_global_ctrl 0x38f wrmsr
else
  exact vpmu_read_pmcr 'mrs x0, pmcr_el0;ret'
  exact vpmu_read_pmevtyper5 'mrs x0, pmevtyper5_el0;ret'
  exact vpmu_write_mdcr 'msr mdcr_el2, x0;ret'
fi
