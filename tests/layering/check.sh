#!/usr/bin/env bash
# The layering rules of include/vpmu (core <- arch <- {access, model} <- host <- policy <- vcpu_pmu;
# sim <- {model, access} only), checked by grep:
#  1. each folder includes only the folders below it (the table in allowed()); in particular no
#     header outside sim/ includes sim/ (the simulators are test and demo code);
#  2. no literal register number or bit mask in policy/, model/ or host/: a hex literal or a
#     shifted literal 1 on a code line, unless the line defines a named constant. Register
#     numbers and fields come from arch/ (the generated descriptions and their helpers).
# Usage: check.sh INCLUDE_DIR          check the tree
#        check.sh --selftest INCLUDE_DIR   plant violations in copies of the tree; each must fail
set -uo pipefail

allowed() {  # the folders a folder's headers may include
  case "$1" in
    core) echo "core" ;;
    arch) echo "core arch" ;;
    access) echo "core arch access" ;;
    model) echo "core arch model" ;;
    host) echo "core arch access model host" ;;
    policy) echo "core arch access model host policy" ;;
    sim) echo "core arch access model sim" ;;
    top) echo "core arch access model host policy" ;;  # vpmu.hpp, vcpu_pmu.hpp, ...
  esac
}

check() {
  local inc="$1" fail=0
  local bad
  bad=$(grep -rlE '#include +[<"]vpmu/sim/' "$inc/vpmu" --include='*.hpp' | grep -v '/vpmu/sim/')
  if [ -n "$bad" ]; then
    echo "layering: headers outside sim/ include sim/:"; echo "$bad"; fail=1
  fi
  local h folder dep
  while IFS= read -r h; do
    folder=$(dirname "${h#"$inc"/vpmu/}"); folder=${folder%%/*}
    [ "$folder" = "." ] && folder=top
    for dep in $(grep -hoE '#include +[<"]vpmu/[a-z_0-9]+/' "$h" | sed -E 's:.*vpmu/([a-z_0-9]+)/:\1:' | sort -u); do
      if ! grep -qw "$dep" <<< "$(allowed "$folder")"; then
        echo "layering: ${h#"$inc"/} ($folder/) includes $dep/"; fail=1
      fi
    done
  done < <(find "$inc/vpmu" -name '*.hpp')
  local f
  for f in "$inc"/vpmu/policy/*.hpp "$inc"/vpmu/model/*.hpp "$inc"/vpmu/host/*.hpp; do
    # Drop comments, then keep code lines with a hex literal or `1 << n` that define no constant.
    local hits
    hits=$(sed -E 's://.*$::' "$f" | grep -nE '0[xX][0-9a-fA-F]|[^0-9a-zA-Z_]1(U|ULL|ull|u)? *<<' |
           grep -vE 'constexpr [^=(]*= ')
    if [ -n "$hits" ]; then
      echo "layering: literal register number or mask in ${f#"$inc"/} (name it in arch/):"
      echo "$hits"; fail=1
    fi
  done
  return $fail
}

if [ "${1:-}" = "--selftest" ]; then
  inc="$2"; tmp=$(mktemp -d); trap 'rm -rf "$tmp"' EXIT
  cp -r "$inc" "$tmp/a"; cp -r "$inc" "$tmp/b"; cp -r "$inc" "$tmp/c"
  echo '#include "vpmu/sim/arm_pmuv3.hpp"' >> "$tmp/a/vpmu/policy/lazy.hpp"
  echo '#include "vpmu/policy/lazy.hpp"' >> "$tmp/c/vpmu/model/arm64_pmu.hpp"
  printf 'namespace vpmu { constexpr unsigned f(unsigned v) { return v & 0x2fd; } }\n' \
    >> "$tmp/b/vpmu/model/arm64_pmu.hpp"
  check "$tmp/a" > /dev/null && { echo "selftest: an include of sim/ went unnoticed"; exit 1; }
  check "$tmp/b" > /dev/null && { echo "selftest: a literal mask went unnoticed"; exit 1; }
  check "$tmp/c" > /dev/null && { echo "selftest: model/ including policy/ went unnoticed"; exit 1; }
  echo "selftest: every planted violation detected"
  exit 0
fi
check "$1" && echo "layering: ok"
