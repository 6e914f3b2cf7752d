// SPDX-License-Identifier: MIT
// Counter arithmetic against a 128-bit reference over random values and every width PMUs use.
#include <cstdint>
#include <doctest/doctest.h>
#include <initializer_list>

#include "support/splitmix.hpp"
#include "vpmu/core/counter.hpp"

namespace {
__extension__ typedef unsigned __int128 u128;  // exact reference arithmetic
}  // namespace

TEST_CASE("counter_add matches exact 128-bit arithmetic") {
  test_support::splitmix64 rng{3};
  for (unsigned width : {32U, 40U, 47U, 48U, 63U, 64U}) {
    const u128 modulus = static_cast<u128>(1) << width;
    for (int i = 0; i < 20000; ++i) {
      std::uint64_t value = rng.next();
      std::uint64_t delta = rng.next() >> rng.below(64);
      if (i % 3 == 0) value = static_cast<std::uint64_t>(modulus - 1 - (rng.below(4)));
      const auto r = vpmu::counter_add(value, delta, width);
      const u128 start = value % modulus;
      const u128 sum = start + delta;
      CAPTURE(width);
      CAPTURE(value);
      CAPTURE(delta);
      REQUIRE(r.value == static_cast<std::uint64_t>(sum % modulus));
      REQUIRE(r.overflowed == (sum >= modulus));
      if (start != 0) {
        const std::uint64_t d = vpmu::distance_to_overflow(value, width);
        // Adding exactly the distance lands on 0 with an overflow; one less does not overflow.
        REQUIRE(vpmu::counter_add(value, d, width).value == 0);
        REQUIRE(vpmu::counter_add(value, d, width).overflowed);
        REQUIRE_FALSE(vpmu::counter_add(value, d - 1, width).overflowed);
      }
    }
  }
}

TEST_CASE("sign_extend copies the sign bit upwards") {
  test_support::splitmix64 rng{4};
  for (int i = 0; i < 10000; ++i) {
    const auto v = static_cast<std::uint32_t>(rng.next());
    const auto expected =
        static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int32_t>(v)));
    REQUIRE(vpmu::sign_extend(v, 32) == expected);
    REQUIRE(vpmu::legacy_counter_write(v, 48) == (expected & 0xffff'ffff'ffffULL));
  }
}
