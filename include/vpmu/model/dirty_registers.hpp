// SPDX-License-Identifier: MIT
// Which guest registers a write changed: the one dirty-tracking design of every policy. The model
// records it on each guest (or restore) write; a policy takes it after the access and writes
// exactly those registers through to the hardware or to its backing counters.
//
// Bit positions follow each architecture's own counter bitmaps, so a mask can be used directly
// with them: Arm P<n> = bit n, C (PMCCNTR) = bit 31; x86 GP counter n = bit n, fixed counter i =
// bit 32 + i (IA32_PERF_GLOBAL_CTRL's layout).
#pragma once

#include <cstdint>

namespace vpmu::model {

struct dirty_registers {
  std::uint64_t counters = 0;  // counter values
  std::uint64_t config = 0;    // per-counter configuration (PMEVTYPER/PMCCFILTR, PERFEVTSEL/FIXED)
  std::uint32_t controls = 0;  // whole registers, numbered by each model's `control` enum

  [[nodiscard]] constexpr bool any() const { return (counters | config | controls) != 0; }
  constexpr dirty_registers& operator|=(const dirty_registers& o) {
    counters |= o.counters;
    config |= o.config;
    controls |= o.controls;
    return *this;
  }
  friend constexpr bool operator==(const dirty_registers&, const dirty_registers&) = default;
};

}  // namespace vpmu::model
