// SPDX-License-Identifier: MIT
// reg_value<L>: one value of a register layout, as plain constexpr data.
//
//   constexpr auto v = pmcr_el0::value{}.with(pmcr_el0::e = 1, pmcr_el0::lc = 1);
//   static_assert(v.get(pmcr_el0::lc));
//
// Three ways in, by how much the bits are trusted:
//   value{literal}          compile time: RES0 set / RES1 clear is a compile error
//   value::make(x)          runtime: result<value>, the error names the register and the bits
//   value::from_hardware(x) what a register read returned; taken as is
#pragma once

#include <cstdint>

#include "vpmu/core/field.hpp"
#include "vpmu/core/layout.hpp"
#include "vpmu/core/result.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

namespace diag {
template <class Layout>
void res0_bits_set_in_literal(std::uint64_t /*bits*/) {}
template <class Layout>
void res1_bits_clear_in_literal(std::uint64_t /*bits*/) {}
template <class Layout>
void literal_wider_than_register(std::uint64_t /*bits*/) {}
}  // namespace diag

template <class Setting, class L>
inline constexpr bool is_setting_of = meta::is_same_v<Setting, field_setting<L>>;

template <layout_type L>
class reg_value {
  static_assert(check_layout<L>());

 public:
  using layout = L;

  // Bits a value may legitimately have set: everything but RES0 (RAZ bits read as zero).
  static constexpr std::uint64_t writable_mask = low_mask(L::width) & ~L::res0 & ~L::raz;

  // A compile-time raw value, checked against the layout's reserved bits.
  struct literal {
    std::uint64_t bits;
    consteval literal(std::uint64_t v) : bits(v) {  // NOLINT: implicit by design
      if ((v & ~low_mask(L::width)) != 0) diag::literal_wider_than_register<L>(v);
      if ((v & (L::res0 | L::raz)) != 0) diag::res0_bits_set_in_literal<L>(v & L::res0);
      if ((~v & L::res1) != 0) diag::res1_bits_clear_in_literal<L>(~v & L::res1);
    }
  };

  // The reserved-bit baseline: RES1 bits set, everything else zero.
  constexpr reg_value() = default;
  consteval reg_value(literal v) : raw_(v.bits) {}  // NOLINT: implicit by design

  [[nodiscard]] static constexpr result<reg_value> make(std::uint64_t v) {
    if (const std::uint64_t bad = v & ~writable_mask; bad != 0) {
      return error{errc::res0_bits_set, L::name, nullptr, bad};
    }
    if (const std::uint64_t missing = ~v & L::res1; missing != 0) {
      return error{errc::res1_bits_clear, L::name, nullptr, missing};
    }
    return from_hardware(v);
  }

  [[nodiscard]] static constexpr reg_value from_hardware(std::uint64_t v) {
    reg_value r;
    r.raw_ = v;
    return r;
  }

  [[nodiscard]] constexpr std::uint64_t raw() const { return raw_; }

  template <field_type F>
  [[nodiscard]] constexpr typename F::value_type get(F /*field*/) const {
    static_assert(meta::is_same_v<typename F::layout, L>,
                  "vpmu: this field belongs to another register layout");
    return F::extract(raw_);
  }

  // Applies settings left to right (a later setting of the same bits wins) and returns the new
  // value; all settings must come from fields of this layout.
  template <class... S>
  [[nodiscard]] constexpr reg_value with(S... settings) const {
    static_assert((is_setting_of<S, L> && ...),
                  "vpmu: a setting comes from a field of another register layout");
    reg_value r = *this;
    ((r.raw_ = (r.raw_ & ~settings.mask) | settings.bits), ...);
    return r;
  }

  // Runtime field update: an error naming the field when v does not fit.
  template <field_type F, class V>
  [[nodiscard]] constexpr result<reg_value> set(F f, V v) const {
    static_assert(meta::is_same_v<typename F::layout, L>,
                  "vpmu: this field belongs to another register layout");
    const auto s = f.checked(v);
    if (!s) return s.error_value();
    return with(s.value());
  }

  friend constexpr bool operator==(reg_value a, reg_value b) { return a.raw_ == b.raw_; }

 private:
  std::uint64_t raw_ = L::res1;
};

}  // namespace vpmu
