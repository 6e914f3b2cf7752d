// SPDX-License-Identifier: MIT
// at(field, msb, lsb): the field sits at bits [msb:lsb] (manual notation); at(field, bit) for a
// one-bit field. Used by the fact tests to compare descriptions with the reference.
#pragma once

namespace test_support {

template <class F>
constexpr bool at(F /*field*/, unsigned msb, unsigned lsb) {
  return F::msb == msb && F::lsb == lsb;
}
template <class F>
constexpr bool at(F f, unsigned b) {
  return at(f, b, b);
}

}  // namespace test_support
