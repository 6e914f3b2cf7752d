// SPDX-License-Identifier: MIT
// at_least on a plain `Enum` (sign unknown) must not compile.
// vpmu-expect-error: plain `Enum` whose signedness
#include "support/test_layouts.hpp"

bool b = vpmu::at_least(0x1, test_regs::idr::plain_t::b);
