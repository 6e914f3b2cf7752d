// SPDX-License-Identifier: MIT
// PMUv3 common event numbers vpmu gives meaning to (Arm ARM M.a.a D24.11, "Common event numbers";
// Linux's ARMV8_PMUV3_PERFCTR_*). PMCEID0_EL0 bit n advertises event n for n < 32.
#pragma once

#include <cstdint>

namespace vpmu::arm64::event {

inline constexpr std::uint16_t sw_incr = 0x00;       // counted by PMSWINC_EL0 writes
inline constexpr std::uint16_t inst_retired = 0x08;  // instruction architecturally executed
inline constexpr std::uint16_t cpu_cycles = 0x11;    // the event PMCCNTR_EL0 counts
inline constexpr std::uint16_t chain = 0x1e;         // odd counter counts the even one's overflows
inline constexpr std::uint16_t stall_frontend = 0x23;  // required from PMUv3p1 (D24.11.1)
inline constexpr std::uint16_t stall_backend = 0x24;   // required from PMUv3p1 (D24.11.1)

}  // namespace vpmu::arm64::event

namespace vpmu::arm64 {

// PMCEID0_EL0 bit b advertises event b, PMCEID1_EL0 bit b event 0x20 + b; bits[63:32] the events
// from 0x4000 on in the same order (FEAT_PMUv3p1; Arm ARM D24.5 PMCEID0/1_EL0).
inline constexpr std::uint32_t pmceid0_first_event = 0x00;
inline constexpr std::uint32_t pmceid1_first_event = 0x20;
inline constexpr std::uint32_t extended_event_base = 0x4000;

// The events the architectural model counts on its own (SW_INCR, INST_RETIRED, CPU_CYCLES, CHAIN),
// as a PMCEID0_EL0 value: what a model without a host advertises.
inline constexpr std::uint64_t model_events =
    std::uint64_t{1} << event::sw_incr | std::uint64_t{1} << event::inst_retired |
    std::uint64_t{1} << event::cpu_cycles | std::uint64_t{1} << event::chain;

}  // namespace vpmu::arm64
