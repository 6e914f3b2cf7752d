// SPDX-License-Identifier: MIT
// A raw literal with a RES0 bit set (CTRL bit 16) must not compile.
// vpmu-expect-error: res0_bits_set_in_literal
#include "support/test_layouts.hpp"

constexpr test_regs::ctrl::value v{0x1'0100};
