// SPDX-License-Identifier: MIT
// Everything an x86 guest can observe of its PMU, as saved by vcpu_pmu::save_state() for
// migration or for moving a vCPU to another policy. Versioned: restore_state() refuses a format
// it does not know.
#pragma once

#include <cstdint>

#include "vpmu/policy/x86_vendor.hpp"

namespace vpmu {

template <class Arch>
struct x86_saved_state {
  static constexpr std::uint32_t current_format = 1;
  using registers_type = typename x86_vendor<Arch>::model::registers_type;

  std::uint32_t format = current_format;
  registers_type registers{};
  bool pmi_pending = false;  // an overflow interrupt raised and not yet delivered

  friend constexpr bool operator==(const x86_saved_state&, const x86_saved_state&) = default;
};

}  // namespace vpmu
