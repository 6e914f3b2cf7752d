// SPDX-License-Identifier: MIT
// A stand-in Arm CPU for tests and demos: the architectural PMU model (model/arm64_pmu.hpp) plus
// what a CPU adds around it, deterministically and fed by the caller: the exception level it
// executes at, events retiring there, and two views of its registers:
//  - the backend view (read/write): the hypervisor at EL2, which sees all N counters; it
//    satisfies vpmu::sysreg_access, so policies run on it as on hardware;
//  - the guest view (guest_read/guest_write from EL0/EL1): an access executes, traps to EL2 (with
//    the ESR_EL2 value hardware would report), traps to EL1, or is UNDEFINED, following MDCR_EL2
//    and HDFG[RW]TR(2)_EL2.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64/events.hpp"
#include "vpmu/arch/tags.hpp"
#include "vpmu/model/arm64_pmu.hpp"

namespace vpmu::sim {

using model::el;
using model::outcome;
using model::sysreg_outcome;
using arm_registers = model::arm64_registers;
using arm_pmu_config = model::arm64_pmu_config;
namespace arm_event = arm64::event;

class arm_pmuv3 : public model::arm64_pmu, public typed_sysreg_access<arm_pmuv3> {
 public:
  using typed_sysreg_access<arm_pmuv3>::read;
  using typed_sysreg_access<arm_pmuv3>::write;

  using arch_type = vpmu::arch::arm64;
  constexpr explicit arm_pmuv3(arm_pmu_config config = {}) : model::arm64_pmu(config) {}
  // The event counters' width: 64 bits with FEAT_PMUv3p5, else 32.
  [[nodiscard]] constexpr unsigned counter_width() const {
    return caps().event_counters_64bit() ? 64 : 32;
  }

  // --- where the CPU executes, and what happens there --------------------------------------
  constexpr void set_el(el e) { el_ = e; }
  [[nodiscard]] constexpr el current_el() const { return el_; }
  // Event counter n counts events now, at the current EL.
  [[nodiscard]] constexpr bool counts(unsigned n) const { return event_counter_counts(n, el_); }

  // `count` occurrences of event `event` at the current EL.
  constexpr void retire(std::uint16_t event, std::uint64_t count) {
    if (count == 0) return;
    for (unsigned n = 0; n < config().counters; ++n) {
      if (event_number(n) == event && event != arm_event::chain && event != arm_event::sw_incr &&
          event_counter_counts(n, el_)) {
        add_to_counter(n, count);
      }
    }
    if (event == arm_event::inst_retired && config().pmicntr && instruction_counter_counts(el_)) {
      add_to_instruction_counter(count);
    }
  }
  // Time passes: `count` processor cycles at the current EL (event CPU_CYCLES and PMCCNTR).
  constexpr void cycles(std::uint64_t count) {
    retire(arm_event::cpu_cycles, count);
    if (cycle_counter_counts(el_)) add_to_cycle_counter(count);
  }
  constexpr void instructions(std::uint64_t count) { retire(arm_event::inst_retired, count); }

  // --- the backend view: the hypervisor at EL2 -----------------------------------------------
  constexpr std::uint64_t read(arm64::sysreg_encoding e) {
    const sysreg_outcome o = access(el::el2, e, true);
    if (o.kind != outcome::executed) ++backend_faults_;
    return o.value;
  }
  constexpr void write(arm64::sysreg_encoding e, std::uint64_t v) {
    if (access(el::el2, e, false, v).kind != outcome::executed) ++backend_faults_;
  }
  // Accesses the backend view could not perform (UNDEFINED even at EL2): always a bug.
  [[nodiscard]] constexpr unsigned backend_faults() const { return backend_faults_; }

  // --- the guest view -------------------------------------------------------------------------
  constexpr sysreg_outcome guest_read(el from, arm64::sysreg_encoding e, std::uint8_t rt = 0) {
    return access(from, e, true, 0, rt);
  }
  constexpr sysreg_outcome guest_write(el from, arm64::sysreg_encoding e, std::uint64_t v,
                                       std::uint8_t rt = 0) {
    return access(from, e, false, v, rt);
  }

 private:
  el el_ = el::el1;
  unsigned backend_faults_ = 0;
};

static_assert(sysreg_access<arm_pmuv3>);

}  // namespace vpmu::sim
