// SPDX-License-Identifier: MIT
// A layout that leaves bits undescribed (bit 6 is neither a field nor reserved) must not compile.
// vpmu-expect-error: bits_not_described
#include "vpmu/core.hpp"

struct gap : vpmu::layout_base<"GAP", 64, vpmu::reserved_bits{.res0 = ~0xffULL}> {
  static constexpr vpmu::field<gap, 5, 0, "A"> a{};
  static constexpr vpmu::flag<gap, 7, "B"> b{};
  using fields = vpmu::field_list<decltype(a), decltype(b)>;
};
vpmu::reg_value<gap> v;  // using the layout proves it
