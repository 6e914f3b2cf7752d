// SPDX-License-Identifier: MIT
// A raw literal that clears a RES1 bit (CTRL bit 8) must not compile.
// vpmu-expect-error: res1_bits_clear_in_literal
#include "support/test_layouts.hpp"

constexpr test_regs::ctrl::value v{0x1};
