// SPDX-License-Identifier: MIT
// From an MSR index (RDMSR/WRMSR ECX) to the PMU register and counter index it names, for trap
// dispatch. Range checks only; whether the register exists for a guest depends on its caps and
// is the policy's decision.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/msr_families.hpp"
#include "vpmu/arch/x86/vendor.hpp"

namespace vpmu::x86 {

enum class pmu_msr : std::uint8_t {
  none,
  // Intel
  pmc,         // IA32_PMCx (legacy 32-bit writes), index x
  a_pmc,       // IA32_A_PMCx (full-width writes), index x
  perfevtsel,  // IA32_PERFEVTSELx, index x
  fixed_ctr,   // IA32_FIXED_CTRx, index x
  fixed_ctr_ctrl,
  global_status,
  global_ctrl,
  global_ovf_ctrl,
  global_status_set,
  global_inuse,
  perf_capabilities,
  debugctl,
  // AMD (the legacy and core-extension MSRs of counter n decode to the same kind and index)
  amd_perf_ctl,  // PerfEvtSeln / PERF_CTLn, index n
  amd_perf_ctr,  // PerfCtrn / PERF_CTRn, index n
  amd_global_status,
  amd_global_ctl,
  amd_global_status_clr,
  amd_global_status_set,
};

struct msr_ref {
  pmu_msr reg = pmu_msr::none;
  std::uint8_t index = 0;
  friend constexpr bool operator==(msr_ref, msr_ref) = default;
};

[[nodiscard]] constexpr msr_ref decode_intel_msr(std::uint32_t m) {
  const auto in = [m](std::uint32_t base, unsigned count) { return m >= base && m < base + count; };
  const auto idx = [m](std::uint32_t base) { return static_cast<std::uint8_t>(m - base); };
  if (in(msr::ia32_pmc0, intel_max_gp_counters)) return {pmu_msr::pmc, idx(msr::ia32_pmc0)};
  if (in(msr::ia32_a_pmc0, intel_max_gp_counters)) return {pmu_msr::a_pmc, idx(msr::ia32_a_pmc0)};
  if (in(msr::ia32_perfevtsel0, intel_max_gp_counters)) {
    return {pmu_msr::perfevtsel, idx(msr::ia32_perfevtsel0)};
  }
  if (in(msr::ia32_fixed_ctr0, intel_max_fixed_counters)) {
    return {pmu_msr::fixed_ctr, idx(msr::ia32_fixed_ctr0)};
  }
  switch (m) {
    case ia32_fixed_ctr_ctrl::msr.index: return {pmu_msr::fixed_ctr_ctrl};
    case ia32_perf_global_status::msr.index: return {pmu_msr::global_status};
    case ia32_perf_global_ctrl::msr.index: return {pmu_msr::global_ctrl};
    case ia32_perf_global_ovf_ctrl::msr.index: return {pmu_msr::global_ovf_ctrl};
    case ia32_perf_global_status_set::msr.index: return {pmu_msr::global_status_set};
    case ia32_perf_global_inuse::msr.index: return {pmu_msr::global_inuse};
    case ia32_perf_capabilities::msr.index: return {pmu_msr::perf_capabilities};
    case ia32_debugctl::msr.index: return {pmu_msr::debugctl};
    default: return {};
  }
}

[[nodiscard]] constexpr msr_ref decode_amd_msr(std::uint32_t m) {
  if (m >= msr::amd_perf_evt_sel0 && m < msr::amd_perf_evt_sel0 + amd_legacy_counters) {
    return {pmu_msr::amd_perf_ctl, static_cast<std::uint8_t>(m - msr::amd_perf_evt_sel0)};
  }
  if (m >= msr::amd_perf_ctr0 && m < msr::amd_perf_ctr0 + amd_legacy_counters) {
    return {pmu_msr::amd_perf_ctr, static_cast<std::uint8_t>(m - msr::amd_perf_ctr0)};
  }
  if (m >= msr::amd_perf_ctl0 && m < msr::amd_perf_ctl0 + 2 * amd_core_counters) {
    const auto n = static_cast<std::uint8_t>((m - msr::amd_perf_ctl0) / 2);
    return {(m - msr::amd_perf_ctl0) % 2 == 0 ? pmu_msr::amd_perf_ctl : pmu_msr::amd_perf_ctr, n};
  }
  switch (m) {
    case amd64_perf_cntr_global_status::msr.index: return {pmu_msr::amd_global_status};
    case amd64_perf_cntr_global_ctl::msr.index: return {pmu_msr::amd_global_ctl};
    case amd64_perf_cntr_global_status_clr::msr.index: return {pmu_msr::amd_global_status_clr};
    case amd64_perf_cntr_global_status_set::msr.index: return {pmu_msr::amd_global_status_set};
    default: return {};
  }
}

[[nodiscard]] constexpr msr_ref decode_msr(vendor v, std::uint32_t m) {
  return v == vendor::intel ? decode_intel_msr(m) : decode_amd_msr(m);
}

}  // namespace vpmu::x86
