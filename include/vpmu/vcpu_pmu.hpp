// SPDX-License-Identifier: MIT
// vcpu_pmu<Arch, Policy, Backend>: the class a hypervisor instantiates, one per vCPU.
//
//   vcpu_pmu<arch::intel, policy::mediated, x86::hw_access>          Backend: register access
//   vcpu_pmu<arch::arm64, policy::partitioned, arm64::hw_access>
//   vcpu_pmu<arch::amd, policy::emulated, MyPerfProvider>            Backend: counter provider
//   vcpu_pmu<arch::arm64, policy::lazy<policy::partitioned>, arm64::hw_access>
//
// Hooks (the data flow of DESIGN.md):
//   trap_config()                what to intercept (MSR passthrough list / MDCR_EL2 + HDFG*TR)
//   load(), put()                around guest execution
//   on_rdmsr/on_wrmsr/on_rdpmc   x86 trapped accesses -> value or #GP
//   on_sysreg(esr, rt_value)     arm64 trapped accesses -> value or UNDEF
//   on_host_overflow()           from the host PMU interrupt -> inject the guest's?
//   pending_irq()                the guest's PMU interrupt line
//   save_state()/restore_state() everything the guest can observe (versioned)
#pragma once

#include <type_traits>

#include "vpmu/policy/arm64_direct.hpp"
#include "vpmu/policy/arm64_emulated.hpp"
#include "vpmu/policy/arm64_program_traps.hpp"
#include "vpmu/policy/lazy.hpp"
#include "vpmu/policy/switchable.hpp"
#include "vpmu/policy/tags.hpp"
#include "vpmu/policy/x86_emulated.hpp"
#include "vpmu/policy/x86_mediated.hpp"

namespace vpmu {

template <class Arch, class Policy, class Backend>
struct policy_implementation {
  static_assert(sizeof(Arch) == 0,
                "vpmu::vcpu_pmu: no such combination (policy::partitioned needs MDCR_EL2.HPMN, "
                "i.e. arch::arm64; check the architecture and policy tags)");
  using type = void;
};
template <class Arch, class B>
requires std::is_same_v<Arch, arch::intel> || std::is_same_v<Arch, arch::amd>
struct policy_implementation<Arch, policy::mediated, B> {
  using type = x86_mediated<Arch, B>;
};
template <class Arch, class B>
requires std::is_same_v<Arch, arch::intel> || std::is_same_v<Arch, arch::amd>
struct policy_implementation<Arch, policy::emulated, B> {
  using type = x86_emulated<Arch, B>;
};
// arm64 mediated: the guest owns all N counters (HPMN = N); partitioned: HPMN = its counters.
template <class B>
struct policy_implementation<arch::arm64, policy::mediated, B> {
  using type = arm64_direct<B>;
};
template <class B>
struct policy_implementation<arch::arm64, policy::partitioned, B> {
  using type = arm64_direct<B>;
};
template <class B>
struct policy_implementation<arch::arm64, policy::emulated, B> {
  using type = arm64_emulated<B>;
};
template <class Arch, class P, class B>
struct policy_implementation<Arch, policy::lazy<P>, B> {
  using type = lazy_policy<typename policy_implementation<Arch, P, B>::type>;
};

template <class Arch, class Policy, class Backend>
class vcpu_pmu : public policy_implementation<Arch, Policy, Backend>::type {
  using base = typename policy_implementation<Arch, Policy, Backend>::type;

 public:
  using arch_type = Arch;
  using policy_type = Policy;
  using base::base;
};

}  // namespace vpmu
