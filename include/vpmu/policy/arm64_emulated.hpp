// SPDX-License-Identifier: MIT
// The emulated arm64 policy: MDCR_EL2.TPM/TPMCR trap every guest PMU access; the guest's PMU
// lives in the architectural model and counts through host counters from a provider (the design
// of Linux's arch/arm64/kvm/pmu-emul.c, ../shared/reference/arm.md §4).
//
// A host counter backs a guest counter only while it counts (enabled by PMCNTEN and PMCR.E, an
// event the filter allows, not SW_INCR or CHAIN, which the model counts itself). The host
// counter gets the guest's EL0/EL1 filter (U, P), never counts EL2, and interrupts after the
// distance to the guest counter's overflow (32 or 64 bits per PMCR.LP/LC).
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/esr.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/policy/arm64_config.hpp"
#include "vpmu/policy/arm64_state.hpp"
#include "vpmu/policy/backing_counters.hpp"
#include "vpmu/policy/counter_provider.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"

namespace vpmu {

template <counter_provider Provider>
class arm64_emulated {
  static constexpr unsigned cycle_slot = 31;

 public:
  using state_type = arm64_saved_state;

  constexpr arm64_emulated(Provider& perf, const arm64_config& config)
      : backing_(perf), config_(config), vm_({config.shape.counters, config.shape.version}) {
    VPMU_ASSERT(config.validated());
    traps_.mdcr_el2 =
        config.host.counters | arm64::mdcr_el2::tpm.mask | arm64::mdcr_el2::tpmcr.mask;
    traps_.neutral_el0_state = true;
    traps_.generation = 1;
  }

  [[nodiscard]] constexpr const arm64_trap_config& trap_config() const { return traps_; }
  [[nodiscard]] constexpr bool loaded() const { return backing_.running(); }

  constexpr void load() { backing_.resume_all(); }
  constexpr void put() { backing_.pause_all(); }

  constexpr sysreg_result on_sysreg(std::uint64_t esr, std::uint64_t rt_value,
                                    bool from_el0 = false) {
    const auto a = arm64::decode_esr(esr);
    if (!a) return {0, true};
    const arm64::pmu_reg_ref r = arm64::classify(a.value().encoding);
    using arm64::pmu_reg;
    if (r.reg == pmu_reg::none || r.reg == pmu_reg::pmicntr || r.reg == pmu_reg::pmicfiltr ||
        r.reg == pmu_reg::pmzr || r.reg == pmu_reg::pmuacr) {
      return {0, true};
    }
    fold_all();
    const sim::el from = from_el0 ? sim::el::el0 : sim::el::el1;
    const sim::arm_registers before = vm_.registers();
    const sim::sysreg_outcome o = a.value().is_read
                                      ? vm_.guest_read(from, a.value().encoding)
                                      : vm_.guest_write(from, a.value().encoding, rt_value);
    if (o.kind != sim::outcome::executed) return {0, true};
    if (!a.value().is_read) {
      rearm_changed(before);
      reconcile();
    }
    return {o.value, false};
  }

  constexpr bool on_host_overflow() {
    fold_all();
    backing_.for_each([&](unsigned k) { backing_.rearm(k, period(k)); });
    return vm_.irq_pending();
  }
  [[nodiscard]] constexpr bool pending_irq() const { return vm_.irq_pending(); }

  [[nodiscard]] constexpr state_type save_state() {
    fold_all();
    state_type s;
    s.registers = vm_.registers();
    return s;
  }
  constexpr result<bool> restore_state(const state_type& s) {
    if (s.format != state_type::current_format) {
      return error{errc::invalid_config, "arm64 saved PMU state", "format", s.format};
    }
    fold_all();
    vm_.registers() = s.registers;
    vm_.registers().mdcr = config_.shape.counters;
    backing_.drop_all();
    reconcile();
    return true;
  }

  [[nodiscard]] constexpr const sim::arm_pmuv3& model() const { return vm_; }
  // Some guest counter is enabled (the model is current after put()).
  // Gives back every host counter (the state stays in the model): the vCPU is moving to
  // another policy. The next restore_state() or trapped write programs them again.
  constexpr void detach() {
    fold_all();
    backing_.drop_all();
  }
  [[nodiscard]] constexpr bool counting() const {
    const sim::arm_registers& g = vm_.registers();
    return (g.pmcr & arm64::pmcr_el0::e.mask) != 0 && g.cnten != 0;
  }

 private:
  [[nodiscard]] constexpr std::uint64_t value(unsigned k) const {
    return k == cycle_slot ? vm_.registers().ccntr : vm_.registers().evcntr[k];
  }
  [[nodiscard]] constexpr std::uint64_t period(unsigned k) const {
    const std::uint64_t pmcr = vm_.registers().pmcr;
    if (k == cycle_slot) {
      const std::uint64_t d =
          distance_to_overflow(value(k), (pmcr & arm64::pmcr_el0::lc.mask) ? 64 : 32);
      return (pmcr & arm64::pmcr_el0::d.mask) != 0 && d < (1ULL << 57) ? d * 64 : d;
    }
    const bool long_counter =
        vm_.caps().event_counters_64bit() && (pmcr & arm64::pmcr_el0::lp.mask);
    return distance_to_overflow(value(k), long_counter ? 64 : 32);
  }
  [[nodiscard]] constexpr std::uint64_t desired(unsigned k) const {
    using t = arm64::pmevtypern_el0;
    const sim::arm_registers& g = vm_.registers();
    if (k == cycle_slot) {
      if (!vm_.cycle_counter_enabled() || !filter_allows_event(config_.filter, 0x11)) return 0;
      return 0x11 | (g.ccfiltr & (t::p.mask | t::u.mask));
    }
    if (k >= config_.shape.counters || !vm_.event_counter_enabled(k)) return 0;
    const auto event = static_cast<std::uint32_t>(g.evtyper[k] & arm64::evtcount_mask(vm_.caps()));
    if (event == sim::arm_event::sw_incr || event == sim::arm_event::chain ||
        !filter_allows_event(config_.filter, event)) {
      return 0;
    }
    return event | (g.evtyper[k] & (t::p.mask | t::u.mask)) |
           backing_counters<Provider, 32>::in_use_flag;  // event 0 is valid: mark in use
  }
  constexpr void fold(unsigned k) {
    const std::uint64_t delta = backing_.take(k);
    if (delta == 0) return;
    if (k == cycle_slot) {
      vm_.add_to_cycle_counter(delta);
    } else {
      vm_.add_to_counter(k, delta);
    }
  }
  constexpr void fold_all() {
    for (unsigned k = 0; k < 32; ++k)
      fold(k);
  }
  // Counter values the guest wrote (directly or by PMCR.P/C): the host period follows.
  constexpr void rearm_changed(const sim::arm_registers& before) {
    backing_.for_each([&](unsigned k) {
      const std::uint64_t old = k == cycle_slot ? before.ccntr : before.evcntr[k];
      if (old != value(k)) backing_.rearm(k, period(k));
    });
  }
  constexpr void reconcile() {
    for (unsigned k = 0; k < 32; ++k)
      backing_.set(k, desired(k), period(k));
  }

  backing_counters<Provider, 32> backing_;
  arm64_config config_;
  sim::arm_pmuv3 vm_;
  arm64_trap_config traps_{};
};

}  // namespace vpmu
