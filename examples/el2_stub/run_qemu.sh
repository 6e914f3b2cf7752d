#!/usr/bin/env bash
# Builds the EL2 stub, runs it under QEMU three times (-icount shift=0: the runs must be
# byte-identical and exit 0, i.e. the host's counter survived every scenario), then compares
# the transcript with the same scenarios on vpmu's simulator (vpmu_el2_sim --compare).
# Usage: run_qemu.sh <cpu model> <vpmu_el2_sim> <vpmu include dir> <work dir> [check-deviations]
# check-deviations: build the stub so that it also checks the host's counter after the
# deviations scenario, where QEMU 7.2 lets the guest disturb it; the run must then FAIL.
# Exit 77 (CTest: skipped) with the reason when the cross compiler or QEMU is missing.
set -euo pipefail
cpu=$1 sim=$2 include=$3 work=$4 mode=${5:-}
src=$(cd "$(dirname "$0")" && pwd)
qemu=${VPMU_QEMU:-qemu-system-aarch64}  # VPMU_QEMU: another binary (the skip path is tested with a missing one)
source "$src/image.sh"
image_tools aarch64-linux-gnu-g++ "$qemu"
mkdir -p "$work"
build_image "$work/stub-$cpu.elf" ${mode:+-DEL2_STUB_CHECK_DEVIATIONS} "$src/stub.cpp"
# run_stub <output file>: one QEMU run; its exit status is the stub's verdict.
run_stub() {
  rm -f "$1"
  # -nic none: Debian's QEMU lacks the virtio NIC ROM; semihosting output goes to a file.
  timeout 120 "$qemu" -M virt,virtualization=on,gic-version=3 -cpu "$cpu" -icount shift=0 \
    -display none -serial null -monitor none -nic none \
    -semihosting-config enable=on,target=native,chardev=out -chardev file,id=out,path="$1" \
    -kernel "$work/stub-$cpu.elf" </dev/null
}
if [ "$mode" = check-deviations ]; then
  out="$work/qemu-$cpu.check.txt"
  rc=0
  run_stub "$out" || rc=$?
  if [ "$rc" -eq 1 ] && grep -q "^# FAIL: deviations: the host's counter was disturbed" "$out"; then
    echo "the host-counter check caught QEMU's disturbance (exit 1, as it must)"
    exit 0
  fi
  echo "FAIL: expected exit 1 and the disturbance report, got exit $rc:"
  cat "$out"
  exit 1
fi
for run in 1 2 3; do
  out="$work/qemu-$cpu.$run.txt"
  if ! run_stub "$out"; then
    echo "FAIL: run $run: the stub exited non-zero under QEMU"
    cat "$out"
    exit 1
  fi
  if [ "$run" -gt 1 ] && ! cmp -s "$work/qemu-$cpu.1.txt" "$out"; then
    echo "FAIL: run $run differs from run 1 (QEMU with -icount shift=0 must be deterministic)"
    diff "$work/qemu-$cpu.1.txt" "$out" || true
    exit 1
  fi
done
echo "3 identical QEMU runs ($cpu); every scenario left the host's counter intact"
"$sim" "$cpu" --compare "$work/qemu-$cpu.1.txt"
