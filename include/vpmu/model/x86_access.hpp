// SPDX-License-Identifier: MIT
// What a guest's RDMSR / WRMSR / RDPMC of a PMU register comes to: a value, or a #GP to inject
// (SDM Vol. 3B 21.2: a reserved bit set or an MSR the PMU does not have). x86 policies return it
// from their trap hooks; the x86 models return it from their access rules.
#pragma once

#include <cstdint>

#include "vpmu/core/bits.hpp"

namespace vpmu {

struct msr_result {
  std::uint64_t value = 0;
  bool fault = false;  // #GP
  friend constexpr bool operator==(msr_result, msr_result) = default;
};

}  // namespace vpmu

namespace vpmu::model {

// The whole x86 registers a write can change, as dirty_registers::controls bits.
enum class x86_control : std::uint8_t { global_ctrl, global_status, debugctl };

[[nodiscard]] constexpr std::uint32_t control_bit(x86_control c) {
  return static_cast<std::uint32_t>(bit(static_cast<unsigned>(c)));
}
// Some counter of `counter_bits` (GLOBAL_STATUS numbering) has its interrupt enabled in `m`.
template <class Model>
[[nodiscard]] constexpr bool any_interrupt_enabled(const Model& m, std::uint64_t counter_bits) {
  for (unsigned b : set_bits(counter_bits)) {
    if (m.interrupt_enabled(b)) return true;
  }
  return false;
}

[[nodiscard]] constexpr msr_result value(std::uint64_t v) {
  return {v, false};
}
[[nodiscard]] constexpr msr_result general_protection() {
  return {0, true};
}

}  // namespace vpmu::model
