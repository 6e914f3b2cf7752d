// SPDX-License-Identifier: MIT
// Counter arithmetic shared by every PMU: counters are N bits wide, wrap modulo 2^N, and
// "overflow" means a carry out of the top bit.
#pragma once

#include <cstdint>

#include "vpmu/core/bits.hpp"

namespace vpmu {

struct counter_sum {
  std::uint64_t value;  // new counter value, within the width
  bool overflowed;      // the addition carried out of bit width-1 (at least once)
};

// value + delta modulo 2^width. `value` is taken modulo 2^width first.
[[nodiscard]] constexpr counter_sum counter_add(std::uint64_t value, std::uint64_t delta,
                                                unsigned width) {
  const std::uint64_t mask = low_mask(width);
  const std::uint64_t v = value & mask;
  const std::uint64_t sum = v + delta;  // wraps only when width == 64
  if (width >= 64) return {sum, sum < v};
  // For width < 64 the carry happened if the true sum reaches 2^width; compare without overflow.
  const bool over = delta > mask - v;
  return {sum & mask, over};
}

// Events still to count before the counter overflows: 2^width - value. A counter at 0 has the
// full period 2^width; for width 64 that does not fit, so it is reported as 0 ("full range"),
// as Linux's perf sample_period does for a 64-bit guest counter at zero.
[[nodiscard]] constexpr std::uint64_t distance_to_overflow(std::uint64_t value, unsigned width) {
  const std::uint64_t mask = low_mask(width);
  const std::uint64_t d = (~value + 1) & mask;
  return (d == 0 && width < 64) ? mask + 1 : d;
}

// Sign-extends bit (from_width - 1) over the upper bits. Intel SDM Vol. 3B 21.2.2 (legacy
// IA32_PMCx writes): bits 31:0 are written and bit 31 is copied into the upper bits up to the
// counter width.
[[nodiscard]] constexpr std::uint64_t sign_extend(std::uint64_t value, unsigned from_width) {
  if (from_width >= 64) return value;
  const std::uint64_t sign = std::uint64_t{1} << (from_width - 1);
  const std::uint64_t v = value & low_mask(from_width);
  return (v ^ sign) - sign;
}

// A legacy 32-bit write into a counter of `width` bits.
[[nodiscard]] constexpr std::uint64_t legacy_counter_write(std::uint32_t value, unsigned width) {
  return sign_extend(value, 32) & low_mask(width);
}

}  // namespace vpmu
