// SPDX-License-Identifier: MIT
// Layouts used by the core-layer tests. They are deliberately not real registers: the core layer
// knows no architecture, and the architecture descriptions are tested against the manuals
// separately. The shapes mimic the cases the core must handle (flags, numbers, enums of each
// sign, an IMP_DEF sentinel, RES0/RES1, a 32-bit register).
#pragma once

#include <cstdint>

#include "vpmu/core.hpp"

namespace test_regs {

// A control register: flags at the bottom, a 5-bit count, RES1 at bit 8, RES0 above.
struct ctrl : vpmu::layout_base<"CTRL", 64,
                                vpmu::reserved_bits{.res0 = 0xffff'ffff'ffff'0000, .res1 = 0x100}> {
  static constexpr vpmu::flag<ctrl, 0, "E"> e{};
  static constexpr vpmu::flag<ctrl, 1, "P"> p{};
  static constexpr vpmu::field<ctrl, 7, 2, "MODE"> mode{};
  static constexpr vpmu::field<ctrl, 15, 9, "N"> n{};
  using fields = vpmu::field_list<decltype(e), decltype(p), decltype(mode), decltype(n)>;
  using value = vpmu::reg_value<ctrl>;
};

// A 32-bit event selector.
struct evtsel : vpmu::layout_base<"EVTSEL", 32, vpmu::reserved_bits{.res0 = 0xffff'0000}> {
  static constexpr vpmu::field<evtsel, 9, 0, "EVT"> evt{};
  static constexpr vpmu::field<evtsel, 15, 10, "UNIT"> unit{};
  using fields = vpmu::field_list<decltype(evt), decltype(unit)>;
  using value = vpmu::reg_value<evtsel>;
};

// An ID register with one field of each comparison kind.
struct idr : vpmu::layout_base<"IDR", 64, vpmu::reserved_bits{.res0 = 0xffff'ffff'ffff'0000}> {
  enum class ver_t : std::uint8_t { ni = 0x0, imp = 0x1, v3p1 = 0x4, v3p5 = 0x6, imp_def = 0xf };
  enum class mt_t : std::uint8_t { ni_impdef = 0x0, imp = 0x1, ni = 0xf };  // signed
  enum class cnt_t : std::uint8_t { ni = 0x0, imp = 0x1, v2 = 0x2 };        // unsigned
  enum class plain_t : std::uint8_t { a = 0x0, b = 0x1 };                   // plain Enum

  static constexpr vpmu::enum_field<idr, 3, 0, "Ver", ver_t, vpmu::enum_sign::unsigned_, 0xf> ver{};
  static constexpr vpmu::enum_field<idr, 7, 4, "MT", mt_t, vpmu::enum_sign::signed_> mt{};
  static constexpr vpmu::enum_field<idr, 11, 8, "CNT", cnt_t, vpmu::enum_sign::unsigned_> cnt{};
  static constexpr vpmu::enum_field<idr, 15, 12, "PLAIN", plain_t, vpmu::enum_sign::unknown>
      plain{};
  using fields = vpmu::field_list<decltype(ver), decltype(mt), decltype(cnt), decltype(plain)>;
  using value = vpmu::reg_value<idr>;

  friend constexpr auto vpmu_field_of(ver_t) { return ver; }
  friend constexpr auto vpmu_field_of(mt_t) { return mt; }
  friend constexpr auto vpmu_field_of(cnt_t) { return cnt; }
  friend constexpr auto vpmu_field_of(plain_t) { return plain; }
};

}  // namespace test_regs
