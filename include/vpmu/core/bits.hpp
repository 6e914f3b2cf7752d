// SPDX-License-Identifier: MIT
// Bit-range helpers in the notation of the manuals: bits [msb:lsb], inclusive.
#pragma once

#include <cstdint>

namespace vpmu {

// GENMASK(msb, lsb): ones in bits msb..lsb. Valid for 0 <= lsb <= msb <= 63.
[[nodiscard]] constexpr std::uint64_t bit_mask(unsigned msb, unsigned lsb) {
  return (~std::uint64_t{0} >> (63U - msb)) & (~std::uint64_t{0} << lsb);
}

[[nodiscard]] constexpr std::uint64_t bit(unsigned n) {
  return std::uint64_t{1} << n;
}

// All-ones in the low `width` bits; width may be 64.
[[nodiscard]] constexpr std::uint64_t low_mask(unsigned width) {
  return width >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << width) - 1;
}

}  // namespace vpmu
