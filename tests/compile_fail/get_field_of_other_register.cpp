// SPDX-License-Identifier: MIT
// Reading an EVTSEL field out of a CTRL value must not compile.
// vpmu-expect-error: this field belongs to another register layout
#include "support/test_layouts.hpp"

auto x = test_regs::ctrl::value{}.get(test_regs::evtsel::unit);
