// SPDX-License-Identifier: MIT
// The register sequences Linux KVM performs for the same jobs, written from Linux 7.0's
// mediated vPMU load/put (arch/x86/kvm/pmu.c kvm_mediated_pmu_load/put, vmx/pmu_intel.c and
// svm/pmu.c) and the KVM/arm64 Partitioned-PMU series (arch/arm64/kvm/pmu-direct.c load/put,
// including the PMEVTYPER rewrite on load). They run on the same simulator and counting backend as
// vpmu, so accesses and time compare directly.
#pragma once

#include <cstdint>

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
  std::uint64_t evcntr[31] = {}, evtyper[31] = {};
  std::uint64_t ccntr = 0, ccfiltr = 0, pmuserenr = 0, pmselr = 0, pmcr = 0, cnten = 0, inten = 0;
  [[nodiscard]] std::uint64_t mask() const { return vpmu::low_mask(hpmn) | (1ULL << 31); }
};

// kvm_vcpu_pmu_restore_guest (v1 13/17) + the v2 "enforce the event filter at vcpu_load()".
template <class A>
void kvm_arm_load(A& hw, kvm_arm_state& s) {
  using namespace vpmu::arm64;
  for (unsigned n = 0; n < s.hpmn; ++n)
    hw.write(pmevcntr_encoding_unchecked(n), s.evcntr[n]);
  hw.write(pmccntr_el0::encoding, s.ccntr);
  hw.write(pmuserenr_el0::encoding, s.pmuserenr);
  hw.write(pmselr_el0::encoding, s.pmselr);
  hw.write(pmcr_el0::encoding, s.pmcr);
  hw.write(pmcntenset_el0::encoding, s.cnten & s.mask());
  hw.write(pmcntenclr_el0::encoding, ~s.cnten & s.mask());
  hw.write(pmintenset_el1::encoding, s.inten & s.mask());
  hw.write(pmintenclr_el1::encoding, ~s.inten & s.mask());
  for (unsigned n = 0; n < s.hpmn; ++n)
    hw.write(pmevtyper_encoding_unchecked(n), s.evtyper[n]);
  hw.write(pmccfiltr_el0::encoding, s.ccfiltr);
}

// kvm_vcpu_pmu_restore_host: the same registers read back, in the same order.
template <class A>
void kvm_arm_put(A& hw, kvm_arm_state& s) {
  using namespace vpmu::arm64;
  for (unsigned n = 0; n < s.hpmn; ++n)
    s.evcntr[n] = hw.read(pmevcntr_encoding_unchecked(n));
  s.ccntr = hw.read(pmccntr_el0::encoding);
  s.pmuserenr = hw.read(pmuserenr_el0::encoding);
  s.pmselr = hw.read(pmselr_el0::encoding);
  s.pmcr = hw.read(pmcr_el0::encoding);
  s.cnten = hw.read(pmcntenset_el0::encoding) & s.mask();
  s.inten = hw.read(pmintenset_el1::encoding) & s.mask();
}

}  // namespace bench
