// SPDX-License-Identifier: MIT
// at_least with an enumerator of IDR on a CTRL value must not compile.
// vpmu-expect-error: enumerator belongs to a field of another register
#include "support/test_layouts.hpp"

bool b = vpmu::at_least(test_regs::ctrl::value{}, test_regs::idr::cnt_t::imp);
