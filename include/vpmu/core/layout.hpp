// SPDX-License-Identifier: MIT
// A register layout: name, width, reserved bits and the list of its fields, with a compile-time
// proof that the description is whole (every bit described exactly once).
//
//   struct pmselr_el0 : vpmu::layout_base<"PMSELR_EL0", 64, {.res0 = 0xffff'ffff'ffff'ffe0}> {
//     static constexpr vpmu::field<pmselr_el0, 4, 0, "SEL"> sel{};
//     using fields = vpmu::field_list<decltype(sel)>;
//   };
//
// The same rule as Linux's gen-sysreg (fields descend from bit 63 with no gap or overlap), checked
// by the C++ compiler, so a hand-written layout cannot carry the kind of error that put
// ID_PFR0.EL3 at EL2's bits in another kernel.
#pragma once

#include <cstdint>

#include "vpmu/core/bits.hpp"
#include "vpmu/core/field.hpp"
#include "vpmu/core/fixed_string.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

// Bits a layout reserves. RES0/RES1 per the manuals; UNKNOWN bits are described but carry no
// meaning; RAZ bits read as zero (Linux sysreg `Raz`).
struct reserved_bits {
  std::uint64_t res0 = 0;
  std::uint64_t res1 = 0;
  std::uint64_t unkn = 0;
  std::uint64_t raz = 0;
};

template <fixed_string Name, unsigned Width, reserved_bits Reserved = reserved_bits{}>
struct layout_base {
  static_assert(Width == 32 || Width == 64, "vpmu::layout_base: registers are 32 or 64 bits wide");
  static constexpr const char* name = Name.chars;
  static constexpr unsigned width = Width;
  static constexpr std::uint64_t res0 = Reserved.res0;
  static constexpr std::uint64_t res1 = Reserved.res1;
  static constexpr std::uint64_t unkn = Reserved.unkn;
  static constexpr std::uint64_t raz = Reserved.raz;
};

template <class... F>
struct field_list {
  static constexpr unsigned size = sizeof...(F);
};

namespace diag {
template <class Field>
void field_overlaps_an_earlier_field() {}
template <class Field>
void field_overlaps_reserved_bits() {}
template <class Field>
void field_beyond_register_width() {}
template <class Field>
void field_of_another_layout_listed() {}
template <class Layout>
void reserved_masks_overlap() {}
template <class Layout>
void bits_not_described(std::uint64_t /*missing*/) {}
template <class Layout>
void reserved_bits_beyond_register_width() {}
}  // namespace diag

template <class L>
concept layout_type = requires {
  { L::name } -> meta::convertible_to<const char*>;
  { L::width } -> meta::convertible_to<unsigned>;
  { L::res0 } -> meta::convertible_to<std::uint64_t>;
  { L::res1 } -> meta::convertible_to<std::uint64_t>;
  { L::unkn } -> meta::convertible_to<std::uint64_t>;
  { L::raz } -> meta::convertible_to<std::uint64_t>;
  typename L::fields;
};

namespace detail {

template <class L, class... F>
consteval bool check_fields(field_list<F...> /*unused*/) {
  const std::uint64_t reserved = L::res0 | L::res1 | L::unkn | L::raz;
  const std::uint64_t all = low_mask(L::width);
  if (((L::res0 & L::res1) | (L::res0 & L::unkn) | (L::res1 & L::unkn) |
       ((L::res0 | L::res1 | L::unkn) & L::raz)) != 0) {
    diag::reserved_masks_overlap<L>();
  }
  if ((reserved & ~all) != 0) diag::reserved_bits_beyond_register_width<L>();

  std::uint64_t seen = 0;
  // One step per field, in declaration order; the diagnostic names the field that collides.
  [[maybe_unused]] const auto step = [&]<class Fi>(Fi* /*tag*/) {
    if (!meta::is_same_v<typename Fi::layout, L>) diag::field_of_another_layout_listed<Fi>();
    if ((Fi::mask & ~all) != 0) diag::field_beyond_register_width<Fi>();
    if ((Fi::mask & seen) != 0) diag::field_overlaps_an_earlier_field<Fi>();
    if ((Fi::mask & reserved) != 0) diag::field_overlaps_reserved_bits<Fi>();
    seen |= Fi::mask;
  };
  (step(static_cast<F*>(nullptr)), ...);
  if ((seen | reserved) != all) diag::bits_not_described<L>(all & ~(seen | reserved));
  return true;
}

}  // namespace detail

// True when L's fields and reserved masks cover every bit of the register exactly once; a compile
// error naming the first offending field otherwise. Use as static_assert(vpmu::check_layout<L>()).
template <layout_type L>
consteval bool check_layout() {
  return detail::check_fields<L>(typename L::fields{});
}

// Registers of one family (PMEVTYPER<n>_EL0) share a layout; a register says so with
// `using layout = ...`. Registers that are their own layout say nothing.
template <class R>
struct layout_of {
  using type = R;
};
template <class R>
requires requires {
  typename R::layout;
}
struct layout_of<R> {
  using type = typename R::layout;
};
template <class R>
using layout_of_t = typename layout_of<R>::type;

}  // namespace vpmu
