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

#include "vpmu/core/traits.hpp"
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

template <class Arch, class Policy, class Host>
struct policy_implementation {
  static_assert(sizeof(Arch) == 0,
                "vpmu::vcpu_pmu: no such combination (policy::partitioned needs MDCR_EL2.HPMN, "
                "i.e. arch::arm64; check the architecture and policy tags)");
  using type = void;
};
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

template <class Arch, class Policy, class Host>
class vcpu_pmu : public policy_implementation<Arch, Policy, Host>::type {
  using base = typename policy_implementation<Arch, Policy, Host>::type;
  static_assert(check_guest_pmu_policy<base>());

 public:
  using arch_type = Arch;
  using policy_type = Policy;
  using base::base;
};

}  // namespace vpmu
