// SPDX-License-Identifier: MIT
// Compile-time checks of the core layer. Each expectation is written from the rule it checks
// (bit positions computed by hand), not from what the code produced.
#include "support/test_layouts.hpp"
#include "vpmu/version.hpp"

namespace {
using namespace test_regs;
using vpmu::bit_mask;

// GENMASK semantics, including both ends of the register.
static_assert(bit_mask(0, 0) == 0x1);
static_assert(bit_mask(15, 11) == 0xf800);
static_assert(bit_mask(63, 0) == ~std::uint64_t{0});
static_assert(bit_mask(63, 63) == 0x8000'0000'0000'0000);
static_assert(vpmu::low_mask(48) == 0xffff'ffff'ffff);
static_assert(vpmu::low_mask(64) == ~std::uint64_t{0});

// Field geometry.
static_assert(ctrl::n.lsb == 9 && ctrl::n.width == 7 && ctrl::n.mask == 0xfe00);
static_assert(ctrl::n.max_value == 127);
static_assert(vpmu::equal_strings(ctrl::n.name, "N"));
static_assert(vpmu::equal_strings(ctrl::name, "CTRL"));

// Layout proofs pass for whole layouts.
static_assert(vpmu::check_layout<ctrl>());
static_assert(vpmu::check_layout<evtsel>());
static_assert(vpmu::check_layout<idr>());

// Default value is the RES1 baseline.
static_assert(ctrl::value{}.raw() == 0x100);

// Building from several settings in one expression.
constexpr auto v = ctrl::value{}.with(ctrl::e = 1, ctrl::mode = 0x2a, ctrl::n(5));
static_assert(v.raw() == (0x100 | 0x1 | (0x2a << 2) | (5 << 9)));
static_assert(v.get(ctrl::e) && !v.get(ctrl::p));
static_assert(v.get(ctrl::mode) == 0x2a && v.get(ctrl::n) == 5);
// A later setting of the same field wins; untouched fields keep their value.
static_assert(v.with(ctrl::mode = 1).get(ctrl::mode) == 1);
static_assert(v.with(ctrl::mode = 1).get(ctrl::n) == 5);
static_assert(v.with(ctrl::e = false).raw() == (v.raw() & ~std::uint64_t{1}));

// Literal raw values, checked at compile time.
constexpr ctrl::value lit{0x0000'0000'0000'0301};
static_assert(lit.get(ctrl::e) && lit.get(ctrl::p) == false && lit.get(ctrl::n) == 1);

// Runtime paths produce error values naming the register and field.
static_assert(!ctrl::n.checked(128).has_value());
static_assert(ctrl::n.checked(128).error_value() ==
              vpmu::error{vpmu::errc::value_too_wide, "CTRL", "N", 128});
static_assert(ctrl::n.checked(127).value().bits == (127ULL << 9));
static_assert(!ctrl::value::make(0x1'0100).has_value());  // bit 16 is RES0
static_assert(ctrl::value::make(0x1'0100).error_value().code == vpmu::errc::res0_bits_set);
static_assert(ctrl::value::make(0x1'0100).error_value().bits == 0x1'0000);
static_assert(ctrl::value::make(0x0).error_value().code == vpmu::errc::res1_bits_clear);
static_assert(ctrl::value::make(0x101).value().raw() == 0x101);
static_assert(ctrl::value{}.set(ctrl::n, 200).error_value().code == vpmu::errc::value_too_wide);
static_assert(ctrl::value{}.set(ctrl::n, 100).value().get(ctrl::n) == 100);
// A 32-bit register rejects bits above 31 as reserved.
static_assert(evtsel::value::make(0x1'0000'0000).error_value().code == vpmu::errc::res0_bits_set);
// from_hardware keeps what the hardware returned.
static_assert(ctrl::value::from_hardware(0xdead'0000).raw() == 0xdead'0000);

// Enum fields read back as their enum.
constexpr auto id = idr::value{}.with(idr::ver = idr::ver_t::v3p5, idr::mt = 0xf);
static_assert(id.get(idr::ver) == idr::ver_t::v3p5);
static_assert(id.get(idr::mt) == idr::mt_t::ni);

// Version header matches the CMake project version (passed by the build).
static_assert(VPMU_VERSION_MAJOR == VPMU_TEST_PROJECT_VERSION_MAJOR);
static_assert(VPMU_VERSION_MINOR == VPMU_TEST_PROJECT_VERSION_MINOR);
static_assert(VPMU_VERSION_PATCH == VPMU_TEST_PROJECT_VERSION_PATCH);

}  // namespace
