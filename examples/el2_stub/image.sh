# Sourced by run_qemu.sh and run_kut.sh: the freestanding EL2 image build both share.
# Needs $src (this folder) and $include (vpmu's include dir); `image_tools <tool>...` exits 77
# (CTest: skipped) with the reason when one is missing.
image_tools() {
  for tool in "$@"; do
    if ! command -v "$tool" >/dev/null; then
      echo "SKIPPED: $tool not found (tools/install-deps installs it)"
      exit 77
    fi
  done
}
# build_image <output ELF> <extra flags and sources...>: start.S, the given sources and the four
# mem functions every freestanding target provides (tests/freestanding/mem_functions.cpp), with
# the flags QEMU's own bare-metal tests use: EL2 with the MMU off means no FP/SIMD registers, no
# unaligned accesses (Device memory), no libc, no unwind tables.
build_image() {
  local out=$1
  shift
  aarch64-linux-gnu-g++ -std=c++20 -O2 -ffreestanding -fno-exceptions -fno-rtti -nostdlib \
    -nostartfiles -fno-pie -no-pie -static -mgeneral-regs-only -mstrict-align \
    -fno-stack-protector -fno-asynchronous-unwind-tables -fno-threadsafe-statics \
    -fno-tree-loop-distribute-patterns -Wall -Wextra -Wpedantic -Wconversion -Wshadow -Werror \
    -I"$include" -T "$src/link.ld" -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
    "$src/start.S" "$src/../../tests/freestanding/mem_functions.cpp" "$@" -o "$out"
}
