// SPDX-License-Identifier: MIT
// What an x86 policy asks the hypervisor to intercept (a trapped access returns a msr_result,
// model/x86_access.hpp).
#pragma once

#include <cstdint>

#include "vpmu/model/x86_access.hpp"

namespace vpmu {

// The hypervisor intercepts every PMU MSR except the ones listed here (its MSR bitmap: set the
// PMU range to intercept, then clear these). `generation` changes whenever the list does, so a
// hypervisor can refresh its bitmap lazily (compare before VM entry).
struct x86_trap_config {
  static constexpr unsigned capacity = 32;
  std::uint32_t passthrough[capacity] = {};
  unsigned count = 0;
  bool rdpmc_exiting = true;
  std::uint32_t generation = 0;

  constexpr void add(std::uint32_t msr) {
    if (count < capacity) passthrough[count++] = msr;
  }
  [[nodiscard]] constexpr bool passes_through(std::uint32_t msr) const {
    for (unsigned i = 0; i < count; ++i) {
      if (passthrough[i] == msr) return true;
    }
    return false;
  }
};

}  // namespace vpmu
