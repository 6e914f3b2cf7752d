#!/usr/bin/env bash
# Compiles policy_round_trip.cpp (load() + put() of the direct policies over the hardware
# backends) at -O2 for one target, reports instructions per register-access instruction, and
# checks the structural facts that matter on the world-switch path: no calls remain except into
# the policy's own load()/put() (no dispatch helpers, no runtime register lookup), and no
# indirect branch (no jump table per indexed counter access).
# usage: check_policy.sh <c++ compiler> <objdump> <x86_64|aarch64> <include dir> <work dir>
set -euo pipefail
source "$(dirname "$0")/common.sh"
disassemble policy_round_trip.cpp policy -r

if [ "$arch" = x86_64 ]; then
  access='\s(rdmsr|wrmsr|rdpmc)\b'
  call='\s(call|jmp)\s+[0-9a-f]+ <'
else
  access='\s(mrs|msr)\s'
  call='\s(bl|b)\s+[0-9a-f]+ <'
fi
insns=$(grep -cE '^\s+[0-9a-f]+:\s' "$work/policy.dis" || true)
accesses=$(grep -cE "$access" "$work/policy.dis" || true)
[ "$accesses" -gt 0 ] || { echo "FAIL: no register access instruction found"; exit 1; }
echo "$arch: $insns instructions, $accesses register-access instructions," \
  "$(awk -v i="$insns" -v a="$accesses" 'BEGIN { printf "%.1f", i / a }') instructions per access"

# Every call's relocation target must be the policy's own load() or put().
bad=$(grep -E 'R_(X86_64_PLT32|X86_64_PC32|AARCH64_CALL26|AARCH64_JUMP26)' "$work/policy.dis" |
  awk '{print $NF}' | grep -vE '(4loadEv|3putEv)(\.[a-z0-9.]+)?([+-]0x[0-9a-f]+)?$' || true)
if [ -n "$bad" ]; then
  echo "FAIL: calls left on the world-switch path:"
  echo "$bad" | sort -u | c++filt
  exit 1
fi
echo "ok: no calls besides load()/put() themselves"

# No indirect branch (a jump table for a runtime-indexed PMEVCNTR<n>/PMEVTYPER<n>, a call through
# a pointer): the loops over the guest's counters are unrolled, each access naming its register.
if [ "$arch" = x86_64 ]; then indirect='\s(jmp|call)\s+\*|notrack\s+jmp'; else indirect='\s(br|blr)\s+x[0-9]+'; fi
found=$(grep -cE "$indirect" "$work/policy.dis" || true)
if [ "$found" -ne 0 ]; then
  echo "FAIL: $found indirect branch(es) on the world-switch path:"
  grep -E "$indirect" "$work/policy.dis" | head -5
  exit 1
fi
echo "ok: no indirect branch"
