// SPDX-License-Identifier: MIT
// The architectural model of one Intel PMU (SDM Vol. 3B ch. 21), version 1 to 5: general-purpose
// and fixed counters, GLOBAL_CTRL gating, GLOBAL_STATUS on overflow, OVF_CTRL (STATUS_RESET),
// STATUS_SET and INUSE (v4+), legacy and full-width counter writes, RDPMC, and the PMI. Every x86
// policy keeps an Intel guest's PMU in one of these; the simulator wraps one.
//
// An access to an MSR that does not exist or that sets a reserved bit is a #GP (msr_result).
// Reserved bits are those vpmu::x86 computes from the caps (arch/x86/masks.hpp): the model
// implements no AnyThread, TSX, PEBS, EQ or UMASK2 bits. INUSE (SDM 21.2.4.3): GP counter x is in
// use when PERFEVTSELx is non-zero, fixed counter i when its FIXED_CTR_CTRL field is, bit 63 when
// any INT/PMI bit is set.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/cpuid.hpp"
#include "vpmu/arch/x86/fixed_ctr_ctrl.hpp"
#include "vpmu/arch/x86/intel_regs.gen.hpp"
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
struct intel_registers {
  std::uint64_t pmc[x86::intel_max_gp_counters] = {};
  std::uint64_t evtsel[x86::intel_max_gp_counters] = {};
  std::uint64_t fixed[x86::intel_max_fixed_counters] = {};
  std::uint64_t fixed_ctrl = 0;
  std::uint64_t global_ctrl = 0;
  std::uint64_t global_status = 0;
  std::uint64_t debugctl = 0;
  friend constexpr bool operator==(const intel_registers&, const intel_registers&) = default;
};

struct intel_pmu_config {
  unsigned version = 4;
  unsigned gp_counters = 8;
  unsigned gp_width = 48;
  unsigned fixed_counters = 3;
  unsigned fixed_width = 48;
  bool fw_writes = true;
  friend constexpr bool operator==(const intel_pmu_config&, const intel_pmu_config&) = default;
};

class intel_pmu : public register_file<intel_registers> {
  using evtsel = x86::ia32_perfevtselx;

 public:
  using config_type = intel_pmu_config;
  constexpr explicit intel_pmu(intel_pmu_config config = {}) : config_(config) {
    if (config_.gp_counters > x86::intel_max_gp_counters) {
      config_.gp_counters = x86::intel_max_gp_counters;
    }
    if (config_.fixed_counters > x86::intel_max_fixed_counters) {
      config_.fixed_counters = x86::intel_max_fixed_counters;
    }
    caps_.version = static_cast<std::uint8_t>(config_.version);
    caps_.gp_counters = static_cast<std::uint8_t>(config_.gp_counters);
    caps_.gp_width = static_cast<std::uint8_t>(config_.gp_width);
    caps_.fixed_counters =
        static_cast<std::uint8_t>(config_.version >= 2 ? config_.fixed_counters : 0);
    caps_.fixed_width = static_cast<std::uint8_t>(config_.fixed_width);
    caps_.fw_writes = config_.fw_writes;
    // GLOBAL_CTRL resets with every GP counter enabled, so v1 software keeps working (SDM 21.2.2).
    r_.global_ctrl = low_mask(config_.gp_counters);
  }

  [[nodiscard]] constexpr const x86::intel_caps& caps() const { return caps_; }
  [[nodiscard]] constexpr const intel_pmu_config& config() const { return config_; }

  // --- counting -------------------------------------------------------------------------------
  [[nodiscard]] constexpr bool gp_enabled(unsigned x) const {
    const bool global = config_.version < 2 || (r_.global_ctrl & bit(x)) != 0;
    return global && (r_.evtsel[x] & evtsel::en.mask) != 0;
  }
  [[nodiscard]] constexpr bool fixed_enabled(unsigned i) const {
    return x86::fixed_field::enabled(r_.fixed_ctrl, i) &&
           (r_.global_ctrl & x86::fixed_counter_bit(i)) != 0;
  }
  [[nodiscard]] constexpr bool any_counter_enabled() const {
    for (unsigned x = 0; x < config_.gp_counters; ++x) {
      if (gp_enabled(x)) return true;
    }
    for (unsigned i = 0; i < caps_.fixed_counters; ++i) {
      if (fixed_enabled(i)) return true;
    }
    return false;
  }
  // Adds `delta` to a counter as counting does: wrap at the width, overflow into GLOBAL_STATUS.
  constexpr void add_to_gp(unsigned x, std::uint64_t delta) {
    add(r_.pmc[x], delta, config_.gp_width, bit(x));
  }
  constexpr void add_to_fixed(unsigned i, std::uint64_t delta) {
    add(r_.fixed[i], delta, config_.fixed_width, x86::fixed_counter_bit(i));
  }
  // Counters `status_bits` (GLOBAL_STATUS layout) overflowed: their status bits set, and the PMI
  // raised if any of them has its interrupt enabled (PERFEVTSEL.INT, FIXED_CTR_CTRL.PMI); returns
  // whether it was.
  constexpr bool overflow(std::uint64_t status_bits) {
    if (config_.version >= 2) r_.global_status |= status_bits;  // v1 has no GLOBAL_STATUS
    const bool raised = any_interrupt_enabled(*this, status_bits);
    irq_ |= raised;
    return raised;
  }
  [[nodiscard]] constexpr bool interrupt_enabled(unsigned status_bit) const {
    if (x86::is_fixed_counter_bit(status_bit)) {
      return x86::fixed_field::interrupt(r_.fixed_ctrl, x86::fixed_index_of_bit(status_bit));
    }
    return (r_.evtsel[status_bit] & evtsel::int_.mask) != 0;
  }

  // The PMI: raised by an overflow with the interrupt enabled, held until delivered (the local
  // APIC's LVTPC takes it edge-triggered).
  [[nodiscard]] constexpr bool irq_pending() const { return irq_; }
  constexpr void set_irq(bool pending) { irq_ = pending; }
  constexpr void clear_irq() { irq_ = false; }

  // --- accesses -------------------------------------------------------------------------------
  [[nodiscard]] constexpr msr_result try_rdmsr(std::uint32_t index) const {
    using x86::pmu_msr;
    const x86::msr_ref r = x86::decode_intel_msr(index);
    const bool v2 = config_.version >= 2, v4 = config_.version >= 4;
    switch (r.reg) {
      case pmu_msr::pmc: return gp_exists(r.index) ? value(r_.pmc[r.index]) : general_protection();
      case pmu_msr::a_pmc:
        return gp_exists(r.index) && config_.fw_writes ? value(r_.pmc[r.index])
                                                       : general_protection();
      case pmu_msr::perfevtsel:
        return gp_exists(r.index) ? value(r_.evtsel[r.index]) : general_protection();
      case pmu_msr::fixed_ctr:
        return caps_.has_fixed(r.index) ? value(r_.fixed[r.index]) : general_protection();
      case pmu_msr::fixed_ctr_ctrl: return when(v2, r_.fixed_ctrl);
      case pmu_msr::global_ctrl: return when(v2, r_.global_ctrl);
      case pmu_msr::global_status: return when(v2, r_.global_status);
      case pmu_msr::global_ovf_ctrl: return when(v2, 0);
      case pmu_msr::global_status_set: return when(v4, 0);
      case pmu_msr::global_inuse: return when(v4, inuse());
      case pmu_msr::perf_capabilities:
        return when(v2, config_.fw_writes ? x86::ia32_perf_capabilities::fw_writes.mask : 0);
      case pmu_msr::debugctl: return value(r_.debugctl);
      default: return general_protection();
    }
  }

  constexpr msr_result try_wrmsr(std::uint32_t index, std::uint64_t v) {
    using x86::pmu_msr;
    const x86::msr_ref r = x86::decode_intel_msr(index);
    const bool v2 = config_.version >= 2, v4 = config_.version >= 4;
    switch (r.reg) {
      case pmu_msr::pmc:  // legacy: bits 31:0 written, bit 31 copied upwards (SDM 21.2.2)
        if (!gp_exists(r.index)) return general_protection();
        return write_counter(r_.pmc[r.index], bit(r.index),
                             legacy_counter_write(static_cast<std::uint32_t>(v), config_.gp_width));
      case pmu_msr::a_pmc:  // full width: bits beyond the width are reserved
        if (!gp_exists(r.index) || !config_.fw_writes || (v & ~x86::gp_counter_mask(caps_)) != 0) {
          return general_protection();
        }
        return write_counter(r_.pmc[r.index], bit(r.index), v);
      case pmu_msr::perfevtsel:
        if (!gp_exists(r.index) || (v & x86::perfevtsel_reserved(caps_, r.index)) != 0) {
          return general_protection();
        }
        r_.evtsel[r.index] = v;
        dirty_.config |= bit(r.index);
        return {};
      case pmu_msr::fixed_ctr:
        if (!caps_.has_fixed(r.index)) return general_protection();
        return write_counter(r_.fixed[r.index], x86::fixed_counter_bit(r.index),
                             v & x86::fixed_counter_mask(caps_));
      case pmu_msr::fixed_ctr_ctrl:
        if (!v2 || (v & x86::fixed_ctr_ctrl_reserved(caps_)) != 0) return general_protection();
        for (unsigned i = 0; i < x86::intel_max_fixed_counters; ++i) {
          if (x86::fixed_field::field(r_.fixed_ctrl ^ v, i) != 0)
            dirty_.config |= x86::fixed_counter_bit(i);
        }
        r_.fixed_ctrl = v;
        return {};
      case pmu_msr::global_ctrl:
        if (!v2 || (v & x86::global_ctrl_reserved(caps_)) != 0) return general_protection();
        return write_control(r_.global_ctrl, x86_control::global_ctrl, v);
      case pmu_msr::global_ovf_ctrl:
        if (!v2 || (v & x86::global_status_reserved(caps_)) != 0) return general_protection();
        return write_control(r_.global_status, x86_control::global_status, r_.global_status & ~v);
      case pmu_msr::global_status_set:
        if (!v4 || (v & x86::global_status_reserved(caps_)) != 0) return general_protection();
        return write_control(r_.global_status, x86_control::global_status, r_.global_status | v);
      case pmu_msr::debugctl:
        if ((v & ~x86::debugctl_writable) != 0) return general_protection();
        return write_control(r_.debugctl, x86_control::debugctl, v);
      default:
        return general_protection();  // read-only (STATUS, INUSE, PERF_CAPABILITIES) or absent
    }
  }

  // RDPMC: ECX[30] selects the fixed counters; ECX[31] ("fast" read) faults (as under KVM).
  [[nodiscard]] constexpr msr_result try_rdpmc(std::uint32_t selector) const {
    if ((selector & x86::rdpmc_fast_flag) != 0) return general_protection();
    const unsigned i = selector & x86::rdpmc_index_mask;
    if ((selector & x86::rdpmc_fixed_flag) != 0) {
      return caps_.has_fixed(i) ? value(r_.fixed[i]) : general_protection();
    }
    return gp_exists(i) ? value(r_.pmc[i]) : general_protection();
  }

 private:
  static constexpr msr_result when(bool exists, std::uint64_t v) {
    return exists ? value(v) : general_protection();
  }
  [[nodiscard]] constexpr bool gp_exists(unsigned x) const { return x < config_.gp_counters; }
  constexpr msr_result write_counter(std::uint64_t& reg, std::uint64_t which, std::uint64_t v) {
    reg = v;
    dirty_.counters |= which;
    return {};
  }
  constexpr msr_result write_control(std::uint64_t& reg, x86_control which, std::uint64_t v) {
    reg = v;
    dirty_.controls |= control_bit(which);
    return {};
  }
  constexpr void add(std::uint64_t& counter, std::uint64_t delta, unsigned width,
                     std::uint64_t status_bit) {
    if (delta == 0) return;
    const counter_sum s = counter_add(counter, delta, width);
    counter = s.value;
    if (s.overflowed) (void)overflow(status_bit);
  }
  [[nodiscard]] constexpr std::uint64_t inuse() const {
    using inuse_reg = x86::ia32_perf_global_inuse;
    std::uint64_t v = 0;
    for (unsigned x = 0; x < config_.gp_counters; ++x) {
      if (r_.evtsel[x] != 0) v |= bit(x);
      if (interrupt_enabled(x)) v |= inuse_reg::pmi.mask;
    }
    for (unsigned i = 0; i < x86::intel_max_fixed_counters; ++i) {
      if (x86::fixed_field::field(r_.fixed_ctrl, i) != 0) v |= x86::fixed_counter_bit(i);
      if (x86::fixed_field::interrupt(r_.fixed_ctrl, i)) v |= inuse_reg::pmi.mask;
    }
    return v;
  }

  intel_pmu_config config_;
  x86::intel_caps caps_{};
  bool irq_ = false;
};

}  // namespace vpmu::model
