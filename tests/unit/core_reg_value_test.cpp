// SPDX-License-Identifier: MIT
// Runtime paths of the register-value layer: checked construction, field updates, and the
// read-modify-write helper, with values the compiler cannot see.
#include <cstdint>
#include <doctest/doctest.h>

#include "support/splitmix.hpp"
#include "support/test_layouts.hpp"

namespace {
using test_regs::ctrl;
using test_regs::evtsel;

// Values routed through a volatile so none of this folds at compile time.
std::uint64_t opaque(std::uint64_t v) {
  volatile std::uint64_t x = v;
  return x;
}

// A backend that counts accesses; modify() must do exactly one read and one write.
struct counting_memory {
  std::uint64_t cell = 0;
  int reads = 0;
  int writes = 0;
  template <class R>
  std::uint64_t read() {
    ++reads;
    return cell;
  }
  template <class R>
  void write(std::uint64_t v) {
    ++writes;
    cell = v;
  }
};

}  // namespace

TEST_CASE("make() accepts exactly the values with RES0 clear and RES1 set") {
  test_support::splitmix64 rng{1};
  constexpr std::uint64_t res0 = 0xffff'ffff'ffff'0000;  // CTRL's RES0, from its definition
  constexpr std::uint64_t res1 = 0x100;
  for (int i = 0; i < 20000; ++i) {
    // Mix fully random values with values that are valid except for a few stray bits.
    std::uint64_t raw = rng.next();
    if (i % 2 == 0) raw = (raw & ~res0) | res1;
    if (i % 4 == 0) raw ^= std::uint64_t{1} << rng.below(64);
    const auto r = ctrl::value::make(opaque(raw));
    const bool valid = (raw & res0) == 0 && (raw & res1) == res1;
    REQUIRE(r.has_value() == valid);
    if (valid) {
      CHECK(r.value().raw() == raw);
    } else if ((raw & res0) != 0) {
      CHECK(r.error_value().code == vpmu::errc::res0_bits_set);
      CHECK(r.error_value().bits == (raw & res0));
      CHECK(vpmu::equal_strings(r.error_value().where, "CTRL"));
    } else {
      CHECK(r.error_value().code == vpmu::errc::res1_bits_clear);
      CHECK(r.error_value().bits == res1);
    }
  }
}

TEST_CASE("set() never truncates: too-wide values are errors naming register and field") {
  for (std::uint64_t v = 0; v < 300; ++v) {
    const auto r = ctrl::value{}.set(ctrl::n, opaque(v));
    if (v <= 127) {
      REQUIRE(r.has_value());
      CHECK(r.value().get(ctrl::n) == v);
      CHECK(r.value().raw() == (0x100 | (v << 9)));
    } else {
      REQUIRE_FALSE(r.has_value());
      const vpmu::error& e = r.error_value();
      CHECK(e.code == vpmu::errc::value_too_wide);
      CHECK(vpmu::equal_strings(e.where, "CTRL"));
      CHECK(vpmu::equal_strings(e.field, "N"));
      CHECK(e.bits == v);
    }
  }
  // Negative runtime values are rejected, not reinterpreted.
  volatile int negative = -1;
  CHECK_FALSE(ctrl::n.checked(static_cast<int>(negative)).has_value());
}

TEST_CASE("get() reads each field independently of the others") {
  test_support::splitmix64 rng{2};
  for (int i = 0; i < 1000; ++i) {
    const std::uint64_t e = rng.below(2), p = rng.below(2), mode = rng.below(64),
                        n = rng.below(128);
    const std::uint64_t raw = opaque(e | (p << 1) | (mode << 2) | 0x100 | (n << 9));
    const auto v = ctrl::value::make(raw).value();
    CHECK(v.get(ctrl::e) == (e == 1));
    CHECK(v.get(ctrl::p) == (p == 1));
    CHECK(v.get(ctrl::mode) == mode);
    CHECK(v.get(ctrl::n) == n);
  }
}

TEST_CASE("modify() is one read and one write / whatever the number of fields") {
  counting_memory hw;
  hw.cell = opaque(0x100 | (3 << 9));
  const auto v = vpmu::modify<ctrl>(hw, ctrl::e = 1, ctrl::mode = 5, ctrl::p = 1);
  CHECK(hw.reads == 1);
  CHECK(hw.writes == 1);
  CHECK(hw.cell == (0x100 | (3 << 9) | 1 | 2 | (5 << 2)));
  CHECK(v.raw() == hw.cell);
  // Bits outside the settings are preserved exactly.
  hw.cell = opaque(0x100 | (0x7f << 9));
  (void)vpmu::modify<ctrl>(hw, ctrl::e = 0);
  CHECK(hw.cell == (0x100 | (0x7f << 9)));
  CHECK(hw.reads == 2);
  CHECK(hw.writes == 2);
}

TEST_CASE("32-bit layouts reject bits above 31") {
  for (unsigned b = 0; b < 64; ++b) {
    const auto r = evtsel::value::make(opaque(std::uint64_t{1} << b));
    CHECK(r.has_value() == (b < 16));
  }
}
