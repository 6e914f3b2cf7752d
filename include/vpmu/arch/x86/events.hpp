// SPDX-License-Identifier: MIT
// Intel architectural performance events (SDM Vol. 3B 21.2.1.2, Table 21-1) as
// (event select | umask << 8), and the event each fixed counter counts (SDM Table 21-2).
#pragma once

#include <cstdint>

namespace vpmu::x86::intel_event {

inline constexpr std::uint16_t core_cycles = 0x003c;
inline constexpr std::uint16_t instructions = 0x00c0;
inline constexpr std::uint16_t ref_cycles = 0x013c;
inline constexpr std::uint16_t branches = 0x00c4;
inline constexpr std::uint16_t branch_misses = 0x00c5;
inline constexpr std::uint16_t topdown_slots = 0x01a4;

// Fixed counter i counts this event (0: INST_RETIRED.ANY, 1: CPU_CLK_UNHALTED.CORE,
// 2: CPU_CLK_UNHALTED.REF_TSC, 3: TOPDOWN.SLOTS); i < 4.
[[nodiscard]] constexpr std::uint16_t fixed_counter_event(unsigned i) {
  constexpr std::uint16_t events[] = {instructions, core_cycles, ref_cycles, topdown_slots};
  return events[i & 3];
}

}  // namespace vpmu::x86::intel_event
