// SPDX-License-Identifier: MIT
// Failure reporting for property tests: when a randomized run fails, find a short sequence of
// operations that still fails (greedy delta debugging: drop chunks, then single operations) and
// print it with the seed, so the failure can be replayed and read.
#pragma once

#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace property {

// run(ops) returns an empty string on success, else what went wrong.
template <class Op, class Run>
std::vector<Op> shrink(std::vector<Op> ops, Run&& run) {
  for (std::size_t chunk = ops.size() / 2; chunk >= 1; chunk /= 2) {
    for (std::size_t at = 0; at + chunk <= ops.size();) {
      std::vector<Op> candidate;
      candidate.insert(candidate.end(), ops.begin(), ops.begin() + static_cast<long>(at));
      candidate.insert(candidate.end(), ops.begin() + static_cast<long>(at + chunk), ops.end());
      if (!run(candidate).empty()) {
        ops = candidate;
      } else {
        at += chunk;
      }
    }
  }
  return ops;
}

template <class Op, class Run, class Describe>
std::string report(std::uint64_t seed, const std::vector<Op>& ops, const std::string& failure,
                   Run&& run, Describe&& describe) {
  const std::vector<Op> small = shrink(ops, run);
  std::string text = "seed " + std::to_string(seed) + ": " + failure +
                     "\nshortest failing sequence (" + std::to_string(small.size()) + " of " +
                     std::to_string(ops.size()) + " operations), failing with: " + run(small) +
                     "\n";
  for (const Op& op : small)
    text += "  " + describe(op) + "\n";
  return text;
}

}  // namespace property
