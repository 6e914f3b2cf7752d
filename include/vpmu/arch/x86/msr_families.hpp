// SPDX-License-Identifier: MIT
// Indexed x86 PMU MSRs, with the index range checked at compile time.
//
// Intel (SDM Vol. 4, architectural MSRs): IA32_PMCx 0xC1 + x, IA32_A_PMCx 0x4C1 + x (full-width
// writes), IA32_PERFEVTSELx 0x186 + x, IA32_FIXED_CTRx 0x309 + x. The architectural MSR map has
// eight general-purpose slots (0xC1-0xC8, 0x186-0x18D) and four fixed-counter slots
// (0x309-0x30C, the fourth being TOPDOWN.SLOTS).
// AMD (APM Vol. 2, 13.2): legacy PerfEvtSel0-3 0xC0010000 + n / PerfCtr0-3 0xC0010004 + n, and
// the core extension PERF_CTLn 0xC0010200 + 2n / PERF_CTRn 0xC0010201 + 2n for n < 6; the legacy
// MSRs alias core extension counters 0-3.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/msr_index.hpp"

namespace vpmu::x86 {

inline constexpr unsigned intel_max_gp_counters = 8;
inline constexpr unsigned intel_max_fixed_counters = 4;
inline constexpr unsigned amd_legacy_counters = 4;
inline constexpr unsigned amd_core_counters = 6;

namespace msr {
inline constexpr std::uint32_t ia32_pmc0 = 0xc1;
inline constexpr std::uint32_t ia32_a_pmc0 = 0x4c1;
inline constexpr std::uint32_t ia32_perfevtsel0 = 0x186;
inline constexpr std::uint32_t ia32_fixed_ctr0 = 0x309;
inline constexpr std::uint32_t amd_perf_evt_sel0 = 0xc001'0000;  // legacy PerfEvtSel0
inline constexpr std::uint32_t amd_perf_ctr0 = 0xc001'0004;      // legacy PerfCtr0
inline constexpr std::uint32_t amd_perf_ctl0 = 0xc001'0200;      // core extension, stride 2
inline constexpr std::uint32_t amd_perf_ctr_ext0 = 0xc001'0201;  // core extension, stride 2
}  // namespace msr

// The MSR of family member x when x is known only at run time (the caller checks the range).
[[nodiscard]] constexpr std::uint32_t pmc_msr(unsigned x) {
  return msr::ia32_pmc0 + x;
}
[[nodiscard]] constexpr std::uint32_t a_pmc_msr(unsigned x) {
  return msr::ia32_a_pmc0 + x;
}
[[nodiscard]] constexpr std::uint32_t perfevtsel_msr(unsigned x) {
  return msr::ia32_perfevtsel0 + x;
}
[[nodiscard]] constexpr std::uint32_t fixed_ctr_msr(unsigned i) {
  return msr::ia32_fixed_ctr0 + i;
}
// AMD counter n through the core extension MSRs (n < 6), or the legacy aliases (n < 4).
[[nodiscard]] constexpr std::uint32_t amd_perf_ctl_msr(unsigned n) {
  return msr::amd_perf_ctl0 + 2 * n;
}
[[nodiscard]] constexpr std::uint32_t amd_perf_ctr_msr(unsigned n) {
  return msr::amd_perf_ctr_ext0 + 2 * n;
}
[[nodiscard]] constexpr std::uint32_t amd_legacy_perf_evt_sel_msr(unsigned n) {
  return msr::amd_perf_evt_sel0 + n;
}
[[nodiscard]] constexpr std::uint32_t amd_legacy_perf_ctr_msr(unsigned n) {
  return msr::amd_perf_ctr0 + n;
}
// RDPMC's ECX for GP counter x and for fixed counter i (ECX[30] selects the fixed counters,
// SDM Vol. 2B RDPMC).
[[nodiscard]] constexpr std::uint32_t rdpmc_gp(unsigned x) {
  return x;
}
[[nodiscard]] constexpr std::uint32_t rdpmc_fixed(unsigned i) {
  return (1U << 30) | i;
}
inline constexpr std::uint32_t rdpmc_fixed_flag = 1U << 30;
inline constexpr std::uint32_t rdpmc_fast_flag = 1U << 31;
inline constexpr std::uint32_t rdpmc_index_mask = 0x3fff'ffff;

// Counters in IA32_PERF_GLOBAL_CTRL numbering (also GLOBAL_STATUS, GLOBAL_INUSE): GP counter x is
// bit x, fixed counter i is bit 32 + i (SDM Vol. 3B 21.2.2). vpmu numbers x86 counters this way
// throughout (AMD's GlobalCtl has only the GP part).
inline constexpr unsigned first_fixed_bit = ia32_perf_global_ctrl::fixed.lsb;
inline constexpr std::uint64_t gp_counter_bits = ia32_perf_global_ctrl::pmc.mask;
[[nodiscard]] constexpr std::uint64_t fixed_counter_bit(unsigned i) {
  return std::uint64_t{1} << (first_fixed_bit + i);
}
[[nodiscard]] constexpr bool is_fixed_counter_bit(unsigned b) {
  return b >= first_fixed_bit;
}
[[nodiscard]] constexpr unsigned fixed_index_of_bit(unsigned b) {
  return b - first_fixed_bit;
}

// One member of a family: its layout, its index and its MSR.
template <class Layout, unsigned X, unsigned Count, std::uint32_t Base, std::uint32_t Stride>
struct msr_family_member : Layout {
  static_assert(X < Count, "x86 PMU MSR family: index beyond the architectural MSR slots");
  using layout = Layout;
  static constexpr unsigned index = X;
  static constexpr msr_index msr{Base + Stride * X};
};

// Intel
template <unsigned X>
struct ia32_pmc : msr_family_member<ia32_pmcx, X, intel_max_gp_counters, msr::ia32_pmc0, 1> {};
template <unsigned X>
struct ia32_a_pmc : msr_family_member<ia32_pmcx, X, intel_max_gp_counters, msr::ia32_a_pmc0, 1> {};
template <unsigned X>
struct ia32_perfevtsel
    : msr_family_member<ia32_perfevtselx, X, intel_max_gp_counters, msr::ia32_perfevtsel0, 1> {};
template <unsigned X>
struct ia32_fixed_ctr
    : msr_family_member<ia32_fixed_ctrx, X, intel_max_fixed_counters, msr::ia32_fixed_ctr0, 1> {};

// AMD
template <unsigned N>
struct amd_perf_evt_sel
    : msr_family_member<amd_perf_ctln, N, amd_legacy_counters, msr::amd_perf_evt_sel0, 1> {};
template <unsigned N>
struct amd_perf_ctr_legacy
    : msr_family_member<amd_perf_ctrn, N, amd_legacy_counters, msr::amd_perf_ctr0, 1> {};
template <unsigned N>
struct amd_perf_ctl
    : msr_family_member<amd_perf_ctln, N, amd_core_counters, msr::amd_perf_ctl0, 2> {};
template <unsigned N>
struct amd_perf_ctr
    : msr_family_member<amd_perf_ctrn, N, amd_core_counters, msr::amd_perf_ctr_ext0, 2> {};

}  // namespace vpmu::x86
