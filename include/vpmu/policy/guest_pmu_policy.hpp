// SPDX-License-Identifier: MIT
// What every policy provides, so vcpu_pmu (and a hypervisor's own policy) can be checked at
// compile time. Constness is uniform: trap_config(), loaded(), counting() and
// entry_global_ctrl() observe only; irq_pending() may read hardware (a passthrough policy's
// interrupt state lives in the PMU while loaded), so it is not const. The hooks are the data flow
// of docs/design.md: trap configuration, load/put around guest execution, trapped accesses in, the
// interrupt line out, and the saved state.
#pragma once

#include <cstdint>

#include "vpmu/core/result.hpp"
#include "vpmu/core/traits.hpp"
#include "vpmu/model/x86_access.hpp"
#include "vpmu/policy/arm64_config.hpp"

namespace vpmu {

template <class P>
concept guest_pmu_policy = requires(P& p, const P& cp, const typename P::state_type& s) {
  cp.trap_config();
  p.load();
  p.put();
  { cp.loaded() } -> meta::same_as<bool>;
  { p.on_host_overflow() } -> meta::same_as<bool>;
  { p.irq_pending() } -> meta::same_as<bool>;
  { p.save_state() } -> meta::same_as<typename P::state_type>;
  { p.restore_state(s) } -> meta::same_as<result<bool>>;
  { cp.counting() } -> meta::same_as<bool>;
  p.on_filter_change();
};

// x86: trapped RDMSR/WRMSR/RDPMC, the PMI's delivery, and the VMCS GLOBAL_CTRL value.
template <class P>
concept x86_guest_pmu_policy = guest_pmu_policy<P> &&
    requires(P& p, const P& cp, std::uint32_t index, std::uint64_t v) {
  { p.on_rdmsr(index) } -> meta::same_as<msr_result>;
  { p.on_wrmsr(index, v) } -> meta::same_as<msr_result>;
  { p.on_rdpmc(index) } -> meta::same_as<msr_result>;
  p.irq_delivered();
  { cp.entry_global_ctrl() } -> meta::same_as<std::uint64_t>;
};

// arm64: trapped MRS/MSR.
template <class P>
concept arm64_guest_pmu_policy = guest_pmu_policy<P> &&
    requires(P& p, std::uint64_t esr, std::uint64_t v, bool el0) {
  { p.on_sysreg(esr, v, el0) } -> meta::same_as<sysreg_result>;
};

// One static_assert per hook, so a policy that lacks one is told which.
template <class P>
constexpr bool check_guest_pmu_policy() {
  static_assert(
      requires { typename P::state_type; }, "vpmu policy: no state_type");
  static_assert(
      requires(const P& p) { p.trap_config(); }, "vpmu policy: no trap_config()");
  static_assert(
      requires(P & p) { p.load(); }, "vpmu policy: no load()");
  static_assert(
      requires(P & p) { p.put(); }, "vpmu policy: no put()");
  static_assert(
      requires(const P& p) {
        { p.loaded() } -> meta::same_as<bool>;
      },
      "vpmu policy: no `bool loaded() const`");
  static_assert(
      requires(P & p) {
        { p.on_host_overflow() } -> meta::same_as<bool>;
      },
      "vpmu policy: no `bool on_host_overflow()`");
  static_assert(
      requires(P & p) {
        { p.irq_pending() } -> meta::same_as<bool>;
      },
      "vpmu policy: no `bool irq_pending()`");
  static_assert(
      requires(P & p) {
        { p.save_state() } -> meta::same_as<typename P::state_type>;
      },
      "vpmu policy: no `state_type save_state()`");
  static_assert(
      requires(P & p, const typename P::state_type& s) {
        { p.restore_state(s) } -> meta::same_as<result<bool>>;
      },
      "vpmu policy: no `result<bool> restore_state(const state_type&)`");
  static_assert(
      requires(const P& p) {
        { p.counting() } -> meta::same_as<bool>;
      },
      "vpmu policy: no `bool counting() const`");
  return true;
}

}  // namespace vpmu
