// SPDX-License-Identifier: MIT
// Moving a running vCPU between two policies, e.g. mediated -> emulated while the host wants to
// profile its guests, and back. Linux KVM cannot: its mediated PMU is fixed per KVM instance.
//
// switchable<A, B> holds a vCPU's PMU under both policies and forwards every hook to the active
// one; switch_to() moves the guest-visible state with save_state()/restore_state(), so the guest
// sees no difference beyond counts. The trap configuration changes with the policy
// (trap_config().generation tells the hypervisor).
#pragma once

#include <cstdint>

#include "vpmu/core/result.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

template <class A, class B>
class switchable {
  static_assert(meta::is_same_v<typename A::state_type, typename B::state_type>,
                "vpmu::switchable: both policies must save the same state (same architecture)");

 public:
  using state_type = typename A::state_type;
  template <class = void>
  using first_type = A;
  template <class = void>
  using second_type = B;

  constexpr switchable(A a, B b) : a_(a), b_(b) {}

  [[nodiscard]] constexpr unsigned active() const { return active_; }

  // Makes policy `which` (0: A, 1: B) the active one, carrying the guest's PMU state over.
  constexpr result<bool> switch_to(unsigned which) {
    if (which == active_) return true;
    const bool was_running = running_;
    if (was_running) put();
    result<bool> r = true;
    if (active_ == 0) {
      r = move(a_, b_);
    } else {
      r = move(b_, a_);
    }
    if (!r) return r;
    active_ = which;
    ++generation_;
    if (was_running) load();
    return true;
  }

  [[nodiscard]] constexpr auto trap_config() const {
    auto t = active_ == 0 ? a_.trap_config() : b_.trap_config();
    t.generation = t.generation * 16 + generation_;  // changes with either
    return t;
  }
  constexpr void load() {
    running_ = true;
    with([](auto& p) { p.load(); });
  }
  constexpr void put() {
    running_ = false;
    with([](auto& p) { p.put(); });
  }
  constexpr auto on_rdmsr(std::uint32_t index) requires requires(A& a) { a.on_rdmsr(index); }
  { return active_ == 0 ? a_.on_rdmsr(index) : b_.on_rdmsr(index); }
  constexpr auto on_wrmsr(std::uint32_t index, std::uint64_t value) requires requires(A& a) {
    a.on_wrmsr(index, value);
  }
  { return active_ == 0 ? a_.on_wrmsr(index, value) : b_.on_wrmsr(index, value); }
  constexpr auto on_rdpmc(std::uint32_t selector) requires requires(A& a) { a.on_rdpmc(selector); }
  { return active_ == 0 ? a_.on_rdpmc(selector) : b_.on_rdpmc(selector); }
  constexpr auto on_sysreg(std::uint64_t esr, std::uint64_t rt_value,
                           bool from_el0 = false) requires requires(A& a) {
    a.on_sysreg(esr, rt_value, from_el0);
  }
  {
    return active_ == 0 ? a_.on_sysreg(esr, rt_value, from_el0)
                        : b_.on_sysreg(esr, rt_value, from_el0);
  }
  constexpr bool on_host_overflow() {
    return active_ == 0 ? a_.on_host_overflow() : b_.on_host_overflow();
  }
  [[nodiscard]] constexpr bool irq_pending() {
    return active_ == 0 ? a_.irq_pending() : b_.irq_pending();
  }
  constexpr void irq_delivered() requires requires(A& a, B& b) {
    a.irq_delivered();
    b.irq_delivered();
  }
  {
    with([](auto& p) { p.irq_delivered(); });
  }
  constexpr void on_filter_change() {
    a_.on_filter_change();
    b_.on_filter_change();
  }
  [[nodiscard]] constexpr bool counting() const {
    return active_ == 0 ? a_.counting() : b_.counting();
  }
  [[nodiscard]] constexpr bool loaded() const { return running_; }
  [[nodiscard]] constexpr state_type save_state() {
    return active_ == 0 ? a_.save_state() : b_.save_state();
  }
  constexpr result<bool> restore_state(const state_type& s) {
    return active_ == 0 ? a_.restore_state(s) : b_.restore_state(s);
  }
  [[nodiscard]] constexpr std::uint64_t entry_global_ctrl() const requires
      requires(const A& a, const B& b) {
    a.entry_global_ctrl();
    b.entry_global_ctrl();
  }
  { return active_ == 0 ? a_.entry_global_ctrl() : b_.entry_global_ctrl(); }

 private:
  template <class F>
  constexpr void with(F&& f) {
    if (active_ == 0) {
      f(a_);
    } else {
      f(b_);
    }
  }
  // The state leaves `from` (which gives up any host resources it held, if it has any) and
  // enters `to`.
  template <class From, class To>
  static constexpr result<bool> move(From& from, To& to) {
    const state_type s = from.save_state();
    if constexpr (requires { from.detach(); }) from.detach();
    return to.restore_state(s);
  }

  A a_;
  B b_;
  unsigned active_ = 0;
  bool running_ = false;
  std::uint32_t generation_ = 0;
};

}  // namespace vpmu
