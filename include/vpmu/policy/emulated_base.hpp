// SPDX-License-Identifier: MIT
// What the emulated policies of every architecture share (Linux KVM's perf-based vPMU design:
// arch/x86/kvm/pmu.c, arch/arm64/kvm/pmu-emul.c). The guest's registers live in the architectural
// model; a host counter from a provider backs a guest counter only while it counts. Host counts
// are folded into the model on demand, so guest overflow status and interrupts follow the
// model's rules; the host counter's period is the distance to the guest counter's overflow, so
// the host interrupt arrives exactly when the guest's should. Reprogramming happens only when
// what a counter counts changes, never on a plain read. load()/put() only resume/pause the
// backing counters (guest time only).
//
// Derived provides, per counter k in its architecture's counter-bitmap numbering:
//   desired(k)  what the host counter should count now (0: nothing; a selector / PMEVTYPER)
//   period(k)   events until guest counter k overflows
//   add(k, n)   n events counted: into the model
//   snapshot()  the saved state;  apply(state)  a checked saved state into the model
// and the constant `counters`: the slots that exist.
#pragma once

#include <cstdint>

#include "vpmu/host/backing_counters.hpp"
#include "vpmu/host/counter_provider.hpp"
#include "vpmu/model/dirty_registers.hpp"

namespace vpmu {

template <class Derived, counter_provider Provider, class Model, unsigned Slots>
class emulated_base {
 public:
  [[nodiscard]] constexpr bool loaded() const { return backing_.running(); }
  constexpr void load() { backing_.resume_all(); }
  constexpr void put() { backing_.pause_all(); }

  // The host interrupt from a backing counter: fold the counts (the model raises the guest's
  // interrupt if a guest counter overflowed with its interrupt enabled) and re-arm the periods.
  constexpr bool on_host_overflow() {
    fold_all();
    backing_.for_each([&](unsigned k) { backing_.rearm(k, self().period(k)); });
    return guest_.irq_pending();
  }
  [[nodiscard]] constexpr bool irq_pending() { return guest_.irq_pending(); }

  [[nodiscard]] constexpr auto save_state() {
    fold_all();
    return self().snapshot();
  }
  template <class State>
  constexpr result<bool> restore_state(const State& s) {
    if (auto bad = check_saved_state(s, guest_.config()); !bad) return bad;  // (found by ADL)
    fold_all();
    self().apply(s);
    (void)guest_.take_dirty();
    backing_.drop_all();
    reconcile();
    return true;
  }
  // Gives back every host counter (the state stays in the model): the vCPU is moving to
  // another policy. The next restore_state() or trapped write programs them again.
  constexpr void detach() {
    fold_all();
    backing_.drop_all();
  }
  // The hypervisor changed the VM's event filter: the host counters follow what may count now.
  constexpr void on_filter_change() {
    fold_all();
    reconcile();
  }
  // Some guest counter is enabled.
  [[nodiscard]] constexpr bool counting() const { return guest_.any_counter_enabled(); }

 protected:
  constexpr emulated_base(Provider& perf, const Model& guest) : backing_(perf), guest_(guest) {}

  // Host counts into the model, for every backed counter.
  constexpr void fold_all() {
    for (unsigned k : set_bits(backing_.backed())) {
      const std::uint64_t delta = backing_.take(k);
      if (delta != 0) self().add(k, delta);
    }
  }
  // After a guest write: counter values it changed re-arm their host periods, and the host
  // counters follow what the guest counters count now.
  constexpr void after_write() {
    const model::dirty_registers changed = guest_.take_dirty();
    for (unsigned k : set_bits(changed.counters & backing_.backed())) {
      backing_.rearm(k, self().period(k));
    }
    reconcile();
  }
  // Brings the host counters in line with what the guest counters should count; touches only
  // the counters whose configuration changed.
  constexpr void reconcile() {
    for (unsigned k : set_bits(Derived::counters))
      backing_.set(k, self().desired(k), self().period(k));
  }

  backing_counters<Provider, Slots> backing_;
  Model guest_;

 private:
  constexpr Derived& self() { return static_cast<Derived&>(*this); }
  constexpr const Derived& self() const { return static_cast<const Derived&>(*this); }
};

}  // namespace vpmu
