// SPDX-License-Identifier: MIT
// program_traps(): what a hypervisor writes at EL2 before running a vCPU, from the vCPU's
// arm64_trap_config -- the one place that turns the policy's trap decision into register writes,
// so every hypervisor (and the examples, tests and benchmarks) does it the same way.
//
// Call it before load() when the vCPU is scheduled in, and again whenever trap_config().generation
// changes (lazy<P> changes regime on its first trapped access).
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/policy/arm64_config.hpp"
#include "vpmu/policy/pmu_owner.hpp"

namespace vpmu {

// owner: the physical CPU's pmu_owner, or nullptr when the hypervisor keeps none. The neutral EL0
// state overwrites PMUSERENR_EL0 and PMSELR_EL0 under whichever vCPU the owner names, so the
// owner is invalidated then: its next load() writes them again instead of trusting them.
// host_mdcr: MDCR_EL2 bits the host keeps for itself, typically HPME so that its own counters in
// [HPMN, N) count (Arm ARM D13.1.2: counters >= HPMN are enabled by MDCR_EL2.HPME, not PMCR.E).
// The fine-grained trap registers are written only where the CPU has them (FEAT_FGT /
// FEAT_FGT2; without them the registers are UNDEFINED at EL2).
template <class Regs>
constexpr void program_traps(Regs& regs, const arm64_trap_config& t, const arm64::pmu_caps& host,
                             pmu_owner* owner,
                             std::uint64_t host_mdcr = arm64::mdcr_el2::hpme.mask) {
  write_register<arm64::mdcr_el2>(regs, t.mdcr_el2 | host_mdcr);
  if (host.has_fgt()) {
    write_register<arm64::hdfgrtr_el2>(regs, t.hdfgrtr_el2);
    write_register<arm64::hdfgwtr_el2>(regs, t.hdfgwtr_el2);
  }
  if (host.has_fgt2()) {
    write_register<arm64::hdfgrtr2_el2>(regs, t.hdfgrtr2_el2);
    write_register<arm64::hdfgwtr2_el2>(regs, t.hdfgwtr2_el2);
  }
  if (t.neutral_el0_state) {
    // EL0 permission and PMSELR_EL0.SEL are checked before the EL2 trap (Arm ARM D13.2): leave
    // nothing of another context's to decide a trapped vCPU's access.
    using ue = arm64::pmuserenr_el0;
    write_register<ue>(regs, ue::en.mask | ue::sw.mask | ue::cr.mask | ue::er.mask);
    write_register<arm64::pmselr_el0>(regs, 0);
    if (owner != nullptr) owner->invalidate();
  }
}

}  // namespace vpmu
