// SPDX-License-Identifier: MIT
// vpmu::host_perf over a simulator: the counter width comes from the simulated PMU, and the
// register accesses go through the simulator itself or through a decorator of it (counting<Sim>).
#pragma once

#include <cstdint>

#include "vpmu/core/traits.hpp"
#include "vpmu/host/host_perf.hpp"
#include "vpmu/sim/amd_pmu.hpp"
#include "vpmu/sim/arm_pmuv3.hpp"
#include "vpmu/sim/intel_pmu.hpp"

namespace vpmu::sim {

namespace detail {
template <class Sim>
struct simulated;
template <>
struct simulated<intel_pmu> {
  using arch = vpmu::arch::intel;
  static constexpr unsigned width(const intel_pmu& s) { return s.config().gp_width; }
};
template <>
struct simulated<amd_pmu> {
  using arch = vpmu::arch::amd;
  static constexpr unsigned width(const amd_pmu&) { return amd_pmu::width; }
};
template <>
struct simulated<arm_pmuv3> {
  using arch = vpmu::arch::arm64;
  static constexpr unsigned width(const arm_pmuv3& s) {
    return s.caps().event_counters_64bit() ? 64 : 32;
  }
};
}  // namespace detail

template <class Sim, class Access = Sim>
class host_perf : public vpmu::host_perf<typename detail::simulated<Sim>::arch, Access> {
  using base = vpmu::host_perf<typename detail::simulated<Sim>::arch, Access>;

 public:
  // `usable`: the counters this host may program (bit i = counter i).
  constexpr host_perf(Sim& sim, std::uint64_t usable) requires meta::is_same_v<Sim, Access>
      : base(sim, detail::simulated<Sim>::width(sim), usable) {}
  constexpr host_perf(Sim& sim, Access& access, std::uint64_t usable)
      : base(access, detail::simulated<Sim>::width(sim), usable) {}
};

static_assert(counter_provider<host_perf<intel_pmu>>);
static_assert(counter_provider<host_perf<arm_pmuv3>>);

}  // namespace vpmu::sim
