// SPDX-License-Identifier: MIT
// Which PMU register an encoding names, with the family index: the step between "a trapped
// MRS/MSR" and "the handler for that register". One switch on the packed encoding, no tables to
// walk on the trap path.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/pmu_families.hpp"
#include "vpmu/arch/arm64/sysreg_encoding.hpp"

namespace vpmu::arm64 {

enum class pmu_reg : std::uint8_t {
  none,  // not a PMUv3 register
  pmcr,
  pmcntenset,
  pmcntenclr,
  pmovsclr,
  pmovsset,
  pmswinc,
  pmselr,
  pmceid0,
  pmceid1,
  pmccntr,
  pmxevtyper,
  pmxevcntr,
  pmzr,
  pmuserenr,
  pmintenset,
  pmintenclr,
  pmuacr,
  pmmir,
  pmicntr,
  pmicfiltr,
  pmccfiltr,
  pmevcntr,   // index = n
  pmevtyper,  // index = n
};

struct pmu_reg_ref {
  pmu_reg reg = pmu_reg::none;
  std::uint8_t index = 0;  // n for the PMEVCNTR/PMEVTYPER families, else 0

  friend constexpr bool operator==(pmu_reg_ref, pmu_reg_ref) = default;
};

[[nodiscard]] constexpr pmu_reg_ref classify(sysreg_encoding e) {
  if (e.op0 != 3) return {};
  // The families: (3, 3, 14, 0b10:n[4:3] / 0b11:n[4:3], n[2:0]).
  if (e.op1 == 3 && e.crn == 14 && e.crm >= 8) {
    const auto n = static_cast<std::uint8_t>(((e.crm & 3) << 3) | e.op2);
    if (e.crm >= 12) {
      if (n == 31) return {pmu_reg::pmccfiltr, 0};
      return {pmu_reg::pmevtyper, n};
    }
    if (n == 31) return {};  // unallocated
    return {pmu_reg::pmevcntr, n};
  }
  switch (e.key()) {
    case pmcr_el0::encoding.key(): return {pmu_reg::pmcr};
    case pmcntenset_el0::encoding.key(): return {pmu_reg::pmcntenset};
    case pmcntenclr_el0::encoding.key(): return {pmu_reg::pmcntenclr};
    case pmovsclr_el0::encoding.key(): return {pmu_reg::pmovsclr};
    case pmovsset_el0::encoding.key(): return {pmu_reg::pmovsset};
    case pmswinc_el0::encoding.key(): return {pmu_reg::pmswinc};
    case pmselr_el0::encoding.key(): return {pmu_reg::pmselr};
    case pmceid0_el0::encoding.key(): return {pmu_reg::pmceid0};
    case pmceid1_el0::encoding.key(): return {pmu_reg::pmceid1};
    case pmccntr_el0::encoding.key(): return {pmu_reg::pmccntr};
    case pmxevtyper_el0::encoding.key(): return {pmu_reg::pmxevtyper};
    case pmxevcntr_el0::encoding.key(): return {pmu_reg::pmxevcntr};
    case pmzr_el0::encoding.key(): return {pmu_reg::pmzr};
    case pmuserenr_el0::encoding.key(): return {pmu_reg::pmuserenr};
    case pmintenset_el1::encoding.key(): return {pmu_reg::pmintenset};
    case pmintenclr_el1::encoding.key(): return {pmu_reg::pmintenclr};
    case pmuacr_el1::encoding.key(): return {pmu_reg::pmuacr};
    case pmmir_el1::encoding.key(): return {pmu_reg::pmmir};
    case pmicntr_el0::encoding.key(): return {pmu_reg::pmicntr};
    case pmicfiltr_el0::encoding.key(): return {pmu_reg::pmicfiltr};
    default: return {};
  }
}

}  // namespace vpmu::arm64
