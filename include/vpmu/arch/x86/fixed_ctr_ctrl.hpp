// SPDX-License-Identifier: MIT
// IA32_FIXED_CTR_CTRL per counter: a 4-bit field at 4*i holding OS (bit 0), USR (bit 1),
// AnyThread (bit 2) and PMI (bit 3) for fixed counter i (SDM Vol. 3B 21.2.2, Figure 21-2). The
// generated layout names each bit (os0, usr0, ...); these helpers index them at run time.
#pragma once

#include <cstdint>

#include "vpmu/arch/x86/intel_regs.gen.hpp"

namespace vpmu::x86::fixed_field {

using layout = ia32_fixed_ctr_ctrl;
inline constexpr std::uint64_t os = layout::os0.mask;
inline constexpr std::uint64_t usr = layout::usr0.mask;
inline constexpr std::uint64_t any_thread = layout::any0.mask;
inline constexpr std::uint64_t pmi = layout::pmi0.mask;
inline constexpr std::uint64_t all = os | usr | any_thread | pmi;
inline constexpr unsigned stride = layout::os1.lsb - layout::os0.lsb;

// The field of fixed counter i, shifted down to bits [3:0].
[[nodiscard]] constexpr std::uint64_t field(std::uint64_t ctrl, unsigned i) {
  return (ctrl >> (stride * i)) & all;
}
// Bits `bits` (a combination of os/usr/any_thread/pmi) placed at fixed counter i's field.
[[nodiscard]] constexpr std::uint64_t at(unsigned i, std::uint64_t bits) {
  return bits << (stride * i);
}
// Fixed counter i counts in some ring (OS or USR set).
[[nodiscard]] constexpr bool enabled(std::uint64_t ctrl, unsigned i) {
  return (field(ctrl, i) & (os | usr)) != 0;
}
[[nodiscard]] constexpr bool interrupt(std::uint64_t ctrl, unsigned i) {
  return (field(ctrl, i) & pmi) != 0;
}

static_assert(os == 1 && usr == 2 && any_thread == 4 && pmi == 8 && stride == 4,
              "IA32_FIXED_CTR_CTRL field layout (SDM Vol. 3B Figure 21-2)");

}  // namespace vpmu::x86::fixed_field
