// SPDX-License-Identifier: MIT
// Runs one guest program in a fresh world, counting the operations actually applied (a check on
// that count can fail; one on the generated count could not).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace property {

template <class World, class Op, class... Args>
std::string run_world(const std::vector<Op>& ops, std::uint64_t& executed, Args&&... args) {
  World world{static_cast<Args&&>(args)...};
  for (const Op& op : ops) {
    ++executed;
    std::string failure = world.apply(op);
    if (!failure.empty()) return failure;
  }
  return world.finish();
}

}  // namespace property
