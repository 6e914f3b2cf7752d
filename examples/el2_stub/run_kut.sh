#!/usr/bin/env bash
# Builds the kvm-unit-tests host (kut_host.cpp) as a raw arm64 Image, boots kvm-unit-tests'
# arm/pmu.flat below it once per entry of kut_entries.txt under the given policy, and checks
# the transcript against kut_expectations.txt (kut_check).
# Usage: run_kut.sh <cpu model> <policy> <kut_check> <vpmu include dir> <work dir> <pmu.flat> [runs]
#   policy: partitioned | emulated | lazy_partitioned
#   runs:   how many times to run the whole configuration (default 1); every run's transcript
#           must be byte-identical to the first (QEMU with -icount shift=0 is deterministic).
# Exit 77 (CTest: skipped) with the reason when the cross compiler, QEMU or pmu.flat is missing.
set -euo pipefail
cpu=$1 policy=$2 check=$3 include=$4 work=$5 flat=$6 runs=${7:-1}
src=$(cd "$(dirname "$0")" && pwd)
qemu=${VPMU_QEMU:-qemu-system-aarch64}
if [ ! -f "$flat" ]; then
  echo "SKIPPED: no kvm-unit-tests image at '$flat' (build arm/pmu.flat from kvm-unit-tests and"
  echo "         point the CMake option VPMU_KUT_PMU_FLAT at it)"
  exit 77
fi
source "$src/image.sh"
image_tools aarch64-linux-gnu-g++ aarch64-linux-gnu-objcopy "$qemu"
case $policy in
  partitioned) index=0 ;;
  emulated) index=1 ;;
  lazy_partitioned) index=2 ;;
  *) echo "unknown policy '$policy'"; exit 2 ;;
esac
mkdir -p "$work"
# The Image is the ELF's loadable bytes (QEMU then hands the host the device tree in x0).
build_image "$work/kut_host.elf" "$src/kut_host.cpp"
aarch64-linux-gnu-objcopy -O binary "$work/kut_host.elf" "$work/kut_host.img"
# run_entry <name> <args>: one boot of the guest; its output, framed by the entry's name.
run_entry() {
  echo "=== $1"
  # The host at 0x40080000 (raw Image, text_offset 0x80000), the policy just below the guest,
  # the guest at 0x40200000 (kut_host.cpp: guest_entry, boot_parameter_address).
  timeout 120 "$qemu" -M virt,virtualization=on,gic-version=3 -cpu "$cpu" -icount shift=0 \
    -nodefaults -display none -monitor none -nic none -serial stdio \
    -kernel "$work/kut_host.img" \
    -device loader,addr=0x401ff000,data=$((0x76706d7500000000 | index)),data-len=8 \
    -device loader,file="$flat",addr=0x40200000,force-raw=on \
    -append "$2" </dev/null 2>&1 || echo "=== QEMU exit status $?"
}
for run in $(seq 1 "$runs"); do
  out="$work/kut-$cpu-$policy.$run.txt"
  grep -v '^#' "$src/kut_entries.txt" | while read -r name args; do
    run_entry "$name" "$args"
  done >"$out"
  if [ "$run" -gt 1 ] && ! cmp -s "$work/kut-$cpu-$policy.1.txt" "$out"; then
    echo "FAIL: run $run differs from run 1 (QEMU with -icount shift=0 must be deterministic)"
    diff "$work/kut-$cpu-$policy.1.txt" "$out" || true
    exit 1
  fi
done
[ "$runs" -gt 1 ] && echo "$runs byte-identical runs ($cpu, $policy)"
"$check" "$cpu" "$policy" "$src/kut_expectations.txt" "$src/kut_entries.txt" \
  "$work/kut-$cpu-$policy.1.txt"
