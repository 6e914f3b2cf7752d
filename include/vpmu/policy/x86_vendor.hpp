// SPDX-License-Identifier: MIT
// What the x86 policies need to know per vendor: the guest's PMU model, the host MSRs that reach
// counter i, and the global registers. Counters are numbered as GLOBAL_CTRL numbers them: GP
// counter x is bit x, fixed counter i is bit 32 + i (AMD has no fixed counters).
#pragma once

#include <cstdint>

#include "vpmu/arch/tags.hpp"
#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
#include "vpmu/arch/x86/msr_families.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/model/x86_saved_state.hpp"
#include "vpmu/policy/x86_config.hpp"

namespace vpmu {

template <class Arch>
struct x86_vendor;

template <>
struct x86_vendor<arch::intel> {
  using model = model::intel_pmu;
  static constexpr x86::vendor id = x86::vendor::intel;
  static constexpr unsigned max_gp = x86::intel_max_gp_counters;
  static constexpr unsigned max_fixed = x86::intel_max_fixed_counters;
  using global_ctrl = x86::ia32_perf_global_ctrl;
  using global_status = x86::ia32_perf_global_status;
  using status_clear = x86::ia32_perf_global_ovf_ctrl;
  using fixed_ctrl = x86::ia32_fixed_ctr_ctrl;

  static constexpr model make_model(const x86_guest_shape& s) {
    return model{
        {s.version, s.gp_counters, s.gp_width, s.fixed_counters, s.fixed_width, s.fw_writes}};
  }
  static constexpr unsigned fixed_counters(const x86_guest_shape& s) {
    return s.version >= 2 ? s.fixed_counters : 0;
  }
  // Host MSR writing GP counter i: full width when the host can (IA32_A_PMCx).
  static constexpr std::uint32_t counter_msr(const x86_config& c, unsigned i) {
    return c.host_fw_writes ? x86::a_pmc_msr(i) : x86::pmc_msr(i);
  }
  static constexpr std::uint32_t selector_msr(unsigned i) { return x86::perfevtsel_msr(i); }
  // The MSRs through which a guest reaches GP counter i (both aliases pass through together).
  static constexpr unsigned counter_aliases(const x86_guest_shape& s, unsigned i,
                                            std::uint32_t* out) {
    out[0] = x86::pmc_msr(i);
    if (!s.fw_writes) return 1;
    out[1] = x86::a_pmc_msr(i);
    return 2;
  }
  static constexpr std::uint64_t selector(const model& m, unsigned i) {
    return m.registers().evtsel[i];
  }
  // Counter `b` in GLOBAL_CTRL numbering.
  static constexpr std::uint64_t& counter(model& m, unsigned b) {
    return x86::is_fixed_counter_bit(b) ? m.registers().fixed[x86::fixed_index_of_bit(b)]
                                        : m.registers().pmc[b];
  }
  // GP counter i and fixed counter i, when the kind is known (the world-switch loops).
  static constexpr std::uint64_t& gp_counter(model& m, unsigned i) { return m.registers().pmc[i]; }
  static constexpr std::uint64_t& fixed_counter(model& m, unsigned i) {
    return m.registers().fixed[i];
  }
  static constexpr std::uint64_t counter(const model& m, unsigned b) {
    return x86::is_fixed_counter_bit(b) ? m.registers().fixed[x86::fixed_index_of_bit(b)]
                                        : m.registers().pmc[b];
  }
  // Counter `b` counts (enabled locally and globally), whatever the mode.
  static constexpr bool enabled(const model& m, unsigned b) {
    return x86::is_fixed_counter_bit(b) ? m.fixed_enabled(x86::fixed_index_of_bit(b))
                                        : m.gp_enabled(b);
  }
  // Adds `delta` to counter `b` as counting does.
  static constexpr void add(model& m, unsigned b, std::uint64_t delta) {
    if (x86::is_fixed_counter_bit(b)) {
      m.add_to_fixed(x86::fixed_index_of_bit(b), delta);
    } else {
      m.add_to_gp(b, delta);
    }
  }
  static constexpr std::uint64_t global_enable(const model& m) { return m.registers().global_ctrl; }
  // The hardware copy of a guest selector: EN cleared when the filter denies the event.
  static constexpr std::uint64_t hw_selector(std::uint64_t guest, bool allowed) {
    return allowed ? guest : guest & ~x86::ia32_perfevtselx::en.mask;
  }
};

template <>
struct x86_vendor<arch::amd> {
  using model = model::amd_pmu;
  static constexpr x86::vendor id = x86::vendor::amd;
  static constexpr unsigned max_gp = x86::amd_core_counters;
  static constexpr unsigned max_fixed = 0;
  using global_ctrl = x86::amd64_perf_cntr_global_ctl;
  using global_status = x86::amd64_perf_cntr_global_status;
  using status_clear = x86::amd64_perf_cntr_global_status_clr;

  static constexpr model make_model(const x86_guest_shape& s) {
    return model{{s.version >= 2, s.core_ext, s.gp_counters, false}};
  }
  static constexpr unsigned fixed_counters(const x86_guest_shape&) { return 0; }
  static constexpr std::uint32_t counter_msr(const x86_config&, unsigned i) {
    return i < x86::amd_legacy_counters ? x86::amd_legacy_perf_ctr_msr(i)
                                        : x86::amd_perf_ctr_msr(i);
  }
  static constexpr std::uint32_t selector_msr(unsigned i) {
    return i < x86::amd_legacy_counters ? x86::amd_legacy_perf_evt_sel_msr(i)
                                        : x86::amd_perf_ctl_msr(i);
  }
  static constexpr unsigned counter_aliases(const x86_guest_shape& s, unsigned i,
                                            std::uint32_t* out) {
    unsigned n = 0;
    if (i < x86::amd_legacy_counters) out[n++] = x86::amd_legacy_perf_ctr_msr(i);
    if (s.core_ext) out[n++] = x86::amd_perf_ctr_msr(i);
    return n;
  }
  static constexpr std::uint64_t selector(const model& m, unsigned i) {
    return m.registers().ctl[i];
  }
  static constexpr std::uint64_t& counter(model& m, unsigned b) { return m.registers().ctr[b]; }
  static constexpr std::uint64_t& gp_counter(model& m, unsigned i) { return m.registers().ctr[i]; }
  static constexpr std::uint64_t counter(const model& m, unsigned b) {
    return m.registers().ctr[b];
  }
  static constexpr bool enabled(const model& m, unsigned b) { return m.counter_enabled(b); }
  static constexpr void add(model& m, unsigned b, std::uint64_t delta) {
    m.add_to_counter(b, delta);
  }
  static constexpr std::uint64_t global_enable(const model& m) { return m.registers().global_ctl; }
  // GuestOnly in the hardware copy keeps the counter silent between VM-exit and put() (AMD has
  // no atomic GLOBAL_CTL switch; Linux KVM does the same), and the guest may not set HostOnly.
  static constexpr std::uint64_t hw_selector(std::uint64_t guest, bool allowed) {
    using s = x86::amd_perf_ctln;
    const std::uint64_t v = (guest & ~s::host_only.mask) | s::guest_only.mask;
    return allowed ? v : v & ~s::en.mask;
  }
};

}  // namespace vpmu
