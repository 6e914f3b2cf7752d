// SPDX-License-Identifier: MIT
// ID-field comparisons with values only known at run time (as when probing a CPU), over every
// possible 4-bit value, against the ordering the Arm ARM defines for each scheme.
#include <cstdint>
#include <doctest/doctest.h>

#include "support/test_layouts.hpp"

namespace {
using test_regs::idr;

std::uint64_t opaque(std::uint64_t v) {
  volatile std::uint64_t x = v;
  return x;
}

// The architected meaning of a signed 4-bit ID field value: two's complement.
int signed_meaning(std::uint64_t v) {
  return v >= 8 ? static_cast<int>(v) - 16 : static_cast<int>(v);
}

}  // namespace

TEST_CASE("signed fields: ordering by two's-complement value / 0xF is not implemented") {
  for (std::uint64_t v = 0; v < 16; ++v) {
    const std::uint64_t raw = opaque(v);
    CAPTURE(v);
    CHECK(vpmu::at_least(raw, idr::mt_t::imp) == (signed_meaning(v) >= 1));
    CHECK(vpmu::at_least(raw, idr::mt_t::ni_impdef) == (signed_meaning(v) >= 0));
    CHECK(vpmu::at_least(raw, idr::mt_t::ni) == (signed_meaning(v) >= -1));
  }
}

TEST_CASE("unsigned fields: plain ordering") {
  for (std::uint64_t v = 0; v < 16; ++v) {
    CAPTURE(v);
    CHECK(vpmu::at_least(opaque(v), idr::cnt_t::imp) == (v >= 1));
    CHECK(vpmu::at_least(opaque(v), idr::cnt_t::v2) == (v >= 2));
  }
}

TEST_CASE("PMUVer-style fields: IMP_DEF satisfies no minimum") {
  for (std::uint64_t v = 0; v < 16; ++v) {
    CAPTURE(v);
    const bool arm_pmu = v != 0xF;
    CHECK(vpmu::at_least(opaque(v), idr::ver_t::imp) == (arm_pmu && v >= 1));
    CHECK(vpmu::at_least(opaque(v), idr::ver_t::v3p5) == (arm_pmu && v >= 6));
  }
  const auto probed = idr::value::from_hardware(opaque(0xF));  // an IMP DEF PMU
  CHECK_FALSE(vpmu::at_least(probed, idr::ver_t::imp));
  CHECK(probed.get(idr::ver) == idr::ver_t::imp_def);
}
