// SPDX-License-Identifier: MIT
// Everything an x86 guest can observe of its PMU, as saved by vcpu_pmu::save_state() for
// migration or for moving a vCPU to another policy. Versioned: restore_state() refuses a format
// it does not know, a different shape, and any register value a guest could not have written
// (model/x86_state_check.hpp): a restore is a guest write.
#pragma once

#include <cstdint>

#include "vpmu/arch/tags.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/model/amd_pmu.hpp"
#include "vpmu/model/intel_pmu.hpp"
#include "vpmu/model/x86_state_check.hpp"

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
  // Format 2 adds the shape the state was saved from (format 1 had none).
  static constexpr std::uint32_t current_format = 2;
  using registers_type = typename x86_model_t<Arch>::registers_type;

  std::uint32_t format = current_format;
  // The guest PMU it was saved from (version, counters, widths): a restore needs the same.
  typename x86_model_t<Arch>::config_type shape{};
  registers_type registers{};
  bool irq_pending = false;  // an overflow interrupt raised and not yet delivered

  friend constexpr bool operator==(const x86_saved_state&, const x86_saved_state&) = default;
};

// The whole check of a restore into a guest PMU of shape `shape` (vendor: the state's type);
// nothing is changed by it.
template <class Arch, class Shape>
[[nodiscard]] constexpr result<bool> check_saved_state(const x86_saved_state<Arch>& s,
                                                       const Shape& shape) {
  constexpr const char* what = "x86 saved PMU state";
  if (s.format != x86_saved_state<Arch>::current_format) {
    return error{errc::invalid_config, what, "format", s.format};
  }
  if (!(s.shape == shape)) return error{errc::invalid_config, what, "shape", 0};
  return check_guest_registers(shape, s.registers);
}

}  // namespace vpmu::model
