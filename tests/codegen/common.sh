# Sourced by the check_*.sh scripts: their shared arguments and build step.
# Arguments: <c++ compiler> <objdump> <x86_64|aarch64> <include dir> <work dir>. Without the
# compiler or objdump the calling test is skipped (exit 77) with the reason.
cxx=$1 objdump=$2 arch=$3 inc=$4 work=$5/$arch
here=$(cd "$(dirname "$0")" && pwd)
for tool in "$cxx" "$objdump"; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIPPED: $tool not found (apt-get install g++-aarch64-linux-gnu binutils-aarch64-linux-gnu)"
    exit 77
  fi
done
mkdir -p "$work"

# disassemble <source in this folder> <stem> [objdump flags]: -O2 object, then $work/<stem>.dis
disassemble() {
  "$cxx" -std=c++20 -O2 -fno-asynchronous-unwind-tables -I"$inc" -c "$here/$1" -o "$work/$2.o"
  "$objdump" -d "${@:3}" --no-show-raw-insn "$work/$2.o" >"$work/$2.dis"
}
