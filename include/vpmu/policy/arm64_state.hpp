// SPDX-License-Identifier: MIT
// Everything an arm64 guest can observe of its PMU (versioned), as vcpu_pmu::save_state()
// returns it.
#pragma once

#include <cstdint>

#include "vpmu/sim/arm_pmuv3.hpp"

namespace vpmu {

struct arm64_saved_state {
  static constexpr std::uint32_t current_format = 1;
  std::uint32_t format = current_format;
  sim::arm_registers registers{};  // the guest's view (N = its counters); EL2 fields unused
  friend constexpr bool operator==(const arm64_saved_state&, const arm64_saved_state&) = default;
};

}  // namespace vpmu
