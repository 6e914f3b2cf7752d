// SPDX-License-Identifier: MIT
// A layout whose fields overlap (B at 7:4 collides with A at 5:0) must not compile.
// vpmu-expect-error: field_overlaps_an_earlier_field
#include "vpmu/core.hpp"

struct bad : vpmu::layout_base<"BAD", 64, vpmu::reserved_bits{.res0 = ~0xffULL}> {
  static constexpr vpmu::field<bad, 5, 0, "A"> a{};
  static constexpr vpmu::field<bad, 7, 4, "B"> b{};
  using fields = vpmu::field_list<decltype(a), decltype(b)>;
};
static_assert(vpmu::check_layout<bad>());
