// SPDX-License-Identifier: MIT
// The first check of every restore_state(): the saved state is in a format this vpmu knows.
#pragma once

#include "vpmu/core/result.hpp"

namespace vpmu {

template <class State>
[[nodiscard]] constexpr result<bool> check_format(const State& s, const char* what) {
  if (s.format != State::current_format)
    return error{errc::invalid_config, what, "format", s.format};
  return true;
}

}  // namespace vpmu
