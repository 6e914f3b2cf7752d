// SPDX-License-Identifier: MIT
// Deterministic pseudo-random numbers for tests: same seed, same sequence, on every machine.
#pragma once

#include <cstdint>

namespace test_support {

struct splitmix64 {
  std::uint64_t state;
  std::uint64_t next() {
    std::uint64_t z = (state += 0x9e37'79b9'7f4a'7c15ULL);
    z = (z ^ (z >> 30)) * 0xbf58'476d'1ce4'e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d0'49bb'1331'11ebULL;
    return z ^ (z >> 31);
  }
  // Uniform enough for tests in [0, bound).
  std::uint64_t below(std::uint64_t bound) { return next() % bound; }
};

}  // namespace test_support
