// SPDX-License-Identifier: MIT
// The emulated arm64 policy: MDCR_EL2.TPM/TPMCR trap every guest PMU access; the guest's PMU
// lives in the architectural model and counts through host counters from a provider
// (policy/emulated_base.hpp; the design of Linux's arch/arm64/kvm/pmu-emul.c).
//
// A host counter backs a guest counter only while it counts (enabled by PMCNTEN and PMCR.E, an
// event the filter allows, not SW_INCR or CHAIN, which the model counts itself). The host
// counter gets the guest's EL0/EL1 filter (U, P), never counts EL2, and interrupts after the
// distance to the guest counter's overflow (32 or 64 bits per PMCR.LP/LC).
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/caps.hpp"
#include "vpmu/arch/arm64/esr.hpp"
#include "vpmu/arch/arm64/events.hpp"
#include "vpmu/core/bits.hpp"
#include "vpmu/core/config.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/host/counter_provider.hpp"
#include "vpmu/model/arm64_saved_state.hpp"
#include "vpmu/policy/arm64_config.hpp"
#include "vpmu/policy/arm64_guest_model.hpp"
#include "vpmu/policy/arm64_trapped_access.hpp"
#include "vpmu/policy/emulated_base.hpp"

namespace vpmu {

template <counter_provider Provider>
class arm64_emulated : public emulated_base<arm64_emulated<Provider>, Provider, model::arm64_pmu,
                                            arm64::cycle_counter_index + 1> {
  using base =
      emulated_base<arm64_emulated, Provider, model::arm64_pmu, arm64::cycle_counter_index + 1>;
  friend base;
  static constexpr unsigned cycle = arm64::cycle_counter_index;

 public:
  using state_type = model::arm64_saved_state;
  static constexpr std::uint64_t counters = arm64::event_counter_bits | arm64::cycle_counter_bit;

  constexpr arm64_emulated(Provider& perf, const arm64_config& config)
      : base(perf, model::arm64_pmu{arm64_guest_model_config(config, arm64_counting::emulated)}),
        config_(config),
        traps_(trap_everything(config.host.counters, 1)) {
    VPMU_ASSERT(config.validated());
  }

  [[nodiscard]] constexpr const arm64_trap_config& trap_config() const { return traps_; }

  // The guest's PMU interrupt line: PMOVS & PMINTEN gated by PMCR_EL0.E, or an overflow folded at
  // a trapped access and not yet acknowledged (on_sysreg).
  [[nodiscard]] constexpr bool irq_pending() {
    return overflow_held_ || this->guest_.irq_pending();
  }
  // The hypervisor changed the VM's event filter: host counters and advertised events follow.
  constexpr void on_filter_change() {
    const model::arm64_pmu_config m = arm64_guest_model_config(config_, arm64_counting::emulated);
    this->guest_.advertise_events(m.pmceid0, m.pmceid1);
    base::on_filter_change();
  }
  // The hypervisor injected the interrupt: a held overflow has been seen.
  constexpr void irq_delivered() { overflow_held_ = false; }
  constexpr result<bool> restore_state(const state_type& s) {
    result<bool> r = base::restore_state(s);
    if (r) overflow_held_ = false;  // a refused restore changes nothing
    return r;
  }

  // A trapped MRS/MSR (ESR_EL2 with EC 0x18). `rt_value`: the guest's Xt for a write.
  // `from_el0`: the access came from the guest's EL0 (SPSR_EL2.M).
  constexpr sysreg_result on_sysreg(std::uint64_t esr, std::uint64_t rt_value,
                                    bool from_el0 = false) {
    const trapped_access a = decode_trapped_access(esr, from_el0);
    if (!a.exposed) return {0, true};
    // Host counts are folded before the access applies, and an overflow they bring that raises
    // the guest's interrupt is held until the guest acknowledges it (reads or writes PMOVSCLR/
    // PMOVSSET) or the hypervisor reports it delivered: the access (say PMCR_EL0.E = 0 ending a
    // measurement) may lower the line at once, yet on hardware the interrupt was asserted before
    // the access, when the counter overflowed. A host that reports its overflow late (QEMU at
    // the next trapped access) would otherwise lose it.
    const bool line_before = this->guest_.irq_pending();
    this->fold_all();
    if (!line_before && this->guest_.irq_pending()) overflow_held_ = true;
    if (a.reg.reg == arm64::pmu_reg::pmovsclr || a.reg.reg == arm64::pmu_reg::pmovsset) {
      overflow_held_ = false;
    }
    const model::sysreg_outcome o =
        this->guest_.access(a.from, a.encoding, a.reg, a.is_read, rt_value, a.rt);
    if (o.kind == model::outcome::executed && !a.is_read) this->after_write();
    return to_sysreg_result(o);
  }

 private:
  [[nodiscard]] constexpr state_type snapshot() const {
    return {state_type::current_format, this->guest_.config(), this->guest_.registers()};
  }
  constexpr void apply(const state_type& s) { this->guest_.replace_registers(s.registers); }
  [[nodiscard]] constexpr std::uint64_t value(unsigned k) const {
    return k == cycle ? this->guest_.registers().ccntr : this->guest_.registers().evcntr[k];
  }
  [[nodiscard]] constexpr std::uint64_t period(unsigned k) const {
    using pmcr = arm64::pmcr_el0;
    const std::uint64_t v = this->guest_.registers().pmcr;
    if (k == cycle) {
      const std::uint64_t d = distance_to_overflow(value(k), (v & pmcr::lc.mask) != 0 ? 64 : 32);
      // PMCR.D: one tick per 64 cycles (d * 64 stays below 2^63).
      return (v & pmcr::d.mask) != 0 && d < bit(57) ? d * 64 : d;
    }
    return distance_to_overflow(value(k), this->guest_.long_event_counter(k) ? 64 : 32);
  }
  constexpr void add(unsigned k, std::uint64_t delta) {
    if (k == cycle) {
      this->guest_.add_to_cycle_counter(delta);
    } else {
      this->guest_.add_to_counter(k, delta);
    }
  }
  // What the host counter behind guest counter k should count now (0: nothing).
  [[nodiscard]] constexpr std::uint64_t desired(unsigned k) const {
    using t = arm64::pmevtypern_el0;
    const model::arm64_registers& g = this->guest_.registers();
    if (k == cycle) {
      if (!this->guest_.cycle_counter_enabled() ||
          !filter_allows_event(config_.filter, arm64::event::cpu_cycles)) {
        return 0;
      }
      return arm64::event::cpu_cycles | (g.ccfiltr & (t::p.mask | t::u.mask));
    }
    if (k >= config_.shape.counters || !this->guest_.event_counter_enabled(k)) return 0;
    const std::uint16_t event = this->guest_.event_number(k);
    if (event == arm64::event::sw_incr || event == arm64::event::chain ||
        !filter_allows_event(config_.filter, event)) {
      return 0;
    }
    return event | (g.evtyper[k] & (t::p.mask | t::u.mask)) |
           backing_counters<Provider, arm64::cycle_counter_index +
                                          1>::in_use_flag;  // event 0 is valid: mark in use
  }

  arm64_config config_;
  arm64_trap_config traps_;
  bool overflow_held_ = false;
};

}  // namespace vpmu
