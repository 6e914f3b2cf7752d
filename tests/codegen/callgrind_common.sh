# Sourced by the scripts that count executed instructions with valgrind's callgrind.
# Arguments: <c++ compiler> <include dir> <work dir>. Without valgrind the calling test is
# skipped (exit 77) with the reason.
cxx=$1 inc=$2 work=$3
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v valgrind >/dev/null 2>&1; then
  echo "SKIPPED: valgrind not found (apt-get install valgrind)"
  exit 77
fi
mkdir -p "$work"

# build <source in this folder> <program>: -O2 with symbols, into $work/<program>
build() {
  "$cxx" -std=c++20 -O2 -g -Wall -Wextra -Werror -I"$inc" "$here/$1" -o "$work/$2"
}
# callgrind_ir <output file> <function pattern> <program and arguments...>: instructions executed
# inside the functions matching the pattern (their callees included), in all calls together
callgrind_ir() {
  local out=$1 pattern=$2
  shift 2
  valgrind --tool=callgrind --callgrind-out-file="$out" --collect-atstart=no \
    --toggle-collect="$pattern" "$@" >/dev/null 2>&1
  awk '/^summary:/ { print $2 }' "$out"
}
