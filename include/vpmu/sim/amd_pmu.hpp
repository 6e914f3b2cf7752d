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
#include "vpmu/arch/x86/msr_decode.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/sim/x86_counting.hpp"

namespace vpmu::sim {

struct amd_pmu_config {
  bool perfmon_v2 = true;
  bool core_ext = true;   // six core counters at 0xC0010200 (PerfCtrExtCore)
  unsigned counters = 6;  // 4 without core_ext
};

class amd_pmu : public typed_msr_access<amd_pmu> {
 public:
  static constexpr unsigned width = x86::amd_caps::counter_width;

  constexpr explicit amd_pmu(amd_pmu_config config = {}) : config_(config) {
    const unsigned max = config_.core_ext ? x86::amd_core_counters : x86::amd_legacy_counters;
    if (config_.counters > max) config_.counters = max;
    caps_.perfmon_v2 = config_.perfmon_v2;
    caps_.core_ext = config_.core_ext;
    caps_.gp_counters = static_cast<std::uint8_t>(config_.counters);
    global_ctl_ = low_mask(config_.counters);  // all counters enabled at reset
  }

  [[nodiscard]] constexpr const x86::amd_caps& caps() const { return caps_; }

  constexpr void set_mode(x86_mode m) { mode_ = m; }
  [[nodiscard]] constexpr x86_mode mode() const { return mode_; }

  // `count` occurrences of `event` (12-bit event select | umask << 12) in one cycle.
  constexpr void retire(std::uint32_t event, std::uint64_t count) {
    for (unsigned n = 0; n < config_.counters; ++n) {
      const std::uint64_t sel = ctl_[n];
      if (!counts(n) || event_of(sel) != event || !ring_allows(sel, mode_)) continue;
      const std::uint64_t delta = selector_increment(sel, count, cmask_[n]);
      if (delta == 0) continue;
      const counter_sum s = counter_add(ctr_[n], delta, width);
      ctr_[n] = s.value;
      if (!s.overflowed) continue;
      if (config_.perfmon_v2) status_ |= bit(n);
      if ((sel & x86::amd_perf_ctln::int_.mask) != 0) pmi_ = true;
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
      case pmu_msr::amd_perf_ctl: return {false, ctl_[r.index]};
      case pmu_msr::amd_perf_ctr: return {false, ctr_[r.index]};
      case pmu_msr::amd_global_status: return {false, status_};
      case pmu_msr::amd_global_ctl: return {false, global_ctl_};
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
        ctl_[r.index] = v & ~x86::amd_perf_ctln::res0;  // reserved bits dropped
        cmask_[r.index] = {};
        break;
      case pmu_msr::amd_perf_ctr: ctr_[r.index] = v & low_mask(width); break;
      case pmu_msr::amd_global_ctl: global_ctl_ = v & counters; break;
      case pmu_msr::amd_global_status_clr: status_ &= ~(v & counters); break;
      case pmu_msr::amd_global_status_set: status_ |= v & counters; break;
      default: break;  // GlobalStatus is read-only: the write is ignored
    }
    return {false, 0};
  }
  constexpr msr_outcome try_rdpmc(std::uint32_t selector) const {
    if (selector >= config_.counters) return {true, 0};
    return {false, ctr_[selector]};
  }

  constexpr std::uint64_t rdmsr(std::uint32_t index) { return value_or_fault(try_rdmsr(index)); }
  constexpr void wrmsr(std::uint32_t index, std::uint64_t v) {
    (void)value_or_fault(try_wrmsr(index, v));
  }
  constexpr std::uint64_t rdpmc(std::uint32_t selector) {
    return value_or_fault(try_rdpmc(selector));
  }
  [[nodiscard]] constexpr unsigned backend_faults() const { return backend_faults_; }

 private:
  constexpr std::uint64_t value_or_fault(msr_outcome o) {
    if (o.fault) ++backend_faults_;
    return o.value;
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
  [[nodiscard]] constexpr bool counts(unsigned n) const {
    using s = x86::amd_perf_ctln;
    const std::uint64_t sel = ctl_[n];
    if ((sel & s::en.mask) == 0) return false;
    if (config_.perfmon_v2 && (global_ctl_ & bit(n)) == 0) return false;
    const bool host_only = (sel & s::host_only.mask) != 0;
    const bool guest_only = (sel & s::guest_only.mask) != 0;
    if (host_only != guest_only) return guest_only == mode_.guest;
    return true;
  }

  amd_pmu_config config_;
  x86::amd_caps caps_{};
  x86_mode mode_{};
  std::uint64_t ctl_[x86::amd_core_counters] = {};
  std::uint64_t ctr_[x86::amd_core_counters] = {};
  cmask_state cmask_[x86::amd_core_counters] = {};
  std::uint64_t global_ctl_ = 0, status_ = 0;
  bool pmi_ = false;
  unsigned backend_faults_ = 0;
};

static_assert(msr_access<amd_pmu>);

}  // namespace vpmu::sim
