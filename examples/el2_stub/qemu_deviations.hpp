// SPDX-License-Identifier: MIT
// QEMU 7.2's known deviations from the Arm architecture, each named once with the rule it breaks
// (measured; the code is target/arm/helper.c). Two checks refer to them by name: the stub's
// differential comparison with the simulator (sim_run.cpp) and the kvm-unit-tests expectations
// (kut_expectations.txt, checked by kut_check.cpp), so a deviation cannot be described twice
// or differently. Host code only (the checkers), never built into an EL2 image.
#pragma once

#include <string_view>

namespace el2_stub {

struct qemu_deviation {
  std::string_view name;
  std::string_view rule;  // the rule QEMU breaks, and what it does instead
};

inline constexpr qemu_deviation qemu_deviations[] = {
    {"pmcnten-above-hpmn",
     "Arm ARM D13.1.1: PMCNTENSET/CLR_EL0 and PMINTENSET/CLR_EL1 bits for counters >= "
     "MDCR_EL2.HPMN are RAZ/WI from EL1; QEMU 7.2 shows the host's bits to the guest and lets "
     "its writes change them"},
    {"pmevcntr-above-hpmn",
     "Arm ARM D13.2 (PMEVCNTR<n>_EL0 accessibility): an EL1 access with n >= MDCR_EL2.HPMN is "
     "UNDEFINED; QEMU 7.2 returns the host counter's live value"},
    {"pmcr-p-above-hpmn",
     "Arm ARM D13.1.1 PMCR_EL0.P: written from EL1 it resets only the counters below HPMN; "
     "QEMU 7.2 resets the host's counter too"},
    {"tpmcr-not-trapped",
     "Arm ARM D13.1.2 MDCR_EL2.TPMCR: EL1 accesses to PMCR_EL0 trap to EL2 (EC 0x18); QEMU 7.2 "
     "does not trap them (fixed upstream in 2025: \"target/arm: Trap PMCR when MDCR_EL2.TPMCR "
     "is set\")"},
};

// The deviation called `name`, or nullptr.
[[nodiscard]] constexpr const qemu_deviation* find_qemu_deviation(std::string_view name) {
  for (const qemu_deviation& d : qemu_deviations) {
    if (d.name == name) return &d;
  }
  return nullptr;
}

}  // namespace el2_stub
