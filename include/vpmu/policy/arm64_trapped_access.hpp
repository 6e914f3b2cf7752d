// SPDX-License-Identifier: MIT
// A trapped guest MRS/MSR, decoded once: ESR_EL2 (EC 0x18) -> encoding -> PMU register, with
// whether vpmu exposes that register to guests (model/arm64_register_table.hpp). Every arm64
// policy's on_sysreg() starts here and hands the result to one model access.
#pragma once

#include <cstdint>

#include "vpmu/arch/arm64/esr.hpp"
#include "vpmu/arch/arm64/pmu_register.hpp"
#include "vpmu/model/arm64_access.hpp"
#include "vpmu/model/arm64_register_table.hpp"
#include "vpmu/policy/arm64_config.hpp"

namespace vpmu {

struct trapped_access {
  arm64::sysreg_encoding encoding{};
  arm64::pmu_reg_ref reg{};
  bool is_read = false;
  std::uint8_t rt = 0;
  model::el from = model::el::el1;
  bool exposed = false;  // a PMU register vpmu gives guests (else: UNDEFINED to the guest)
};

// `from_el0`: the access came from the guest's EL0 (SPSR_EL2.M).
[[nodiscard]] constexpr trapped_access decode_trapped_access(std::uint64_t esr, bool from_el0) {
  const auto a = arm64::decode_esr(esr);
  if (!a) return {};
  trapped_access t;
  t.encoding = a.value().encoding;
  t.reg = arm64::classify(t.encoding);
  t.is_read = a.value().is_read;
  t.rt = a.value().rt;
  t.from = from_el0 ? model::el::el0 : model::el::el1;
  t.exposed = t.reg.reg != arm64::pmu_reg::none && model::register_info(t.reg.reg).exposed;
  return t;
}

// The model's outcome of a trapped access as the hypervisor acts on it.
[[nodiscard]] constexpr sysreg_result to_sysreg_result(const model::sysreg_outcome& o) {
  switch (o.kind) {
    case model::outcome::executed: return {o.value, false, false, 0};
    case model::outcome::trap_el1: return {0, false, true, o.esr};
    default:
      return {0, true, false, 0};  // UNDEFINED (a trap to EL2 cannot come from the guest model)
  }
}

}  // namespace vpmu
