// SPDX-License-Identifier: MIT
// What the x86 policies need to know per vendor: the guest's PMU model (the architectural
// register semantics, shared with the simulators so every policy answers guest accesses the same
// way), the host MSRs that reach counter i, and the global registers.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/msr_families.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/policy/tags.hpp"
#include "vpmu/policy/x86_config.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/intel_pmu.hpp"

namespace vpmu {

template <class Arch>
struct x86_vendor;

template <>
struct x86_vendor<arch::intel> {
  using model = sim::intel_pmu;
  static constexpr x86::vendor id = x86::vendor::intel;
  static constexpr unsigned max_gp = x86::intel_max_gp_counters;
  static constexpr unsigned max_fixed = x86::intel_max_fixed_counters;
  static constexpr std::uint32_t global_ctrl = 0x38f, global_status = 0x38e;
  static constexpr std::uint32_t status_clear = 0x390, status_set = 0x391;  // OVF_CTRL, STATUS_SET
  static constexpr std::uint32_t fixed_ctrl = 0x38d;

  static constexpr model make_model(const x86_guest_shape& s) {
    return model{
        {s.version, s.gp_counters, s.gp_width, s.fixed_counters, s.fixed_width, s.fw_writes}};
  }
  static constexpr unsigned fixed_counters(const x86_guest_shape& s) {
    return s.version >= 2 ? s.fixed_counters : 0;
  }
  // Host MSR writing GP counter i: full width when the host can (IA32_A_PMCx).
  static constexpr std::uint32_t counter_msr(const x86_config& c, unsigned i) {
    return (c.host_fw_writes ? x86::msr::ia32_a_pmc0 : x86::msr::ia32_pmc0) + i;
  }
  static constexpr std::uint32_t selector_msr(const x86_config&, unsigned i) {
    return x86::msr::ia32_perfevtsel0 + i;
  }
  static constexpr std::uint32_t fixed_msr(unsigned i) { return x86::msr::ia32_fixed_ctr0 + i; }
  static constexpr std::uint32_t rdpmc_gp(unsigned i) { return i; }
  static constexpr std::uint32_t rdpmc_fixed(unsigned i) { return (1U << 30) | i; }
  // The MSRs through which a guest reaches GP counter i (both aliases pass through together).
  static constexpr unsigned counter_aliases(const x86_guest_shape& s, unsigned i,
                                            std::uint32_t* out) {
    out[0] = x86::msr::ia32_pmc0 + i;
    if (!s.fw_writes) return 1;
    out[1] = x86::msr::ia32_a_pmc0 + i;
    return 2;
  }
  static constexpr std::uint64_t& selector(model& m, unsigned i) { return m.registers().evtsel[i]; }
  static constexpr std::uint64_t& counter(model& m, unsigned i) { return m.registers().pmc[i]; }
  static constexpr std::uint64_t& status(model& m) { return m.registers().global_status; }
  static constexpr std::uint64_t& global_enable(model& m) { return m.registers().global_ctrl; }
  static constexpr std::uint64_t global_enable(const model& m) { return m.registers().global_ctrl; }
  // Whether an overflow of the counter behind GLOBAL_STATUS bit `b` raises the PMI.
  static constexpr bool interrupt_enabled(const model& m, unsigned b) {
    if (b < 32) return (m.registers().evtsel[b] & x86::ia32_perfevtselx::int_.mask) != 0;
    return ((m.registers().fixed_ctrl >> (4 * (b - 32))) & 8) != 0;
  }
  // The hardware copy of a guest selector: EN cleared when the filter denies the event.
  static constexpr std::uint64_t hw_selector(std::uint64_t guest, bool allowed) {
    return allowed ? guest : guest & ~x86::ia32_perfevtselx::en.mask;
  }
};

template <>
struct x86_vendor<arch::amd> {
  using model = sim::amd_pmu;
  static constexpr x86::vendor id = x86::vendor::amd;
  static constexpr unsigned max_gp = x86::amd_core_counters;
  static constexpr unsigned max_fixed = 0;
  static constexpr std::uint32_t global_ctrl = 0xc000'0301, global_status = 0xc000'0300;
  static constexpr std::uint32_t status_clear = 0xc000'0302, status_set = 0xc000'0303;
  static constexpr std::uint32_t fixed_ctrl = 0;

  static constexpr model make_model(const x86_guest_shape& s) {
    return model{{s.version >= 2, s.core_ext, s.gp_counters, false}};
  }
  static constexpr unsigned fixed_counters(const x86_guest_shape&) { return 0; }
  static constexpr std::uint32_t counter_msr(const x86_config&, unsigned i) {
    return i < x86::amd_legacy_counters ? x86::msr::amd_perf_ctr0 + i
                                        : x86::msr::amd_perf_ctr_ext0 + 2 * i;
  }
  static constexpr std::uint32_t selector_msr(const x86_config&, unsigned i) {
    return i < x86::amd_legacy_counters ? x86::msr::amd_perf_evt_sel0 + i
                                        : x86::msr::amd_perf_ctl0 + 2 * i;
  }
  static constexpr std::uint32_t fixed_msr(unsigned) { return 0; }
  static constexpr std::uint32_t rdpmc_gp(unsigned i) { return i; }
  static constexpr std::uint32_t rdpmc_fixed(unsigned) { return 0; }
  static constexpr unsigned counter_aliases(const x86_guest_shape& s, unsigned i,
                                            std::uint32_t* out) {
    unsigned n = 0;
    if (i < x86::amd_legacy_counters) out[n++] = x86::msr::amd_perf_ctr0 + i;
    if (s.core_ext) out[n++] = x86::msr::amd_perf_ctr_ext0 + 2 * i;
    return n;
  }
  static constexpr std::uint64_t& selector(model& m, unsigned i) { return m.registers().ctl[i]; }
  static constexpr std::uint64_t& counter(model& m, unsigned i) { return m.registers().ctr[i]; }
  static constexpr std::uint64_t& status(model& m) { return m.registers().global_status; }
  static constexpr std::uint64_t& global_enable(model& m) { return m.registers().global_ctl; }
  static constexpr std::uint64_t global_enable(const model& m) { return m.registers().global_ctl; }
  static constexpr bool interrupt_enabled(const model& m, unsigned b) {
    return b < x86::amd_core_counters &&
           (m.registers().ctl[b] & x86::amd_perf_ctln::int_.mask) != 0;
  }
  // GuestOnly in the hardware copy keeps the counter silent between VM-exit and put() (AMD has
  // no atomic GLOBAL_CTL switch; Linux KVM does the same), and the guest may not set HostOnly.
  static constexpr std::uint64_t hw_selector(std::uint64_t guest, bool allowed) {
    using s = x86::amd_perf_ctln;
    const std::uint64_t v = (guest & ~s::host_only.mask) | s::guest_only.mask;
    return allowed ? v : v & ~s::en.mask;
  }
};

// Some counter of the guest model is enabled.
[[nodiscard]] constexpr bool x86_counting(const sim::intel_pmu& m, const x86_guest_shape& s) {
  for (unsigned i = 0; i < s.gp_counters; ++i) {
    if (m.gp_enabled(i)) return true;
  }
  for (unsigned i = 0; i < x86_vendor<arch::intel>::fixed_counters(s); ++i) {
    if (m.fixed_enabled(i)) return true;
  }
  return false;
}
[[nodiscard]] constexpr bool x86_counting(const sim::amd_pmu& m, const x86_guest_shape& s) {
  for (unsigned i = 0; i < s.gp_counters; ++i) {
    if (m.counting(i)) return true;
  }
  return false;
}

}  // namespace vpmu
