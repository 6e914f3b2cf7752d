// SPDX-License-Identifier: MIT
// Feature tests on ID-register enum fields that compare the way the architecture says.
//
//   at_least(dfr0, id_aa64dfr0_el1::pmuver_t::v3p5)   // register value + enumerator
//   at_least(0xF, mtpmu_t::imp)                        // raw field value + enumerator
//
// Arm ARM D19.1.3 (AArch64 view of "the ID scheme"): unsigned fields compare as unsigned;
// signed fields (a feature that later became optional) are sign-extended, so 0xF is -1 = not
// implemented and never "newest". PMUVer uses the alternative scheme (Arm ARM G8.1.3.2): 0xF is
// an IMPLEMENTATION DEFINED PMU, so it satisfies no minimum version.
//
// Linux got this wrong once by choosing the comparator inside a ternary whose arms had signed
// and unsigned types; the common type was unsigned and negative features compared as huge
// (fixed by "KVM: arm64: Fix kvm_has_feat*() handling of negative features"). Here each sign
// has its own branch, and both compute in a type matching the sign.
//
// An enum type E is tied to its field by an ADL hook, emitted next to every generated enum:
//   constexpr auto vpmu_field_of(E) { return the_field; }
#pragma once

#include <cstdint>

#include "vpmu/core/field.hpp"
#include "vpmu/core/reg_value.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

template <class E>
concept id_enum = meta::is_enum_v<E> && requires(E e) {
  { vpmu_field_of(e) } -> field_type;
};

template <id_enum E>
using field_of_t = decltype(vpmu_field_of(E{}));

namespace detail {

[[nodiscard]] constexpr std::int64_t sign_extend_field(std::uint64_t v, unsigned width) {
  const std::uint64_t sign = std::uint64_t{1} << (width - 1);
  return static_cast<std::int64_t>((v ^ sign) - sign);
}

template <class F>
[[nodiscard]] constexpr bool compare_id_field(std::uint64_t value, std::uint64_t min) {
  value &= F::max_value;
  if (F::imp_def != no_imp_def && (value == F::imp_def || min == F::imp_def)) return false;
  if constexpr (F::sign == enum_sign::signed_) {
    return sign_extend_field(value, F::width) >= sign_extend_field(min, F::width);
  } else {
    return value >= min;
  }
}

template <class F>
[[nodiscard]] constexpr bool field_at_least(std::uint64_t value, std::uint64_t min) {
  if constexpr (!meta::is_enum_v<typename F::value_type>) {
    static_assert(meta::is_enum_v<typename F::value_type>,
                  "vpmu::at_least needs an ID enum field (UnsignedEnum or SignedEnum); this field "
                  "holds a plain number or flag");
    return false;
  } else if constexpr (F::sign == enum_sign::unknown) {
    static_assert(F::sign != enum_sign::unknown,
                  "vpmu::at_least: this field is a plain `Enum` whose signedness the spec does not "
                  "state; declare it UnsignedEnum or SignedEnum before ordering its values");
    return false;
  } else if constexpr (F::sign == enum_sign::none) {
    static_assert(F::sign != enum_sign::none,
                  "vpmu::at_least: this enum field is not an ID-scheme field; compare with == "
                  "instead");
    return false;
  } else {
    return compare_id_field<F>(value, min);
  }
}

}  // namespace detail

// Raw field value (already extracted) against an enumerator of that field.
template <id_enum E>
[[nodiscard]] constexpr bool at_least(std::uint64_t field_value, E min) {
  return detail::field_at_least<field_of_t<E>>(field_value, static_cast<std::uint64_t>(min));
}

// Field value as its enum (e.g. what reg_value::get returned).
template <id_enum E>
[[nodiscard]] constexpr bool at_least(E value, E min) {
  return at_least(static_cast<std::uint64_t>(value), min);
}

// A whole register value: the enumerator names the field.
template <class L, id_enum E>
[[nodiscard]] constexpr bool at_least(reg_value<L> reg, E min) {
  using F = field_of_t<E>;
  static_assert(meta::is_same_v<typename F::layout, L>,
                "vpmu::at_least: the enumerator belongs to a field of another register");
  return at_least(F::extract(reg.raw()), min);
}

// Explicit field form; the field must be an ID enum field (a number field does not compile).
template <class L, field_type F>
[[nodiscard]] constexpr bool at_least(reg_value<L> reg, F /*field*/, typename F::value_type min) {
  static_assert(meta::is_same_v<typename F::layout, L>,
                "vpmu::at_least: the field belongs to another register");
  return detail::field_at_least<F>((reg.raw() & F::mask) >> F::lsb,
                                   static_cast<std::uint64_t>(min));
}

}  // namespace vpmu
