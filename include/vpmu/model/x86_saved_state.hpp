// SPDX-License-Identifier: MIT
// Everything an x86 guest can observe of its PMU, as saved by vcpu_pmu::save_state() for
// migration or for moving a vCPU to another policy. Versioned: restore_state() refuses a format
// it does not know.
#pragma once

#include <cstdint>

#include "vpmu/arch/tags.hpp"
#include "vpmu/model/amd_pmu.hpp"
#include "vpmu/model/intel_pmu.hpp"

namespace vpmu::model {

// The architectural model of each x86 vendor's PMU.
template <class Arch>
struct x86_model;
template <>
struct x86_model<arch::intel> {
  using type = intel_pmu;
};
template <>
struct x86_model<arch::amd> {
  using type = amd_pmu;
};
template <class Arch>
using x86_model_t = typename x86_model<Arch>::type;

template <class Arch>
struct x86_saved_state {
  static constexpr std::uint32_t current_format = 1;
  using registers_type = typename x86_model_t<Arch>::registers_type;

  std::uint32_t format = current_format;
  registers_type registers{};
  bool irq_pending = false;  // an overflow interrupt raised and not yet delivered

  friend constexpr bool operator==(const x86_saved_state&, const x86_saved_state&) = default;
};

}  // namespace vpmu::model
