// SPDX-License-Identifier: MIT
// Coarse classes of PMU registers, for accounting register traffic (benchmarks report reads and
// writes per class) and for reading access logs.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/el2_regs.gen.hpp"
#include "vpmu/arch/arm64/pmu_register.hpp"
#include "vpmu/arch/x86/msr_decode.hpp"

namespace vpmu {

enum class reg_class : std::uint8_t {
  counter,  // counter values: PMCx / FIXED_CTRx / PerfCtrn; PMEVCNTR, PMCCNTR, PMICNTR, PMXEVCNTR
  config,   // per-counter event selection: PERFEVTSEL, FIXED_CTR_CTRL, PerfEvtSel; PMEVTYPER...
  control,  // enables, interrupt enables, selection, user access: GLOBAL_CTRL; PMCR, PMCNTEN...
  status,   // overflow status and its set/clear registers
  info,     // capability / identification: PERF_CAPABILITIES, PMCEID, PMMIR
  el2,      // hypervisor controls: MDCR_EL2, HDFG[RW]TR(2)_EL2
  other,
};
inline constexpr unsigned reg_class_count = 7;

[[nodiscard]] constexpr reg_class classify_msr(std::uint32_t index) {
  using x86::pmu_msr;
  x86::msr_ref r = x86::decode_intel_msr(index);
  if (r.reg == pmu_msr::none) r = x86::decode_amd_msr(index);
  switch (r.reg) {
    case pmu_msr::pmc:
    case pmu_msr::a_pmc:
    case pmu_msr::fixed_ctr:
    case pmu_msr::amd_perf_ctr: return reg_class::counter;
    case pmu_msr::perfevtsel:
    case pmu_msr::fixed_ctr_ctrl:
    case pmu_msr::amd_perf_ctl: return reg_class::config;
    case pmu_msr::global_ctrl:
    case pmu_msr::amd_global_ctl:
    case pmu_msr::global_inuse:
    case pmu_msr::debugctl: return reg_class::control;
    case pmu_msr::global_status:
    case pmu_msr::global_ovf_ctrl:
    case pmu_msr::global_status_set:
    case pmu_msr::amd_global_status:
    case pmu_msr::amd_global_status_clr:
    case pmu_msr::amd_global_status_set: return reg_class::status;
    case pmu_msr::perf_capabilities: return reg_class::info;
    case pmu_msr::none: return reg_class::other;
  }
  return reg_class::other;
}

[[nodiscard]] constexpr reg_class classify_sysreg(arm64::sysreg_encoding e) {
  using arm64::pmu_reg;
  switch (arm64::classify(e).reg) {
    case pmu_reg::pmevcntr:
    case pmu_reg::pmccntr:
    case pmu_reg::pmicntr:
    case pmu_reg::pmxevcntr: return reg_class::counter;
    case pmu_reg::pmevtyper:
    case pmu_reg::pmccfiltr:
    case pmu_reg::pmicfiltr:
    case pmu_reg::pmxevtyper: return reg_class::config;
    case pmu_reg::pmcr:
    case pmu_reg::pmcntenset:
    case pmu_reg::pmcntenclr:
    case pmu_reg::pmintenset:
    case pmu_reg::pmintenclr:
    case pmu_reg::pmselr:
    case pmu_reg::pmuserenr:
    case pmu_reg::pmswinc:
    case pmu_reg::pmzr:
    case pmu_reg::pmuacr: return reg_class::control;
    case pmu_reg::pmovsset:
    case pmu_reg::pmovsclr: return reg_class::status;
    case pmu_reg::pmceid0:
    case pmu_reg::pmceid1:
    case pmu_reg::pmmir: return reg_class::info;
    case pmu_reg::none: break;
  }
  return arm64::el2_registers::visit(e, []<class>() {}) ? reg_class::el2 : reg_class::other;
}

}  // namespace vpmu
