// SPDX-License-Identifier: MIT
// A negative literal for a field must not compile (it would wrap to a huge value).
// vpmu-expect-error: negative_value_for_field.*field_named<'M', 'O', 'D', 'E'>
#include "support/test_layouts.hpp"

auto v = test_regs::ctrl::value{}.with(test_regs::ctrl::mode = -1);
