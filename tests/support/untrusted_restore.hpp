// SPDX-License-Identifier: MIT
// Restores an untrusted blob (a migration stream is a guest write) the way the property worlds
// judge it: a refused restore must leave the vCPU exactly as it was; a taken one is reported to
// `taken` so the world's reference continues from the same registers.
#pragma once

#include <string>

template <class Pmu, class State, class Taken>
std::string restore_untrusted(Pmu& pmu, const State& s, Taken taken) {
  const auto before = pmu.save_state();
  if (!pmu.restore_state(s).has_value()) {
    if (!(pmu.save_state() == before)) return "a refused restore changed the vCPU";
  } else {
    taken();
  }
  return {};
}
