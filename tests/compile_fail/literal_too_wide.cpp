// SPDX-License-Identifier: MIT
// A literal wider than its field (CTRL.N is 7 bits) must not compile.
// vpmu-expect-error: value_does_not_fit_in_field.*ctrl.*field_named<'N'>.*allowed_values<0, 127>
#include "support/test_layouts.hpp"

auto v = test_regs::ctrl::value{}.with(test_regs::ctrl::n = 128);
