// SPDX-License-Identifier: MIT
// The register sequences Linux KVM performs for the same jobs, each labelled with the code it
// follows: Linux 7.0's mediated vPMU load/put (arch/x86/kvm/pmu.c kvm_mediated_pmu_load/put,
// vmx/pmu_intel.c and svm/pmu.c), and two versions of the KVM/arm64 Partitioned-PMU series
// (arch/arm64/kvm/pmu-direct.c kvm_pmu_load/kvm_pmu_put, with the PMEVTYPER rewrite of "Enforce
// PMU event filter at vcpu_load()"): v4/v5 (2025-07 / 2025-12) and v7 (2026-05). Both arm64
// versions are lazy: nothing is switched until the guest owns its PMU registers. They run on the
// same simulator, through the same access path (vpmu::read_register/write_register and the
// family helpers) as vpmu's policies, so accesses and time compare directly.
#pragma once

#include <cstdint>

#include "vpmu/access/concepts.hpp"
#include "vpmu/arch/arm64.hpp"

namespace bench {

// The guest PMU state KVM keeps per vCPU (what its load writes and its put reads back).
struct kvm_x86_state {
  unsigned gp = 0, fixed = 0;
  std::uint64_t pmc[8] = {}, eventsel_hw[8] = {}, fixed_ctr[4] = {};
  std::uint64_t fixed_ctr_ctrl_hw = 0, global_status = 0, global_ctrl = 0;
};

// kvm_mediated_pmu_load + intel vendor load.
template <class A>
void kvm_intel_load(A& hw, kvm_x86_state& s) {
  hw.wrmsr(0x38f, 0);  // GLOBAL_CTRL = 0 (host quiesced)
  for (unsigned i = 0; i < s.gp; ++i) {
    if (s.pmc[i] != hw.rdpmc(i)) hw.wrmsr(0x4c1 + i, s.pmc[i]);  // write only if different
    hw.wrmsr(0x186 + i, s.eventsel_hw[i]);                       // always
  }
  for (unsigned i = 0; i < s.fixed; ++i) {
    if (s.fixed_ctr[i] != hw.rdpmc((1U << 30) | i)) hw.wrmsr(0x309 + i, s.fixed_ctr[i]);
  }
  const std::uint64_t status = hw.rdmsr(0x38e);
  const std::uint64_t toggle = s.global_status ^ status;
  if ((status & toggle) != 0) hw.wrmsr(0x390, status & toggle);
  if ((s.global_status & toggle) != 0) hw.wrmsr(0x391, s.global_status & toggle);
  hw.wrmsr(0x38d, s.fixed_ctr_ctrl_hw);
}

// intel vendor put + kvm_mediated_pmu_put (GLOBAL_CTRL was zeroed by VM-exit).
template <class A>
void kvm_intel_put(A& hw, kvm_x86_state& s) {
  s.global_status = hw.rdmsr(0x38e);
  if (s.global_status != 0) hw.wrmsr(0x390, s.global_status);
  if (s.fixed_ctr_ctrl_hw != 0) hw.wrmsr(0x38d, 0);
  for (unsigned i = 0; i < s.gp; ++i) {
    s.pmc[i] = hw.rdpmc(i);
    if (s.pmc[i] != 0) hw.wrmsr(0x4c1 + i, 0);
    if (s.eventsel_hw[i] != 0) hw.wrmsr(0x186 + i, 0);
  }
  for (unsigned i = 0; i < s.fixed; ++i) {
    s.fixed_ctr[i] = hw.rdpmc((1U << 30) | i);
    if (s.fixed_ctr[i] != 0) hw.wrmsr(0x309 + i, 0);
  }
}

// kvm_mediated_pmu_load (which first zeroes the vendor's global control: for AMD
// MSR_AMD64_PERF_CNTR_GLOBAL_CTL) + the AMD vendor load.
template <class A>
void kvm_amd_load(A& hw, kvm_x86_state& s) {
  hw.wrmsr(0xc000'0301, 0);  // GLOBAL_CTL = 0 (host quiesced)
  for (unsigned i = 0; i < s.gp; ++i) {
    if (s.pmc[i] != hw.rdpmc(i)) hw.wrmsr(0xc001'0201 + 2 * i, s.pmc[i]);
    hw.wrmsr(0xc001'0200 + 2 * i, s.eventsel_hw[i]);
  }
  const std::uint64_t status = hw.rdmsr(0xc000'0300);
  if (status != 0) hw.wrmsr(0xc000'0302, status);
  hw.wrmsr(0xc000'0303, s.global_status);
  hw.wrmsr(0xc000'0301, s.global_ctrl);
}

template <class A>
void kvm_amd_put(A& hw, kvm_x86_state& s) {
  hw.wrmsr(0xc000'0301, 0);
  s.global_status = hw.rdmsr(0xc000'0300);
  if (s.global_status != 0) hw.wrmsr(0xc000'0302, s.global_status);
  for (unsigned i = 0; i < s.gp; ++i) {
    s.pmc[i] = hw.rdpmc(i);
    if (s.pmc[i] != 0) hw.wrmsr(0xc001'0201 + 2 * i, 0);
    if (s.eventsel_hw[i] != 0) hw.wrmsr(0xc001'0200 + 2 * i, 0);
  }
}

struct kvm_arm_state {
  unsigned hpmn = 0;
  bool guest_owned = false;  // the guest has touched its PMU (the series' lazy switch)
  std::uint64_t evcntr[31] = {}, evtyper[31] = {};
  std::uint64_t ccntr = 0, ccfiltr = 0, pmuserenr = 0, pmselr = 0, pmcr = 0, cnten = 0, inten = 0;
  [[nodiscard]] std::uint64_t mask() const { return vpmu::low_mask(hpmn) | (1ULL << 31); }
};

// v4/v5: kvm_pmu_load() (v4 16/23, v5 "Context swap Partitioned PMU guest registers") returns
// unless the vCPU uses the partition (kvm_vcpu_pmu_use_fgt()), then writes the counters, PMCCNTR,
// PMUSERENR, PMSELR, PMCR and the enable pairs; "Enforce PMU event filter at vcpu_load()" then
// rewrites every PMEVTYPER and PMCCFILTR.
template <class A>
void kvm_arm_v5_load(A& hw, kvm_arm_state& s) {
  using namespace vpmu::arm64;
  if (!s.guest_owned) return;
  for (unsigned n = 0; n < s.hpmn; ++n)
    vpmu::write_pmevcntr(hw, n, s.evcntr[n]);
  vpmu::write_register<pmccntr_el0>(hw, s.ccntr);
  vpmu::write_register<pmuserenr_el0>(hw, s.pmuserenr);
  vpmu::write_register<pmselr_el0>(hw, s.pmselr);
  vpmu::write_register<pmcr_el0>(hw, s.pmcr);
  vpmu::write_register<pmcntenset_el0>(hw, s.cnten & s.mask());
  vpmu::write_register<pmcntenclr_el0>(hw, ~s.cnten & s.mask());
  vpmu::write_register<pmintenset_el1>(hw, s.inten & s.mask());
  vpmu::write_register<pmintenclr_el1>(hw, ~s.inten & s.mask());
  for (unsigned n = 0; n < s.hpmn; ++n)
    vpmu::write_pmevtyper(hw, n, s.evtyper[n]);
  vpmu::write_register<pmccfiltr_el0>(hw, s.ccfiltr);
}

// v4/v5 kvm_pmu_put(): the same registers read back, in the same order.
template <class A>
void kvm_arm_v5_put(A& hw, kvm_arm_state& s) {
  using namespace vpmu::arm64;
  if (!s.guest_owned) return;
  for (unsigned n = 0; n < s.hpmn; ++n)
    s.evcntr[n] = vpmu::read_pmevcntr(hw, n);
  s.ccntr = vpmu::read_register<pmccntr_el0>(hw);
  s.pmuserenr = vpmu::read_register<pmuserenr_el0>(hw);
  s.pmselr = vpmu::read_register<pmselr_el0>(hw);
  s.pmcr = vpmu::read_register<pmcr_el0>(hw);
  s.cnten = vpmu::read_register<pmcntenset_el0>(hw) & s.mask();
  s.inten = vpmu::read_register<pmintenset_el1>(hw) & s.mask();
}

// v7 kvm_pmu_load() (10/20, made lazy by 14/20 "Implement lazy PMU context swaps"): each guest
// counter through PMSELR + PMXEVCNTR, PMCCNTR directly (PMXEVCNTR cannot reach it), the guest's
// PMSELR, PMCR, a PMOVSCLR of the guest range (the virtual PMOVS is canonical), the enable
// pairs; then 11/20 writes each PMEVTYPER through PMSELR + PMXEVTYPER, and PMCCFILTR.
template <class A>
void kvm_arm_v7_load(A& hw, kvm_arm_state& s) {
  using namespace vpmu::arm64;
  if (!s.guest_owned) return;
  for (unsigned n = 0; n < s.hpmn; ++n) {
    vpmu::write_register<pmselr_el0>(hw, n);
    vpmu::write_register<pmxevcntr_el0>(hw, s.evcntr[n]);
  }
  vpmu::write_register<pmccntr_el0>(hw, s.ccntr);
  vpmu::write_register<pmselr_el0>(hw, s.pmselr);
  vpmu::write_register<pmcr_el0>(hw, s.pmcr);
  vpmu::write_register<pmovsclr_el0>(hw, s.mask());
  vpmu::write_register<pmcntenset_el0>(hw, s.cnten & s.mask());
  vpmu::write_register<pmcntenclr_el0>(hw, ~s.cnten & s.mask());
  vpmu::write_register<pmintenset_el1>(hw, s.inten & s.mask());
  vpmu::write_register<pmintenclr_el1>(hw, ~s.inten & s.mask());
  for (unsigned n = 0; n < s.hpmn; ++n) {
    vpmu::write_register<pmselr_el0>(hw, n);
    vpmu::write_register<pmxevtyper_el0>(hw, s.evtyper[n]);
  }
  vpmu::write_register<pmccfiltr_el0>(hw, s.ccfiltr);
}

// v7 kvm_pmu_put(): the counters back through PMSELR + PMXEVCNTR, PMCCNTR, PMSELR, PMCR, the
// enables.
template <class A>
void kvm_arm_v7_put(A& hw, kvm_arm_state& s) {
  using namespace vpmu::arm64;
  if (!s.guest_owned) return;
  for (unsigned n = 0; n < s.hpmn; ++n) {
    vpmu::write_register<pmselr_el0>(hw, n);
    s.evcntr[n] = vpmu::read_register<pmxevcntr_el0>(hw);
  }
  s.ccntr = vpmu::read_register<pmccntr_el0>(hw);
  s.pmselr = vpmu::read_register<pmselr_el0>(hw);
  s.pmcr = vpmu::read_register<pmcr_el0>(hw);
  s.cnten = vpmu::read_register<pmcntenset_el0>(hw) & s.mask();
  s.inten = vpmu::read_register<pmintenset_el1>(hw) & s.mask();
}

}  // namespace bench
