// SPDX-License-Identifier: MIT
// A behavioural model of AMD core performance counters (APM Vol. 2, 13.2): the legacy
// PerfEvtSel0-3/PerfCtr0-3 aliasing core extension counters 0-3, the core extension
// PERF_CTLn/PERF_CTRn (CPUID PerfCtrExtCore), and the PerfMonV2 globals (GlobalCtl,
// GlobalStatus, StatusClr, StatusSet). Counters are 48 bits. Reserved selector bits are silently
// dropped, as AMD hardware does (no #GP); an MSR that does not exist still #GPs.
//
// Host/Guest-only counting (PerfEvtSel bits 41/40): both clear or both set counts in both
// modes; HostOnly counts only outside guest mode, GuestOnly only inside it. A write to the
// read-only GlobalStatus is ignored.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/cpuid.hpp"
#include "vpmu/arch/x86/masks.hpp"
#include "vpmu/arch/x86/msr_decode.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/sim/x86_counting.hpp"

namespace vpmu::sim {

// The architectural register file of the model (see intel_registers).
struct amd_registers {
  std::uint64_t ctl[x86::amd_core_counters] = {};
  std::uint64_t ctr[x86::amd_core_counters] = {};
  std::uint64_t global_ctl = 0;
  std::uint64_t global_status = 0;
  friend constexpr bool operator==(const amd_registers&, const amd_registers&) = default;
};

struct amd_pmu_config {
  bool perfmon_v2 = true;
  bool core_ext = true;   // six core counters at 0xC0010200 (PerfCtrExtCore)
  unsigned counters = 6;  // 4 without core_ext
  // HostOnly/GuestOnly implemented (hardware). A guest's model has them reserved, as KVM does.
  bool host_guest_bits = true;
};

class amd_pmu : public x86_backend_view<amd_pmu> {
 public:
  using registers_type = amd_registers;
  static constexpr unsigned width = x86::amd_caps::counter_width;

  constexpr explicit amd_pmu(amd_pmu_config config = {}) : config_(config) {
    const unsigned max = config_.core_ext ? x86::amd_core_counters : x86::amd_legacy_counters;
    if (config_.counters > max) config_.counters = max;
    caps_.perfmon_v2 = config_.perfmon_v2;
    caps_.core_ext = config_.core_ext;
    caps_.gp_counters = static_cast<std::uint8_t>(config_.counters);
    r_.global_ctl = low_mask(config_.counters);  // all counters enabled at reset
  }

  [[nodiscard]] constexpr const amd_registers& registers() const { return r_; }
  constexpr amd_registers& registers() { return r_; }
  [[nodiscard]] constexpr const amd_pmu_config& config() const { return config_; }

  // Adds `delta` to counter n as counting would (48-bit wrap, status and PMI on overflow).
  constexpr void add_to_counter(unsigned n, std::uint64_t delta) {
    const counter_sum s = counter_add(r_.ctr[n], delta, width);
    r_.ctr[n] = s.value;
    if (!s.overflowed) return;
    if (config_.perfmon_v2) r_.global_status |= bit(n);
    if ((r_.ctl[n] & x86::amd_perf_ctln::int_.mask) != 0) pmi_ = true;
  }
  constexpr void set_pmi(bool pending) { pmi_ = pending; }
  // Counter n is enabled (EN, and GlobalCtl with PerfMonV2), whatever the mode.
  [[nodiscard]] constexpr bool counting(unsigned n) const {
    const bool global = !config_.perfmon_v2 || (r_.global_ctl & bit(n)) != 0;
    return global && (r_.ctl[n] & x86::amd_perf_ctln::en.mask) != 0;
  }

  [[nodiscard]] constexpr const x86::amd_caps& caps() const { return caps_; }

  constexpr void set_mode(x86_mode m) { mode_ = m; }
  [[nodiscard]] constexpr x86_mode mode() const { return mode_; }

  // `count` occurrences of `event` (12-bit event select | umask << 12) in one cycle.
  constexpr void retire(std::uint32_t event, std::uint64_t count) {
    for (unsigned n = 0; n < config_.counters; ++n) {
      const std::uint64_t sel = r_.ctl[n];
      if (!counts(n) || event_of(sel) != event || !ring_allows(sel, mode_)) continue;
      const std::uint64_t delta = selector_increment(sel, count, cmask_[n]);
      if (delta != 0) add_to_counter(n, delta);
    }
  }
  // The selector's event as retire() takes it: EventSelect[11:0] | UnitMask << 12.
  static constexpr std::uint32_t event_of(std::uint64_t sel) {
    return static_cast<std::uint32_t>((sel & 0xff) | (((sel >> 32) & 0xf) << 8) |
                                      (((sel >> 8) & 0xff) << 12));
  }

  [[nodiscard]] constexpr bool pmi_pending() const { return pmi_; }
  constexpr void clear_pmi() { pmi_ = false; }

  constexpr msr_outcome try_rdmsr(std::uint32_t index) const {
    using x86::pmu_msr;
    if (!exists(index)) return {true, 0};
    const x86::msr_ref r = x86::decode_amd_msr(index);
    switch (r.reg) {
      case pmu_msr::amd_perf_ctl: return {false, r_.ctl[r.index]};
      case pmu_msr::amd_perf_ctr: return {false, r_.ctr[r.index]};
      case pmu_msr::amd_global_status: return {false, r_.global_status};
      case pmu_msr::amd_global_ctl: return {false, r_.global_ctl};
      default: return {false, 0};  // StatusClr / StatusSet read as zero
    }
  }
  constexpr msr_outcome try_wrmsr(std::uint32_t index, std::uint64_t v) {
    using x86::pmu_msr;
    if (!exists(index)) return {true, 0};
    const x86::msr_ref r = x86::decode_amd_msr(index);
    const std::uint64_t counters = low_mask(config_.counters);
    switch (r.reg) {
      case pmu_msr::amd_perf_ctl:
        r_.ctl[r.index] = v & ~selector_reserved();  // reserved bits dropped
        cmask_[r.index] = {};
        break;
      case pmu_msr::amd_perf_ctr: r_.ctr[r.index] = v & low_mask(width); break;
      case pmu_msr::amd_global_ctl: r_.global_ctl = v & counters; break;
      case pmu_msr::amd_global_status_clr: r_.global_status &= ~(v & counters); break;
      case pmu_msr::amd_global_status_set: r_.global_status |= v & counters; break;
      default: break;  // GlobalStatus is read-only: the write is ignored
    }
    return {false, 0};
  }
  constexpr msr_outcome try_rdpmc(std::uint32_t selector) const {
    if (selector >= config_.counters) return {true, 0};
    return {false, r_.ctr[selector]};
  }

 private:
  [[nodiscard]] constexpr std::uint64_t selector_reserved() const {
    return config_.host_guest_bits ? x86::amd_perf_ctln::res0 : x86::amd_perf_ctl_reserved;
  }
  [[nodiscard]] constexpr bool exists(std::uint32_t index) const {
    using x86::pmu_msr;
    const x86::msr_ref r = x86::decode_amd_msr(index);
    const bool legacy = index < x86::msr::amd_perf_ctl0;
    switch (r.reg) {
      case pmu_msr::amd_perf_ctl:
      case pmu_msr::amd_perf_ctr: return r.index < config_.counters && (legacy || config_.core_ext);
      case pmu_msr::amd_global_status:
      case pmu_msr::amd_global_ctl:
      case pmu_msr::amd_global_status_clr:
      case pmu_msr::amd_global_status_set: return config_.perfmon_v2;
      default: return false;
    }
  }
  [[nodiscard]] constexpr bool counts(unsigned n) const {  // enabled, globally, in this mode
    using s = x86::amd_perf_ctln;
    const std::uint64_t sel = r_.ctl[n];
    if ((sel & s::en.mask) == 0) return false;
    if (config_.perfmon_v2 && (r_.global_ctl & bit(n)) == 0) return false;
    const bool host_only = (sel & s::host_only.mask) != 0;
    const bool guest_only = (sel & s::guest_only.mask) != 0;
    if (host_only != guest_only) return guest_only == mode_.guest;
    return true;
  }

  amd_pmu_config config_;
  x86::amd_caps caps_{};
  x86_mode mode_{};
  amd_registers r_{};
  cmask_state cmask_[x86::amd_core_counters] = {};
  bool pmi_ = false;
};

static_assert(msr_access<amd_pmu>);

}  // namespace vpmu::sim
