// SPDX-License-Identifier: MIT
// What an EL2 host does for the running vCPU, shared by the stub's scenarios and the
// kvm-unit-tests host, over hardware (Regs = arm64::hw_access) and the simulator alike.
#pragma once

#include <cstdint>

#include <vpmu/vpmu.hpp>

namespace el2_stub {

namespace a64 = vpmu::arm64;

// The guest's PMU interrupt as the hypervisor sees it: rising edges are what it would inject.
struct irq_line {
  bool high = false;
  unsigned raised = 0;
  constexpr void sample(bool pending) {
    if (pending && !high) ++raised;
    high = pending;
  }
};

// What the hypervisor does for the running vCPU, the same over hardware (Regs =
// arm64::hw_access) and the simulator: program EL2 from the policy's trap_config() whenever its
// generation changes, answer traps, and follow the guest's interrupt line.
template <class Pmu, class Regs>
struct vcpu_runner {
  Pmu& pmu;
  Regs& regs;
  unsigned host_counter;  // the host's own counter: HPMN never goes above it
  const a64::pmu_caps& caps;
  std::uint64_t extra_mdcr = 0;  // the deviations scenario adds MDCR_EL2.TPMCR
  std::uint32_t applied = ~0U;
  unsigned traps = 0;
  irq_line line{};

  void apply_traps() {
    vpmu::arm64_trap_config t = pmu.trap_config();
    if (t.generation == applied) return;
    applied = t.generation;
    using md = a64::mdcr_el2;
    // The emulated policy leaves HPMN = N (it traps everything, so HPMN does not partition
    // anything for it); the host's counter stays in [HPMN, N) regardless.
    if (md::hpmn.extract(t.mdcr_el2) > host_counter) {
      t.mdcr_el2 = (t.mdcr_el2 & ~md::hpmn.mask) | (std::uint64_t{host_counter} << md::hpmn.lsb);
    }
    // No FEAT_FGT on QEMU 7.2: program_traps skips the FGT registers, and the policies use
    // their documented fallbacks.
    vpmu::program_traps(regs, t, caps, nullptr, md::hpme.mask | extra_mdcr);
    // Trapped vCPUs leave PMCR_EL0 to the host, whose lent counters below HPMN need E.
    if (t.neutral_el0_state) regs.template write<a64::pmcr_el0>(a64::pmcr_el0::e.mask);
  }
  void enter() {
    apply_traps();
    pmu.load();
  }
  void exit() { pmu.put(); }
  // from_el0: the access came from the guest's EL0 (SPSR_EL2.M[3:2] = 0).
  vpmu::sysreg_result on_trap(std::uint64_t esr, std::uint64_t rt_value, bool from_el0 = false) {
    ++traps;
    const vpmu::sysreg_result r = pmu.on_sysreg(esr, rt_value, from_el0);
    apply_traps();  // lazy<P> changes regime on its first trap
    line.sample(pmu.irq_pending());
    return r;
  }
  void on_pmu_interrupt() { line.sample(pmu.on_host_overflow()); }
};

}  // namespace el2_stub
