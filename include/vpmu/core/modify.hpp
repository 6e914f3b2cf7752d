// SPDX-License-Identifier: MIT
// Read-modify-write of a register through any access backend: exactly one read and one write,
// whatever the number of fields changed (several settings fold into one write).
//
// The backend only needs `read<R>()` returning the raw bits and `write<R>(raw)`; the access
// concepts (access/) refine this, core/ does not depend on them.
#pragma once

#include <cstdint>

#include "vpmu/core/config.hpp"
#include "vpmu/core/layout.hpp"
#include "vpmu/core/reg_value.hpp"
#include "vpmu/core/traits.hpp"

namespace vpmu {

template <class A, class R>
concept reads_and_writes = requires(A& a, std::uint64_t raw) {
  { a.template read<R>() } -> meta::convertible_to<std::uint64_t>;
  a.template write<R>(raw);
};

template <class R, class A, class... S>
requires reads_and_writes<A, R> VPMU_ALWAYS_INLINE constexpr reg_value<layout_of_t<R>> modify(
    A& access, S... settings) {
  const auto old = reg_value<layout_of_t<R>>::from_hardware(access.template read<R>());
  const auto updated = old.with(settings...);
  access.template write<R>(updated.raw());
  return updated;
}

}  // namespace vpmu
