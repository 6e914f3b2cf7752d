// SPDX-License-Identifier: MIT
// The warm world switch's cost per register access, for check_access_cost.sh (callgrind): a
// vCPU's load() + put() over a backend in which every register access is exactly one
// instruction, as on hardware (RDMSR/WRMSR/RDPMC; MRS/MSR), but harmless in user space. The
// counted run (the counting decorator over the same backend) gives the number of accesses.
//   access_cost intel [trips]   Intel mediated, 2 of 8 counters in use
//   access_cost arm64 [trips]   arm64 partitioned, 2 of 6 in use (N = 10), reloaded where it left
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <type_traits>

#include "vpmu/access/counting.hpp"
#include "vpmu/vcpu_pmu.hpp"

namespace a64 = vpmu::arm64;

// One instruction per access, with what the hardware would typically hold: a counter read gives
// a non-zero count, any other read 0 (GLOBAL_STATUS with no overflow), a write is one NOP using
// its operands. x86-64: RDPMC -> LEA, RDMSR -> XOR; AArch64: MRS -> MOV.
#if defined(__x86_64__)
#define ONE_INSN_ZERO(v) asm volatile("xor %k0, %k0" : "=r"(v))
#define ONE_INSN_COUNT(v, i) asm volatile("lea 1(%1), %0" : "=r"(v) : "r"(i))
#define ONE_INSN_CONST(v, c) asm volatile("mov %1, %k0" : "=r"(v) : "i"(c))
#else
#define ONE_INSN_ZERO(v) asm volatile("mov %0, #0" : "=r"(v))
#define ONE_INSN_COUNT(v, i) asm volatile("add %0, %1, #1" : "=r"(v) : "r"(i))
#define ONE_INSN_CONST(v, c) asm volatile("mov %0, %1" : "=r"(v) : "i"(c))
#endif
struct one_insn_msr {
  std::uint64_t rdmsr(std::uint32_t) {
    std::uint64_t v;
    ONE_INSN_ZERO(v);
    return v;
  }
  void wrmsr(std::uint32_t index, std::uint64_t v) { asm volatile("nop" ::"r"(index), "r"(v)); }
  std::uint64_t rdpmc(std::uint32_t index) {
    std::uint64_t v;
    ONE_INSN_COUNT(v, std::uint64_t{index});
    return v;
  }
};
// arm64 reads give what the guest below programmed: PMCR_EL0.E and PMCNTENSET_EL0 = 0b11 (a
// MOV of a constant), a count for an event counter or the cycle counter, 0 otherwise.
struct one_insn_sysreg {
  template <class R>
  std::uint64_t read() {
    std::uint64_t v;
    if constexpr (std::is_same_v<R, a64::pmcr_el0>) {
      ONE_INSN_CONST(v, 1);
    } else if constexpr (std::is_same_v<R, a64::pmcntenset_el0>) {
      ONE_INSN_CONST(v, 3);
    } else if constexpr (std::is_base_of_v<a64::pmevcntrn_el0, R> ||
                         std::is_same_v<R, a64::pmccntr_el0>) {
      ONE_INSN_CONST(v, 1000);
    } else {
      ONE_INSN_ZERO(v);
    }
    return v;
  }
  template <class R>
  void write(std::uint64_t v) {
    asm volatile("nop" ::"r"(v));
  }
  std::uint64_t read(a64::sysreg_encoding) {
    std::uint64_t v;
    ONE_INSN_ZERO(v);
    return v;
  }
  void write(a64::sysreg_encoding, std::uint64_t v) { asm volatile("nop" ::"r"(v)); }
};

using intel_plain = vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::mediated, one_insn_msr>;
using arm64_plain = vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, one_insn_sysreg>;

// What the measurement sees: one warm round trip of the plain (uncounted) vCPU.
__attribute__((noinline)) void measured_round_trip(intel_plain& pmu) {
  pmu.load();
  pmu.put();
}
__attribute__((noinline)) void measured_round_trip(arm64_plain& pmu) {
  pmu.load();
  pmu.put();
}
template <class Pmu>
void round_trip(Pmu& pmu) {
  pmu.load();
  pmu.put();
}

// The same guest program on the counted and the plain vCPU; then one warm round trip of the
// counted one gives the access count, and `trips` of the plain one are what is measured.
template <class Counted, class Backend, class Plain, class Guest>
int count_and_measure(Counted& counted, vpmu::counting<Backend>& counted_hw, Plain& plain,
                      Guest guest, int trips) {
  guest(counted);
  guest(plain);
  round_trip(counted);  // warm-up, as the measured trips are
  counted_hw.reset();
  round_trip(counted);
  const auto n = counted_hw.counts().total_reads() + counted_hw.counts().total_writes();
  round_trip(plain);
  for (int i = 0; i < trips; ++i)
    measured_round_trip(plain);
  std::printf("accesses %llu\n", static_cast<unsigned long long>(n));
  return 0;
}

// The guest programs two counters, through the policy's trap handlers.
template <class Pmu>
void intel_guest(Pmu& pmu) {
  pmu.load();
  (void)pmu.on_wrmsr(0x186, 0x4300c0);  // PERFEVTSEL0: EN | OS | USR, INST_RETIRED.ANY
  (void)pmu.on_wrmsr(0x187, 0x4300c4);
  (void)pmu.on_wrmsr(0x38f, 0x3);  // GLOBAL_CTRL: PMC0, PMC1
  pmu.put();
}
template <class Pmu>
void arm64_guest(Pmu& pmu) {
  pmu.load();
  for (unsigned n = 0; n < 2; ++n)
    (void)pmu.on_sysreg(a64::encode_esr({a64::pmevtyper_encoding_unchecked(n), false, 0}), 0x08);
  (void)pmu.on_sysreg(a64::encode_esr({a64::pmcntenset_el0::encoding, false, 0}), 0x3);
  (void)pmu.on_sysreg(a64::encode_esr({a64::pmcr_el0::encoding, false, 0}), 1);
  pmu.put();
}

int main(int argc, char** argv) {
  const bool arm = argc > 1 && std::strcmp(argv[1], "arm64") == 0;
  // How many measured round trips (10 by default): an instruction counter that sees the whole
  // program takes the difference of two runs.
  const int trips = argc > 2 ? std::atoi(argv[2]) : 10;
  if (!arm) {
    const auto host = vpmu::x86::decode_intel_cpuid({0x07300805, 0, 0, 0x00000603});
    vpmu::x86_guest_shape shape = vpmu::host_shape(host);
    const auto config = vpmu::validate_x86_config(shape, host);
    if (!config) return 2;
    one_insn_msr plain_hw;
    vpmu::counting<one_insn_msr> counted_hw{plain_hw};
    vpmu::vcpu_pmu<vpmu::arch::intel, vpmu::policy::mediated, vpmu::counting<one_insn_msr>> counted{
        counted_hw, config.value()};
    intel_plain plain{plain_hw, config.value()};
    return count_and_measure(
        counted, counted_hw, plain, [](auto& pmu) { intel_guest(pmu); }, trips);
  }
  // arm64: PMUv3p5, N = 10, FEAT_FGT (ID_AA64DFR0_EL1.PMUVer = 6, ID_AA64MMFR0_EL1.FGT = 1,
  // PMCR_EL0.N = 10).
  const a64::pmu_caps caps =
      a64::probe_caps(a64::id_aa64dfr0_el1::value::from_hardware(std::uint64_t{6} << 8),
                      a64::id_aa64dfr1_el1::value::from_hardware(0),
                      a64::id_aa64mmfr0_el1::value::from_hardware(std::uint64_t{1} << 56),
                      a64::pmcr_el0::value::from_hardware(std::uint64_t{10} << 11));
  const auto config = vpmu::validate_arm64_config({caps.version, 6}, caps);
  if (!config) return 2;
  one_insn_sysreg plain_hw;
  vpmu::counting<one_insn_sysreg> counted_hw{plain_hw};
  vpmu::pmu_owner owner_a, owner_b;
  vpmu::vcpu_pmu<vpmu::arch::arm64, vpmu::policy::partitioned, vpmu::counting<one_insn_sysreg>>
      counted{counted_hw, config.value(), &owner_a};
  arm64_plain plain{plain_hw, config.value(), &owner_b};
  return count_and_measure(
      counted, counted_hw, plain, [](auto& pmu) { arm64_guest(pmu); }, trips);
}
