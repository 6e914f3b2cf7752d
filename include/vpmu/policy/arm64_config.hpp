// SPDX-License-Identifier: MIT
// The PMU an arm64 guest sees, checked against the host, and the EL2 trap configuration a policy
// asks the hypervisor to program.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/policy/arm64_event_filter.hpp"

namespace vpmu {

struct arm64_guest_shape {
  arm64::pmuver version = arm64::pmuver::v3p5;  // PMUVer the guest's ID_AA64DFR0_EL1 shows
  unsigned counters = 6;                        // the guest's PMCR_EL0.N (= MDCR_EL2.HPMN)
};

struct arm64_config {
  arm64_guest_shape shape;
  arm64::pmu_caps host;
  const arm64_event_filter* filter = nullptr;  // shared by the VM's vCPUs; nullptr: no filter

  [[nodiscard]] constexpr bool validated() const { return validated_; }

 private:
  friend constexpr result<arm64_config> validate_arm64_config(const arm64_guest_shape&,
                                                              const arm64::pmu_caps&,
                                                              const arm64_event_filter*);
  bool validated_ = false;
};

[[nodiscard]] constexpr result<arm64_config> validate_arm64_config(
    const arm64_guest_shape& s, const arm64::pmu_caps& host,
    const arm64_event_filter* filter = nullptr) {
  const auto fail = [](const char* what, std::uint64_t v) {
    return error{errc::invalid_config, "arm64 guest PMU shape", what, v};
  };
  if (!host.has_pmuv3()) return fail("host PMUVer", static_cast<std::uint64_t>(host.version));
  if (!vpmu::at_least(s.version, arm64::pmuver::imp) || !host.at_least(s.version)) {
    return fail("version", static_cast<std::uint64_t>(s.version));
  }
  // PMUv3p9 adds PMZR_EL0 and PMUACR_EL1, which no vpmu policy gives a guest (they are UNDEFINED
  // to it): a PMUv3p9 guest is refused rather than shown registers it cannot use.
  if (vpmu::at_least(s.version, arm64::pmuver::v3p9)) {
    return fail("version (PMUv3p9 guests need PMZR_EL0/PMUACR_EL1: at most PMUv3p8)",
                static_cast<std::uint64_t>(s.version));
  }
  if (s.counters > host.counters) return fail("counters", s.counters);
  // HPMN = 0 is CONSTRAINED UNPREDICTABLE without FEAT_HPMN0 (Arm ARM, MDCR_EL2.HPMN).
  if (s.counters == 0 && !host.hpmn0) return fail("counters (HPMN = 0 needs FEAT_HPMN0)", 0);
  arm64_config c;
  c.shape = s;
  c.host = host;
  c.filter = filter;
  c.validated_ = true;
  return c;
}

// The EL2 registers a policy wants programmed while its vCPU runs.
struct arm64_trap_config {
  std::uint64_t mdcr_el2 = 0;
  // The vCPU's PMU registers are not in the hardware (everything traps): program
  // PMUSERENR_EL0 = EN|SW|CR|ER and PMSELR_EL0 = 0 while it runs, so that no state left by
  // another context decides an access (EL0 permission and PMXEVCNTR's SEL are checked before
  // the EL2 trap).
  bool neutral_el0_state = false;
  std::uint64_t hdfgrtr_el2 = 0, hdfgwtr_el2 = 0;    // only meaningful with FEAT_FGT
  std::uint64_t hdfgrtr2_el2 = 0, hdfgwtr2_el2 = 0;  // only meaningful with FEAT_FGT2
  std::uint32_t generation = 0;
  friend constexpr bool operator==(const arm64_trap_config&, const arm64_trap_config&) = default;
};

// Every guest PMU access traps to EL2 (MDCR_EL2.TPM and TPMCR on top of `mdcr_el2`), with no
// fine-grained trap needed, and neutral EL0 state so that nothing of another context's decides
// an access before the trap.
[[nodiscard]] constexpr arm64_trap_config trap_everything(std::uint64_t mdcr_el2,
                                                          std::uint32_t generation) {
  return {.mdcr_el2 = mdcr_el2 | arm64::mdcr_el2::tpm.mask | arm64::mdcr_el2::tpmcr.mask,
          .neutral_el0_state = true,
          .generation = generation};
}

// What a trapped MRS/MSR comes to, every architected outcome:
//  - done: for a read, `value` goes to Xt;
//  - `undefined`: the hypervisor injects an UNDEF at the guest's current exception level;
//  - `trap_to_el1`: an EL0 access the guest's own PMUSERENR_EL0 denies; the architecture traps it
//    to the guest's EL1 (EC 0x18), so the hypervisor injects that exception with syndrome `esr`
//    (as hardware would have reported it) and the guest kernel decides.
struct sysreg_result {
  std::uint64_t value = 0;
  bool undefined = false;
  bool trap_to_el1 = false;
  std::uint32_t esr = 0;  // with trap_to_el1: ESR_EL1 for the injected exception
  friend constexpr bool operator==(sysreg_result, sysreg_result) = default;
};

}  // namespace vpmu
