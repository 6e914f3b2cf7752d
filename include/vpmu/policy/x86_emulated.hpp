// SPDX-License-Identifier: MIT
// The emulated x86 policy: every guest PMU access traps; guest counters are backed by host
// counters from a provider (vpmu::counter_provider), Linux KVM's perf-based vPMU design.
//
// The guest's registers live in the architectural model. A host counter exists only for a guest
// counter that counts (enabled locally and globally, and allowed by the event filter: a denied
// event gets no host counter, as in KVM). Reprogramming happens only when what a counter counts
// changes (selector, FIXED_CTR_CTRL nibble, GLOBAL_CTRL bit, filter verdict), never on a plain
// read. Host counts are folded into the model on demand, so guest overflow status and PMIs
// follow the architectural rules of the model; the host counter's period is the distance to the
// guest counter's overflow, so the host interrupt arrives exactly when the guest's should.
//
// load()/put() only resume/pause the backing counters (guest time only).
#pragma once

#include <cstdint>

#include "vpmu/core/config.hpp"
#include "vpmu/core/counter.hpp"
#include "vpmu/policy/backing_counters.hpp"
#include "vpmu/policy/counter_provider.hpp"
#include "vpmu/policy/x86_state.hpp"
#include "vpmu/policy/x86_traps.hpp"
#include "vpmu/policy/x86_vendor.hpp"

namespace vpmu {

template <class Arch, counter_provider Provider>
class x86_emulated {
  using vendor = x86_vendor<Arch>;
  using model_type = typename vendor::model;
  static constexpr unsigned slots = vendor::max_gp + vendor::max_fixed;

 public:
  using state_type = x86_saved_state<Arch>;

  constexpr x86_emulated(Provider& perf, const x86_config& config)
      : backing_(perf), config_(config), vm_(vendor::make_model(config.shape)) {
    VPMU_ASSERT(config.validated());
    traps_.generation = 1;  // everything intercepted, RDPMC exits
  }

  [[nodiscard]] constexpr const x86_trap_config& trap_config() const { return traps_; }
  [[nodiscard]] constexpr bool loaded() const { return backing_.running(); }
  [[nodiscard]] constexpr std::uint64_t entry_global_ctrl() const { return 0; }

  constexpr void load() { backing_.resume_all(); }
  constexpr void put() { backing_.pause_all(); }

  constexpr msr_result on_rdmsr(std::uint32_t index) {
    fold_all();
    const sim::msr_outcome o = vm_.try_rdmsr(index);
    return {o.value, o.fault};
  }
  constexpr msr_result on_wrmsr(std::uint32_t index, std::uint64_t value) {
    fold_all();
    const sim::msr_outcome o = vm_.try_wrmsr(index, value);
    if (o.fault) return {0, true};
    const x86::msr_ref r = x86::decode_msr(vendor::id, index);
    const bool counter_write = r.reg == x86::pmu_msr::pmc || r.reg == x86::pmu_msr::a_pmc ||
                               r.reg == x86::pmu_msr::amd_perf_ctr ||
                               r.reg == x86::pmu_msr::fixed_ctr;
    if (counter_write) {
      const unsigned k = r.reg == x86::pmu_msr::fixed_ctr ? vendor::max_gp + r.index : r.index;
      if (k < slots) backing_.rearm(k, period(k));
    }
    reconcile();
    return {};
  }
  constexpr msr_result on_rdpmc(std::uint32_t selector) {
    fold_all();
    const sim::msr_outcome o = vm_.try_rdpmc(selector);
    return {o.value, o.fault};
  }

  // The host interrupt from a backing counter: fold the counts (the model raises the guest's
  // PMI if a guest counter overflowed with its interrupt enabled) and re-arm the periods.
  constexpr bool on_host_overflow() {
    fold_all();
    backing_.for_each([&](unsigned k) { backing_.rearm(k, period(k)); });
    return vm_.pmi_pending();
  }
  [[nodiscard]] constexpr bool pending_irq() const { return vm_.pmi_pending(); }
  constexpr void irq_delivered() { vm_.clear_pmi(); }

  [[nodiscard]] constexpr state_type save_state() {
    fold_all();
    return {state_type::current_format, vm_.registers(), vm_.pmi_pending()};
  }
  constexpr result<bool> restore_state(const state_type& s) {
    if (s.format != state_type::current_format) {
      return error{errc::invalid_config, "x86 saved PMU state", "format", s.format};
    }
    fold_all();
    vm_.registers() = s.registers;
    vm_.set_pmi(s.pmi_pending);
    backing_.drop_all();
    reconcile();
    return true;
  }

  [[nodiscard]] constexpr const model_type& model() const { return vm_; }
  // Gives back every host counter (the state stays in the model): the vCPU is moving to
  // another policy. The next restore_state() or trapped write programs them again.
  constexpr void detach() {
    fold_all();
    backing_.drop_all();
  }
  [[nodiscard]] constexpr bool counting() const { return x86_counting(vm_, config_.shape); }
  [[nodiscard]] constexpr unsigned backed_counters() const { return backing_.count(); }

 private:
  [[nodiscard]] constexpr bool is_fixed(unsigned k) const { return k >= vendor::max_gp; }
  [[nodiscard]] constexpr std::uint64_t value(unsigned k) const {
    if constexpr (vendor::max_fixed > 0) {
      if (is_fixed(k)) return vm_.registers().fixed[k - vendor::max_gp];
    }
    return vendor::counter(const_cast<model_type&>(vm_), k);
  }
  [[nodiscard]] constexpr std::uint64_t period(unsigned k) const {
    const unsigned w = is_fixed(k) ? config_.shape.fixed_width : config_.shape.gp_width;
    return distance_to_overflow(value(k), w);
  }

  // What counter k should count now (0: nothing).
  [[nodiscard]] constexpr std::uint64_t desired(unsigned k) const {
    constexpr std::uint64_t en = 1ULL << 22, os = 1ULL << 17, usr = 1ULL << 16;
    if (!is_fixed(k)) {
      if (k >= config_.shape.gp_counters || !gp_counts(k)) return 0;
      const std::uint64_t sel = vendor::selector(const_cast<model_type&>(vm_), k);
      return filter_allows_selector(config_.filter, vendor::id, sel) ? sel : 0;
    }
    if constexpr (vendor::max_fixed > 0) {
      const unsigned i = k - vendor::max_gp;
      if (i >= vendor::fixed_counters(config_.shape) || !vm_.fixed_enabled(i) ||
          !filter_allows_fixed(config_.filter, i)) {
        return 0;
      }
      // A fixed counter is backed by its architectural event (as KVM asks perf for it).
      constexpr std::uint64_t events[] = {0x00c0, 0x003c, 0x013c, 0x01a4};
      const std::uint64_t nibble = (vm_.registers().fixed_ctrl >> (4 * i)) & 0xf;
      return events[i] | en | ((nibble & 1) != 0 ? os : 0) | ((nibble & 2) != 0 ? usr : 0);
    }
    return 0;
  }

  [[nodiscard]] constexpr bool gp_counts(unsigned k) const {
    if constexpr (vendor::id == x86::vendor::intel) {
      return vm_.gp_enabled(k);
    } else {
      return vm_.counting(k);
    }
  }

  constexpr void fold(unsigned k) {
    const std::uint64_t delta = backing_.take(k);
    if (delta == 0) return;
    if constexpr (vendor::max_fixed > 0) {
      if (is_fixed(k)) {
        vm_.add_to_fixed(k - vendor::max_gp, delta);
        return;
      }
      vm_.add_to_gp(k, delta);
    } else {
      vm_.add_to_counter(k, delta);
    }
  }
  constexpr void fold_all() {
    for (unsigned k = 0; k < slots; ++k)
      fold(k);
  }
  // Brings the host counters in line with what the guest counters should count; touches only
  // the counters whose configuration changed.
  constexpr void reconcile() {
    for (unsigned k = 0; k < slots; ++k)
      backing_.set(k, desired(k), period(k));
  }

  backing_counters<Provider, slots> backing_;
  x86_config config_;
  model_type vm_;
  x86_trap_config traps_{};
};

}  // namespace vpmu
