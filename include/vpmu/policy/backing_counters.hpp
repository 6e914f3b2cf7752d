// SPDX-License-Identifier: MIT
// The host counters behind an emulated guest's counters: one slot per guest counter, each either
// empty or holding a provider counter programmed with what that guest counter counts. Shared by
// the x86 and arm64 emulated policies.
#pragma once

#include <cstdint>

#include "vpmu/policy/counter_provider.hpp"

namespace vpmu {

template <counter_provider Provider, unsigned Slots>
class backing_counters {
 public:
  constexpr explicit backing_counters(Provider& perf) : perf_(&perf) {}

  [[nodiscard]] constexpr bool backed(unsigned k) const { return slot_[k].backed; }
  [[nodiscard]] constexpr unsigned count() const {
    unsigned n = 0;
    for (const slot& s : slot_)
      n += s.backed ? 1 : 0;
    return n;
  }
  template <class F>
  constexpr void for_each(F&& f) const {
    for (unsigned k = 0; k < Slots; ++k) {
      if (slot_[k].backed) f(k);
    }
  }

  // Guest time only: the host counters run from the policy's load() to its put(). running()
  // is therefore whether the vCPU is loaded.
  [[nodiscard]] constexpr bool running() const { return running_; }
  constexpr void resume_all() {
    running_ = true;
    for_each([&](unsigned k) { perf_->resume(slot_[k].handle); });
    commit();
  }
  constexpr void pause_all() {
    if (!running_) return;
    running_ = false;
    for_each([&](unsigned k) { perf_->pause(slot_[k].handle); });
    commit();
  }

  // Events slot k counted since the last take() (0 when empty).
  constexpr std::uint64_t take(unsigned k) {
    if (!slot_[k].backed) return 0;
    const std::uint64_t total = perf_->read(slot_[k].handle);
    const std::uint64_t delta = total - slot_[k].seen;
    slot_[k].seen = total;
    return delta;
  }
  // The next host interrupt for slot k comes after `period` events.
  constexpr void rearm(unsigned k, std::uint64_t period) {
    if (!slot_[k].backed) return;
    perf_->set_period(slot_[k].handle, period);
    slot_[k].seen = perf_->read(slot_[k].handle);
  }
  constexpr void drop(unsigned k) {
    if (!slot_[k].backed) return;
    perf_->release(slot_[k].handle);
    slot_[k] = {};
  }
  constexpr void drop_all() {
    for (unsigned k = 0; k < Slots; ++k)
      drop(k);
  }
  // Makes slot k count `want` (0: nothing). Nothing happens when it already does; otherwise the
  // old host counter goes and a new one comes, interrupting after `period` events and running
  // at once if the vCPU is loaded. Without a free host counter the slot stays empty: the guest
  // counter does not count (Linux KVM behaves the same).
  constexpr void set(unsigned k, std::uint64_t want, std::uint64_t period) {
    if (want == (slot_[k].backed ? slot_[k].selector : 0)) return;
    drop(k);
    if (want == 0) return;
    const auto h = perf_->acquire({want & ~in_use_flag, period});
    if (!h) return;
    slot_[k] = {h.value(), true, want, perf_->read(h.value())};
    if (running_) {
      perf_->resume(h.value());
      commit();
    }
  }

  // Policies may mark a selector "in use" with this bit when the raw selector could be 0.
  static constexpr std::uint64_t in_use_flag = 1ULL << 63;

 private:
  struct slot {
    typename Provider::handle handle{};
    bool backed = false;
    std::uint64_t selector = 0;  // what the host counter was programmed with
    std::uint64_t seen = 0;      // provider count already taken
  };
  constexpr void commit() {
    if constexpr (requires { perf_->commit(); }) perf_->commit();
  }

  Provider* perf_;
  slot slot_[Slots]{};
  bool running_ = false;
};

}  // namespace vpmu
