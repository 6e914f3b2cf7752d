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

// The number of set bits (no compiler builtin: __builtin_popcountll becomes a libgcc call on
// targets without a popcount instruction, and vpmu links with no runtime library).
[[nodiscard]] constexpr unsigned bit_count(std::uint64_t m) {
  m = m - ((m >> 1) & 0x5555'5555'5555'5555ULL);
  m = (m & 0x3333'3333'3333'3333ULL) + ((m >> 2) & 0x3333'3333'3333'3333ULL);
  m = (m + (m >> 4)) & 0x0f0f'0f0f'0f0f'0f0fULL;
  return static_cast<unsigned>((m * 0x0101'0101'0101'0101ULL) >> 56);
}

// The positions of the set bits of a mask, lowest first: `for (unsigned b : set_bits(mask))`.
class set_bits {
 public:
  constexpr explicit set_bits(std::uint64_t mask) : mask_(mask) {}
  class iterator {
   public:
    constexpr explicit iterator(std::uint64_t m) : m_(m) {}
    constexpr unsigned operator*() const { return static_cast<unsigned>(__builtin_ctzll(m_)); }
    constexpr iterator& operator++() {
      m_ &= m_ - 1;
      return *this;
    }
    constexpr bool operator!=(const iterator& o) const { return m_ != o.m_; }

   private:
    std::uint64_t m_;
  };
  [[nodiscard]] constexpr iterator begin() const { return iterator{mask_}; }
  [[nodiscard]] constexpr iterator end() const { return iterator{0}; }

 private:
  std::uint64_t mask_;
};

}  // namespace vpmu
