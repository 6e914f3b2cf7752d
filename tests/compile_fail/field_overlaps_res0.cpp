// SPDX-License-Identifier: MIT
// A field placed on RES0 bits must not compile.
// vpmu-expect-error: field_overlaps_reserved_bits
#include "vpmu/core.hpp"

struct bad : vpmu::layout_base<"BAD", 32, vpmu::reserved_bits{.res0 = 0xffff'ff00}> {
  static constexpr vpmu::field<bad, 8, 0, "A"> a{};
  using fields = vpmu::field_list<decltype(a)>;
};
static_assert(vpmu::check_layout<bad>());
