// SPDX-License-Identifier: MIT
// Fields: a named bit range of one register layout, typed by what it holds (number, flag, enum).
//
//   pmcr_el0::value{}.with(pmcr_el0::e = 1, pmcr_el0::lp = true)   // literals: checked at compile
//   time pmcr_el0::n.checked(x)                                          // runtime:
//   result<field_setting>
//
// A field is tied to its layout L by type, so a setting made from a PMCR_EL0 field cannot be
// applied to a PMEVTYPER value. Literal values go through a consteval constructor: a value wider
// than the field is a compile error naming the field (value_does_not_fit_in_field<field<...,
// "N">>), never a silent truncation.
#pragma once

#include <cstdint>

#include "vpmu/core/bits.hpp"
#include "vpmu/core/fixed_string.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

// How an ID-register enum field compares (Arm ARM D19.1.3 / G8.1.3, "the ID scheme"):
//  - unsigned_: 0 = not implemented, larger = more;
//  - signed_:   0xF (-1) = not implemented, 0 = implemented; compare sign-extended;
//  - unknown:   a plain `Enum` in the spec; ordering comparisons are refused at compile time
//               (Linux defaulted these silently and mislabelled fields, see the sysreg notes);
//  - none:      not an ID field at all (e.g. PMCR_EL0 fields that are enums of modes).
enum class enum_sign : unsigned char { none, unknown, unsigned_, signed_ };

// An enum field may reserve one value as "IMPLEMENTATION DEFINED, not the architected scheme"
// (PMUVer 0xF, Arm ARM "Alternative ID scheme used for the Performance Monitors Extension
// version"). no_imp_def marks fields without one.
inline constexpr std::uint64_t no_imp_def = ~std::uint64_t{0};

// One or more fields to write, already shifted into register position: bits & ~mask == 0.
template <class L>
struct field_setting {
  std::uint64_t mask;
  std::uint64_t bits;
};

namespace diag {
// Never defined as constexpr: calling one inside a consteval evaluation makes the build fail, and
// the compiler prints the function's name and template arguments: the register's layout type,
// the field's name as characters (a char array argument would print as numbers in Clang) and the
// values the field takes, e.g. value_does_not_fit_in_field<pmcr_el0, field_named<'N'>,
// allowed_values<0, 31>>.
template <char... Name>
struct field_named {};
template <std::uint64_t Min, std::uint64_t Max>
struct allowed_values {};
template <class Layout, class FieldName, class Allowed>
void value_does_not_fit_in_field() {}
template <class Layout, class FieldName>
void negative_value_for_field() {}

template <fixed_string Name, decltype(sizeof(0))... I>
field_named<Name.chars[I]...> named(meta::integer_list<decltype(sizeof(0)), I...>);
template <fixed_string Name>
using name_of = decltype(named<Name>(meta::make_index_list<Name.size()>{}));
}  // namespace diag

template <class L, unsigned Msb, unsigned Lsb, fixed_string Name, class T = std::uint64_t,
          enum_sign Sign = enum_sign::none, std::uint64_t ImpDef = no_imp_def>
struct field {
  static_assert(Msb >= Lsb, "vpmu::field: msb must be >= lsb (bits are written [msb:lsb])");
  static_assert(Msb < 64, "vpmu::field: bit position beyond 63");
  static_assert(meta::is_same_v<T, bool> || meta::is_enum_v<T> || meta::is_unsigned_v<T>,
                "vpmu::field: value type must be bool, an enum, or an unsigned integer");
  static_assert(!meta::is_same_v<T, bool> || Msb == Lsb, "vpmu::field: a bool field is one bit");
  static_assert(meta::is_enum_v<T> || Sign == enum_sign::none,
                "vpmu::field: only enum fields have an ID-scheme sign");

  using layout = L;
  using value_type = T;

  static constexpr unsigned msb = Msb;
  static constexpr unsigned lsb = Lsb;
  static constexpr unsigned width = Msb - Lsb + 1;
  static constexpr std::uint64_t mask = bit_mask(Msb, Lsb);
  static constexpr std::uint64_t max_value = low_mask(width);
  static constexpr enum_sign sign = Sign;
  static constexpr std::uint64_t imp_def = ImpDef;
  static constexpr const char* name = Name.chars;

  static_assert(ImpDef == no_imp_def || ImpDef <= max_value,
                "vpmu::field: the IMP_DEF value does not fit the field");

  // A compile-time value for this field; see diag:: for the error when it does not fit.
  struct literal {
    std::uint64_t bits;

    // (Long parameter names: these are instantiated in the user's code, where -Wshadow would
    // flag a short one that matches a global of theirs.)
    template <meta::integral I>
    consteval literal(I literal_value)  // NOLINT: implicit by design: it makes `f = 3` work
        : bits(static_cast<std::uint64_t>(literal_value)) {
      if constexpr (meta::is_signed_v<I>) {
        if (literal_value < 0) diag::negative_value_for_field<L, name_chars>();
      }
      if (bits > max_value) diag::value_does_not_fit_in_field<L, name_chars, allowed>();
    }

    consteval literal(T enumerator)  // NOLINT: enum fields take their enumerators
        requires meta::is_enum_v<T> : bits(static_cast<std::uint64_t>(enumerator)) {
      if (bits > max_value) diag::value_does_not_fit_in_field<L, name_chars, allowed>();
    }

   private:
    using name_chars = diag::name_of<Name>;
    using allowed = diag::allowed_values<0, max_value>;
  };

  // `f = v` and `f(v)` both make a setting from a literal. operator= on a const object returning
  // a setting is deliberate: fields are constants, and this reads like the manual ("N = 6").
  consteval field_setting<L> operator=(
      literal v) const {  // NOLINT(misc-unconventional-assign-operator)
    return {mask, v.bits << lsb};
  }
  consteval field_setting<L> operator()(literal v) const { return {mask, v.bits << lsb}; }

  // Runtime values: an error naming the field when v does not fit (negative counts as too wide).
  template <class V>
  requires meta::integral<V> || meta::is_same_v<V, T>
  [[nodiscard]] constexpr result<field_setting<L>> checked(V v) const {
    if constexpr (meta::is_signed_v<V>) {
      if (v < 0) return error{errc::value_too_wide, L::name, name, static_cast<std::uint64_t>(v)};
    }
    const auto u = static_cast<std::uint64_t>(v);
    if (u > max_value) return error{errc::value_too_wide, L::name, name, u};
    return field_setting<L>{mask, u << lsb};
  }

  // The field's value out of a raw register value.
  [[nodiscard]] static constexpr T extract(std::uint64_t raw) {
    const std::uint64_t v = (raw & mask) >> lsb;
    if constexpr (meta::is_same_v<T, bool>) {
      return v != 0;
    } else {
      return static_cast<T>(v);
    }
  }
};

template <class L, unsigned Bit, fixed_string Name>
using flag = field<L, Bit, Bit, Name, bool>;

template <class L, unsigned Msb, unsigned Lsb, fixed_string Name, class E, enum_sign Sign,
          std::uint64_t ImpDef = no_imp_def>
using enum_field = field<L, Msb, Lsb, Name, E, Sign, ImpDef>;

template <class F>
concept field_type = requires {
  typename F::layout;
  typename F::value_type;
  { F::mask } -> meta::convertible_to<std::uint64_t>;
  { F::lsb } -> meta::convertible_to<unsigned>;
  { F::name } -> meta::convertible_to<const char*>;
};

}  // namespace vpmu
