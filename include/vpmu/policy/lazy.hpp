// SPDX-License-Identifier: MIT
// lazy<P>: until the guest first touches its PMU, nothing is switched and every PMU access traps;
// the first trapped access switches to P's regime (P loads at once if the vCPU is running).
// Optionally, after the guest has had every counter disabled for `idle_puts` consecutive put()s,
// it returns to the trapped regime (P's state stays in its model, nothing is lost).
//
// An idle guest therefore costs 0 register accesses per load()+put().
#pragma once

#include <cstdint>

#include "vpmu/core/traits.hpp"
#include "vpmu/policy/arm64_config.hpp"
#include "vpmu/policy/x86_traps.hpp"

namespace vpmu {

template <class P>
class lazy_policy {
 public:
  using state_type = typename P::state_type;
  using trap_config_type = meta::remove_cvref_t<decltype(meta::declval<const P&>().trap_config())>;

  template <class... Args>
  requires(sizeof...(Args) >= 2 &&
           meta::is_constructible_v<P, Args...>) constexpr lazy_policy(Args&&... args)
      : inner_(static_cast<Args&&>(args)...) {}

  // Fall back to trapping after this many consecutive put()s with every counter disabled
  // (0: never fall back).
  constexpr void set_idle_puts(unsigned n) { idle_limit_ = n; }
  [[nodiscard]] constexpr bool active() const { return active_; }
  [[nodiscard]] constexpr bool loaded() const { return running_; }

  [[nodiscard]] constexpr trap_config_type trap_config() const {
    trap_config_type t = inner_.trap_config();
    // The generation changes whenever P's own configuration or the regime does: both counts only
    // grow, so their sum does too (a hypervisor refreshes its trap state when it differs).
    const std::uint32_t generation = t.generation + generation_;
    if (!active_) {
      if constexpr (requires { t.mdcr_el2; }) {
        t = trap_everything(t.mdcr_el2, generation);
      } else {
        t = {};  // every PMU MSR intercepted, RDPMC exits
      }
    }
    t.generation = generation;
    return t;
  }

  constexpr void load() {
    running_ = true;
    if (active_) inner_.load();
  }
  constexpr void put() {
    running_ = false;
    if (!active_) return;
    inner_.put();
    if (idle_limit_ == 0) return;
    idle_puts_ = inner_.counting() ? 0 : idle_puts_ + 1;
    if (idle_puts_ >= idle_limit_) {
      active_ = false;
      idle_puts_ = 0;
      ++generation_;
    }
  }

  // Trapped accesses: the first one activates P.
  constexpr auto on_rdmsr(std::uint32_t index) requires requires(P& p) { p.on_rdmsr(index); }
  {
    activate();
    return inner_.on_rdmsr(index);
  }
  constexpr auto on_wrmsr(std::uint32_t index, std::uint64_t value) requires requires(P& p) {
    p.on_wrmsr(index, value);
  }
  {
    activate();
    return inner_.on_wrmsr(index, value);
  }
  constexpr auto on_rdpmc(std::uint32_t selector) requires requires(P& p) { p.on_rdpmc(selector); }
  {
    activate();
    return inner_.on_rdpmc(selector);
  }
  constexpr auto on_sysreg(std::uint64_t esr, std::uint64_t rt_value,
                           bool from_el0 = false) requires requires(P& p) {
    p.on_sysreg(esr, rt_value, from_el0);
  }
  {
    activate();
    return inner_.on_sysreg(esr, rt_value, from_el0);
  }

  constexpr void on_filter_change() { inner_.on_filter_change(); }
  constexpr bool on_host_overflow() { return active_ ? inner_.on_host_overflow() : false; }
  [[nodiscard]] constexpr bool irq_pending() { return inner_.irq_pending(); }
  constexpr void irq_delivered() requires requires(P& p) { p.irq_delivered(); }
  { inner_.irq_delivered(); }
  [[nodiscard]] constexpr state_type save_state() { return inner_.save_state(); }
  // A restored state that counts needs P's regime now (trapping, nothing would count it).
  constexpr auto restore_state(const state_type& s) {
    auto r = inner_.restore_state(s);
    if (r.has_value() && inner_.counting()) activate();
    return r;
  }
  [[nodiscard]] constexpr bool counting() const { return inner_.counting(); }
  [[nodiscard]] constexpr std::uint64_t entry_global_ctrl() const requires requires(const P& p) {
    p.entry_global_ctrl();
  }
  { return active_ ? inner_.entry_global_ctrl() : 0; }

 private:
  constexpr void activate() {
    if (active_) return;
    active_ = true;
    idle_puts_ = 0;
    ++generation_;
    if (running_) inner_.load();
  }

  P inner_;
  bool active_ = false;
  bool running_ = false;
  unsigned idle_limit_ = 0;
  unsigned idle_puts_ = 0;
  std::uint32_t generation_ = 1;
};

}  // namespace vpmu
