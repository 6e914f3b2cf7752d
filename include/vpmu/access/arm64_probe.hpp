// SPDX-License-Identifier: MIT
// The host PMU's capabilities, read through a register backend: what an EL2 hypervisor calls
// once per CPU (or per CPU type) before it validates a guest configuration.
#pragma once

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/id_regs.gen.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"

namespace vpmu::arm64 {

// ID_AA64DFR0_EL1 (PMUVer, HPMN0, MTPMU), ID_AA64DFR1_EL1 (PMICNTR), ID_AA64MMFR0_EL1 (FGT),
// PMCR_EL0 (N, IMP, IDCODE) and PMCEID0/1_EL0 (the common events), read from `hw` at EL2.
template <::vpmu::sysreg_access A>
[[nodiscard]] constexpr pmu_caps probe_caps(A& hw) {
  return probe_caps(
      id_aa64dfr0_el1::value::from_hardware(::vpmu::read_register<id_aa64dfr0_el1>(hw)),
      id_aa64dfr1_el1::value::from_hardware(::vpmu::read_register<id_aa64dfr1_el1>(hw)),
      id_aa64mmfr0_el1::value::from_hardware(::vpmu::read_register<id_aa64mmfr0_el1>(hw)),
      pmcr_el0::value::from_hardware(::vpmu::read_register<pmcr_el0>(hw)),
      ::vpmu::read_register<pmceid0_el0>(hw), ::vpmu::read_register<pmceid1_el0>(hw));
}

}  // namespace vpmu::arm64
