// SPDX-License-Identifier: MIT
// What an Arm PMU has, decoded from the ID registers and PMCR_EL0.N, and the masks that depend
// on it. All constexpr: a hypervisor for a fixed CPU gets the masks as constants.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/id_regs.gen.hpp"
#include "vpmu/arch/arm64/pmu_families.hpp"
#include "vpmu/arch/arm64/pmu_regs.gen.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/id_field.hpp"
#include "vpmu/core/supported.hpp"

namespace vpmu::arm64 {

using pmuver = id_aa64dfr0_el1::pmuver_t;

// PMCR_EL0.IMP / MIDR_EL1.Implementer of Arm Limited ('A').
inline constexpr std::uint8_t implementer_arm = 0x41;

struct pmu_caps {
  pmuver version = pmuver::ni;  // ID_AA64DFR0_EL1.PMUVer
  std::uint8_t counters = 0;    // PMCR_EL0.N: event counters implemented (cycle counter aside)
  bool hpmn0 = false;           // FEAT_HPMN0: MDCR_EL2.HPMN = 0 is defined
  bool pmicntr = false;         // FEAT_PMUv3_ICNTR: PMICNTR_EL0 exists
  bool mtpmu = false;           // FEAT_MTPMU: PMEVTYPER.MT is meaningful
  std::uint8_t fgt = 0;         // 0 none, 1 FEAT_FGT, 2 FEAT_FGT2
  // Identification and events, which a guest reads as the host's (PMCR_EL0.IMP/IDCODE,
  // PMCEID0/1_EL0). pmceid0 = pmceid1 = 0: not probed (a PMUv3 implements at least SW_INCR and
  // CPU_CYCLES, D24.11.1); the guest then sees only the events the model counts itself.
  std::uint8_t implementer = implementer_arm;
  std::uint8_t idcode = 0;
  std::uint64_t pmceid0 = 0, pmceid1 = 0;

  // An architected PMUv3: not absent and not an IMPLEMENTATION DEFINED PMU (PMUVer 0xF).
  [[nodiscard]] constexpr bool has_pmuv3() const { return vpmu::at_least(version, pmuver::imp); }
  [[nodiscard]] constexpr bool at_least(pmuver v) const { return vpmu::at_least(version, v); }
  // FEAT_PMUv3p5: event counters are 64 bits (PMCR_EL0.LP, MDCR_EL2.HLP, HCCD).
  [[nodiscard]] constexpr bool event_counters_64bit() const { return at_least(pmuver::v3p5); }
  [[nodiscard]] constexpr bool has_fgt() const { return fgt >= 1; }
  [[nodiscard]] constexpr bool has_fgt2() const { return fgt >= 2; }

  friend constexpr bool operator==(pmu_caps, pmu_caps) = default;
};

// `pmceid0`/`pmceid1`: the host's PMCEID0/1_EL0 (left 0 when not read; see pmu_caps).
[[nodiscard]] constexpr pmu_caps probe_caps(id_aa64dfr0_el1::value dfr0,
                                            id_aa64dfr1_el1::value dfr1,
                                            id_aa64mmfr0_el1::value mmfr0, pmcr_el0::value pmcr,
                                            std::uint64_t pmceid0 = 0, std::uint64_t pmceid1 = 0) {
  pmu_caps c;
  c.implementer = static_cast<std::uint8_t>(pmcr.get(pmcr_el0::imp));
  c.idcode = static_cast<std::uint8_t>(pmcr.get(pmcr_el0::idcode));
  c.pmceid0 = pmceid0;
  c.pmceid1 = pmceid1;
  c.version = dfr0.get(id_aa64dfr0_el1::pmuver);
  c.counters = static_cast<std::uint8_t>(c.has_pmuv3() ? pmcr.get(pmcr_el0::n) : 0);
  c.hpmn0 = vpmu::at_least(dfr0, id_aa64dfr0_el1::hpmn0_t::imp);
  c.mtpmu = vpmu::at_least(dfr0, id_aa64dfr0_el1::mtpmu_t::imp);
  c.pmicntr = vpmu::at_least(dfr1, id_aa64dfr1_el1::pmicntr_t::imp);
  c.fgt = vpmu::at_least(mmfr0, id_aa64mmfr0_el1::fgt_t::fgt2)  ? 2
          : vpmu::at_least(mmfr0, id_aa64mmfr0_el1::fgt_t::imp) ? 1
                                                                : 0;
  return c;
}

// Width of PMEVTYPER.evtCount: 10 bits for PMUv3 (v3p0), 16 from FEAT_PMUv3p1 (the same rule as
// Linux's __kvm_pmu_event_mask). No PMUv3: no events.
[[nodiscard]] constexpr std::uint64_t evtcount_mask(const pmu_caps& c) {
  if (!c.has_pmuv3()) return 0;
  return c.at_least(pmuver::v3p1) ? 0xffff : 0x3ff;
}

// The counter bitmaps (PMCNTEN*, PMINTEN*, PMOVS*, PMSWINC, PMZR, PMUACR): P<n> = bit n for the
// event counters, C = bit 31 for PMCCNTR_EL0, F0 = bit 32 for PMICNTR_EL0 (Arm ARM D24.5).
inline constexpr unsigned cycle_counter_index = 31;
inline constexpr std::uint64_t cycle_counter_bit = bit(cycle_counter_index);
inline constexpr unsigned instruction_counter_index = 32;
inline constexpr std::uint64_t instruction_counter_bit = bit(instruction_counter_index);
// P<n>: the event counters' part of the bitmaps.
inline constexpr std::uint64_t event_counter_bits = pmu_counter_bitmap::p.mask;

// The counters EL1 and EL0 own under MDCR_EL2.HPMN = hpmn: P[hpmn-1:0], C, and F0 when
// implemented (D13.1.2: PMCCNTR and PMICNTR always belong to the first range).
[[nodiscard]] constexpr std::uint64_t guest_counter_mask(unsigned hpmn, bool pmicntr) {
  return low_mask(hpmn) | cycle_counter_bit | (pmicntr ? instruction_counter_bit : 0);
}
// The counters EL2 keeps for itself: P[n-1:hpmn] of n implemented event counters.
[[nodiscard]] constexpr std::uint64_t host_counter_mask(unsigned n, unsigned hpmn) {
  return low_mask(n) & ~low_mask(hpmn);
}

// PMCR_EL0 bits software can write and read back: E, D, X, DP, LC; LP with FEAT_PMUv3p5; FZO with
// FEAT_PMUv3p7 (Arm ARM M.a.a D24.5 PMCR_EL0). P and C are actions, never stored.
[[nodiscard]] constexpr std::uint64_t pmcr_stored_mask(const pmu_caps& c) {
  using p = pmcr_el0;
  std::uint64_t m = p::e.mask | p::d.mask | p::x.mask | p::dp.mask | p::lc.mask;
  if (c.at_least(pmuver::v3p5)) m |= p::lp.mask;
  if (c.at_least(pmuver::v3p7)) m |= p::fzo.mask;
  return m;
}

// Counter bits of the bitmaps that exist: P[N-1:0], C, and F0 with FEAT_PMUv3_ICNTR.
// `event_counters` defaults to all of them; pass HPMN for the guest range.
[[nodiscard]] constexpr std::uint64_t counter_bitmap_mask(const pmu_caps& c,
                                                          unsigned event_counters) {
  if (!c.has_pmuv3()) return 0;
  return guest_counter_mask(event_counters, c.pmicntr);
}
[[nodiscard]] constexpr std::uint64_t counter_bitmap_mask(const pmu_caps& c) {
  return counter_bitmap_mask(c, c.counters);
}

// PMEVTYPER bits this PMU supports: the exception-level filters P, U, NSK, NSU, NSH, M, the
// event number at its version's width, and MT with FEAT_MTPMU. Threshold (TH/TC, and TLC of
// FEAT_PMUv3_TH2), SVE mode (VS, FEAT_PMUv3_SME), Secure EL2 (SH), TME (T) and Realm (RL*) filters
// need features vpmu does not probe: they are unsupported, so a guest's write of them is dropped
// (RES0 to the guest) and a value fixed at compile time with them does not build.
[[nodiscard]] constexpr std::uint64_t pmevtyper_supported_mask(const pmu_caps& c) {
  using t = pmevtypern_el0;
  return t::p.mask | t::u.mask | t::nsk.mask | t::nsu.mask | t::nsh.mask | t::m.mask |
         (c.mtpmu ? t::mt.mask : 0) | evtcount_mask(c);
}

// PMCCFILTR_EL0 bits this PMU supports: the same exception-level filters (no event number, no
// MT); VS needs FEAT_PMUv3_SME, which vpmu does not probe.
[[nodiscard]] constexpr std::uint64_t pmccfiltr_supported_mask() {
  using f = pmccfiltr_el0;
  return f::p.mask | f::u.mask | f::nsk.mask | f::nsu.mask | f::nsh.mask | f::m.mask;
}

[[nodiscard]] constexpr result<pmevtypern_el0::value> validate_pmevtyper(const pmu_caps& c,
                                                                         pmevtypern_el0::value v) {
  return require_supported(v, pmevtyper_supported_mask(c));
}

// A PMEVTYPER value fixed at compile time for a PMU known at compile time; unsupported fields
// are a build error naming the field.
consteval pmevtypern_el0::value pmevtyper_for(pmu_caps c, pmevtypern_el0::value v) {
  return require_supported_at_compile_time(v, pmevtyper_supported_mask(c));
}

}  // namespace vpmu::arm64
