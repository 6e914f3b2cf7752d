// SPDX-License-Identifier: MIT
// Flips one bit of a register file made of 64-bit words (a saved state's registers): the
// property worlds' mutation of a migration blob.
#pragma once

#include <cstdint>
#include <cstring>

namespace test_support {

template <class Registers>
void flip_bit(Registers& r, std::uint64_t word, unsigned bit) {
  std::uint64_t words[sizeof(Registers) / 8];
  static_assert(sizeof(words) == sizeof(Registers), "register files are arrays of 64-bit words");
  std::memcpy(words, &r, sizeof r);
  words[word % (sizeof(Registers) / 8)] ^= std::uint64_t{1} << bit;
  std::memcpy(&r, words, sizeof r);
}

}  // namespace test_support
