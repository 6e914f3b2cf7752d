// SPDX-License-Identifier: MIT
// The host counters behind an emulated guest's counters: one slot per guest counter, each either
// empty or holding a provider counter programmed with what that guest counter counts. Slots are
// numbered as the architecture's counter bitmaps number counters (dirty_registers), so a mask of
// guest counters is a mask of slots.
#pragma once

#include <cstdint>

#include "vpmu/core/bits.hpp"
#include "vpmu/host/counter_provider.hpp"

namespace vpmu {

template <counter_provider Provider, unsigned Slots>
class backing_counters {
  static_assert(Slots <= 64, "backing_counters: slots are bits of a 64-bit mask");

 public:
  constexpr explicit backing_counters(Provider& perf) : perf_(&perf) {}

  // Slots that hold a host counter.
  [[nodiscard]] constexpr std::uint64_t backed() const { return backed_; }
  template <class F>
  constexpr void for_each(F&& f) const {
    for (unsigned k : set_bits(backed_))
      f(k);
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
    if ((backed_ & bit(k)) == 0) return 0;
    const std::uint64_t total = perf_->read(slot_[k].handle);
    const std::uint64_t delta = total - slot_[k].seen;
    slot_[k].seen = total;
    return delta;
  }
  // The next host interrupt for slot k comes after `period` events.
  constexpr void rearm(unsigned k, std::uint64_t period) {
    if ((backed_ & bit(k)) == 0) return;
    perf_->set_period(slot_[k].handle, period);
    slot_[k].seen = perf_->read(slot_[k].handle);
  }
  constexpr void drop(unsigned k) {
    if ((backed_ & bit(k)) == 0) return;
    perf_->release(slot_[k].handle);
    slot_[k] = {};
    backed_ &= ~bit(k);
  }
  constexpr void drop_all() {
    for (unsigned k : set_bits(backed_))
      drop(k);
  }
  // Makes slot k count `want` (0: nothing). Nothing happens when it already does; otherwise the
  // old host counter goes and a new one comes, interrupting after `period` events and running
  // at once if the vCPU is loaded. Without a free host counter the slot stays empty: the guest
  // counter does not count (Linux KVM behaves the same).
  constexpr void set(unsigned k, std::uint64_t want, std::uint64_t period) {
    if (want == ((backed_ & bit(k)) != 0 ? slot_[k].selector : 0)) return;
    drop(k);
    if (want == 0) return;
    const auto h = perf_->acquire({want & ~in_use_flag, period});
    if (!h) return;
    slot_[k] = {h.value(), want, perf_->read(h.value())};
    backed_ |= bit(k);
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
    std::uint64_t selector = 0;  // what the host counter was programmed with
    std::uint64_t seen = 0;      // provider count already taken
  };
  constexpr void commit() {
    if constexpr (requires { perf_->commit(); }) perf_->commit();
  }

  Provider* perf_;
  slot slot_[Slots]{};
  std::uint64_t backed_ = 0;
  bool running_ = false;
};

}  // namespace vpmu
