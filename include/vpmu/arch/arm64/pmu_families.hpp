// SPDX-License-Identifier: MIT
// The indexed PMUv3 register families: PMEVCNTR<n>_EL0 and PMEVTYPER<n>_EL0, n = 0..30.
//
// Encodings (Arm ARM D24.5, and Linux's SYS_PMEV{CNTR,TYPER}n_EL0): op0 = 3, op1 = 3, CRn = 14,
//   PMEVCNTR<n>:  CRm = 0b10:n[4:3], op2 = n[2:0]
//   PMEVTYPER<n>: CRm = 0b11:n[4:3], op2 = n[2:0]
// The slot n = 31 of PMEVTYPER is PMCCFILTR_EL0 (3,3,14,15,7); PMEVCNTR's n = 31 slot is
// unallocated. Both families are therefore limited to n <= 30.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/arch/arm64/sysreg_encoding.hpp"
#include "vpmu/core/result.hpp"

namespace vpmu::arm64 {

// PMUv3 has at most 31 event counters (PMCR_EL0.N is 5 bits, 31 = the cycle counter's index).
inline constexpr unsigned max_event_counters = 31;

[[nodiscard]] constexpr sysreg_encoding pmevcntr_encoding_unchecked(unsigned n) {
  return {3, 3, 14, static_cast<std::uint8_t>(0b1000 | ((n >> 3) & 3)),
          static_cast<std::uint8_t>(n & 7)};
}
[[nodiscard]] constexpr sysreg_encoding pmevtyper_encoding_unchecked(unsigned n) {
  return {3, 3, 14, static_cast<std::uint8_t>(0b1100 | ((n >> 3) & 3)),
          static_cast<std::uint8_t>(n & 7)};
}

// Runtime forms: an error naming the family when n is out of range.
[[nodiscard]] constexpr result<sysreg_encoding> pmevcntr_encoding(unsigned n) {
  if (n >= max_event_counters) return error{errc::index_out_of_range, "PMEVCNTR<n>_EL0", "n", n};
  return pmevcntr_encoding_unchecked(n);
}
[[nodiscard]] constexpr result<sysreg_encoding> pmevtyper_encoding(unsigned n) {
  if (n >= max_event_counters) {
    return error{errc::index_out_of_range, "PMEVTYPER<n>_EL0", "n", n};
  }
  return pmevtyper_encoding_unchecked(n);
}

template <unsigned N>
struct pmevcntr_el0 : pmevcntrn_el0 {
  static_assert(N < max_event_counters, "PMEVCNTR<n>_EL0: n must be in 0..30");
  using layout = pmevcntrn_el0;
  static constexpr unsigned index = N;
  static constexpr const char* register_name = "PMEVCNTR<n>_EL0";
  static constexpr sysreg_encoding encoding = pmevcntr_encoding_unchecked(N);
};

template <unsigned N>
struct pmevtyper_el0 : pmevtypern_el0 {
  static_assert(N < max_event_counters,
                "PMEVTYPER<n>_EL0: n must be in 0..30 (the n = 31 slot is PMCCFILTR_EL0)");
  using layout = pmevtypern_el0;
  static constexpr unsigned index = N;
  static constexpr const char* register_name = "PMEVTYPER<n>_EL0";
  static constexpr sysreg_encoding encoding = pmevtyper_encoding_unchecked(N);
};

}  // namespace vpmu::arm64
