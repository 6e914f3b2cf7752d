// SPDX-License-Identifier: MIT
// The architectural model a policy keeps for a guest: its shape from the validated config, and
// what it reads as identification and events taken from the host, so that a guest sees the same
// PMCR_EL0.IMP/IDCODE and PMCEID0/1_EL0 whether an access traps or reaches the hardware, before
// and after a lazy or run-time switch between policies.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/events.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/model/arm64_pmu.hpp"
#include "vpmu/policy/arm64_config.hpp"

namespace vpmu {

// Who counts the guest's events: hardware counters it owns (partitioned, mediated) or host
// counters from a provider plus the model itself (emulated: SW_INCR and CHAIN are the model's).
enum class arm64_counting : std::uint8_t { hardware, emulated };

// The events a guest is told about (PMCEID0/1_EL0), advertising only what the policy delivers:
//  - hardware counting: the host's events, nothing more (a CHAIN the hardware lacks stays
//    hidden, since chaining is done by the hardware counters);
//  - emulated: the events a host counter can back (the host's) plus SW_INCR and CHAIN, which
//    the model counts itself (as Linux's kvm_pmu_get_pmceid always adds CHAIN).
// The 0x4000-range halves (bits[63:32]) are RES0 to a guest older than PMUv3p1 (D24.5).
// A host whose PMCEID was not probed (both 0) advertises the model's own events, less CHAIN when
// hardware counts (whether the hardware chains is not known). Events the VM's filter denies are
// hidden, as Linux's kvm_pmu_get_pmceid masks PMCEID with the filter; a policy recomputes this
// in on_filter_change().
// PMCEID<n> bits the filter denies, cleared: bit b stands for event `low + b` (b < 32) or
// `extended_event_base + low + b - 32` (b >= 32); `low` is the register's first event.
[[nodiscard]] constexpr std::uint64_t allowed_events(std::uint64_t pmceid, std::uint32_t low,
                                                     const arm64_event_filter* f) {
  if (f == nullptr) return pmceid;
  for (unsigned b : set_bits(pmceid)) {
    const std::uint32_t event = b < 32 ? low + b : arm64::extended_event_base + low + (b - 32);
    if (!f->allows(event)) pmceid &= ~bit(b);
  }
  return pmceid;
}

[[nodiscard]] constexpr model::arm64_pmu_config arm64_guest_model_config(const arm64_config& c,
                                                                         arm64_counting counting) {
  model::arm64_pmu_config m{c.shape.counters, c.shape.version};
  m.implementer = c.host.implementer;
  m.idcode = c.host.idcode;
  if (c.host.pmceid0 == 0 && c.host.pmceid1 == 0) {
    if (counting == arm64_counting::hardware) m.pmceid0 &= ~bit(arm64::event::chain);
  } else {
    m.pmceid0 = c.host.pmceid0;
    m.pmceid1 = c.host.pmceid1;
    if (counting == arm64_counting::emulated) {
      m.pmceid0 |= bit(arm64::event::sw_incr) | bit(arm64::event::chain);
    }
    if (!vpmu::at_least(c.shape.version, arm64::pmuver::v3p1)) {
      m.pmceid0 &= low_mask(32);
      m.pmceid1 &= low_mask(32);
    }
  }
  m.pmceid0 = allowed_events(m.pmceid0, arm64::pmceid0_first_event, c.filter);
  m.pmceid1 = allowed_events(m.pmceid1, arm64::pmceid1_first_event, c.filter);
  return m;
}

}  // namespace vpmu
