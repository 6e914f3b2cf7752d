// SPDX-License-Identifier: MIT
// The architectural model of AMD core performance counters (APM Vol. 2, 13.2): the legacy
// PerfEvtSel0-3/PerfCtr0-3 aliasing core extension counters 0-3, the core extension
// PERF_CTLn/PERF_CTRn (CPUID PerfCtrExtCore), and the PerfMonV2 globals (GlobalCtl,
// GlobalStatus, StatusClr, StatusSet). Counters are 48 bits. Reserved selector bits are silently
// dropped, as AMD hardware does (no #GP); an MSR that does not exist still #GPs. A write to the
// read-only GlobalStatus is ignored.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/amd_regs.gen.hpp"
#include "vpmu/arch/x86/cpuid.hpp"
#include "vpmu/arch/x86/masks.hpp"
#include "vpmu/arch/x86/msr_decode.hpp"
#include "vpmu/arch/x86/msr_families.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/model/dirty_registers.hpp"
#include "vpmu/model/register_file.hpp"
#include "vpmu/model/x86_access.hpp"

namespace vpmu::model {

// Everything software can observe of the PMU: the saved state's register file.
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
  friend constexpr bool operator==(const amd_pmu_config&, const amd_pmu_config&) = default;
};

class amd_pmu : public register_file<amd_registers> {
  using ctl = x86::amd_perf_ctln;

 public:
  using config_type = amd_pmu_config;
  static constexpr unsigned width = x86::amd_caps::counter_width;

  constexpr explicit amd_pmu(amd_pmu_config config = {}) : config_(config) {
    const unsigned max = config_.core_ext ? x86::amd_core_counters : x86::amd_legacy_counters;
    if (config_.counters > max) config_.counters = max;
    caps_.perfmon_v2 = config_.perfmon_v2;
    caps_.core_ext = config_.core_ext;
    caps_.gp_counters = static_cast<std::uint8_t>(config_.counters);
    r_.global_ctl = low_mask(config_.counters);  // all counters enabled at reset
  }

  [[nodiscard]] constexpr const amd_pmu_config& config() const { return config_; }
  [[nodiscard]] constexpr const x86::amd_caps& caps() const { return caps_; }

  // Counter n is enabled (EN, and GlobalCtl with PerfMonV2), whatever the mode.
  [[nodiscard]] constexpr bool counter_enabled(unsigned n) const {
    const bool global = !config_.perfmon_v2 || (r_.global_ctl & bit(n)) != 0;
    return global && (r_.ctl[n] & ctl::en.mask) != 0;
  }
  [[nodiscard]] constexpr bool any_counter_enabled() const {
    for (unsigned n = 0; n < config_.counters; ++n) {
      if (counter_enabled(n)) return true;
    }
    return false;
  }
  // Adds `delta` to counter n as counting does (48-bit wrap, overflow).
  constexpr void add_to_counter(unsigned n, std::uint64_t delta) {
    const counter_sum s = counter_add(r_.ctr[n], delta, width);
    r_.ctr[n] = s.value;
    if (s.overflowed) (void)overflow(bit(n));
  }
  // Counters `status_bits` overflowed: GlobalStatus records them (PerfMonV2), and the PMI is
  // raised if any has PERF_CTL.INT; returns whether it was.
  constexpr bool overflow(std::uint64_t status_bits) {
    if (config_.perfmon_v2) r_.global_status |= status_bits;
    const bool raised = any_interrupt_enabled(*this, status_bits);
    irq_ |= raised;
    return raised;
  }
  [[nodiscard]] constexpr bool interrupt_enabled(unsigned n) const {
    return n < x86::amd_core_counters && (r_.ctl[n] & ctl::int_.mask) != 0;
  }
  [[nodiscard]] constexpr bool irq_pending() const { return irq_; }
  constexpr void set_irq(bool pending) { irq_ = pending; }
  constexpr void clear_irq() { irq_ = false; }

  [[nodiscard]] constexpr msr_result try_rdmsr(std::uint32_t index) const {
    using x86::pmu_msr;
    if (!exists(index)) return general_protection();
    const x86::msr_ref r = x86::decode_amd_msr(index);
    switch (r.reg) {
      case pmu_msr::amd_perf_ctl: return value(r_.ctl[r.index]);
      case pmu_msr::amd_perf_ctr: return value(r_.ctr[r.index]);
      case pmu_msr::amd_global_status: return value(r_.global_status);
      case pmu_msr::amd_global_ctl: return value(r_.global_ctl);
      default: return value(0);  // StatusClr / StatusSet read as zero
    }
  }
  constexpr msr_result try_wrmsr(std::uint32_t index, std::uint64_t v) {
    using x86::pmu_msr;
    if (!exists(index)) return general_protection();
    const x86::msr_ref r = x86::decode_amd_msr(index);
    const std::uint64_t counters = low_mask(config_.counters);
    switch (r.reg) {
      case pmu_msr::amd_perf_ctl:
        r_.ctl[r.index] = v & ~selector_reserved();  // reserved bits dropped
        dirty_.config |= bit(r.index);
        break;
      case pmu_msr::amd_perf_ctr:
        r_.ctr[r.index] = v & x86::amd_counter_mask();
        dirty_.counters |= bit(r.index);
        break;
      case pmu_msr::amd_global_ctl:
        write_control(r_.global_ctl, x86_control::global_ctrl, v & counters);
        break;
      case pmu_msr::amd_global_status_clr:
        write_control(r_.global_status, x86_control::global_status,
                      r_.global_status & ~(v & counters));
        break;
      case pmu_msr::amd_global_status_set:
        write_control(r_.global_status, x86_control::global_status,
                      r_.global_status | (v & counters));
        break;
      default: break;  // GlobalStatus is read-only: the write is ignored
    }
    return {};
  }
  [[nodiscard]] constexpr msr_result try_rdpmc(std::uint32_t selector) const {
    if (selector >= config_.counters) return general_protection();
    return value(r_.ctr[selector]);
  }

 private:
  [[nodiscard]] constexpr std::uint64_t selector_reserved() const {
    return config_.host_guest_bits ? ctl::res0 : x86::amd_perf_ctl_reserved;
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
  constexpr void write_control(std::uint64_t& reg, x86_control which, std::uint64_t v) {
    reg = v;
    dirty_.controls |= control_bit(which);
  }

  amd_pmu_config config_;
  x86::amd_caps caps_{};
  bool irq_ = false;
};

}  // namespace vpmu::model
