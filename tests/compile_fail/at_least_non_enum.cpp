// SPDX-License-Identifier: MIT
// at_least on a number field (CTRL.N) must not compile: only ID enum fields have an ordering.
// vpmu-expect-error: at_least needs an ID enum field
#include "support/test_layouts.hpp"

bool b = vpmu::at_least(test_regs::ctrl::value{}, test_regs::ctrl::n, 3);
