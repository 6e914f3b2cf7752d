// SPDX-License-Identifier: MIT
// Everything an arm64 guest can observe of its PMU, as vcpu_pmu::save_state() returns it for
// migration or for moving a vCPU to another policy, with the shape it was saved from. Versioned:
// restore_state() refuses a format it does not know, a different shape, and any register value a
// guest could not have written (model/arm64_state_check.hpp): a restore is a guest write.
// Format 2 holds only guest-observable registers and the shape (format 1 carried the EL2
// controls of the simulator's register file and no shape).
#pragma once

#include <cstdint>

#include "vpmu/core/result.hpp"
#include "vpmu/model/arm64_pmu.hpp"
#include "vpmu/model/arm64_state_check.hpp"

namespace vpmu::model {

struct arm64_saved_state {
  static constexpr std::uint32_t current_format = 2;
  std::uint32_t format = current_format;
  arm64_pmu_config shape{};     // the guest PMU it was saved from (N = HPMN, version)
  arm64_registers registers{};  // the guest's view
  friend constexpr bool operator==(const arm64_saved_state&, const arm64_saved_state&) = default;
};

// The whole check of a restore into a guest PMU of shape `shape`; nothing is changed by it.
[[nodiscard]] constexpr result<bool> check_saved_state(const arm64_saved_state& s,
                                                       const arm64_pmu_config& shape) {
  constexpr const char* what = "arm64 saved PMU state";
  if (s.format != arm64_saved_state::current_format) {
    return error{errc::invalid_config, what, "format", s.format};
  }
  if (s.shape.counters != shape.counters) {
    return error{errc::invalid_config, what, "shape: counters (PMCR_EL0.N)", s.shape.counters};
  }
  // Identification and events (PMCR.IMP/IDCODE, PMCEID) are the running host's, not the saved
  // guest's: a restore on another host shows that host's, as KVM recomputes them on arrival.
  arm64_pmu_config saved = s.shape;
  saved.implementer = shape.implementer;
  saved.idcode = shape.idcode;
  saved.pmceid0 = shape.pmceid0;
  saved.pmceid1 = shape.pmceid1;
  if (!(saved == shape)) {
    return error{errc::invalid_config, what, "shape: version",
                 static_cast<std::uint64_t>(s.shape.version)};
  }
  return check_guest_registers(shape, s.registers);
}

}  // namespace vpmu::model
