// SPDX-License-Identifier: MIT
// One row per PMUv3 register: which fine-grained trap bit routes a guest's read or write to EL2,
// which PMUSERENR_EL0 bit lets EL0 at it, which PMU version or feature brings it, and whether vpmu
// gives it to guests. The model's access routing and every policy's trap configuration read this
// table, so a register's trap bit is written down once.
//
// Sources: Arm ARM M.a.a D24.5 (each register's access pseudocode: the FGT bit it tests, the
// PMUSERENR_EL0 bits for EL0, the feature that makes it present), D24.2.67/68/69 (HDFGRTR_EL2,
// HDFGRTR2_EL2, HDFGWTR_EL2 bit positions).
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/pmu_register.hpp"

namespace vpmu::model {

// Which PMUSERENR_EL0 bit, besides EN, lets EL0 perform an access (D24.5.x "Accessing").
enum class el0_permission : std::uint8_t {
  en_only,   // EN alone
  sw,        // SW: PMSWINC writes
  cr_reads,  // CR: PMCCNTR reads
  er_reads,  // ER: event counter reads
  er,        // ER: PMSELR reads and writes
  never,     // EL1-only register: UNDEFINED at EL0 (PMINTEN*, PMUACR)
};

struct arm64_register_info {
  std::uint64_t fgt_read = 0;      // HDFGRTR_EL2 bit (1 traps)
  std::uint64_t fgt_write = 0;     // HDFGWTR_EL2 bit (1 traps)
  std::uint64_t fgt2_read_n = 0;   // HDFGRTR2_EL2 bit (0 traps)
  std::uint64_t fgt2_write_n = 0;  // HDFGWTR2_EL2 bit (0 traps)
  el0_permission el0 = el0_permission::en_only;
  arm64::pmuver since = arm64::pmuver::imp;  // the PMU version that brings the register
  bool readable = true;
  bool writable = true;
  bool needs_pmicntr = false;  // FEAT_PMUv3_ICNTR
  bool exposed = true;         // vpmu gives it to guests (else UNDEFINED to them)
};

[[nodiscard]] constexpr arm64_register_info register_info(arm64::pmu_reg r) {
  using arm64::pmu_reg;
  using rd = arm64::hdfgrtr_el2;
  using wr = arm64::hdfgwtr_el2;
  using r2 = arm64::hdfgrtr2_el2;
  using w2 = arm64::hdfgwtr2_el2;
  using p = el0_permission;
  using v = arm64::pmuver;
  switch (r) {
    case pmu_reg::pmevcntr:
    case pmu_reg::pmxevcntr:
      return {.fgt_read = rd::pmevcntrn_el0.mask,
              .fgt_write = wr::pmevcntrn_el0.mask,
              .el0 = p::er_reads};
    case pmu_reg::pmevtyper:
    case pmu_reg::pmxevtyper:
      return {.fgt_read = rd::pmevtypern_el0.mask, .fgt_write = wr::pmevtypern_el0.mask};
    case pmu_reg::pmccfiltr:
      return {.fgt_read = rd::pmccfiltr_el0.mask, .fgt_write = wr::pmccfiltr_el0.mask};
    case pmu_reg::pmccntr:
      return {
          .fgt_read = rd::pmccntr_el0.mask, .fgt_write = wr::pmccntr_el0.mask, .el0 = p::cr_reads};
    case pmu_reg::pmcntenset:
    case pmu_reg::pmcntenclr: return {.fgt_read = rd::pmcnten.mask, .fgt_write = wr::pmcnten.mask};
    case pmu_reg::pmintenset:
    case pmu_reg::pmintenclr:
      return {.fgt_read = rd::pminten.mask, .fgt_write = wr::pminten.mask, .el0 = p::never};
    case pmu_reg::pmovsset:
    case pmu_reg::pmovsclr: return {.fgt_read = rd::pmovs.mask, .fgt_write = wr::pmovs.mask};
    case pmu_reg::pmselr:
      return {.fgt_read = rd::pmselr_el0.mask, .fgt_write = wr::pmselr_el0.mask, .el0 = p::er};
    case pmu_reg::pmuserenr:
      return {.fgt_read = rd::pmuserenr_el0.mask, .fgt_write = wr::pmuserenr_el0.mask};
    case pmu_reg::pmceid0:
    case pmu_reg::pmceid1: return {.fgt_read = rd::pmceidn_el0.mask, .writable = false};
    case pmu_reg::pmmir:
      // An _EL1 register: UNDEFINED at EL0 whatever PMUSERENR says (D24.5 PMMIR_EL1).
      return {.fgt_read = rd::pmmir_el1.mask, .el0 = p::never, .since = v::v3p4, .writable = false};
    case pmu_reg::pmswinc:
      return {.fgt_write = wr::pmswinc_el0.mask, .el0 = p::sw, .readable = false};
    case pmu_reg::pmcr: return {.fgt_write = wr::pmcr_el0.mask};  // no fine-grained read trap
    case pmu_reg::pmicntr:
      return {.fgt2_read_n = r2::npmicntr_el0.mask,
              .fgt2_write_n = w2::npmicntr_el0.mask,
              .needs_pmicntr = true,
              .exposed = false};
    case pmu_reg::pmicfiltr:
      return {.fgt2_read_n = r2::npmicfiltr_el0.mask,
              .fgt2_write_n = w2::npmicfiltr_el0.mask,
              .needs_pmicntr = true,
              .exposed = false};
    case pmu_reg::pmuacr:
      return {.fgt2_read_n = r2::npmuacr_el1.mask,
              .fgt2_write_n = w2::npmuacr_el1.mask,
              .el0 = p::never,
              .since = v::v3p9,
              .exposed = false};
    case pmu_reg::pmzr:
      return {.fgt2_write_n = w2::npmzr_el0.mask,
              .since = v::v3p9,
              .readable = false,
              .exposed = false};
    case pmu_reg::none: break;
  }
  return {.readable = false, .writable = false, .exposed = false};
}

// The fine-grained trap bits (`column`: &arm64_register_info::fgt_read or ::fgt_write) that trap
// every register in `regs`.
template <decltype(sizeof 0) N>
[[nodiscard]] constexpr std::uint64_t fgt_bits(std::uint64_t arm64_register_info::*column,
                                               const arm64::pmu_reg (&regs)[N]) {
  std::uint64_t m = 0;
  for (arm64::pmu_reg r : regs)
    m |= register_info(r).*column;
  return m;
}

// HDFGRTR2_EL2 / HDFGWTR2_EL2 (negative polarity, `column`: ::fgt2_read_n or ::fgt2_write_n):
// every PMU register vpmu does not expose traps, every other bit of the register (`res0` aside)
// is left untrapped.
[[nodiscard]] constexpr std::uint64_t fgt2_unexposed_traps(
    std::uint64_t arm64_register_info::*column, std::uint64_t res0) {
  std::uint64_t trap = 0;
  for (unsigned r = 0; r <= static_cast<unsigned>(arm64::pmu_reg::pmevtyper); ++r) {
    const arm64_register_info i = register_info(static_cast<arm64::pmu_reg>(r));
    if (!i.exposed) trap |= i.*column;
  }
  return ~res0 & ~trap;
}

}  // namespace vpmu::model
