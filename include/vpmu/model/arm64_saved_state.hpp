// SPDX-License-Identifier: MIT
// Everything an arm64 guest can observe of its PMU, as vcpu_pmu::save_state() returns it for
// migration or for moving a vCPU to another policy. Versioned: restore_state() refuses a format it
// does not know. Format 2 holds only guest-observable registers (format 1 also carried the EL2
// controls of the simulator's register file).
#pragma once

#include <cstdint>

#include "vpmu/model/arm64_pmu.hpp"

namespace vpmu::model {

struct arm64_saved_state {
  static constexpr std::uint32_t current_format = 2;
  std::uint32_t format = current_format;
  arm64_registers registers{};  // the guest's view (N = its counters)
  friend constexpr bool operator==(const arm64_saved_state&, const arm64_saved_state&) = default;
};

}  // namespace vpmu::model
