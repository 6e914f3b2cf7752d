// SPDX-License-Identifier: MIT
// The identity of an x86 model-specific register: its ECX index for RDMSR/WRMSR.
#pragma once

#include <cstdint>

namespace vpmu::x86 {

struct msr_index {
  std::uint32_t index;

  [[nodiscard]] constexpr std::uint32_t key() const { return index; }
  friend constexpr bool operator==(msr_index, msr_index) = default;
};

}  // namespace vpmu::x86
