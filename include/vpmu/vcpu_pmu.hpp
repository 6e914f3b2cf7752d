// SPDX-License-Identifier: MIT
// vcpu_pmu<Arch, Policy, Host>: the class a hypervisor instantiates, one per vCPU.
//
//   vcpu_pmu<arch::intel, policy::mediated, x86::hw_access>     Host: a register access backend
//   vcpu_pmu<arch::arm64, policy::partitioned, arm64::hw_access>
//   vcpu_pmu<arch::amd, policy::emulated, MyPerfProvider>       Host: a counter provider
//   vcpu_pmu<arch::arm64, policy::lazy<policy::partitioned>, arm64::hw_access>
//
// `Host` is what the policy runs on: for mediated and partitioned the registers (msr_access /
// sysreg_access: the guest's counters are hardware counters), for emulated the host's counters
// (counter_provider: the guest's counters are backed by host perf events).
//
// Hooks (guest_pmu_policy):
//   trap_config()                what to intercept (MSR passthrough list / MDCR_EL2 + HDFG*TR)
//   load(), put()                around guest execution
//   on_rdmsr/on_wrmsr/on_rdpmc   x86 trapped accesses -> value or #GP
//   on_sysreg(esr, rt_value)     arm64 trapped accesses -> value or UNDEF
//   on_host_overflow()           from the host PMU interrupt -> inject the guest's?
//   irq_pending()                the guest's PMU interrupt line
//   save_state()/restore_state() everything the guest can observe (versioned)
//   on_filter_change()           the VM's event filter object changed: hardware copies follow
#pragma once

#include "vpmu/access/arm64_probe.hpp"
#include "vpmu/access/concepts.hpp"
#include "vpmu/core/traits.hpp"
#include "vpmu/host/counter_provider.hpp"
#include "vpmu/policy/arm64_emulated.hpp"
#include "vpmu/policy/arm64_passthrough.hpp"
#include "vpmu/policy/arm64_program_traps.hpp"
#include "vpmu/policy/guest_pmu_policy.hpp"
#include "vpmu/policy/lazy.hpp"
#include "vpmu/policy/switchable.hpp"
#include "vpmu/policy/tags.hpp"
#include "vpmu/policy/x86_emulated.hpp"
#include "vpmu/policy/x86_mediated.hpp"

namespace vpmu {

// Stands in for the policy when the combination or the Host cannot work, so that the
// static_assert saying why is the only error vpmu reports.
struct unusable_policy {
  template <class... A>
  constexpr explicit unusable_policy(A&&...) {}
};

// The policy class of each combination (vcpu_pmu_base below handles those that are not one).
template <class Arch, class Policy, class Host>
struct policy_implementation;
template <class Arch, class Host>
requires meta::is_same_v<Arch, arch::intel> || meta::is_same_v<Arch, arch::amd>
struct policy_implementation<Arch, policy::mediated, Host> {
  using type = x86_mediated<Arch, Host>;
};
template <class Arch, class Host>
requires meta::is_same_v<Arch, arch::intel> || meta::is_same_v<Arch, arch::amd>
struct policy_implementation<Arch, policy::emulated, Host> {
  using type = x86_emulated<Arch, Host>;
};
// arm64 mediated: the guest owns all N counters (HPMN = N); partitioned: HPMN = its counters.
template <class Host>
struct policy_implementation<arch::arm64, policy::mediated, Host> {
  using type = arm64_passthrough<Host>;
};
template <class Host>
struct policy_implementation<arch::arm64, policy::partitioned, Host> {
  using type = arm64_passthrough<Host>;
};
template <class Host>
struct policy_implementation<arch::arm64, policy::emulated, Host> {
  using type = arm64_emulated<Host>;
};
template <class Arch, class P, class Host>
struct policy_implementation<Arch, policy::lazy<P>, Host> {
  using type = lazy_policy<typename policy_implementation<Arch, P, Host>::type>;
};

// What `Host` must be for a combination: the x86 or arm64 register backend when the guest's
// counters are hardware counters (mediated, partitioned), a counter provider when host
// counters back them (emulated).
enum class host_kind { none, msr_registers, sysreg_registers, counters };
template <class Arch, class Policy>
inline constexpr host_kind needed_host = host_kind::none;  // not a combination: said elsewhere
template <>
inline constexpr host_kind needed_host<arch::intel, policy::mediated> = host_kind::msr_registers;
template <>
inline constexpr host_kind needed_host<arch::amd, policy::mediated> = host_kind::msr_registers;
template <>
inline constexpr host_kind needed_host<arch::arm64, policy::mediated> = host_kind::sysreg_registers;
template <>
inline constexpr host_kind needed_host<arch::arm64, policy::partitioned> =
    host_kind::sysreg_registers;
template <class Arch>
inline constexpr host_kind needed_host<Arch, policy::emulated> = host_kind::counters;
template <class Arch, class P>
inline constexpr host_kind needed_host<Arch, policy::lazy<P>> = needed_host<Arch, P>;

template <host_kind K, class Host>
constexpr bool host_fits() {
  if constexpr (K == host_kind::msr_registers) return msr_access<Host>;
  if constexpr (K == host_kind::sysreg_registers) return sysreg_access<Host>;
  if constexpr (K == host_kind::counters) return counter_provider<Host>;
  return true;
}
template <host_kind K, class Host>
constexpr bool check_host() {
  if constexpr (K == host_kind::msr_registers) return check_msr_access<Host>();
  if constexpr (K == host_kind::sysreg_registers) return check_sysreg_access<Host>();
  if constexpr (K == host_kind::counters) return check_counter_provider<Host>();
  return true;
}

enum class combination { usable, not_a_combination, host_unfit };
template <class Arch, class Policy, class Host>
constexpr combination classify_combination() {
  if constexpr (needed_host<Arch, Policy> == host_kind::none) return combination::not_a_combination;
  if constexpr (!host_fits<needed_host<Arch, Policy>, Host>()) return combination::host_unfit;
  return combination::usable;
}

template <class Arch, class Policy, class Host,
          combination C = classify_combination<Arch, Policy, Host>()>
struct vcpu_pmu_base {
  using type = typename policy_implementation<Arch, Policy, Host>::type;
};
// (The static_asserts sit in functions: a class whose own static_assert fails loses its members
// in Clang, and `type` would then be one more error.)
template <class Arch>
constexpr bool report_not_a_combination() {
  static_assert(sizeof(Arch) == 0,
                "vpmu::vcpu_pmu: no such combination (policy::partitioned needs MDCR_EL2.HPMN, "
                "i.e. arch::arm64; check the architecture and policy tags)");
  return true;
}
template <class Arch, class Policy, class Host>
struct vcpu_pmu_base<Arch, Policy, Host, combination::not_a_combination> {
  static_assert(report_not_a_combination<Arch>());
  using type = unusable_policy;
};
template <class Arch, class Policy, class Host>
struct vcpu_pmu_base<Arch, Policy, Host, combination::host_unfit> {
  static_assert(check_host<needed_host<Arch, Policy>, Host>());  // names the missing member
  using type = unusable_policy;
};

template <class Base>
constexpr bool check_base() {
  if constexpr (meta::is_same_v<Base, unusable_policy>) {
    return true;
  } else {
    return check_guest_pmu_policy<Base>();
  }
}

template <class Arch, class Policy, class Host>
class vcpu_pmu : public vcpu_pmu_base<Arch, Policy, Host>::type {
  using base = typename vcpu_pmu_base<Arch, Policy, Host>::type;
  static_assert(check_base<base>());

 public:
  using arch_type = Arch;
  using policy_type = Policy;
  using base::base;
};

}  // namespace vpmu
