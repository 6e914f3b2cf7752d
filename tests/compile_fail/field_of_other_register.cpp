// SPDX-License-Identifier: MIT
// A field of EVTSEL applied to a CTRL value must not compile.
// vpmu-expect-error: setting comes from a field of another register layout
#include "support/test_layouts.hpp"

auto v = test_regs::ctrl::value{}.with(test_regs::evtsel::evt = 1);
